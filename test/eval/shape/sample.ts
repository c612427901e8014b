// Area-weighted points on a triangle surface, from a seeded generator so the same mesh always gives the same
// points: the Chamfer and F-score numbers of metrics.ts are then repeatable run to run.
import { mulberry32 } from '../../helpers/random';
import type { TriangleMesh } from './mesh';

/** Points per surface in the protocol. */
export const SAMPLE_COUNT = 20_000;
export const SAMPLE_SEED = 0x5eed;

/**
 * `count` points uniformly distributed over the surface: a triangle is picked with probability proportional to
 * its area, then a point inside it by the square-root rule (uniform over the triangle, not biased to a corner).
 * Throws on a surface without area, which has nothing to sample.
 */
export function samplePoints(mesh: TriangleMesh, count = SAMPLE_COUNT, seed = SAMPLE_SEED): Float32Array {
	const { positions, indices } = mesh;
	const triangles = Math.floor(indices.length / 3);
	const cumulative = new Float64Array(triangles);
	let total = 0;
	for (let t = 0; t < triangles; t++) {
		const a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
		const ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
		const vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
		total += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
		cumulative[t] = total;
	}
	if (!(total > 0)) throw new RangeError('samplePoints: the surface has no area');

	const random = mulberry32(seed);
	const out = new Float32Array(count * 3);
	for (let i = 0; i < count; i++) {
		const target = random() * total;
		let lo = 0;
		let hi = triangles - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cumulative[mid] <= target) lo = mid + 1;
			else hi = mid;
		}
		const a = 3 * indices[3 * lo], b = 3 * indices[3 * lo + 1], c = 3 * indices[3 * lo + 2];
		const r1 = Math.sqrt(random());
		const r2 = random();
		const wa = 1 - r1;
		const wb = r1 * (1 - r2);
		const wc = r1 * r2;
		for (let k = 0; k < 3; k++) out[3 * i + k] = wa * positions[a + k] + wb * positions[b + k] + wc * positions[c + k];
	}
	return out;
}
