import { describe, expect, it } from 'vitest';
import { analyzeTopology } from '../../daemon/src/geometry/topology';

const TETRA_POSITIONS = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
/** Counter-clockwise seen from outside. */
const TETRA_INDICES = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];

/** A torus as an n × m wrapped grid of quads, outward-facing. */
function torus(n: number, m: number, major = 2, minor = 0.5) {
	const positions = new Float32Array(n * m * 3);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < m; j++) {
			const u = (2 * Math.PI * i) / n;
			const v = (2 * Math.PI * j) / m;
			const p = 3 * (i * m + j);
			positions[p] = (major + minor * Math.cos(v)) * Math.cos(u);
			positions[p + 1] = (major + minor * Math.cos(v)) * Math.sin(u);
			positions[p + 2] = minor * Math.sin(v);
		}
	}
	const indices = new Uint32Array(n * m * 6);
	const at = (i: number, j: number) => (i % n) * m + (j % m);
	for (let i = 0, k = 0; i < n; i++) {
		for (let j = 0; j < m; j++) {
			// Along u then v: du × dv points away from the tube's core.
			const a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
			indices.set([a, b, c, a, c, d], k);
			k += 6;
		}
	}
	return { positions, indices };
}

describe('analyzeTopology', () => {
	it('finds a tetrahedron closed, genus 0 and watertight with volume 1/6', () => {
		const r = analyzeTopology(TETRA_POSITIONS, TETRA_INDICES);
		expect(r).toMatchObject({
			vertices: 4,
			triangles: 4,
			edges: 6,
			boundaryEdges: 0,
			nonManifoldEdges: 0,
			inconsistentEdges: 0,
			nonManifoldVertices: 0,
			degenerateTriangles: 0,
			components: 1,
			eulerCharacteristic: 2,
			genus: 0,
			closed: true,
			watertight: true,
		});
		expect(r.signedVolume).toBeCloseTo(1 / 6, 6);
	});

	it('finds a torus grid has χ = 0 and genus 1, and its volume is 2π²Rr²', () => {
		const { positions, indices } = torus(48, 24);
		const r = analyzeTopology(positions, indices);
		expect(r.eulerCharacteristic).toBe(0);
		expect(r.genus).toBe(1);
		expect(r.edges).toBe(48 * 24 * 3);
		expect(r.watertight).toBe(true);
		expect(r.signedVolume).toBeGreaterThan(0.97 * 2 * Math.PI ** 2 * 2 * 0.25);
		expect(r.signedVolume).toBeLessThan(2 * Math.PI ** 2 * 2 * 0.25);
	});

	it('counts the boundary of an open square', () => {
		const positions = new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
		const r = analyzeTopology(positions, [0, 1, 2, 0, 2, 3]);
		expect(r).toMatchObject({ edges: 5, boundaryEdges: 4, eulerCharacteristic: 1, closed: false, watertight: false });
		expect(r.nonManifoldVertices).toBe(0);
	});

	it('flags the edges of one flipped triangle as inconsistent', () => {
		const flipped = [...TETRA_INDICES];
		[flipped[10], flipped[11]] = [flipped[11], flipped[10]];
		const r = analyzeTopology(TETRA_POSITIONS, flipped);
		expect(r.inconsistentEdges).toBe(3);
		expect(r.boundaryEdges).toBe(0);
		expect(r.closed).toBe(false);
		expect(r.watertight).toBe(false);
	});

	it('reports a negative volume, still closed, when every triangle is flipped', () => {
		const inverted = TETRA_INDICES.map((_, i) => TETRA_INDICES[i - (i % 3) + (2 - (i % 3))]);
		const r = analyzeTopology(TETRA_POSITIONS, inverted);
		expect(r.closed).toBe(true);
		expect(r.signedVolume).toBeCloseTo(-1 / 6, 6);
		expect(r.watertight).toBe(false);
	});

	it('finds the shared vertex of a bowtie non-manifold', () => {
		const positions = new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, 0, -1, -1, 0]);
		const r = analyzeTopology(positions, [0, 1, 2, 0, 3, 4]);
		expect(r.nonManifoldVertices).toBe(1);
		expect(r.nonManifoldEdges).toBe(0);
		expect(r.components).toBe(2);
	});

	it('finds two closed cones touching at a tip non-manifold although every edge has two triangles', () => {
		const top = { positions: TETRA_POSITIONS, indices: TETRA_INDICES };
		// A second tetrahedron mirrored through vertex 0 (negate coordinates), winding flipped to stay outward.
		const positions = new Float32Array([...top.positions, -1, 0, 0, 0, -1, 0, 0, 0, -1]);
		const remap = [0, 4, 5, 6];
		const mirrored = TETRA_INDICES.map((_, i) => remap[TETRA_INDICES[i - (i % 3) + (2 - (i % 3))]]);
		const r = analyzeTopology(positions, [...TETRA_INDICES, ...mirrored]);
		expect(r.boundaryEdges).toBe(0);
		expect(r.nonManifoldEdges).toBe(0);
		expect(r.inconsistentEdges).toBe(0);
		expect(r.nonManifoldVertices).toBe(1);
		expect(r.closed).toBe(false);
		expect(r.signedVolume).toBeCloseTo(2 / 6, 6);
	});

	it('counts an edge shared by three triangles as non-manifold', () => {
		const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1]);
		const r = analyzeTopology(positions, [0, 1, 2, 1, 0, 3, 0, 1, 4]);
		expect(r.nonManifoldEdges).toBe(1);
		expect(r.components).toBe(1);
		expect(r.closed).toBe(false);
	});

	it('detects degenerate triangles by repeated index and by zero area', () => {
		const repeated = analyzeTopology(TETRA_POSITIONS, [...TETRA_INDICES, 1, 1, 2]);
		expect(repeated.degenerateTriangles).toBe(1);
		expect(repeated.triangles).toBe(5);
		expect(repeated.closed).toBe(true);
		expect(repeated.watertight).toBe(false);

		const positions = new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2]);
		expect(analyzeTopology(positions, [0, 1, 2]).degenerateTriangles).toBe(1);
	});

	it('counts components and ignores vertices no triangle uses', () => {
		const second = TETRA_POSITIONS.map((v, i) => (i % 3 === 0 ? v + 5 : v));
		const positions = new Float32Array([...TETRA_POSITIONS, 9, 9, 9, ...second]);
		const r = analyzeTopology(positions, [...TETRA_INDICES, ...TETRA_INDICES.map((i) => i + 5)]);
		expect(r).toMatchObject({ vertices: 8, components: 2, eulerCharacteristic: 4, genus: 0, watertight: true });
	});

	it('closes a cone whose apex and base centre each carry hundreds of edges', () => {
		const n = 300;
		const positions = new Float32Array(3 * (n + 2));
		for (let i = 0; i < n; i++) positions.set([Math.cos((2 * Math.PI * i) / n), Math.sin((2 * Math.PI * i) / n), 0], 3 * i);
		positions.set([0, 0, 1, 0, 0, 0], 3 * n);
		const indices: number[] = [];
		for (let i = 0; i < n; i++) indices.push(i, (i + 1) % n, n, (i + 1) % n, i, n + 1);
		const r = analyzeTopology(positions, indices);
		expect(r).toMatchObject({ edges: 3 * n, eulerCharacteristic: 2, nonManifoldVertices: 0, watertight: true });
	});

	it('rejects an index outside the vertex buffer', () => {
		expect(() => analyzeTopology(TETRA_POSITIONS, [0, 1, 4])).toThrow(RangeError);
	});

	it('handles 400k triangles in well under a second', () => {
		const { positions, indices } = torus(500, 400);
		const start = performance.now();
		const r = analyzeTopology(positions, indices);
		const elapsed = performance.now() - start;
		expect(r.triangles).toBe(400_000);
		expect(r.genus).toBe(1);
		expect(r.watertight).toBe(true);
		expect(elapsed).toBeLessThan(1000);
	});
});
