import { MeshoptSimplifier } from 'meshoptimizer';
import { describe, expect, it } from 'vitest';
import { addCollider, convexHull } from '../../daemon/src/export/collider';
import { enclosedVolume } from '../../daemon/src/geometry/measure';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import type { ExportMesh } from '../../daemon/src/export/scene';
import { boxMesh, texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';

/** Largest distance of any point outside the hull's face planes (0 when all are inside). */
function outside(hull: ExportMesh, points: Float32Array): number {
	const p = hull.positions;
	let worst = 0;
	for (let t = 0; t < hull.indices.length; t += 3) {
		const [a, b, c] = [0, 1, 2].map((k) => hull.indices[t + k] * 3);
		const u = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
		const v = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
		const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
		const length = Math.hypot(n[0], n[1], n[2]);
		if (length === 0) continue;
		for (let i = 0; i < points.length; i += 3) {
			const d = (n[0] * (points[i] - p[a]) + n[1] * (points[i + 1] - p[a + 1]) + n[2] * (points[i + 2] - p[a + 2])) / length;
			worst = Math.max(worst, d);
		}
	}
	return worst;
}

async function closedByPosition(mesh: ExportMesh): Promise<boolean> {
	await MeshoptSimplifier.ready;
	const remap = MeshoptSimplifier.generatePositionRemap(mesh.positions, 3);
	return analyzeTopology(mesh.positions, mesh.indices.map((i) => remap[i])).closed;
}

describe('convex hull collider', () => {
	it('is the box itself for a box: 8 corners, 12 triangles, outward, the same volume', async () => {
		const box = boxMesh(0.6, 1, 0.4);
		const hull = await convexHull(box.positions, 255);
		expect(hull.positions.length / 3).toBe(8);
		expect(hull.indices.length / 3).toBe(12);
		expect(enclosedVolume(hull.positions, hull.indices)).toBeCloseTo(0.6 * 1 * 0.4, 6);
		expect(outside(hull, box.positions)).toBeLessThan(1e-6);
	});

	it('fits a sphere within the triangle budget, closed, convex and enclosing it up to the simplifier error', async () => {
		const scene = await addCollider(await texturedSphereScene(), { kind: 'hull' });
		const hull = scene.collider!.mesh;
		expect(scene.collider!.kind).toBe('hull');
		expect(hull.indices.length / 3).toBeLessThanOrEqual(255);
		expect(hull.indices.length / 3).toBeGreaterThan(100);
		const topology = analyzeTopology(hull.positions, hull.indices);
		expect(topology.closed).toBe(true);
		expect(topology.signedVolume).toBeGreaterThan(0);
		// Every hull vertex lies behind every face plane (convex), and the sphere pokes out by little.
		expect(outside(hull, hull.positions)).toBeLessThan(1e-5);
		expect(outside(hull, scene.lods[0].positions)).toBeLessThan(0.03);
		expect(enclosedVolume(hull.positions, hull.indices)).toBeGreaterThan(0.9 * ((4 / 3) * Math.PI * 0.5 ** 3));
		expect(hull.normals).toHaveLength(hull.positions.length);
	});

	it('refuses a flat mesh with a sentence pointing to the mesh collider', async () => {
		const flat = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]);
		await expect(convexHull(flat, 255)).rejects.toMatchObject({ code: 'E_EXPORT', message: expect.stringMatching(/--collider mesh/) });
	});
});

describe('mesh collider', () => {
	it('is a closed copy of the sphere within its budget and close in volume', async () => {
		const source = await texturedSphereScene();
		const scene = await addCollider(source, { kind: 'mesh', maxTriangles: 500 });
		const mesh = scene.collider!.mesh;
		expect(mesh.indices.length / 3).toBeLessThanOrEqual(500);
		expect(mesh.uvs).toBeUndefined();
		expect(await closedByPosition(mesh)).toBe(true);
		const full = enclosedVolume(source.lods[0].positions, source.lods[0].indices);
		expect(enclosedVolume(mesh.positions, mesh.indices) / full).toBeGreaterThan(0.9);
		expect(scene.lods).toBe(source.lods);
	});

	it('keeps a mesh already under the budget whole', async () => {
		const scene = await addCollider(await texturedBoxScene(), { kind: 'mesh' });
		expect(scene.collider!.mesh.indices.length / 3).toBe(12);
		expect(scene.collider!.mesh.positions.length / 3).toBe(8);
	});
});
