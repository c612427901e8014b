// Names of the texture files written beside a model (OBJ, PLY): each distinct picture once, under a safe name
// with the extension its bytes need, never two different pictures under one name.
import { safeName } from '../naming';
import type { ExportMaterial, ExportTexture } from './scene';

/**
 * The file name of each distinct texture: its own name made safe, with the extension its bytes need; two
 * different images asking for one name get `_2`, `_3`, … suffixes. The same image object is written once.
 */
export function textureFiles(materials: ExportMaterial[]): Map<ExportTexture, string> {
	const files = new Map<ExportTexture, string>();
	const names = new UniqueNames();
	const byContent = new Map<string, { bytes: Uint8Array; name: string }[]>();
	for (const { texture } of materials) {
		if (!texture || files.has(texture)) continue;
		const same = byContent.get(texture.name)?.find((seen) => equalBytes(seen.bytes, texture.bytes));
		if (same) {
			files.set(texture, same.name);
			continue;
		}
		const extension = texture.mime === 'image/png' ? '.png' : '.jpg';
		const name = names.take(safeName(texture.name.replace(/\.(png|jpe?g)$/i, '')), extension);
		files.set(texture, name);
		byContent.set(texture.name, [...(byContent.get(texture.name) ?? []), { bytes: texture.bytes, name }]);
	}
	return files;
}

export class UniqueNames {
	private readonly taken = new Set<string>();

	take(name: string, suffix = ''): string {
		let candidate = `${name}${suffix}`;
		for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${name}_${n}${suffix}`;
		this.taken.add(candidate.toLowerCase());
		return candidate;
	}
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
