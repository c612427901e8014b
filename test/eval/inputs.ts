// The pictures eval judges: a folder given on the command line, or the generated fixtures written to a temporary
// folder so both paths read files the same way; fixtures bring their ground-truth masks and expected topology.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { GrayImage } from '../../daemon/src/pipeline/types';
import { ALL_FIXTURES } from '../fixtures/images';
import { listImages } from '../helpers/image-files';

/** What is known about a fixture in advance, keyed by its file's path. */
export interface GroundTruth {
	mask: GrayImage;
	/** Genus of the closed model, summed over its parts. */
	genus: number;
	components: number;
}

export interface EvalInputs {
	files: string[];
	truth: Map<string, GroundTruth>;
	/** Removes what this module wrote (nothing for a user's folder). */
	cleanup: () => Promise<void>;
}

export async function folderInputs(dir: string): Promise<EvalInputs> {
	return { files: await listImages(dir), truth: new Map(), cleanup: async () => {} };
}

/** Writes every fixture to a fresh temporary folder, named after the fixture with its real format's extension. */
export async function fixtureInputs(): Promise<EvalInputs> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'orfeas-eval-'));
	const fixtures = await Promise.all(Object.values(ALL_FIXTURES).map((make) => make()));
	const truth = new Map<string, GroundTruth>();
	const files: string[] = [];
	for (const f of fixtures) {
		const { format } = await sharp(f.bytes).metadata();
		const file = path.join(dir, `${f.name}.${format === 'jpeg' ? 'jpg' : format}`);
		await writeFile(file, f.bytes);
		files.push(file);
		// χ = 2·components − 2·genus for a closed orientable surface.
		truth.set(file, { mask: f.mask, genus: (2 * f.components - f.euler) / 2, components: f.components });
	}
	return { files, truth, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
