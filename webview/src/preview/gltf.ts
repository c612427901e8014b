// Turns the bytes of a `load` message into three.js objects with GLTFLoader. The webview reaches nothing outside
// itself: a `.gltf`'s external buffers and images come in the message, keyed by uri, and are handed to the
// loader as blob: URLs; any other uri fails here, without a request, and is reported by name.
import { LoadingManager, type Object3D } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

export interface GltfInput {
	format: 'glb' | 'gltf';
	bytes: Uint8Array;
	/** A `.gltf`'s external files by the uri it gives them. */
	resources?: Record<string, Uint8Array>;
}

export interface ParsedGltf {
	scene: Object3D;
	/** Uris the file names that were not in `resources` (a missing image leaves its material untextured). */
	missing: string[];
}

/** Parses GLB or glTF JSON bytes. Rejects with the loader's error, and names missing files when that is why. */
export async function parseGltf({ format, bytes, resources = {} }: GltfInput): Promise<ParsedGltf> {
	// GLTFLoader reads anything without the GLB magic as JSON and fails with a JSON.parse message full of binary.
	// Either form is accepted whatever the extension says, as GLTFLoader itself does.
	const glb = String.fromCharCode(...bytes.subarray(0, 4)) === 'glTF';
	if (!glb && !/^\s*\{/.test(new TextDecoder().decode(bytes.subarray(0, 64)))) {
		throw new Error(
			format === 'glb'
				? 'it does not start with the GLB header (the bytes "glTF"), so it is damaged or not a GLB file'
				: 'it is neither glTF JSON text nor a GLB, so it is damaged or not a glTF file',
		);
	}
	const created: string[] = [];
	const missing = new Set<string>();
	const manager = new LoadingManager();
	manager.setURLModifier((url) => {
		if (/^(data|blob):/i.test(url)) return url;
		const data = resourceFor(resources, url);
		if (!data) {
			missing.add(url);
			return failingUrl();
		}
		const blobUrl = URL.createObjectURL(new Blob([data as Uint8Array<ArrayBuffer>]));
		created.push(blobUrl);
		return blobUrl;
	});
	const loader = new GLTFLoader(manager);
	// GLTFLoader wants an ArrayBuffer holding exactly the file (it reads the GLB magic at offset 0).
	const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
	try {
		const gltf = await loader.parseAsync(buffer, '');
		return { scene: gltf.scene, missing: [...missing] };
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		if (missing.size > 0) throw new Error(`it names files that were not found next to it (${[...missing].join(', ')}); ${detail}`);
		throw error instanceof Error ? error : new Error(detail);
	} finally {
		for (const url of created) URL.revokeObjectURL(url);
	}
}

/** The resource for a uri as written in the file, percent-decoded, or with a leading `./`. */
function resourceFor(resources: Record<string, Uint8Array>, uri: string): Uint8Array | undefined {
	const candidates = [uri, safeDecode(uri)].flatMap((u) => [u, u.replace(/^\.\//, '')]);
	for (const key of candidates) if (Object.hasOwn(resources, key)) return resources[key];
	return undefined;
}

function safeDecode(uri: string): string {
	try {
		return decodeURIComponent(uri);
	} catch {
		return uri;
	}
}

/** A blob: URL already revoked: fetching it fails at once and never leaves the webview. */
function failingUrl(): string {
	const url = URL.createObjectURL(new Blob());
	URL.revokeObjectURL(url);
	return url;
}
