// File reading and writing shared by the commands: errors a person can act on instead of errno codes, and
// writes that never leave a half-written file under the real name.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
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

/** Errors of a rename over a file another program holds open, which Windows refuses for as long as it does. */
const HELD = new Set(['EPERM', 'EACCES', 'EBUSY']);
/** Waits between tries of such a rename: a virus scanner or an indexer lets go of a new file within moments. */
const RETRY_MS = [50, 100, 200, 400, 800];

/**
 * Writes next to the target and renames, so a crash never leaves a half-written file under the real name. On
 * Windows a target open in another program (an editor importing it, a scanner) cannot be replaced: the rename is
 * tried again for a moment, then E_PATH says which file and why, and the temporary file is removed.
 */
export async function writeAtomically(target: string, bytes: Uint8Array, move: (from: string, to: string) => Promise<void> = rename): Promise<void> {
	await mkdir(path.dirname(target), { recursive: true });
	const tmp = `${target}.${process.pid}.tmp`;
	await writeFile(tmp, bytes);
	for (let attempt = 0; ; attempt++) {
		try {
			await move(tmp, target);
			return;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? '';
			if (HELD.has(code) && attempt < RETRY_MS.length) {
				await delay(RETRY_MS[attempt]);
				continue;
			}
			await rm(tmp, { force: true });
			if (HELD.has(code)) {
				throw new OrfeasError('E_PATH', `${target} cannot be replaced (${code}). If another program has it open, close it there and try again; otherwise check the folder's permissions.`);
			}
			throw error;
		}
	}
}
