import { describe, expect, it } from 'vitest';
import { IntegralImage } from '../../daemon/src/imaging/integral';
import { mulberry32 } from '../helpers/random';

describe('IntegralImage', () => {
	it('gives exact means over whole-pixel boxes and partial-pixel weights inside them', () => {
		const rand = mulberry32(3);
		const w = 20;
		const h = 15;
		const data = Uint8Array.from({ length: w * h }, () => Math.floor(rand() * 256));
		const ii = new IntegralImage(data, w, h);
		for (let k = 0; k < 50; k++) {
			const x0 = Math.floor(rand() * (w - 1));
			const y0 = Math.floor(rand() * (h - 1));
			const x1 = x0 + 1 + Math.floor(rand() * (w - x0 - 1));
			const y1 = y0 + 1 + Math.floor(rand() * (h - y0 - 1));
			let sum = 0;
			for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += data[y * w + x];
			expect(ii.mean(x0, y0, x1, y1)).toBeCloseTo(sum / ((x1 - x0) * (y1 - y0)), 6);
		}
		// Half of a single pixel's box still averages to that pixel's value.
		const one = new IntegralImage(Uint8Array.from([0, 200, 0, 0]), 2, 2);
		expect(one.mean(1, 0, 1.5, 0.5)).toBeCloseTo(200, 6);
	});

	it('counts area outside the image as zero', () => {
		const ii = new IntegralImage(new Uint8Array(4).fill(100), 2, 2);
		expect(ii.mean(-2, 0, 2, 2)).toBeCloseTo(50, 6);
	});
});
