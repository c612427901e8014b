// Stage 6: weld, simplify to the triangle budget, flip away zero-area caps and compute smooth normals. The
// simplifier is meshoptimizer, run through glTF-Transform's primitive functions on a throwaway document, so this
// stage stays mesh → mesh. meshoptimizer does not guard topology: where a part is a cell or two thin, collapses
// can empty it of interior vertices, and the front and back sheets then share triangles (a pinch). Every result
// is therefore checked; a broken one is simplified again with the silhouette and its first ring of vertices
// locked, so every triangle keeps a vertex off the silhouette. If even that fails, the welded mesh is kept
// unsimplified — a closed mesh over budget beats a broken one within it.
import { Document, Primitive } from '@gltf-transform/core';
import { simplifyPrimitive, weldPrimitive } from '@gltf-transform/functions';
import type { MeshoptSimplifier } from 'meshoptimizer';
import { vertexNormals } from '../geometry/normals';
import { flipDegenerateTriangles } from '../geometry/repair';
import { analyzeTopology } from '../geometry/topology';
import type { StageContext, TriMesh } from './types';

export const NAME = 'optimize';

export interface OptimizeOptions {
	/** Triangle budget of the result. */
	maxTriangles: number;
	/** Largest geometric error the simplifier may introduce, as a fraction of the mesh extent. */
	error: number;
	/** meshoptimizer's `MeshoptSimplifier`, ready to use. */
	simplifier: unknown;
}

export const OPTIMIZE_DEFAULTS: Readonly<Omit<OptimizeOptions, 'simplifier'>> = { maxTriangles: 20_000, error: 0.01 };

type Simplifier = typeof MeshoptSimplifier;

/**
 * Optimizes a closed textured mesh (positions, uvs, indices); returns the same with normals.
 *
 * ```ts
 * import { MeshoptSimplifier } from 'meshoptimizer';
 * await MeshoptSimplifier.ready;
 * const final = optimize(solid, { maxTriangles: 20000, simplifier: MeshoptSimplifier }, ctx);
 * ```
 */
export function optimize(solid: TriMesh, options: Partial<OptimizeOptions>, ctx: StageContext): TriMesh {
	const { maxTriangles, error, simplifier } = { ...OPTIMIZE_DEFAULTS, ...options };
	if (!simplifier) throw new Error(`${NAME}: simplifier dependency required`);
	if (!solid.uvs) throw new Error(`${NAME}: the mesh needs uvs`);

	const welded = weld(solid.positions, solid.uvs, solid.indices);
	ctx.signal.throwIfAborted();
	ctx.progress(0.2);

	let result = welded;
	if (welded.indices.length / 3 > maxTriangles) {
		const before = analyzeTopology(welded.positions, welded.indices);
		const keeps = (m: Welded) => {
			flipDegenerateTriangles(m.positions, m.indices);
			const after = analyzeTopology(m.positions, m.indices);
			return (
				after.closed &&
				after.degenerateTriangles === 0 &&
				after.eulerCharacteristic === before.eulerCharacteristic &&
				after.components === before.components
			);
		};
		const free = simplifyFree(welded, maxTriangles, error, simplifier);
		ctx.signal.throwIfAborted();
		ctx.progress(0.6);
		if (keeps(free)) {
			result = free;
		} else {
			const locked = simplifyLocked(welded, maxTriangles, error, simplifier as Simplifier);
			if (keeps(locked)) result = locked;
		}
	}
	ctx.signal.throwIfAborted();
	ctx.progress(0.9);
	const normals = vertexNormals(result.positions, result.indices);
	ctx.progress(1);
	return { positions: result.positions, uvs: result.uvs, indices: result.indices, normals };
}

interface Welded {
	positions: Float32Array;
	uvs: Float32Array;
	indices: Uint32Array;
}

/** glTF-Transform's weld on a one-primitive document: merges vertices equal in position and UV. */
function weld(positions: Float32Array, uvs: Float32Array, indices: Uint32Array): Welded {
	const prim = primitive(positions, uvs, indices);
	weldPrimitive(prim, { overwrite: true });
	return read(prim);
}

/** The budget through glTF-Transform's simplify: every vertex may move. */
function simplifyFree(mesh: Welded, maxTriangles: number, error: number, simplifier: unknown): Welded {
	const prim = primitive(mesh.positions, mesh.uvs, mesh.indices);
	simplifyPrimitive(prim, { simplifier, ratio: maxTriangles / (mesh.indices.length / 3), error });
	return read(prim);
}

/**
 * The budget with the silhouette (z = 0, shared by front and back) and every vertex next to it locked, so no
 * triangle can end up with all three corners on the silhouette, where front and back would coincide.
 * glTF-Transform does not pass vertex locks through, so this calls meshoptimizer directly.
 */
function simplifyLocked(mesh: Welded, maxTriangles: number, error: number, simplifier: Simplifier): Welded {
	const count = mesh.positions.length / 3;
	const rim = new Uint8Array(count);
	for (let v = 0; v < count; v++) rim[v] = mesh.positions[v * 3 + 2] === 0 ? 1 : 0;
	const lock = rim.slice();
	for (let t = 0; t < mesh.indices.length; t += 3) {
		const [a, b, c] = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
		if (rim[a] | rim[b] | rim[c]) lock[a] = lock[b] = lock[c] = 1;
	}
	const [indices] = simplifier.simplifyWithAttributes(
		mesh.indices,
		mesh.positions,
		3,
		mesh.uvs,
		2,
		[0, 0],
		lock,
		Math.floor(maxTriangles) * 3,
		error,
	);
	const [remap, unique] = simplifier.compactMesh(indices);
	const positions = new Float32Array(unique * 3);
	const uvs = new Float32Array(unique * 2);
	// compactMesh renumbers `indices` in place; remap covers the vertices up to the largest index still used.
	for (let v = 0; v < remap.length; v++) {
		const to = remap[v];
		if (to === 0xffffffff) continue;
		positions.set(mesh.positions.subarray(v * 3, v * 3 + 3), to * 3);
		uvs.set(mesh.uvs.subarray(v * 2, v * 2 + 2), to * 2);
	}
	return { positions, uvs, indices };
}

function primitive(positions: Float32Array, uvs: Float32Array, indices: Uint32Array): Primitive {
	const doc = new Document();
	const buffer = doc.createBuffer();
	return doc
		.createPrimitive()
		.setMode(Primitive.Mode.TRIANGLES)
		.setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer))
		.setAttribute('TEXCOORD_0', doc.createAccessor().setType('VEC2').setArray(uvs).setBuffer(buffer))
		.setIndices(doc.createAccessor().setType('SCALAR').setArray(indices).setBuffer(buffer));
}

function read(prim: Primitive): Welded {
	return {
		positions: prim.getAttribute('POSITION')!.getArray() as Float32Array,
		uvs: prim.getAttribute('TEXCOORD_0')!.getArray() as Float32Array,
		indices: Uint32Array.from(prim.getIndices()!.getArray()!),
	};
}
