// Writes a tool's results as JSON under out/ (gitignored) with a timestamp in the name, so successive runs sit
// side by side and can be compared.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A timestamp safe in file names on every platform: 2025-06-01T14-03-07Z. */
export function fileTimestamp(date = new Date()): string {
	return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/** Writes `data` to `<folder>/<prefix>-<timestamp>.json`, creating the folder; resolves to the path. */
export async function writeResults(folder: string, prefix: string, data: unknown, date = new Date()): Promise<string> {
	await mkdir(folder, { recursive: true });
	const file = path.join(folder, `${prefix}-${fileTimestamp(date)}.json`);
	await writeFile(file, `${JSON.stringify(data, null, '\t')}\n`);
	return file;
}
