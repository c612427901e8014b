// File reading and writing shared by the commands: errors a person can act on instead of errno codes, and
// writes that never leave a half-written file under the real name.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OrfeasError } from '../protocol/errors';

export async function readInput(file: string): Promise<Uint8Array> {
	try {
		return await readFile(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new OrfeasError('E_NOT_FOUND', `${file} does not exist. Check the path.`);
		if (code === 'EISDIR') throw new OrfeasError('E_PATH', `${file} is a folder. Pass a file.`);
		throw new OrfeasError('E_PATH', `${file} cannot be read (${code ?? 'unknown error'}). Check its permissions.`);
	}
}

/** Writes next to the target and renames, so a crash never leaves a half-written file under the real name. */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
	await mkdir(path.dirname(target), { recursive: true });
	const tmp = `${target}.${process.pid}.tmp`;
	await writeFile(tmp, bytes);
	await rename(tmp, target);
}
