import { MeshoptSimplifier } from 'meshoptimizer';
import { describe, expect, it } from 'vitest';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import { checkLodRatios, lodChain } from '../../daemon/src/export/lod';
import type { ExportMesh } from '../../daemon/src/export/scene';
import { sphereMesh, texturedSphereScene } from '../helpers/export-scenes';

const triangles = (mesh: ExportMesh) => mesh.indices.length / 3;

/** Indices rewritten to the first vertex at each position: seams closed, so topology sees the surface. */
async function byPosition(mesh: ExportMesh): Promise<Uint32Array> {
	await MeshoptSimplifier.ready;
	const remap = MeshoptSimplifier.generatePositionRemap(mesh.positions, 3);
	return mesh.indices.map((i) => remap[i]);
}

/** A flat square grid `n`×`n` with a bump: an open mesh whose border must not move. */
function bumpyGrid(n = 60): ExportMesh {
	const positions: number[] = [];
	const uvs: number[] = [];
	for (let j = 0; j <= n; j++) {
		for (let i = 0; i <= n; i++) {
			const [x, z] = [i / n - 0.5, j / n - 0.5];
			positions.push(x, 0.2 * Math.exp(-20 * (x * x + z * z)), z);
			uvs.push(i / n, j / n);
		}
	}
	const indices: number[] = [];
	for (let j = 0; j < n; j++) {
		for (let i = 0; i < n; i++) {
			const a = j * (n + 1) + i;
			indices.push(a, a + n + 1, a + 1, a + 1, a + n + 1, a + n + 2);
		}
	}
	return { positions: new Float32Array(positions), uvs: new Float32Array(uvs), indices: new Uint32Array(indices), groups: [{ material: 0, start: 0, count: indices.length / 3 }] };
}

/** Length of the mesh's open border (edges used by one triangle). */
function borderLength(mesh: ExportMesh): number {
	const uses = new Map<string, number>();
	for (let t = 0; t < mesh.indices.length; t += 3) {
		for (let k = 0; k < 3; k++) {
			const [a, b] = [mesh.indices[t + k], mesh.indices[t + ((k + 1) % 3)]];
			const key = a < b ? `${a},${b}` : `${b},${a}`;
			uses.set(key, (uses.get(key) ?? 0) + 1);
		}
	}
	let length = 0;
	for (const [key, count] of uses) {
		if (count !== 1) continue;
		const [a, b] = key.split(',').map(Number);
		const p = mesh.positions;
		length += Math.hypot(p[a * 3] - p[b * 3], p[a * 3 + 1] - p[b * 3 + 1], p[a * 3 + 2] - p[b * 3 + 2]);
	}
	return length;
}

describe('lodChain', () => {
	it('makes one level per ratio, each near its share of the triangles, LOD0 untouched', async () => {
		const scene = await texturedSphereScene();
		const full = triangles(scene.lods[0]);
		const chained = await lodChain(scene, { ratios: [1, 0.5, 0.25, 0.125], error: 0.05 });
		expect(chained.lods).toHaveLength(4);
		expect(chained.lodRatios).toEqual([1, 0.5, 0.25, 0.125]);
		expect(chained.lods[0]).toBe(scene.lods[0]);
		for (const [level, ratio] of [0.5, 0.25, 0.125].entries()) {
			const count = triangles(chained.lods[level + 1]);
			expect(count, `LOD${level + 1}`).toBeLessThanOrEqual(ratio * full);
			expect(count, `LOD${level + 1}`).toBeGreaterThan(ratio * full * 0.8);
		}
	});

	it('keeps every level free of holes, with its UVs, never stretching a triangle across the seam', async () => {
		const scene = await texturedSphereScene();
		const chained = await lodChain(scene, { ratios: [1, 0.5, 0.25, 0.125], error: 0.05 });
		for (const mesh of chained.lods.slice(1)) {
			expect(mesh.uvs).toHaveLength((mesh.positions.length / 3) * 2);
			expect(mesh.normals).toHaveLength(mesh.positions.length);
			expect(analyzeTopology(mesh.positions, await byPosition(mesh)).boundaryEdges).toBe(0);
			// A seam collapsed across would leave a triangle spanning most of the texture's width.
			let widest = 0;
			for (let t = 0; t < mesh.indices.length; t += 3) {
				const us = [0, 1, 2].map((k) => mesh.uvs![mesh.indices[t + k] * 2]);
				widest = Math.max(widest, Math.max(...us) - Math.min(...us));
			}
			expect(widest).toBeLessThan(0.3);
		}
	});

	it('stops short of the ratio rather than exceed the error bound', async () => {
		const scene = await texturedSphereScene();
		const full = triangles(scene.lods[0]);
		const loose = await lodChain(scene, { ratios: [1, 0.125], error: 0.05 });
		const tight = await lodChain(scene, { ratios: [1, 0.125], error: 1e-5 });
		expect(triangles(loose.lods[1])).toBeLessThanOrEqual(0.125 * full);
		expect(triangles(tight.lods[1])).toBeGreaterThan(0.5 * full);
	});

	it('keeps open borders in place', async () => {
		const grid = bumpyGrid();
		const scene = { name: 'Grid', materials: [{ name: 'Grid', baseColor: [1, 1, 1, 1] as [number, number, number, number], metallic: 0, roughness: 1 }], lods: [grid], lodRatios: [1] };
		const chained = await lodChain(scene, { ratios: [1, 0.1], error: 0.05 });
		expect(triangles(chained.lods[1])).toBeLessThan(triangles(grid) / 2);
		expect(borderLength(chained.lods[1])).toBeCloseTo(borderLength(grid), 4);
		const free = await lodChain(scene, { ratios: [1, 0.1], error: 0.05, lockBorder: false });
		expect(borderLength(free.lods[1])).toBeCloseTo(4, 4); // still a square, but with fewer border vertices
		expect(free.lods[1].positions.length).toBeLessThan(chained.lods[1].positions.length);
	});

	it('simplifies material ranges apart, so levels do not tear where materials meet', async () => {
		const sphere = sphereMesh();
		const half = triangles(sphere) / 2;
		sphere.groups = [
			{ material: 0, start: 0, count: half },
			{ material: 1, start: half, count: half },
		];
		const material = { baseColor: [1, 1, 1, 1] as [number, number, number, number], metallic: 0, roughness: 1 };
		const scene = { name: 'Two', materials: [{ name: 'A', ...material }, { name: 'B', ...material }], lods: [sphere], lodRatios: [1] };
		const chained = await lodChain(scene, { ratios: [1, 0.25], error: 0.05 });
		const level = chained.lods[1];
		expect(level.groups.map((g) => g.material)).toEqual([0, 1]);
		expect(level.groups[0].count + level.groups[1].count).toBe(triangles(level));
		expect(triangles(level)).toBeLessThan(triangles(sphere) / 2);
		expect(analyzeTopology(level.positions, await byPosition(level)).boundaryEdges).toBe(0);
	});

	it('leaves a scene alone without ratios and refuses ratios that do not decrease', async () => {
		const scene = await texturedSphereScene();
		expect(await lodChain(scene, { ratios: [] })).toBe(scene);
		for (const bad of [[1, 1], [0.5, 0.7], [1, 0], [1.5, 1], [1, Number.NaN]]) {
			expect(() => checkLodRatios(bad), JSON.stringify(bad)).toThrowError(expect.objectContaining({ code: 'E_EXPORT', message: expect.stringMatching(/LOD ratios must decrease/) }));
		}
		await expect(lodChain(scene, { ratios: [0.5, 0.5] })).rejects.toMatchObject({ code: 'E_EXPORT' });
	});
});
