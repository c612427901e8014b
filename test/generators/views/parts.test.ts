import { describe, expect, it } from 'vitest';
import { analyzeTopology } from '../../../daemon/src/geometry/topology';
import { marchingCubes } from '../../../daemon/src/geometry/marching-cubes';
import { keepLargeParts } from '../../../daemon/src/generators/views/parts';

/** Balls (centre, radius) marched on a 48³ grid over [−1, 1]³. */
function balls(list: [number, number, number, number][]) {
	const n = 48;
	const h = 2 / (n - 1);
	const field = new Float32Array(n ** 3);
	for (let k = 0, s = 0; k < n; k++) {
		for (let j = 0; j < n; j++) {
			for (let i = 0; i < n; i++, s++) {
				const p = [-1 + i * h, -1 + j * h, -1 + k * h];
				field[s] = Math.min(...list.map(([x, y, z, r]) => Math.hypot(p[0] - x, p[1] - y, p[2] - z) - r));
			}
		}
	}
	return marchingCubes(field, [n, n, n], { origin: [-1, -1, -1], spacing: h });
}

describe('keepLargeParts', () => {
	it('drops a speck and keeps the real parts, closed', () => {
		const surface = balls([
			[-0.4, 0, 0, 0.45],
			[0.6, 0, 0, 0.25],
			[0.7, 0.7, 0.7, 0.05],
		]);
		expect(analyzeTopology(surface.positions, surface.indices).components).toBe(3);
		const { mesh, kept, dropped } = keepLargeParts(surface, 0.001);
		expect([kept, dropped]).toEqual([2, 1]);
		const topology = analyzeTopology(mesh.positions, mesh.indices);
		expect(topology).toMatchObject({ components: 2, watertight: true });
		expect(mesh.positions.length).toBeLessThan(surface.positions.length);
	});

	it('returns the surface untouched when every part is large enough', () => {
		const surface = balls([[0, 0, 0, 0.5]]);
		expect(keepLargeParts(surface, 0.001).mesh).toBe(surface);
	});
});
