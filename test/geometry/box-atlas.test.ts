import { describe, expect, it } from 'vitest';
import { bakeVertexColors } from '../../daemon/src/geometry/bake';
import { boxAtlas } from '../../daemon/src/geometry/box-atlas';
import { marchingCubes } from '../../daemon/src/geometry/marching-cubes';

function sphere(n: number, r: number) {
	const h = 2 / (n - 1);
	const field = new Float32Array(n ** 3);
	for (let k = 0, s = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++, s++) field[s] = Math.hypot(-1 + i * h, -1 + j * h, -1 + k * h) - r;
	return marchingCubes(field, [n, n, n], { origin: [-1, -1, -1], spacing: h });
}

/** Which triangle covers each texel centre; throws if two triangles of different charts cover one. */
function coverage(indices: Uint32Array, uvs: Float32Array, chartOfTriangle: Int32Array, size: number): Int32Array {
	const owner = new Int32Array(size * size).fill(-1);
	for (let t = 0; t < indices.length / 3; t++) {
		const p = [0, 1, 2].map((k) => [uvs[indices[t * 3 + k] * 2] * size, uvs[indices[t * 3 + k] * 2 + 1] * size]);
		const area = (p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]);
		if (area === 0) continue;
		for (let y = Math.floor(Math.min(p[0][1], p[1][1], p[2][1])); y <= Math.ceil(Math.max(p[0][1], p[1][1], p[2][1])); y++) {
			for (let x = Math.floor(Math.min(p[0][0], p[1][0], p[2][0])); x <= Math.ceil(Math.max(p[0][0], p[1][0], p[2][0])); x++) {
				if (x < 0 || y < 0 || x >= size || y >= size) continue;
				const cx = x + 0.5;
				const cy = y + 0.5;
				const w0 = ((p[1][0] - cx) * (p[2][1] - cy) - (p[2][0] - cx) * (p[1][1] - cy)) / area;
				const w1 = ((p[2][0] - cx) * (p[0][1] - cy) - (p[0][0] - cx) * (p[2][1] - cy)) / area;
				if (w0 < 0 || w1 < 0 || 1 - w0 - w1 < 0) continue;
				const o = owner[y * size + x];
				if (o >= 0 && chartOfTriangle[o] !== chartOfTriangle[t]) throw new Error(`texel ${x},${y} covered by two charts`);
				owner[y * size + x] = t;
			}
		}
	}
	return owner;
}

describe('boxAtlas', () => {
	it('cuts a sphere into six charts packed inside the unit square without overlap', () => {
		const mesh = sphere(48, 0.6);
		const atlas = boxAtlas(mesh, 512);
		// Six caps, give or take a few slivers where the classification flips along their borders.
		expect(atlas.charts).toBeGreaterThanOrEqual(6);
		expect(atlas.charts).toBeLessThanOrEqual(24);
		expect(atlas.indices.length).toBe(mesh.indices.length);
		for (const u of atlas.uvs) {
			expect(u).toBeGreaterThanOrEqual(0);
			expect(u).toBeLessThanOrEqual(1);
		}
		const owner = coverage(atlas.indices, atlas.uvs, charted(atlas.indices), 512);
		// The packing uses the texture well: most texels belong to a chart.
		const used = owner.filter((o) => o >= 0).length / owner.length;
		expect(used).toBeGreaterThan(0.35);
	});

	it('bakes colours that read back at the vertices', () => {
		const mesh = sphere(40, 0.7);
		const colors = new Float32Array(mesh.positions.length);
		for (let i = 0; i < colors.length; i++) colors[i] = (mesh.positions[i] + 1) / 2;
		const baked = bakeVertexColors({ ...mesh, colors }, 512);
		let worst = 0;
		for (let v = 0; v < baked.positions.length / 3; v++) {
			const x = Math.min(511, Math.floor(baked.uvs[v * 2] * 512));
			const y = Math.min(511, Math.floor(baked.uvs[v * 2 + 1] * 512));
			for (let c = 0; c < 3; c++) {
				const want = ((baked.positions[v * 3 + c] + 1) / 2) * 255;
				worst = Math.max(worst, Math.abs(baked.image.data[(y * 512 + x) * 4 + c] - want));
			}
		}
		// A texel centre lies up to half a texel from the vertex; the colour gradient over that is small.
		expect(worst).toBeLessThan(12);
	});
});

/** Chart id per triangle: triangles sharing an atlas vertex copy are in the same chart. */
function charted(indices: Uint32Array): Int32Array {
	const count = indices.reduce((m, v) => Math.max(m, v + 1), 0);
	const parent = Int32Array.from({ length: count }, (_, i) => i);
	const find = (a: number): number => {
		while (parent[a] !== a) a = parent[a] = parent[parent[a]];
		return a;
	};
	for (let t = 0; t < indices.length; t += 3) {
		parent[find(indices[t + 1])] = find(indices[t]);
		parent[find(indices[t + 2])] = find(indices[t]);
	}
	return Int32Array.from({ length: indices.length / 3 }, (_, t) => find(indices[t * 3]));
}
