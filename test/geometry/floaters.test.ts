// Floaters: a learned field's specks of density around the subject are dropped; every real part stays.
import { describe, expect, it } from 'vitest';
import { dropFloaters } from '../../daemon/src/geometry/floaters';
import { enclosedVolume } from '../../daemon/src/geometry/measure';
import { marchingCubes } from '../../daemon/src/geometry/marching-cubes';
import { analyzeTopology } from '../../daemon/src/geometry/topology';

/** Closed surfaces of balls (centre, radius) on one 48³ grid over [-1, 1]³. */
function balls(list: [number, number, number, number][]) {
	const n = 48;
	const spacing = 2 / (n - 1);
	const values = new Float32Array(n * n * n);
	for (let z = 0; z < n; z++) {
		for (let y = 0; y < n; y++) {
			for (let x = 0; x < n; x++) {
				const p = [x, y, z].map((i) => -1 + i * spacing);
				values[(z * n + y) * n + x] = Math.min(...list.map(([cx, cy, cz, r]) => Math.hypot(p[0] - cx, p[1] - cy, p[2] - cz) - r));
			}
		}
	}
	return marchingCubes(values, [n, n, n], { origin: [-1, -1, -1], spacing });
}

describe('dropFloaters', () => {
	it('drops a speck under the share of the largest part and keeps the part, closed', () => {
		const mesh = balls([
			[-0.3, 0, 0, 0.45],
			[0.7, 0.6, 0.5, 0.08],
		]);
		expect(analyzeTopology(mesh.positions, mesh.indices).components).toBe(2);
		const kept = dropFloaters(mesh, 0.01);
		expect(kept.dropped).toBe(1);
		const topology = analyzeTopology(kept.positions, kept.indices);
		expect(topology).toMatchObject({ components: 1, closed: true, watertight: true });
		expect(enclosedVolume(kept.positions, kept.indices)).toBeCloseTo((4 / 3) * Math.PI * 0.45 ** 3, 2);
	});

	it('keeps two real parts of similar size untouched', () => {
		const mesh = balls([
			[-0.45, 0, 0, 0.3],
			[0.45, 0, 0, 0.25],
		]);
		const kept = dropFloaters(mesh, 0.01);
		expect(kept.dropped).toBe(0);
		expect(kept.indices).toBe(mesh.indices);
	});
});
