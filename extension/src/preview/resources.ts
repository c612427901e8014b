// The external files a .gltf names (buffers, images), read for the previewer. Only files inside the .gltf's own
// folder are read: a model cannot make the editor send it /etc/passwd or a file from elsewhere on the disk.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { clientPathProblem, contains, type PathModule } from '../../../daemon/src/paths';

/** Largest total of a .gltf's resources sent to the viewer. */
export const MAX_RESOURCE_BYTES = 512 * 1024 * 1024;

/** Relative uri → bytes for every buffer and image of the glTF JSON that is not a data: URI. */
export async function gltfResources(file: string, json: Uint8Array): Promise<Record<string, Uint8Array>> {
	let gltf: { buffers?: Array<{ uri?: unknown }>; images?: Array<{ uri?: unknown }> };
	try {
		gltf = JSON.parse(Buffer.from(json).toString('utf8'));
	} catch {
		throw new Error(`${path.basename(file)} is not valid glTF JSON.`);
	}
	const uris = [...(gltf.buffers ?? []), ...(gltf.images ?? [])]
		.map((entry) => entry?.uri)
		.filter((uri): uri is string => typeof uri === 'string' && !uri.startsWith('data:'));
	const folder = path.dirname(path.resolve(file));
	const resources: Record<string, Uint8Array> = {};
	let total = 0;
	for (const uri of new Set(uris)) {
		const target = resourceFile(folder, uri);
		if (target === undefined) {
			throw new Error(`${path.basename(file)} refers to ${uri}, outside its folder; the preview only reads files beside the model.`);
		}
		const bytes = await readFile(target).catch(() => {
			throw new Error(`${path.basename(file)} needs ${uri}, which is missing beside it.`);
		});
		total += bytes.byteLength;
		if (total > MAX_RESOURCE_BYTES) throw new Error(`${path.basename(file)}'s buffers and images pass ${MAX_RESOURCE_BYTES / 2 ** 20} MiB; too large to preview.`);
		resources[uri] = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}
	return resources;
}

/**
 * The file a relative glTF URI names inside `folder`, or undefined when it names anything else: another scheme
 * (`https:`, `file:`), a path that climbs out or is absolute, and on Windows another drive, a share, a device or
 * a data stream (`tex.png:x`, `nul.bin`).
 */
export function resourceFile(folder: string, uri: string, p: PathModule = path): string | undefined {
	if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return undefined;
	let name: string;
	try {
		name = decodeURIComponent(uri);
	} catch {
		return undefined;
	}
	const target = p.resolve(folder, name);
	if (!contains(folder, target, p) || clientPathProblem(target, p) !== undefined) return undefined;
	return target;
}
