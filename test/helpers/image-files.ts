// Finds the pictures in a folder for the bench and eval tools: the formats the decoder reads, sorted by name
// so runs on the same folder list them in the same order.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { hasImageExtension } from '../../daemon/src/protocol/options';


/** Absolute paths of the image files directly inside `dir` (not in sub-folders). */
export async function listImages(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });
	return entries
		.filter((e) => e.isFile() && hasImageExtension(e.name))
		.map((e) => path.resolve(dir, e.name))
		.sort((a, b) => a.localeCompare(b));
}
