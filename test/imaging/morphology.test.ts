import { describe, expect, it } from 'vitest';
import { close, dilate, erode, open } from '../../daemon/src/imaging/morphology';
import { blobMask } from '../helpers/random';

function bruteForce(mask: Uint8Array, w: number, h: number, r: number, isDilate: boolean): Uint8Array {
	const out = new Uint8Array(w * h);
	for (let y = 0; y < h; y++) {
		for (let x = 0; x < w; x++) {
			let any = 0;
			let all = 1;
			for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
				for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
					any |= mask[yy * w + xx];
					all &= mask[yy * w + xx];
				}
			}
			out[y * w + x] = isDilate ? any : all;
		}
	}
	return out;
}

describe('morphology', () => {
	it('matches brute-force dilation and erosion for several radii', () => {
		const w = 41;
		const h = 33;
		for (const seed of [5, 6, 7]) {
			const mask = blobMask(w, h, seed);
			for (const r of [1, 2, 3]) {
				expect(Array.from(dilate(mask, w, h, r))).toEqual(Array.from(bruteForce(mask, w, h, r, true)));
				expect(Array.from(erode(mask, w, h, r))).toEqual(Array.from(bruteForce(mask, w, h, r, false)));
			}
		}
	});

	it('open removes a one-pixel speck and close fills a one-pixel hole', () => {
		const w = 15;
		const speck = new Uint8Array(w * w);
		speck[7 * w + 7] = 1;
		expect(open(speck, w, w, 1).reduce((a, b) => a + b, 0)).toBe(0);
		const hole = new Uint8Array(w * w).fill(1);
		hole[7 * w + 7] = 0;
		expect(close(hole, w, w, 1)[7 * w + 7]).toBe(1);
	});

	it('erosion does not eat a region from the image border', () => {
		const full = new Uint8Array(10 * 10).fill(1);
		expect(erode(full, 10, 10, 2).every((v) => v === 1)).toBe(true);
	});
});
