import { describe, expect, it } from 'vitest';
import { alignViews } from '../../../daemon/src/generators/views/align';
import { MaskSampler, silhouettePlane } from '../../../daemon/src/generators/views/plane';
import { planeRuns } from '../../../daemon/src/generators/views/runs';
import { box, capsule, renderViews, sphere, union } from './shapes';

describe('silhouettePlane', () => {
	const disc = { name: 'disc', sdf: sphere(0, 0, 0, 1), bounds: [[-1, -1, -1], [1, 1, 1]] as [[number, number, number], [number, number, number]] };

	it('puts the zero of the signed distance on the outline, in object units', () => {
		const [front] = renderViews(disc, ['front'], { size: 200, scale: 80 });
		const { frames } = alignViews([front]);
		// Samples every 7.5 front pixels (= object units) from −90 to 90; the disc's radius is 80.
		const n = 25;
		const h = 7.5;
		const plane = silhouettePlane(new MaskSampler(front), frames.front!, { axisA: 0, axisB: 1, na: n, nb: n, originA: -90, originB: -90, spacing: h });
		let worstNear = 0;
		let worstFar = 0;
		for (let ib = 0; ib < n; ib++) {
			for (let ia = 0; ia < n; ia++) {
				const truth = Math.hypot(-90 + ia * h, -90 + ib * h) - 80;
				const s = plane.signed[ib * n + ia];
				if (Math.abs(truth) > 1) expect(s < 0).toBe(truth < 0);
				// Near the outline the box coverage places it; further away, distances run between samples.
				if (Math.abs(truth) < h / 2) worstNear = Math.max(worstNear, Math.abs(s - truth));
				else worstFar = Math.max(worstFar, Math.abs(s - truth));
			}
		}
		expect(worstNear).toBeLessThan(0.15 * h);
		expect(worstFar).toBeLessThan(0.75 * h);
	});

	it('keeps a line thinner than a sample inside, and finds its runs', () => {
		const antenna = { name: 'line', sdf: union(box(0, 0, 0, 0.05, 0.05, 0.05), capsule([0, 0, 0], [1, 0, 0], 0.015)), bounds: disc.bounds };
		const [front] = renderViews(antenna, ['front'], { size: 200, scale: 64 });
		const frame = { ...alignViews([front]).frames.front! };
		// 8 px per sample: the 2 px line covers a quarter of a cell at most.
		const grid = { axisA: 0 as const, axisB: 1 as const, na: 24, nb: 8, originA: -60, originB: -28, spacing: 8 };
		const plane = silhouettePlane(new MaskSampler(front), frame, grid);
		// Object x = 0 is the subject's centre, 0.48 units right of the box: the line runs to x ≈ 34 px.
		const column = 9; // x = 12
		let row = -1;
		for (let ib = 0; ib < grid.nb; ib++) if (plane.inside[ib * grid.na + column]) row = ib;
		expect(row).toBeGreaterThan(0);
		const p = row * grid.na + column;
		expect(plane.coverage[p]).toBeLessThan(0.5);
		expect(plane.signed[p]).toBeLessThan(0);
		const without = silhouettePlane(new MaskSampler(front), frame, grid, false);
		expect(without.inside[p]).toBe(0);
		const runs = planeRuns(plane.signed, { dims: [grid.na, grid.nb, 1], origin: [-60, -28, 0], spacing: 8 }, 0, 1);
		expect(runs.hiA[p]).toBeGreaterThan(28);
		expect(runs.hiA[p]).toBeLessThan(44);
		expect(runs.hiB[p] - runs.loB[p]).toBeLessThan(12);
	});
});
