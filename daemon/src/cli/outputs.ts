// Where each generated model goes: beside its image by default, into a folder with `-o DIR`, or to one file
// with `-o FILE.glb` when there is one image. An existing file is never replaced without --force.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { modelName } from '../naming';
import { OrfeasError } from '../protocol/errors';

/** Output path for each image, in order; throws E_PATH for an impossible combination. */
export function planOutputs(images: string[], out: string | undefined): string[] {
	if (out && out.toLowerCase().endsWith('.glb')) {
		if (images.length !== 1) {
			throw new OrfeasError('E_PATH', `-o ${out} names one file, but ${images.length} images were given. Pass a folder with -o.`);
		}
		return [path.resolve(out)];
	}
	if (out && existsSync(out) && !statSync(out).isDirectory()) {
		throw new OrfeasError('E_PATH', `-o ${out} is an existing file, not a folder. Pass a folder, or a path ending in .glb.`);
	}
	const planned = images.map((image) => path.resolve(out ?? path.dirname(image), `${modelName(image)}.glb`));
	const seen = new Set<string>();
	for (const p of planned) {
		if (seen.has(p)) throw new OrfeasError('E_PATH', `Two images would both be written to ${p}. Give them different names.`);
		seen.add(p);
	}
	return planned;
}

/** Refuses to replace an existing file unless asked to. */
export function checkWritable(target: string, force: boolean): void {
	if (!force && existsSync(target)) {
		throw new OrfeasError('E_PATH', `${target} already exists. Pass --force to replace it, or -o to write elsewhere.`);
	}
}
