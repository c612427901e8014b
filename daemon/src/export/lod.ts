// LOD chain: each level simplified from the full mesh to a ratio of its triangles, with an error bound, by
// meshoptimizer through glTF-Transform. Material ranges are simplified apart with their borders locked, so
// levels never tear where two materials meet; UV seams stay seams (meshoptimizer only slides seam vertices
// along the seam).
import { Document, Primitive } from '@gltf-transform/core';
import { MeshoptSimplifier } from 'meshoptimizer';
import { OrfeasError } from '../protocol/errors';
import { LOD_ERROR_DEFAULT } from '../protocol/options';
import type { CancelSignal } from '../pipeline/types';
import type { ExportMesh, ExportScene } from './scene';

export const NAME = 'lod';

export interface LodOptions {
	/** Ratio of triangles per level, decreasing, e.g. [1, 0.5, 0.25, 0.125]; 1 keeps the full mesh. */
	ratios: number[];
	/** Largest deviation a level may have, as a fraction of the mesh's extent; a level stops short of its ratio rather than exceed it. */
	error: number;
	/** Keep open borders (and material borders) in place. */
	lockBorder: boolean;
}

export const LOD_DEFAULTS: Readonly<Omit<LodOptions, 'ratios'>> = { error: LOD_ERROR_DEFAULT, lockBorder: true };

/** Checks ratios the way every edge needs them: each in (0, 1], strictly decreasing. */
export function checkLodRatios(ratios: readonly number[]): void {
	ratios.forEach((ratio, i) => {
		if (!(ratio > 0 && ratio <= 1) || (i > 0 && ratio >= ratios[i - 1])) {
			throw new OrfeasError('E_EXPORT', `LOD ratios must decrease from at most 1 to above 0, e.g. 1, 0.5, 0.25 (got ${ratios.join(', ')}).`);
		}
	});
}

/**
 * The scene with its LOD0 replaced by the chain `ratios` (an empty list leaves the scene as it is).
 *
 * ```ts
 * const chained = await lodChain(scene, { ratios: [1, 0.5, 0.25] });
 * chained.lods.map((m) => m.indices.length / 3); // e.g. [20000, 10000, 5000]
 * ```
 */
export async function lodChain(scene: ExportScene, options: Partial<LodOptions> & { ratios: number[] }, signal?: CancelSignal): Promise<ExportScene> {
	const { ratios, error, lockBorder } = { ...LOD_DEFAULTS, ...options };
	if (ratios.length === 0) return scene;
	checkLodRatios(ratios);
	await MeshoptSimplifier.ready;
	// Loaded on first use: exports without a chain (and the CLI starting up) do not pay for the module.
	const functions = await import('@gltf-transform/functions');
	const source = scene.lods[0];
	// Welded once per material range; every level is simplified from these.
	const parts: Part[] = source.groups.map((group) => {
		const primitive = toPrimitive(source, group.start, group.count);
		functions.weldPrimitive(primitive, { overwrite: false });
		return { material: group.material, mesh: fromPrimitive(primitive, source) };
	});
	const lods = ratios.map((ratio) => {
		signal?.throwIfAborted();
		return ratio === 1 ? source : simplifyParts(parts, ratio, error, lockBorder || parts.length > 1, functions);
	});
	return { ...scene, lods, lodRatios: [...ratios] };
}

type Part = { material: number; mesh: Omit<ExportMesh, 'groups'> };

/** One level: each material range simplified to `ratio` of its triangles, then joined again. */
function simplifyParts(parts: Part[], ratio: number, error: number, lockBorder: boolean, functions: Functions): ExportMesh {
	return joinParts(
		parts.map(({ material, mesh }) => {
			const primitive = toPrimitive(mesh, 0, mesh.indices.length / 3);
			functions.simplifyPrimitive(primitive, { simplifier: MeshoptSimplifier, ratio, error, lockBorder });
			return { material, mesh: fromPrimitive(primitive, mesh) };
		}),
	);
}

type Functions = Pick<typeof import('@gltf-transform/functions'), 'simplifyPrimitive' | 'weldPrimitive'>;

const SEMANTICS = [
	['normals', 'NORMAL', 'VEC3'],
	['uvs', 'TEXCOORD_0', 'VEC2'],
	['colors', 'COLOR_0', 'VEC3'],
] as const;

function toPrimitive(mesh: Omit<ExportMesh, 'groups'>, start: number, count: number): Primitive {
	const doc = new Document();
	const buffer = doc.createBuffer();
	const primitive = doc
		.createPrimitive()
		.setMode(Primitive.Mode.TRIANGLES)
		.setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(mesh.positions).setBuffer(buffer))
		.setIndices(doc.createAccessor().setType('SCALAR').setArray(mesh.indices.slice(start * 3, (start + count) * 3)).setBuffer(buffer));
	for (const [field, semantic, type] of SEMANTICS) {
		const data = mesh[field];
		if (data) primitive.setAttribute(semantic, doc.createAccessor().setType(type).setArray(data).setBuffer(buffer));
	}
	return primitive;
}

function fromPrimitive(primitive: Primitive, like: Omit<ExportMesh, 'groups'>): Omit<ExportMesh, 'groups'> {
	const read = (semantic: string) => primitive.getAttribute(semantic)?.getArray() as Float32Array | undefined;
	const out: Omit<ExportMesh, 'groups'> = { positions: read('POSITION')!, indices: Uint32Array.from(primitive.getIndices()!.getArray()!) };
	for (const [field, semantic] of SEMANTICS) if (like[field]) out[field] = read(semantic);
	return out;
}

/** Concatenates simplified material ranges into one mesh, one group each (empty ranges dropped). */
function joinParts(parts: Part[]): ExportMesh {
	if (parts.length === 1) return { ...parts[0].mesh, groups: [{ material: parts[0].material, start: 0, count: parts[0].mesh.indices.length / 3 }] };
	const kept = parts.filter((p) => p.mesh.indices.length > 0);
	const vertices = kept.reduce((n, p) => n + p.mesh.positions.length / 3, 0);
	const indices = kept.reduce((n, p) => n + p.mesh.indices.length, 0);
	const first = kept[0]?.mesh ?? parts[0].mesh;
	const out: ExportMesh = { positions: new Float32Array(vertices * 3), indices: new Uint32Array(indices), groups: [] };
	for (const [field, , type] of SEMANTICS) if (first[field]) out[field] = new Float32Array(vertices * (type === 'VEC2' ? 2 : 3));
	let vertex = 0;
	let index = 0;
	for (const { material, mesh } of kept) {
		out.positions.set(mesh.positions, vertex * 3);
		for (const [field, , type] of SEMANTICS) out[field]?.set(mesh[field]!, vertex * (type === 'VEC2' ? 2 : 3));
		for (let i = 0; i < mesh.indices.length; i++) out.indices[index + i] = mesh.indices[i] + vertex;
		out.groups.push({ material, start: index / 3, count: mesh.indices.length / 3 });
		vertex += mesh.positions.length / 3;
		index += mesh.indices.length;
	}
	return out;
}
