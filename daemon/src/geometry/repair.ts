// Removes zero-area triangles from a closed mesh without opening it. After simplification a triangle can end
// up with three collinear silhouette vertices (a "cap": one vertex on the segment between the other two).
// Flipping the cap's longest edge splits the neighbouring triangle at that vertex instead: the surface and its
// orientation are unchanged, and the cap is gone.
import { bounds } from './place';
import { triangleCross } from './vector';

/** Area below this fraction of the squared bounding-box diagonal counts as zero. */
const ZERO_AREA = 1e-10;

/** Flips the longest edge of every zero-area triangle; returns the number of flips. Edits `indices` in place. */
export function flipDegenerateTriangles(positions: Float32Array, indices: Uint32Array, maxPasses = 4): number {
	const { min, max } = bounds(positions);
	const zero = ZERO_AREA * ((max[0] - min[0]) ** 2 + (max[1] - min[1]) ** 2 + (max[2] - min[2]) ** 2);
	// area2 is (2 × area)², so compare against (2 × zero)².
	const threshold = 4 * zero * zero;
	let flips = 0;
	for (let pass = 0; pass < maxPasses; pass++) {
		const caps: number[] = [];
		for (let t = 0; t < indices.length; t += 3) if (area2(positions, indices, t) <= threshold) caps.push(t);
		if (caps.length === 0) break;
		const halfEdges = new Map<number, number>();
		const vertexCount = positions.length / 3;
		const key = (a: number, b: number) => a * vertexCount + b;
		for (let h = 0; h < indices.length; h++) halfEdges.set(key(indices[h], indices[next(h)]), h);
		let flipped = 0;
		for (const t of caps) {
			if (area2(positions, indices, t) > threshold) continue; // fixed by an earlier flip
			const h = longestHalfEdge(positions, indices, t);
			const a = indices[h];
			const c = indices[next(h)];
			const b = indices[next(next(h))];
			const twin = halfEdges.get(key(c, a));
			if (twin === undefined) continue;
			const d = indices[next(next(twin))];
			if (d === b || halfEdges.has(key(b, d)) || halfEdges.has(key(d, b))) continue;
			// (a, c, b) + (c, a, d)  →  (a, d, b) + (c, b, d)
			const t2 = twin - (twin % 3);
			indices.set([a, d, b], t);
			indices.set([c, b, d], t2);
			for (let k = 0; k < 3; k++) {
				halfEdges.set(key(indices[t + k], indices[t + ((k + 1) % 3)]), t + k);
				halfEdges.set(key(indices[t2 + k], indices[t2 + ((k + 1) % 3)]), t2 + k);
			}
			halfEdges.delete(key(a, c));
			halfEdges.delete(key(c, a));
			flipped++;
		}
		flips += flipped;
		if (flipped === 0) break;
	}
	return flips;
}

function next(h: number): number {
	return h - (h % 3) + ((h + 1) % 3);
}

const cross = [0, 0, 0];

/** Twice the triangle's area, squared (no square root needed for a comparison). */
function area2(p: Float32Array, idx: Uint32Array, t: number): number {
	triangleCross(p, idx[t], idx[t + 1], idx[t + 2], cross);
	return cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2];
}

function longestHalfEdge(p: Float32Array, idx: Uint32Array, t: number): number {
	let best = t;
	let bestLength = -1;
	for (let k = 0; k < 3; k++) {
		const a = idx[t + k] * 3;
		const b = idx[t + ((k + 1) % 3)] * 3;
		const length = (p[b] - p[a]) ** 2 + (p[b + 1] - p[a + 1]) ** 2 + (p[b + 2] - p[a + 2]) ** 2;
		if (length > bestLength) {
			bestLength = length;
			best = t + k;
		}
	}
	return best;
}
