import { describe, expect, it } from 'vitest';
import { bleed } from '../../daemon/src/imaging/bleed';

describe('bleed', () => {
	it('keeps known pixels and fills unknown ones with nearby known colours, never the background', () => {
		const w = 64;
		const h = 48;
		const rgba = new Uint8Array(w * h * 4);
		const weight = new Uint8Array(w * h);
		for (let y = 0; y < h; y++) {
			for (let x = 0; x < w; x++) {
				const p = y * w + x;
				const known = Math.hypot(x - 20, y - 24) < 12;
				weight[p] = known ? 255 : 0;
				// Known: a red-to-yellow gradient; unknown: black background that must not survive.
				rgba.set(known ? [200, 100 + x, 30, 255] : [0, 0, 0, 0], p * 4);
			}
		}
		const out = bleed(rgba, weight, w, h);
		for (let p = 0; p < w * h; p++) {
			expect(out[p * 4 + 3]).toBe(255);
			if (weight[p]) {
				expect(Array.from(out.subarray(p * 4, p * 4 + 3))).toEqual(Array.from(rgba.subarray(p * 4, p * 4 + 3)));
			} else {
				expect(out[p * 4]).toBeGreaterThanOrEqual(195);
				expect(out[p * 4 + 1]).toBeGreaterThanOrEqual(100 + 8);
				expect(out[p * 4 + 1]).toBeLessThanOrEqual(100 + 32);
			}
		}
		// Just outside the edge, the colour follows the nearest known pixels (green grows with x).
		const left = out[(24 * w + 6) * 4 + 1];
		const right = out[(24 * w + 34) * 4 + 1];
		expect(right).toBeGreaterThan(left);
	});
});
