import { describe, expect, it } from 'vitest';
import { enclosedVolume, surfaceArea } from '../../daemon/src/geometry/measure';

/** A 2 × 3 × 4 box with one corner at `at`, triangles counter-clockwise seen from outside. */
function box(at: number) {
	const positions = new Float32Array(24);
	for (let c = 0; c < 8; c++) positions.set([at + (c & 1) * 2, at + ((c >> 1) & 1) * 3, at + (c >> 2) * 4], 3 * c);
	const quads = [
		[0, 2, 3, 1],
		[4, 5, 7, 6],
		[0, 1, 5, 4],
		[2, 6, 7, 3],
		[0, 4, 6, 2],
		[1, 3, 7, 5],
	];
	const indices = Uint32Array.from(quads.flatMap(([a, b, c, d]) => [a, b, c, a, c, d]));
	return { positions, indices };
}

describe('surfaceArea and enclosedVolume', () => {
	it('measure a box: area 52, volume 24', () => {
		const { positions, indices } = box(0);
		expect(surfaceArea(positions, indices)).toBeCloseTo(52, 9);
		expect(enclosedVolume(positions, indices)).toBeCloseTo(24, 9);
	});

	it('give a negative volume for an inside-out mesh and the same area', () => {
		const { positions, indices } = box(0);
		indices.reverse();
		expect(surfaceArea(positions, indices)).toBeCloseTo(52, 9);
		expect(enclosedVolume(positions, indices)).toBeCloseTo(-24, 9);
	});

	it('keep the volume exact far from the origin', () => {
		const { positions, indices } = box(1000);
		expect(enclosedVolume(positions, indices)).toBeCloseTo(24, 6);
	});

	it('return 0 for no triangles', () => {
		expect(surfaceArea(new Float32Array(0), [])).toBe(0);
		expect(enclosedVolume(new Float32Array(0), [])).toBe(0);
	});
});
