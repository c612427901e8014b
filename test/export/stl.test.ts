import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILES } from '../../daemon/src/export/profiles';
import type { ExportScene } from '../../daemon/src/export/scene';
import { writeStl } from '../../daemon/src/export/stl';
import { assimpInfo } from '../helpers/assimp';
import { boxMesh, checkerPng, material, sphereMesh, twoLevelBallScene } from '../helpers/export-scenes';
import { exportError } from '../helpers/errors';

const work = mkdtempSync(path.join(tmpdir(), 'orfeas-stl-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ballScene = () => twoLevelBallScene();

interface ParsedStl {
	header: string;
	triangles: number;
	normal(t: number): number[];
	vertex(t: number, corner: number): number[];
	attribute(t: number): number;
}

/** Reads binary STL as the format defines it: 80-byte header, uint32 count, 50 bytes per triangle. */
function parseStl(bytes: Uint8Array): ParsedStl {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const triangles = view.getUint32(80, true);
	expect(bytes.length).toBe(84 + 50 * triangles);
	const vec = (at: number) => [0, 4, 8].map((k) => view.getFloat32(at + k, true));
	return {
		header: new TextDecoder('ascii').decode(bytes.subarray(0, 80)),
		triangles,
		normal: (t) => vec(84 + 50 * t),
		vertex: (t, corner) => vec(84 + 50 * t + 12 + 12 * corner),
		attribute: (t) => view.getUint16(84 + 50 * t + 48, true),
	};
}

describe('writeStl', () => {
	it('writes LOD0 as binary STL with a header, the count and facet normals', async () => {
		const scene = await ballScene();
		const [file] = writeStl(scene);
		expect(file.name).toBe('Ball.stl');
		const stl = parseStl(file.bytes);
		expect(stl.header).toMatch(/^Orfeas \d+\.\d+\.\d+ binary STL: Ball \(metres, Y up\) +$/);
		expect(stl.header.length).toBe(80);
		const mesh = scene.lods[0];
		expect(stl.triangles).toBe(mesh.indices.length / 3);
		expect(stl.triangles).toBe(960);

		const position = (v: number) => [...mesh.positions.subarray(3 * v, 3 * v + 3)];
		for (const t of [0, 100, 959]) {
			const corners = [0, 1, 2].map((k) => stl.vertex(t, k));
			corners.forEach((corner, k) => expect(corner).toEqual(position(mesh.indices[3 * t + k])));
			const n = stl.normal(t);
			expect(Math.hypot(...n)).toBeCloseTo(1, 6);
			// The facet normal follows the counter-clockwise winding: it points away from the sphere's centre.
			const centroid = [0, 1, 2].map((axis) => (corners[0][axis] + corners[1][axis] + corners[2][axis]) / 3 - (axis === 1 ? 0.5 : 0));
			expect(n[0] * centroid[0] + n[1] * centroid[1] + n[2] * centroid[2]).toBeGreaterThan(0);
			expect(stl.attribute(t)).toBe(0);
		}
	});

	it('writes each further level and the collider to a file of its own, named by the profile', async () => {
		const scene = { ...(await ballScene()), collider: { kind: 'hull' as const, mesh: boxMesh(1, 1, 1) } };
		const names = (profile: keyof typeof PROFILES) => writeStl(scene, { profile: PROFILES[profile] }).map((f) => f.name);
		expect(names('generic')).toEqual(['Ball.stl', 'Ball_LOD1.stl', 'Ball_Collider.stl']);
		expect(names('unreal')).toEqual(['Ball.stl', 'Ball_LOD1.stl', 'UCX_Ball_00.stl']);
		const files = writeStl(scene);
		expect(files.map((f) => parseStl(f.bytes).triangles)).toEqual([960, scene.lods[1].indices.length / 3, 12]);
		const lod1 = path.join(work, 'Ball_LOD1.stl');
		writeFileSync(lod1, files[1].bytes);
		expect((await assimpInfo(lod1, { raw: true })).faces).toBe(scene.lods[1].indices.length / 3);
	});

	it('is read by assimp with every triangle', async () => {
		const file = path.join(work, 'Ball.stl');
		writeFileSync(file, writeStl(await ballScene())[0].bytes);

		// Raw import: assimp's STL reader makes one vertex per triangle corner.
		const raw = await assimpInfo(file, { raw: true });
		expect(raw.faces, raw.text).toBe(960);
		expect(raw.vertices).toBe(3 * 960);

		// Default import: corners equal in position and normal are joined. STL normals are per facet, so only
		// triangles in one plane share corners: each of the sphere's 32 × 14 quads between two rings is planar
		// (an isosceles trapezoid) and keeps 4 vertices, each of the 2 × 32 pole triangles keeps 3. No UVs, so
		// no tangents that could keep corners apart.
		const info = await assimpInfo(file);
		expect(info.faces, info.text).toBe(960);
		expect(info.vertices).toBe(32 * 14 * 4 + 2 * 32 * 3);
		expect(info.meshes).toBe(1);
		expect(info.min.map((v) => +v.toFixed(4))).toEqual([-0.5, 0, -0.5]);
		expect(info.max.map((v) => +v.toFixed(4))).toEqual([0.5, 1, 0.5]);
	});

	it('applies the profile: Unreal gets centimetres and Z up', async () => {
		const scene = await ballScene();
		const [file] = writeStl(scene, { profile: PROFILES.unreal });
		const stl = parseStl(file.bytes);
		expect(stl.header).toContain('(100 units per metre, Z up)');
		const mesh = scene.lods[0];
		const v = mesh.indices[0];
		const [x, y, z] = mesh.positions.subarray(3 * v, 3 * v + 3);
		const expected = [x * 100, -z * 100, y * 100].map((c) => Math.fround(c));
		stl.vertex(0, 0).forEach((c, i) => expect(c).toBeCloseTo(expected[i], 4));

		const out = path.join(work, 'unreal.stl');
		writeFileSync(out, file.bytes);
		const info = await assimpInfo(out);
		expect(info.min.map((c) => Math.round(c))).toEqual([-50, -50, 0]);
		expect(info.max.map((c) => Math.round(c))).toEqual([50, 50, 100]);
	});

	it('refuses broken scenes with E_EXPORT and a sentence', async () => {
		const scene = await ballScene();
		const empty: ExportScene = { ...scene, lods: [], lodRatios: [] };
		const nan = structuredClone(scene);
		nan.lods[0].positions[0] = Number.NaN;
		const outOfRange = structuredClone(scene);
		outOfRange.lods[0].indices[5] = 1_000_000;
		for (const [broken, message] of [
			[empty, /"Ball" has no mesh to export\./],
			[nan, /Ball LOD0 has a vertex with a non-finite coordinate \(vertex 0\)\. Repair the mesh/],
			[outOfRange, /refers to vertex 1000000, but has only \d+\./],
		] as const) {
			expect((await exportError(() => writeStl(broken))).message).toMatch(message);
		}
	});
});
