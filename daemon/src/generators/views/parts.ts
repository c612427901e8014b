// Drops specks from a carved surface: where views disagree by a pixel or two, the intersection can leave crumbs
// apart from the object. Real separate parts (a ball beside a figure, seen in every view) are large and stay.
import type { IsoSurface } from '../../geometry/marching-cubes';

export interface PartsReport {
	/** Parts kept and dropped. */
	kept: number;
	dropped: number;
}

/**
 * Keeps the connected parts of a closed mesh whose volume is at least `minShare` of the total; the others go.
 * Carved surfaces have no inner shells (every outside point sees out along some view's axis), so every part
 * encloses positive volume and parts are found through shared vertices.
 *
 * @example
 * const { mesh, kept } = keepLargeParts(surface, 0.001);
 */
export function keepLargeParts(surface: IsoSurface, minShare: number): { mesh: IsoSurface } & PartsReport {
	const { positions, indices } = surface;
	const vertexCount = positions.length / 3;
	const parent = new Int32Array(vertexCount);
	for (let v = 0; v < vertexCount; v++) parent[v] = v;
	const find = (x: number): number => {
		while (parent[x] !== x) {
			parent[x] = parent[parent[x]];
			x = parent[x];
		}
		return x;
	};
	for (let t = 0; t < indices.length; t += 3) {
		const a = find(indices[t]);
		const b = find(indices[t + 1]);
		const c = find(indices[t + 2]);
		parent[b] = a;
		parent[find(c)] = a;
	}
	let parts = 0;
	for (let v = 0; v < vertexCount; v++) if (parent[v] === v) parts++;
	// Every vertex marching makes is used by a triangle, so one root is one part: nothing to drop.
	if (parts <= 1) return { mesh: surface, kept: parts, dropped: 0 };
	// Signed volume per part (indexed by its root vertex), from one common point: any point gives the same total
	// for a closed part.
	const volume = new Float64Array(vertexCount);
	for (let t = 0; t < indices.length; t += 3) {
		const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
		const ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
		const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
		const cx = positions[c], cy = positions[c + 1], cz = positions[c + 2];
		volume[find(indices[t])] += (ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx)) / 6;
	}
	const roots: number[] = [];
	const isRoot = new Uint8Array(vertexCount);
	for (let t = 0; t < indices.length; t++) {
		const root = find(indices[t]);
		if (!isRoot[root]) (isRoot[root] = 1), roots.push(root);
	}
	let total = 0;
	for (const root of roots) total += Math.max(volume[root], 0);
	const keep = new Uint8Array(vertexCount);
	let kept = 0;
	for (const root of roots) if (volume[root] >= minShare * total) (keep[root] = 1), kept++;
	if (kept === roots.length) return { mesh: surface, kept, dropped: 0 };

	const remap = new Int32Array(vertexCount).fill(-1);
	let vertices = 0;
	const out = new Uint32Array(indices.length);
	let used = 0;
	for (let t = 0; t < indices.length; t += 3) {
		if (!keep[find(indices[t])]) continue;
		for (let k = 0; k < 3; k++) {
			const v = indices[t + k];
			if (remap[v] < 0) remap[v] = vertices++;
			out[used++] = remap[v];
		}
	}
	const kept3 = new Float32Array(vertices * 3);
	for (let v = 0; v < vertexCount; v++) {
		if (remap[v] >= 0) kept3.set(positions.subarray(3 * v, 3 * v + 3), 3 * remap[v]);
	}
	return { mesh: { positions: kept3, indices: out.slice(0, used) }, kept, dropped: roots.length - kept };
}
