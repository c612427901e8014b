import { describe, expect, it } from 'vitest';
import { distanceToOutside } from '../../daemon/src/imaging/edt';
import { blobMask } from '../helpers/random';

function bruteForce(inside: Uint8Array, w: number, h: number): Float32Array {
	const out = new Float32Array(w * h);
	for (let p = 0; p < out.length; p++) {
		if (!inside[p]) continue;
		let best = Infinity;
		for (let q = 0; q < out.length; q++) {
			if (inside[q]) continue;
			const dx = (p % w) - (q % w);
			const dy = Math.floor(p / w) - Math.floor(q / w);
			best = Math.min(best, Math.hypot(dx, dy));
		}
		out[p] = best;
	}
	return out;
}

describe('distanceToOutside', () => {
	it('equals the brute-force Euclidean distance on random masks', () => {
		for (const seed of [1, 2, 3, 4]) {
			const w = 37;
			const h = 29;
			const mask = blobMask(w, h, seed, 0.6);
			mask[0] = 0; // at least one outside pixel
			const fast = distanceToOutside(mask, w, h);
			const slow = bruteForce(mask, w, h);
			for (let p = 0; p < fast.length; p++) expect(fast[p]).toBeCloseTo(slow[p], 4);
		}
	});

	it('gives the radius at the centre of a disc', () => {
		const n = 101;
		const mask = new Uint8Array(n * n);
		for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mask[y * n + x] = Math.hypot(x - 50, y - 50) <= 40 ? 1 : 0;
		const d = distanceToOutside(mask, n, n);
		expect(d[50 * n + 50]).toBeGreaterThan(40);
		expect(d[50 * n + 50]).toBeLessThanOrEqual(41.01);
		expect(d[0]).toBe(0);
	});

	it('reports Infinity when nothing is outside', () => {
		const d = distanceToOutside(new Uint8Array(9).fill(1), 3, 3);
		expect(d[4]).toBe(Infinity);
	});
});
