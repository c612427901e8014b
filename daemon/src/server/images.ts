// Where a generate request's picture comes from: a local path (checked against the rules below), an earlier
// HTTP upload (consumed), or the payload of the binary frame. The rules for paths: absolute, no NUL byte, on Windows
// no device, share or stream (paths.ts), a regular file with an image extension, within the size cap, and not inside
// the daemon's own home folder.
import { readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../jobs/atomic';
import type { Home } from '../jobs/home';
import { randomId } from '../jobs/record';
import { requireImage } from '../jobs/sniff';
import { OrfeasError } from '../protocol/errors';
import { hasImageExtension, IMAGE_EXTENSIONS, LIMITS } from '../protocol/options';
import { checkClientPath, contains, printable, type PathModule } from '../paths';

/** Uploads not used within this time are deleted. */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;

export type ImageRef = { path: string } | { upload: string } | { inline: true };

export async function loadImage(ref: ImageRef, home: Home, inline: Uint8Array | undefined): Promise<Uint8Array> {
	if ('inline' in ref) {
		if (!inline) throw new OrfeasError('E_BAD_MESSAGE', 'image.inline needs the picture as the payload of a binary frame.', { field: 'image' });
		checkSize(inline.length);
		return inline;
	}
	if ('upload' in ref) return takeUpload(home, ref.upload);
	return readImagePath(ref.path, home);
}

export async function readImagePath(given: string, home: Home): Promise<Uint8Array> {
	checkImagePath(given, home.root);
	let real: string;
	try {
		real = await realpath(given);
	} catch {
		throw new OrfeasError('E_NOT_FOUND', `${printable(given)} does not exist or cannot be read.`);
	}
	// `real` has its links resolved (and on Windows its case and long-path prefix settled), so the home folder is
	// compared by its resolved name too (a home reached through a link, such as /tmp on macOS, would otherwise never
	// contain it).
	const realRoot = await realpath(home.root).catch(() => home.root);
	if (contains(home.root, real) || contains(realRoot, real)) throw insideHome();
	const info = await stat(real);
	if (!info.isFile()) throw new OrfeasError('E_PATH', `${printable(given)} is not a regular file.`);
	checkSize(info.size);
	return readFile(real);
}

/**
 * The rules a picture's path meets before the disk is asked: a full path that is no device, share or stream
 * (paths.ts), with an image extension, not inside the home folder by name. `p` is `path.win32` or `path.posix`
 * in the tests; the daemon uses its own platform's.
 */
export function checkImagePath(given: string, homeRoot: string, p: PathModule = path): void {
	checkClientPath(given, p);
	if (!hasImageExtension(given)) {
		throw new OrfeasError('E_PATH', `${printable(given)} does not end in an image extension (${IMAGE_EXTENSIONS.join(', ')}).`);
	}
	if (contains(homeRoot, given, p)) throw insideHome();
}

function insideHome(): OrfeasError {
	return new OrfeasError('E_PATH', 'Pictures inside the Orfeas home folder cannot be used as input. Copy the picture elsewhere.');
}

export async function saveUpload(home: Home, bytes: Uint8Array): Promise<string> {
	checkSize(bytes.length);
	requireImage(bytes);
	const uploadId = `u_${randomId(20)}`;
	await writeFileAtomic(home.uploadFile(uploadId), bytes);
	return uploadId;
}

/** Reads an upload and deletes it: an upload feeds one job. */
async function takeUpload(home: Home, uploadId: string): Promise<Uint8Array> {
	const file = home.uploadFile(uploadId);
	try {
		const bytes = await readFile(file);
		await rm(file, { force: true });
		return bytes;
	} catch {
		throw new OrfeasError('E_NOT_FOUND', `No upload ${uploadId}. Uploads are used once and expire after an hour; upload again.`);
	}
}

export async function expireUploads(home: Home, now = Date.now()): Promise<number> {
	let removed = 0;
	for (const name of await readdir(home.uploads).catch(() => [] as string[])) {
		const file = path.join(home.uploads, name);
		const info = await stat(file).catch(() => null);
		if (info && now - info.mtimeMs > UPLOAD_TTL_MS) {
			await rm(file, { force: true });
			removed++;
		}
	}
	return removed;
}

function checkSize(bytes: number): void {
	if (bytes > LIMITS.maxImageBytes) {
		throw new OrfeasError(
			'E_IMAGE_TOO_LARGE',
			`The image is ${(bytes / 2 ** 20).toFixed(1)} MiB; the limit is ${LIMITS.maxImageBytes / 2 ** 20} MiB. Save it smaller or as JPEG.`,
		);
	}
}
