// Crash-safe writes: a file is written beside its target under a temporary name, flushed to disk, then renamed
// over the target, and the directory entry is flushed too. Readers see the old file or the new one, never half.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Prefix of temporary names, so recovery can find and delete leftovers from a crash. */
export const TEMP_PREFIX = '.tmp-';

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
	const tmp = path.join(path.dirname(file), `${TEMP_PREFIX}${path.basename(file)}-${randomBytes(6).toString('hex')}`);
	try {
		const handle = await open(tmp, 'w', mode);
		try {
			await handle.writeFile(data);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(tmp, file);
	} catch (error) {
		await rm(tmp, { force: true });
		throw error;
	}
	await syncDir(path.dirname(file));
}

/**
 * Flushes a directory's entries (the rename itself) to disk. Not on Windows, which cannot flush a directory (it
 * needs a handle open for writing, which a directory is not) and whose NTFS journals the rename itself.
 */
export async function syncDir(dir: string, platform: NodeJS.Platform = process.platform): Promise<void> {
	if (platform === 'win32') return;
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} catch {
		// Some file systems refuse fsync on directories; the rename is still atomic there.
	} finally {
		await handle.close();
	}
}
