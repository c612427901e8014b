// Reads the meshes the shape eval scores (OBJ with its texture, GLB) through the project's own loaders, into
// what the renderer draws and what the metrics measure. Fixture meshes (fixtures.ts) arrive in the same form.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { loadGlb } from '../../../daemon/src/export/load-glb';
import { loadObj } from '../../../daemon/src/export/load-obj';
import type { ExportScene } from '../../../daemon/src/export/scene';
import type { RgbaImage } from '../../../daemon/src/pipeline/types';
import { weldByPosition, type TriangleMesh } from './mesh';
import type { RenderMesh } from './render';

/** One ground-truth mesh: how it is drawn, and the welded surface that is measured. */
export interface EvalSubject {
	name: string;
	/** The file it came from; absent for generated fixtures. */
	file?: string;
	surface: RenderMesh;
	shape: TriangleMesh;
}

const MESH_EXTENSIONS = ['.obj', '.glb'];
/** Names tried beside an OBJ that has no MTL, as scans are often shipped (`spot.obj` + `spot_texture.png`). */
const TEXTURE_SUFFIXES = ['_texture.png', '_texture.jpg', '.png', '.jpg'];

/** The OBJ and GLB files directly inside `dir`, sorted by name. */
export async function listMeshFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });
	return entries
		.filter((e) => e.isFile() && MESH_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
		.map((e) => path.join(dir, e.name))
		.sort((a, b) => a.localeCompare(b));
}

export async function loadSubject(file: string): Promise<EvalSubject> {
	const name = path.basename(file, path.extname(file));
	const scene = path.extname(file).toLowerCase() === '.glb' ? await loadGlb(await readFile(file), { name }) : await loadObjFile(file, name);
	const mesh = scene.lods[0];
	const color = subjectColor(name);
	const surface: RenderMesh = { positions: mesh.positions, indices: mesh.indices, color };
	const texture = singleTexture(scene);
	if (texture && mesh.uvs) {
		surface.uvs = mesh.uvs;
		surface.texture = await decodeRgba(texture);
	}
	return { name, file, surface, shape: weldByPosition(mesh) };
}

async function loadObjFile(file: string, name: string): Promise<ExportScene> {
	const text = await readFile(file, 'utf8');
	const dir = path.dirname(file);
	// An MTL names its own textures; without one, a picture named after the OBJ is taken when the OBJ has UVs.
	let texture: { name: string; bytes: Uint8Array } | undefined;
	if (!/^mtllib\s/m.test(text) && /^vt\s/m.test(text)) {
		for (const suffix of TEXTURE_SUFFIXES) {
			const candidate = `${name}${suffix}`;
			const bytes = await readFile(path.join(dir, candidate)).catch(() => undefined);
			if (bytes) {
				texture = { name: candidate, bytes };
				break;
			}
		}
	}
	return loadObj(text, { dir, name, ...(texture ? { texture } : {}) });
}

/** The texture when every triangle's material has the same one; mixed materials are drawn flat instead. */
function singleTexture(scene: ExportScene): Uint8Array | undefined {
	const used = scene.lods[0].groups.map((g) => scene.materials[g.material].texture);
	const first = used[0];
	return first && used.every((t) => t === first) ? first.bytes : undefined;
}

async function decodeRgba(bytes: Uint8Array): Promise<RgbaImage> {
	const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Muted colours that stay distinct from each other and from a transparent background. */
const PALETTE: [number, number, number][] = [
	[200, 200, 200],
	[214, 170, 120],
	[140, 180, 210],
	[180, 200, 140],
	[210, 150, 150],
	[190, 160, 210],
];

/** A fixed colour per mesh name, so its pictures look the same on every run. */
export function subjectColor(name: string): [number, number, number] {
	let hash = 0;
	for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
	return PALETTE[hash % PALETTE.length];
}
