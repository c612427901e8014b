import { describe, expect, it } from 'vitest';
import { inflationHalfDepths, roundedSlice } from '../../../daemon/src/generators/views/round';

describe('roundedSlice', () => {
	it('is the rectangle at rounding 0 and the inscribed circle of a square at rounding 1', () => {
		expect(roundedSlice(0.9, -1, 1, 0.9, -1, 1, 0, 0)).toBeCloseTo(-0.1, 6);
		expect(roundedSlice(0.9, -1, 1, 0.9, -1, 1, 1, 0)).toBeCloseTo(Math.hypot(0.9, 0.9) - 1, 6);
		expect(roundedSlice(0, -1, 1, 0, -1, 1, 1, 0)).toBeCloseTo(-1, 6);
		// Off centre: the slice [2, 4] × [−1, 1] rounded to a circle of radius 1 around (3, 0).
		expect(roundedSlice(3.6, 2, 4, 0.8, -1, 1, 1, 0)).toBeCloseTo(0, 6);
	});

	it('rounds a long slice into a stadium and leaves slices thinner than minHalf square', () => {
		// [−3, 3] × [−1, 1] at rounding 1: caps of radius 1 centred at x = ±2.
		expect(roundedSlice(2.9, -3, 3, 0.9, -1, 1, 1, 0)).toBeCloseTo(Math.hypot(0.9, 0.9) - 1, 6);
		expect(roundedSlice(1.5, -3, 3, 0.9, -1, 1, 1, 0)).toBeCloseTo(-0.1, 6);
		expect(roundedSlice(0.09, -0.1, 0.1, 0.09, -0.1, 0.1, 1, 0.2)).toBeCloseTo(-0.01, 6);
	});
});

describe('inflationHalfDepths', () => {
	it('peaks at the half-extent where the outline is deepest and follows a circle toward it', () => {
		const signed = new Float32Array([1, -1, -2, -4, -2, -1, 1]);
		const inside = Uint8Array.from(signed, (s) => (s < 0 ? 1 : 0));
		const t = inflationHalfDepths(inside, signed, 10);
		expect(t[3]).toBeCloseTo(10, 5);
		expect(t[0]).toBe(0);
		expect(t[2]).toBeCloseTo((10 * Math.sqrt(2 * 6)) / 4, 5);
		expect(t[1]).toBeLessThan(t[2]);
	});
});
