import { describe, expect, it } from 'vitest';
import { shape } from '../../../daemon/src/generators/inflate/shape';
import { quietContext, type SegmentResult } from '../../../daemon/src/pipeline/types';

/** A binary disc mask of radius r centred in a size² picture, as segmentation would hand it over. */
function disc(size: number, r: number): SegmentResult {
	const data = new Uint8Array(size * size);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) data[y * size + x] = Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2) <= r ? 255 : 0;
	}
	const c = size / 2;
	return { mask: { data, width: size, height: size }, bbox: { x0: c - r, y0: c - r, x1: c + r, y1: c + r }, method: 'alpha', components: 1 };
}

describe('shape (inflate)', () => {
	it('turns a disc into a sphere at thickness 1 and scales the height with thickness', () => {
		const segmented = disc(400, 150);
		const round = shape(segmented, { resolution: 100, thickness: 1 }, quietContext());
		const flat = shape(segmented, { resolution: 100, thickness: 0.5 }, quietContext());
		const nx = round.cols + 1;
		const centre = Math.round(round.rows / 2) * nx + Math.round(round.cols / 2);
		// Radius in cells: 150 px at 3 px per cell.
		expect(round.cell).toBeCloseTo(3, 6);
		expect(round.front[centre]).toBeGreaterThan(50 * 0.95);
		expect(round.front[centre]).toBeLessThan(50 * 1.02);
		expect(flat.front[centre]).toBeCloseTo(round.front[centre] / 2, 4);
		expect(Array.from(round.back)).toEqual(Array.from(round.front));
		// Half way out, a sphere is √(1 − ½²) ≈ 0.87 of its peak.
		const halfway = Math.round(round.rows / 2) * nx + Math.round(round.cols / 2 + 25);
		expect(round.front[halfway] / round.front[centre]).toBeCloseTo(Math.sqrt(0.75), 1);
	});

	it('is zero outside the silhouette and keeps a margin of outside vertices', () => {
		const field = shape(disc(200, 80), { resolution: 64, thickness: 0.5 }, quietContext());
		const nx = field.cols + 1;
		for (let p = 0; p < field.front.length; p++) {
			if (field.coverage[p] <= 0.5) expect(field.front[p]).toBe(0);
			else expect(field.front[p]).toBeGreaterThan(0);
		}
		for (let i = 0; i < nx; i++) expect(field.coverage[i]).toBe(0);
		expect(field.distance.some((d) => d > 20)).toBe(true);
	});

	it('never makes a zero-thickness solid, even at thickness 0', () => {
		const field = shape(disc(200, 80), { resolution: 64, thickness: 0 }, quietContext());
		const inside = field.front.filter((_, p) => field.coverage[p] > 0.5);
		expect(Math.min(...inside)).toBeGreaterThan(0);
	});
});
