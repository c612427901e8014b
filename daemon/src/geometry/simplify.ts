// Simplification that never breaks a closed mesh. meshoptimizer (through glTF-Transform) does not guard
// topology: where a part is a cell or two thin, collapses can empty it and pinch the surface. Every result is
// checked (closed, same Euler characteristic and parts, no zero-area triangle left); a broken one is redone
// more carefully — with the rim locked for inflated meshes (every triangle then keeps a vertex off the
// silhouette, so front and back never coincide), then with a gentler target — and if nothing holds, the mesh
// is returned as it was: a closed mesh over budget beats a broken one within it.
import { Document, Primitive } from '@gltf-transform/core';
import { simplifyPrimitive, weldPrimitive } from '@gltf-transform/functions';
import type { MeshoptSimplifier } from 'meshoptimizer';
import { brokenVertices } from './broken';
import { flipDegenerateTriangles } from './repair';
import { analyzeTopology } from './topology';

/** A mesh with one per-vertex attribute array carried along (UVs: stride 2, colours: stride 3). */
export interface AttributedMesh {
	positions: Float32Array;
	indices: Uint32Array;
	attributes: Float32Array;
	stride: 2 | 3;
}

export interface SimplifyOptions {
	maxTriangles: number;
	/** Largest geometric error, as a fraction of the mesh extent. */
	error: number;
	/** meshoptimizer's MeshoptSimplifier, ready. */
	simplifier: unknown;
	/** Inflated meshes: vertices at z = 0 form the silhouette shared by the front and back sheets. */
	lockRim: boolean;
}

type Simplifier = typeof MeshoptSimplifier;

/** glTF-Transform's weld on a one-primitive document: merges vertices equal in position and attribute. */
export function weld(mesh: AttributedMesh): AttributedMesh {
	const prim = primitive(mesh);
	weldPrimitive(prim, { overwrite: true });
	return read(prim, mesh.stride);
}

export function simplifyClosed(mesh: AttributedMesh, options: SimplifyOptions): AttributedMesh {
	const triangles = mesh.indices.length / 3;
	if (triangles <= options.maxTriangles) return mesh;
	const before = analyzeTopology(mesh.positions, mesh.indices);
	const keeps = (m: AttributedMesh) => {
		flipDegenerateTriangles(m.positions, m.indices);
		const after = analyzeTopology(m.positions, m.indices);
		return after.closed && after.degenerateTriangles === 0 && after.eulerCharacteristic === before.eulerCharacteristic && after.components === before.components;
	};
	// Inflated meshes: free, then with the rim locked (which cannot thin a tube whose every vertex is next to the
	// rim), then like the others. Others (marching surfaces): with the places where a try broke locked, round after round.
	const repaired = () => lockedWhereBroken(mesh, options, before.components, keeps);
	const attempts: Array<() => AttributedMesh> = options.lockRim
		? [() => free(mesh, options.maxTriangles, options.error, options.simplifier), () => locked(mesh, options.maxTriangles, options.error, options.simplifier as Simplifier), repaired]
		: [repaired];
	attempts.push(() => free(mesh, Math.min(triangles, options.maxTriangles * 2), options.error / 2, options.simplifier));
	// The first result that keeps the topology within the budget; else the smallest one that keeps it.
	let best = mesh;
	for (const attempt of attempts) {
		const result = attempt();
		if (!keeps(result)) continue;
		if (result.indices.length / 3 <= options.maxTriangles * BUDGET_SLACK) return result;
		if (result.indices.length < best.indices.length) best = result;
	}
	return best;
}

/** meshoptimizer may stop a few triangles past the target; that still counts as within the budget. */
const BUDGET_SLACK = 1.02;

function free(mesh: AttributedMesh, maxTriangles: number, error: number, simplifier: unknown): AttributedMesh {
	const prim = primitive(mesh);
	simplifyPrimitive(prim, { simplifier, ratio: maxTriangles / (mesh.indices.length / 3), error });
	return read(prim, mesh.stride);
}

/**
 * The budget with the silhouette (z = 0) and every vertex next to it locked. glTF-Transform does not pass
 * vertex locks through, so this calls meshoptimizer directly.
 */
function locked(mesh: AttributedMesh, maxTriangles: number, error: number, simplifier: Simplifier): AttributedMesh {
	const count = mesh.positions.length / 3;
	const rim = new Uint8Array(count);
	for (let v = 0; v < count; v++) rim[v] = mesh.positions[v * 3 + 2] === 0 ? 1 : 0;
	const lock = rim.slice();
	for (let t = 0; t < mesh.indices.length; t += 3) {
		const [a, b, c] = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
		if (rim[a] | rim[b] | rim[c]) lock[a] = lock[b] = lock[c] = 1;
	}
	const weights = new Array<number>(mesh.stride).fill(0);
	const [indices] = simplifier.simplifyWithAttributes(mesh.indices, mesh.positions, 3, mesh.attributes, mesh.stride, weights, lock, Math.floor(maxTriangles) * 3, error);
	return compact({ ...mesh, indices }, simplifier);
}

/** Rounds of locking where the last result broke; rings of neighbours locked around each broken place. */
const REPAIR_ROUNDS = 6;
const REPAIR_RINGS = 3;

/**
 * The budget, redone with the places where the previous try pinched or tore the surface locked (meshoptimizer's
 * results index the input's vertices, so a broken place names the input vertices to keep). Marching surfaces
 * break this way where a part is one or two cells thin; a few rounds usually settle it.
 */
function lockedWhereBroken(mesh: AttributedMesh, options: SimplifyOptions, parts: number, keeps: (m: AttributedMesh) => boolean): AttributedMesh {
	const simplifier = options.simplifier as Simplifier;
	const count = mesh.positions.length / 3;
	const neighbours = vertexNeighbours(mesh.indices, count);
	const lock = new Uint8Array(count);
	let result = mesh;
	for (let round = 0; round < REPAIR_ROUNDS; round++) {
		const [indices] = simplifier.simplifyWithAttributes(mesh.indices, mesh.positions, 3, mesh.attributes, mesh.stride, new Array<number>(mesh.stride).fill(0), lock, Math.floor(options.maxTriangles) * 3, options.error, ['Regularize']);
		result = { ...mesh, indices: Uint32Array.from(indices) };
		if (keeps(result)) return compact(result, simplifier);
		let ring = new Set(brokenVertices(result.indices, parts));
		if (ring.size === 0) break;
		for (let r = 0; r < REPAIR_RINGS; r++) {
			const grown = new Set(ring);
			for (const v of ring) for (const u of neighbours[v]) grown.add(u);
			ring = grown;
		}
		for (const v of ring) lock[v] = 1;
	}
	return result;
}

function vertexNeighbours(indices: Uint32Array, count: number): number[][] {
	const neighbours: number[][] = Array.from({ length: count }, () => []);
	for (let t = 0; t < indices.length; t += 3) {
		for (let k = 0; k < 3; k++) neighbours[indices[t + k]].push(indices[t + ((k + 1) % 3)], indices[t + ((k + 2) % 3)]);
	}
	return neighbours;
}

/** Drops the vertices no triangle uses any more, keeping each one's attributes. */
function compact(mesh: AttributedMesh, simplifier: Simplifier): AttributedMesh {
	const indices = mesh.indices.slice();
	// compactMesh renumbers `indices` in place; remap covers the vertices up to the largest index still used.
	const [remap, unique] = simplifier.compactMesh(indices);
	const positions = new Float32Array(unique * 3);
	const attributes = new Float32Array(unique * mesh.stride);
	for (let v = 0; v < remap.length; v++) {
		const to = remap[v];
		if (to === 0xffffffff) continue;
		positions.set(mesh.positions.subarray(v * 3, v * 3 + 3), to * 3);
		attributes.set(mesh.attributes.subarray(v * mesh.stride, (v + 1) * mesh.stride), to * mesh.stride);
	}
	return { positions, indices, attributes, stride: mesh.stride };
}

const SEMANTIC = { 2: 'TEXCOORD_0', 3: 'COLOR_0' } as const;
const TYPE = { 2: 'VEC2', 3: 'VEC3' } as const;

function primitive(mesh: AttributedMesh): Primitive {
	const doc = new Document();
	const buffer = doc.createBuffer();
	return doc
		.createPrimitive()
		.setMode(Primitive.Mode.TRIANGLES)
		.setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(mesh.positions).setBuffer(buffer))
		.setAttribute(SEMANTIC[mesh.stride], doc.createAccessor().setType(TYPE[mesh.stride]).setArray(mesh.attributes).setBuffer(buffer))
		.setIndices(doc.createAccessor().setType('SCALAR').setArray(mesh.indices).setBuffer(buffer));
}

function read(prim: Primitive, stride: 2 | 3): AttributedMesh {
	return {
		positions: prim.getAttribute('POSITION')!.getArray() as Float32Array,
		attributes: prim.getAttribute(SEMANTIC[stride])!.getArray() as Float32Array,
		indices: Uint32Array.from(prim.getIndices()!.getArray()!),
		stride,
	};
}
