// GLB loader: a glTF document → one ExportScene. Every mesh node of the default scene is merged into one
// mesh in world space (node transforms applied), one material range per glTF material. Used to convert GLBs
// users already have and to export what the generator made.
import { NodeIO, Primitive, type Document, type Material, type Node, type mat4 } from '@gltf-transform/core';
import sharp from 'sharp';
import { vertexNormals } from '../geometry/normals';
import { OrfeasError } from '../protocol/errors';
import { safeName } from '../naming';
import type { ExportMaterial, ExportMesh, ExportScene, ExportTexture } from './scene';

export const NAME = 'load-glb';

/** The triangles of a document's default scene, merged, in world space. */
export interface FlatMesh extends ExportMesh {
	/** glTF materials in range order (null: a primitive without one). */
	materials: (Material | null)[];
	/** Names of the nodes visited, in traversal order. */
	nodeNames: string[];
}

/** A node that an export of ours added beside the main mesh: LOD levels past 0 and colliders. */
const DERIVED_NODE = /(_LOD[1-9]\d*|_Collider|-convcolonly|-colonly)$|^UCX_/;

/**
 * Merges every triangle primitive of the default scene (or the first scene): strips and fans become lists,
 * points and lines are skipped, mirroring transforms flip the winding. Normals are transformed by the
 * inverse transpose; where a primitive has none they are computed. UVs or colours missing on some primitives
 * are filled with 0 and white. `include` picks the nodes whose meshes are taken.
 */
export function flattenDocument(document: Document, include: (node: Node) => boolean = () => true): FlatMesh {
	const root = document.getRoot();
	const scene = root.getDefaultScene() ?? root.listScenes()[0];
	const parts: Part[] = [];
	const nodeNames: string[] = [];
	scene?.traverse((node) => {
		nodeNames.push(node.getName());
		const mesh = node.getMesh();
		if (!mesh || !include(node)) return;
		for (const primitive of mesh.listPrimitives()) {
			const part = readPart(primitive, node.getWorldMatrix());
			if (part) parts.push(part);
		}
	});
	// One range per material, in first-use order.
	const order: (Material | null)[] = [];
	for (const part of parts) if (!order.includes(part.material)) order.push(part.material);
	const sorted = order.flatMap((material) => parts.filter((p) => p.material === material));
	return { ...merge(sorted, order), materials: order, nodeNames };
}

interface Part {
	material: Material | null;
	positions: Float32Array;
	indices: Uint32Array;
	normals: Float32Array;
	uvs?: Float32Array;
	colors?: Float32Array;
}

function readPart(primitive: Primitive, world: mat4): Part | undefined {
	const position = primitive.getAttribute('POSITION');
	const triangles = position && triangleList(primitive, position.getCount());
	if (!position || !triangles) return undefined;
	const count = position.getCount();
	const positions = new Float32Array(count * 3);
	const p = [0, 0, 0];
	for (let i = 0; i < count; i++) {
		position.getElement(i, p);
		for (let k = 0; k < 3; k++) positions[i * 3 + k] = world[k] * p[0] + world[4 + k] * p[1] + world[8 + k] * p[2] + world[12 + k];
	}
	if (determinant3(world) < 0) {
		for (let t = 0; t < triangles.length; t += 3) [triangles[t + 1], triangles[t + 2]] = [triangles[t + 2], triangles[t + 1]];
	}
	const normal = primitive.getAttribute('NORMAL');
	let normals: Float32Array;
	if (normal) {
		normals = new Float32Array(count * 3);
		const inverse = normalMatrix(world);
		for (let i = 0; i < count; i++) {
			normal.getElement(i, p);
			const n = [0, 1, 2].map((k) => inverse[k] * p[0] + inverse[3 + k] * p[1] + inverse[6 + k] * p[2]);
			const length = Math.hypot(n[0], n[1], n[2]) || 1;
			normals.set([n[0] / length, n[1] / length, n[2] / length], i * 3);
		}
	} else {
		normals = vertexNormals(positions, triangles);
	}
	return compact({
		material: primitive.getMaterial(),
		positions,
		indices: triangles,
		normals,
		uvs: readAttribute(primitive, 'TEXCOORD_0', 2),
		colors: readAttribute(primitive, 'COLOR_0', 3),
	});
}

/**
 * Only the vertices the part's triangles use, in their original order: primitives that share one vertex
 * buffer (one per material, as our own writer makes them) would otherwise each bring all of it.
 */
function compact(part: Part): Part {
	const count = part.positions.length / 3;
	const remap = new Int32Array(count).fill(-1);
	for (const v of part.indices) remap[v] = 0;
	let used = 0;
	for (let v = 0; v < count; v++) if (remap[v] === 0) remap[v] = used++;
	if (used === count) return part;
	const pick = (data: Float32Array | undefined, size: number) => {
		if (!data) return undefined;
		const out = new Float32Array(used * size);
		for (let v = 0; v < count; v++) if (remap[v] >= 0) out.set(data.subarray(v * size, (v + 1) * size), remap[v] * size);
		return out;
	};
	return {
		material: part.material,
		positions: pick(part.positions, 3)!,
		normals: pick(part.normals, 3)!,
		uvs: pick(part.uvs, 2),
		colors: pick(part.colors, 3),
		indices: part.indices.map((v) => remap[v]),
	};
}

/** An attribute as floats with `size` components per vertex (COLOR_0 may be RGBA: alpha is dropped). */
function readAttribute(primitive: Primitive, semantic: string, size: number): Float32Array | undefined {
	const accessor = primitive.getAttribute(semantic);
	if (!accessor) return undefined;
	const out = new Float32Array(accessor.getCount() * size);
	const element: number[] = [];
	for (let i = 0; i < accessor.getCount(); i++) {
		accessor.getElement(i, element); // normalised integer types come back as 0–1
		for (let k = 0; k < size; k++) out[i * size + k] = element[k];
	}
	return out;
}

function merge(parts: Part[], order: (Material | null)[]): ExportMesh {
	const vertices = parts.reduce((sum, p) => sum + p.positions.length / 3, 0);
	const triangles = parts.reduce((sum, p) => sum + p.indices.length, 0);
	const anyUvs = parts.some((p) => p.uvs);
	const anyColors = parts.some((p) => p.colors);
	const mesh: ExportMesh = {
		positions: new Float32Array(vertices * 3),
		normals: new Float32Array(vertices * 3),
		indices: new Uint32Array(triangles),
		uvs: anyUvs ? new Float32Array(vertices * 2) : undefined,
		colors: anyColors ? new Float32Array(vertices * 3).fill(1) : undefined,
		groups: [],
	};
	let vertex = 0;
	let index = 0;
	for (const part of parts) {
		mesh.positions.set(part.positions, vertex * 3);
		mesh.normals!.set(part.normals, vertex * 3);
		if (part.uvs) mesh.uvs!.set(part.uvs, vertex * 2);
		if (part.colors) mesh.colors!.set(part.colors, vertex * 3);
		for (let i = 0; i < part.indices.length; i++) mesh.indices[index + i] = part.indices[i] + vertex;
		const material = order.indexOf(part.material);
		const last = mesh.groups[mesh.groups.length - 1];
		if (last?.material === material) last.count += part.indices.length / 3;
		else mesh.groups.push({ material, start: index / 3, count: part.indices.length / 3 });
		vertex += part.positions.length / 3;
		index += part.indices.length;
	}
	return mesh;
}

export interface LoadGlbOptions {
	/** Object name; the first node with a mesh (else its mesh, else `model`) when left out. */
	name?: string;
}

/**
 * Reads GLB bytes into an ExportScene. LOD levels past 0 and collider nodes that an earlier export added are
 * left out, so exporting our own GLB again does not stack them. Points and lines answer E_EXPORT: the
 * formats we convert to need surfaces.
 *
 * @example
 * const scene = await loadGlb(await fs.readFile('teapot.glb'), { name: 'teapot' });
 * const files = writeObj(scene, { profile: PROFILES.unity });
 */
export async function loadGlb(bytes: Uint8Array, options: LoadGlbOptions = {}): Promise<ExportScene> {
	let document: Document;
	try {
		document = await new NodeIO().readBinary(bytes);
	} catch (error) {
		const what = options.name === undefined ? 'The file' : `"${options.name}"`;
		throw new OrfeasError('E_EXPORT', `${what} is not a readable GLB file (${(error as Error).message.replace(/\.$/, '')}). Export it again as binary glTF (.glb).`);
	}
	return sceneFromDocument(document, options);
}

/** The ExportScene of a document already in memory (the generator's output). */
export async function sceneFromDocument(document: Document, options: LoadGlbOptions = {}): Promise<ExportScene> {
	const include = (node: Node) => !DERIVED_NODE.test(node.getName());
	const name = options.name ?? firstMeshName(document, include);
	refuseNonTriangles(document, include);
	const flat = flattenDocument(document, include);
	if (flat.indices.length === 0) {
		throw new OrfeasError('E_EXPORT', `"${name}" has no triangle meshes to export. Open it in a 3D tool and check that it contains a mesh.`);
	}
	const materials: ExportMaterial[] = [];
	for (const [i, material] of flat.materials.entries()) materials.push(await exportMaterial(material, `${name}${i ? `_${i}` : ''}`));
	const { materials: _, nodeNames: __, ...mesh } = flat;
	return { name, materials, lods: [mesh], lodRatios: [1] };
}

function firstMeshName(document: Document, include: (node: Node) => boolean): string {
	const root = document.getRoot();
	let found: Node | undefined;
	(root.getDefaultScene() ?? root.listScenes()[0])?.traverse((node) => {
		if (!found && node.getMesh() && include(node)) found = node;
	});
	return found?.getName() || found?.getMesh()?.getName() || 'model';
}

/** flattenDocument skips points and lines (the quality reader wants that); an export must say so instead. */
function refuseNonTriangles(document: Document, include: (node: Node) => boolean): void {
	const root = document.getRoot();
	(root.getDefaultScene() ?? root.listScenes()[0])?.traverse((node) => {
		const mesh = node.getMesh();
		if (!mesh || !include(node)) return;
		mesh.listPrimitives().forEach((primitive, index) => {
			const mode = primitive.getMode();
			if (mode === Primitive.Mode.TRIANGLES || mode === Primitive.Mode.TRIANGLE_STRIP || mode === Primitive.Mode.TRIANGLE_FAN) return;
			const kind = mode === Primitive.Mode.POINTS ? 'points' : 'lines';
			throw new OrfeasError(
				'E_EXPORT',
				`The mesh "${mesh.getName() || node.getName()}" (primitive ${index}) is made of ${kind}, not triangles; OBJ, STL, PLY and FBX need surfaces. Remove it or convert it to a mesh, then export.`,
			);
		});
	});
}

async function exportMaterial(material: Material | null, fallbackName: string): Promise<ExportMaterial> {
	if (!material) return { name: fallbackName, baseColor: [1, 1, 1, 1], metallic: 0, roughness: 1 };
	const name = safeName(material.getName() || fallbackName);
	const [r, g, b, a] = material.getBaseColorFactor();
	const result: ExportMaterial = { name, baseColor: [r, g, b, a], metallic: material.getMetallicFactor(), roughness: material.getRoughnessFactor() };
	const texture = material.getBaseColorTexture();
	const image = texture?.getImage();
	if (texture && image) result.texture = await exportTexture(image, texture.getMimeType(), texture.getURI() || texture.getName(), name);
	return result;
}

/** PNG and JPEG pass through; other images (WebP, AVIF) are re-encoded as PNG, which every format accepts. */
async function exportTexture(image: Uint8Array, mime: string, uri: string, materialName: string): Promise<ExportTexture> {
	// URIs use `/`, but an exporter on Windows may write `textures\wood.png`: either separator ends the folder.
	const stem = safeName((uri.split(/[\\/]/).pop() ?? '').replace(/\.[^.]+$/, ''));
	const base = stem === 'model' ? `${materialName}_baseColor` : stem;
	if (mime === 'image/png' || mime === 'image/jpeg') return { name: `${base}.${mime === 'image/png' ? 'png' : 'jpg'}`, mime, bytes: image };
	try {
		const png = await sharp(image).png().toBuffer();
		return { name: `${base}.png`, mime: 'image/png', bytes: new Uint8Array(png) };
	} catch {
		throw new OrfeasError('E_EXPORT', `The texture of material "${materialName}" is ${mime || 'an unknown image type'}, which cannot be converted. Use a PNG or JPEG texture.`);
	}
}

/** The primitive's triangles as a flat index list, or undefined for points and lines. */
function triangleList(primitive: Primitive, vertexCount: number): Uint32Array | undefined {
	const mode = primitive.getMode();
	const indexAccessor = primitive.getIndices();
	const count = indexAccessor?.getCount() ?? vertexCount;
	const at = indexAccessor ? (i: number) => indexAccessor.getScalar(i) : (i: number) => i;
	const out: number[] = [];
	if (mode === Primitive.Mode.TRIANGLES) {
		for (let i = 0; i + 2 < count; i += 3) out.push(at(i), at(i + 1), at(i + 2));
	} else if (mode === Primitive.Mode.TRIANGLE_STRIP) {
		// Odd strip triangles swap their last two vertices to keep one winding (glTF § 3.7.2.1).
		for (let i = 0; i + 2 < count; i++) out.push(at(i), at(i + 1 + (i % 2)), at(i + 2 - (i % 2)));
	} else if (mode === Primitive.Mode.TRIANGLE_FAN) {
		for (let i = 1; i + 1 < count; i++) out.push(at(i), at(i + 1), at(0));
	} else {
		return undefined;
	}
	return Uint32Array.from(out);
}

function determinant3(m: mat4): number {
	return m[0] * (m[5] * m[10] - m[9] * m[6]) - m[4] * (m[1] * m[10] - m[9] * m[2]) + m[8] * (m[1] * m[6] - m[5] * m[2]);
}

/** The inverse transpose of the matrix's upper 3×3, column-major, for transforming normals. */
function normalMatrix(m: mat4): number[] {
	const [a, b, c, d, e, f, g, h, i] = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
	// Cofactor matrix = det · inverse transpose; the scale drops out when normals are renormalised, but the
	// sign must not: under a mirroring node (det < 0) the cofactors alone would turn every normal inside out.
	const sign = determinant3(m) < 0 ? -1 : 1;
	const cofactors = [e * i - f * h, f * g - d * i, d * h - e * g, c * h - b * i, a * i - c * g, b * g - a * h, b * f - c * e, c * d - a * f, a * e - b * d];
	return cofactors.map((v) => v * sign);
}
