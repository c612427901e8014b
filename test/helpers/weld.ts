// Welding of the copies a GLB makes of a vertex on every UV seam, so topology checks see the closed surface.

/** Positions (x, y, z triples) and triangles (three indices each). */
export interface TriangleMesh {
	positions: Float32Array;
	indices: Uint32Array;
}

/**
 * Merges vertices with exactly equal positions and drops vertices no triangle uses. Loaders split a vertex on
 * every UV or normal seam; the seams would otherwise read as boundary edges, and unused vertices would widen
 * the bounding box the normalisation is taken from.
 */
export function weldByPosition(mesh: TriangleMesh): TriangleMesh {
	const keys = new Map<string, number>();
	const remap = new Int32Array(mesh.positions.length / 3).fill(-1);
	const kept: number[] = [];
	const indices = new Uint32Array(mesh.indices.length);
	for (let i = 0; i < mesh.indices.length; i++) {
		const v = mesh.indices[i];
		if (remap[v] < 0) {
			const key = `${mesh.positions[3 * v]},${mesh.positions[3 * v + 1]},${mesh.positions[3 * v + 2]}`;
			let id = keys.get(key);
			if (id === undefined) {
				id = kept.length / 3;
				keys.set(key, id);
				kept.push(mesh.positions[3 * v], mesh.positions[3 * v + 1], mesh.positions[3 * v + 2]);
			}
			remap[v] = id;
		}
		indices[i] = remap[v];
	}
	return { positions: Float32Array.from(kept), indices };
}
