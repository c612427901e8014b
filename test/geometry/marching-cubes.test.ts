import { describe, expect, it } from 'vitest';
import { marchingCubes, type IsoSurface } from '../../daemon/src/geometry/marching-cubes';
import { enclosedVolume, surfaceArea } from '../../daemon/src/geometry/measure';
import { analyzeTopology, type TopologyReport } from '../../daemon/src/geometry/topology';

type Field3 = (x: number, y: number, z: number) => number;

/** Samples `f` on an n³ grid spanning [−1, 1]³ and extracts its negative region. */
function extract(n: number, f: Field3, level = 0): IsoSurface & { h: number } {
	const h = 2 / (n - 1);
	const field = new Float32Array(n ** 3);
	for (let k = 0, s = 0; k < n; k++) {
		for (let j = 0; j < n; j++) {
			for (let i = 0; i < n; i++, s++) field[s] = f(-1 + i * h, -1 + j * h, -1 + k * h);
		}
	}
	return { ...marchingCubes(field, [n, n, n], { level, origin: [-1, -1, -1], spacing: h }), h };
}

function sphere(r: number, cx = 0, cy = 0, cz = 0): Field3 {
	return (x, y, z) => Math.hypot(x - cx, y - cy, z - cz) - r;
}

/** Mulberry32: a small seeded generator, so noise fields are the same on every run. */
function random(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function expectSolid(mesh: IsoSurface): TopologyReport {
	const report = analyzeTopology(mesh.positions, mesh.indices);
	expect(report).toMatchObject({
		boundaryEdges: 0,
		nonManifoldEdges: 0,
		nonManifoldVertices: 0,
		inconsistentEdges: 0,
		degenerateTriangles: 0,
		closed: true,
		watertight: true,
	});
	// Every vertex made is used, and none is made twice.
	expect(report.vertices).toBe(mesh.positions.length / 3);
	const seen = new Set<string>();
	for (let v = 0; v < mesh.positions.length; v += 3) seen.add(mesh.positions.subarray(v, v + 3).join(','));
	expect(seen.size).toBe(report.vertices);
	return report;
}

describe('marchingCubes', () => {
	// Measured (area, volume error): 32³ r=0.5 −0.43 %, −0.83 %; 64³ −0.10 %, −0.20 %; 96³ −0.05 %, −0.09 %;
	// r=0.7 roughly half that. The surface is inscribed, so both come out a little low.
	for (const n of [32, 64, 96]) {
		for (const r of [0.5, 0.7]) {
			it(`meshes a sphere of radius ${r} on ${n}³ as one watertight genus-0 solid of the right size`, () => {
				const mesh = extract(n, sphere(r));
				const report = expectSolid(mesh);
				expect(report.eulerCharacteristic).toBe(2);
				expect(report.components).toBe(1);
				const area = surfaceArea(mesh.positions, mesh.indices);
				const volume = enclosedVolume(mesh.positions, mesh.indices);
				expect(Math.abs(area / (4 * Math.PI * r * r) - 1)).toBeLessThan(0.02);
				expect(Math.abs(volume / ((4 / 3) * Math.PI * r ** 3) - 1)).toBeLessThan(0.02);
				expect(volume).toBeCloseTo(report.signedVolume, 6);
				let offSurface = 0;
				for (let v = 0; v < mesh.positions.length; v += 3) {
					const p = mesh.positions;
					offSurface = Math.max(offSurface, Math.abs(Math.hypot(p[v], p[v + 1], p[v + 2]) - r));
				}
				expect(offSurface).toBeLessThan(0.1 * mesh.h);
			});
		}
	}

	it('honours level, origin and per-axis spacing', () => {
		const dims: [number, number, number] = [40, 64, 50];
		const origin: [number, number, number] = [3, -2, 5];
		const spacing: [number, number, number] = [1.6 / 39, 1.6 / 63, 1.6 / 49];
		const field = new Float32Array(dims[0] * dims[1] * dims[2]);
		for (let k = 0, s = 0; k < dims[2]; k++) {
			for (let j = 0; j < dims[1]; j++) {
				for (let i = 0; i < dims[0]; i++, s++) {
					// Centred in the box: |p − centre|, inside below 0.6.
					field[s] = Math.hypot(i * spacing[0] - 0.8, j * spacing[1] - 0.8, k * spacing[2] - 0.8);
				}
			}
		}
		const mesh = marchingCubes(field, dims, { level: 0.6, origin, spacing });
		expect(expectSolid(mesh).eulerCharacteristic).toBe(2);
		const volume = enclosedVolume(mesh.positions, mesh.indices);
		expect(Math.abs(volume / ((4 / 3) * Math.PI * 0.6 ** 3) - 1)).toBeLessThan(0.02);
		for (let axis = 0; axis < 3; axis++) {
			let min = Infinity;
			let max = -Infinity;
			for (let v = axis; v < mesh.positions.length; v += 3) {
				min = Math.min(min, mesh.positions[v]);
				max = Math.max(max, mesh.positions[v]);
			}
			expect(min).toBeCloseTo(origin[axis] + 0.2, 1);
			expect(max).toBeCloseTo(origin[axis] + 1.4, 1);
		}
	});

	it('gives a torus χ = 0 (genus 1)', () => {
		const torus: Field3 = (x, y, z) => Math.hypot(Math.hypot(x, y) - 0.6, z) - 0.2;
		const report = expectSolid(extract(48, torus));
		expect(report).toMatchObject({ eulerCharacteristic: 0, genus: 1, components: 1 });
	});

	it('keeps two separate spheres apart: two components, χ = 4', () => {
		const a = sphere(0.35, -0.5, 0, 0);
		const b = sphere(0.35, 0.5, 0, 0);
		const report = expectSolid(extract(40, (x, y, z) => Math.min(a(x, y, z), b(x, y, z))));
		expect(report).toMatchObject({ eulerCharacteristic: 4, components: 2 });
	});

	it('closes a region that runs into the grid border with a cap at the border', () => {
		const mesh = extract(32, sphere(1.3));
		expect(expectSolid(mesh)).toMatchObject({ eulerCharacteristic: 2, components: 1 });
		expect(Math.max(...mesh.positions.map(Math.abs))).toBeLessThan(1 + 0.02 * mesh.h);
		// Everything inside: the grid's own box.
		const box = extract(16, () => -1);
		expect(expectSolid(box).eulerCharacteristic).toBe(2);
		expect(enclosedVolume(box.positions, box.indices)).toBeCloseTo(8, 1);
	});

	it('meshes a single inside sample as a small closed solid', () => {
		const mesh = marchingCubes(Float32Array.of(-1), [1, 1, 1], { origin: [0, 0, 0], spacing: 1 });
		expect(expectSolid(mesh).eulerCharacteristic).toBe(2);
	});

	it('counts samples equal to the level as outside and never collapses a triangle on them', () => {
		// A quantised SDF: whole shells of samples sit exactly on the level.
		const quantised = extract(32, (x, y, z) => Math.round(sphere(0.6)(x, y, z) * 8) / 8);
		expect(expectSolid(quantised)).toMatchObject({ eulerCharacteristic: 2, components: 1 });
		// Values in {−1, 0, 1}: a third of the samples on the level.
		const rand = random(7);
		const n = 20;
		const field = Float32Array.from({ length: n ** 3 }, () => Math.floor(rand() * 3) - 1);
		expectSolid(marchingCubes(field, [n, n, n]));
		// Nothing below the level, nothing to mesh.
		expect(marchingCubes(new Float32Array(27), [3, 3, 3]).indices.length).toBe(0);
	});

	it('treats NaN and +∞ as outside and −∞ as inside without breaking the surface', () => {
		const n = 12;
		const rand = random(3);
		const specials = [NaN, Infinity, -Infinity, -1, 1];
		const field = Float32Array.from({ length: n ** 3 }, () => specials[Math.floor(rand() * specials.length)]);
		const mesh = marchingCubes(field, [n, n, n]);
		expectSolid(mesh);
		expect(mesh.positions.every(Number.isFinite)).toBe(true);
	});

	it('stays closed and 2-manifold on random noise fields', () => {
		const n = 24;
		for (let seed = 1; seed <= 8; seed++) {
			const rand = random(seed);
			const field = Float32Array.from({ length: n ** 3 }, () => rand() * 2 - 1);
			const report = expectSolid(marchingCubes(field, [n, n, n], { spacing: 1 / n }));
			expect(report.components).toBeGreaterThan(0);
		}
	});

	it('meshes a 128³ grid watertight and within 0.1 % of the sphere', () => {
		const n = 128;
		const h = 2 / (n - 1);
		const field = new Float32Array(n ** 3);
		for (let k = 0, s = 0; k < n; k++) {
			for (let j = 0; j < n; j++) {
				for (let i = 0; i < n; i++, s++) field[s] = Math.hypot(-1 + i * h, -1 + j * h, -1 + k * h) - 0.7;
			}
		}
		const mesh = marchingCubes(field, [n, n, n], { origin: [-1, -1, -1], spacing: h });
		expectSolid(mesh);
		expect(Math.abs(surfaceArea(mesh.positions, mesh.indices) / (4 * Math.PI * 0.49) - 1)).toBeLessThan(0.001);
	});

	it('rejects a field that does not match its dimensions, and bad spacing or level', () => {
		expect(() => marchingCubes(new Float32Array(7), [2, 2, 2])).toThrow(RangeError);
		expect(() => marchingCubes(new Float32Array(8), [2, 2, 0])).toThrow(/dims/);
		expect(() => marchingCubes(new Float32Array(8), [2, 2, 2], { spacing: [1, 0, 1] })).toThrow(/spacing/);
		expect(() => marchingCubes(new Float32Array(8), [2, 2, 2], { level: NaN })).toThrow(/level/);
	});
});
