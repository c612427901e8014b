import { describe, expect, it } from 'vitest';
import { mesh } from '../../../daemon/src/generators/inflate/mesh';
import { shape } from '../../../daemon/src/generators/inflate/shape';
import { quietContext, type HeightField, type SegmentResult } from '../../../daemon/src/pipeline/types';
import { analyzeTopology } from '../../../daemon/src/geometry/topology';
import { blobMask } from '../../helpers/random';

const ctx = quietContext();

/** A 0/1 disc of radius r centred at (c, c) in a size² mask. */
function discBits(size: number, c: number, r: number): Uint8Array {
	const bits = new Uint8Array(size * size);
	for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) bits[y * size + x] = Math.hypot(x + 0.5 - c, y + 0.5 - c) <= r ? 1 : 0;
	return bits;
}

function segmented(bits: Uint8Array, width: number, height: number): SegmentResult {
	const data = Uint8Array.from(bits, (v) => v * 255);
	return { mask: { data, width, height }, bbox: { x0: 0, y0: 0, x1: width, y1: height }, method: 'alpha', components: 1 };
}

describe('mesh', () => {
	it('is closed, 2-manifold, outward and free of degenerate triangles on random blobby masks', () => {
		for (const seed of [21, 22, 23, 24, 25]) {
			const bits = blobMask(120, 90, seed, 0.55);
			for (const resolution of [32, 80, 160]) {
				const solid = mesh(shape(segmented(bits, 120, 90), { resolution, thickness: 0.5 }, ctx), ctx);
				const report = analyzeTopology(solid.positions, solid.indices);
				expect(report, `seed ${seed} at ${resolution}`).toMatchObject({
					closed: true,
					watertight: true,
					degenerateTriangles: 0,
				});
				// Doubling a planar region whose boundary is simple loops: χ is even, 2 per part minus 2 per hole.
				expect(Math.abs(report.eulerCharacteristic % 2)).toBe(0);
			}
		}
	});

	it('puts silhouette vertices on the contour between grid corners, at z = 0', () => {
		const size = 200;
		const bits = discBits(size, 100, 70);
		const field = shape(segmented(bits, size, size), { resolution: 50, thickness: 0.5 }, ctx);
		const solid = mesh(field, ctx);
		let rim = 0;
		for (let v = 0; v < solid.positions.length / 3; v++) {
			if (solid.positions[v * 3 + 2] !== 0) continue;
			rim++;
			const sx = solid.source![v * 2];
			const sy = solid.source![v * 2 + 1];
			// Within a fraction of a pixel of the true circle, and not on a grid corner.
			expect(Math.abs(Math.hypot(sx - 100, sy - 100) - 70)).toBeLessThan(0.75);
			const fx = solid.positions[v * 3] % 1;
			const fy = -solid.positions[v * 3 + 1] % 1;
			expect(fx === 0 && fy === 0).toBe(false);
		}
		expect(rim).toBeGreaterThan(100);
	});

	it('puts silhouette vertices where the height field says a thin part crosses the grid edges', () => {
		// One inside vertex, (2, 2) of a 5 × 5 grid, with a measured crossing on each of its four edges.
		const n = 5;
		const at = (i: number, j: number) => j * n + i;
		const coverage = new Float32Array(n * n);
		coverage[at(2, 2)] = 0.51;
		const h = new Float32Array(n * n).fill(NaN);
		const v = new Float32Array(n * n).fill(NaN);
		h[at(2, 2)] = 0.7;
		h[at(1, 2)] = 0.4;
		v[at(2, 2)] = 0.3;
		v[at(2, 1)] = 0.8;
		const lift = Float32Array.from(coverage, (c) => (c > 0.5 ? 1 : 0));
		const field: HeightField = { cols: 4, rows: 4, originX: 0, originY: 0, cell: 1, coverage, distance: lift, front: lift, back: lift, crossings: { h, v } };
		const solid = mesh(field, ctx);
		const rim: string[] = [];
		for (let k = 0; k < solid.positions.length / 3; k++) {
			if (solid.positions[k * 3 + 2] === 0) rim.push(`${solid.positions[k * 3].toFixed(2)},${(-solid.positions[k * 3 + 1]).toFixed(2)}`);
		}
		expect(rim.sort()).toEqual(['1.40,2.00', '2.00,1.80', '2.00,2.30', '2.70,2.00']);
		expect(analyzeTopology(solid.positions, solid.indices)).toMatchObject({ watertight: true, components: 1, eulerCharacteristic: 2 });
	});

	it('coarsens the smooth interior: far fewer triangles than one quad per cell', () => {
		const size = 400;
		const bits = discBits(size, 200, 190);
		const field = shape(segmented(bits, size, size), { resolution: 256, thickness: 0.5 }, ctx);
		const solid = mesh(field, ctx);
		const insideCells = Math.PI * 128 * 128;
		expect(solid.indices.length / 3).toBeLessThan(insideCells * 4 * 0.4);
		expect(analyzeTopology(solid.positions, solid.indices).watertight).toBe(true);
	});
});
