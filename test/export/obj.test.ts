import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeObj } from '../../daemon/src/export/obj';
import { PROFILES } from '../../daemon/src/export/profiles';
import type { ExportFile, ExportMesh, ExportScene } from '../../daemon/src/export/scene';
import { assimpInfo } from '../helpers/assimp';
import { checkerPng, material, sphereMesh } from '../helpers/export-scenes';
import { exportError } from '../helpers/errors';

const work = mkdtempSync(path.join(tmpdir(), 'orfeas-obj-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes the files into a fresh folder and returns the path of the first (the model). */
function writeAll(files: ExportFile[], folder: string): string {
	const dir = path.join(work, folder);
	mkdirSync(dir);
	for (const file of files) writeFileSync(path.join(dir, file.name), file.bytes);
	return path.join(dir, files[0].name);
}

/** The sphere with its upper half in one material and its lower half in another (rings are in order). */
function twoHalves(mesh: ExportMesh): ExportMesh {
	const half = mesh.indices.length / 6;
	return { ...mesh, groups: [{ material: 0, start: 0, count: half }, { material: 1, start: half, count: half }] };
}

/** A closed box from (−0.5, 0, −0.5) to (0.5, 1, 0.5): 8 shared corners, 12 outward triangles, nothing else. */
function boxCollider(): ExportMesh {
	const positions = new Float32Array([-0.5, 0, -0.5, 0.5, 0, -0.5, 0.5, 0, 0.5, -0.5, 0, 0.5, -0.5, 1, -0.5, 0.5, 1, -0.5, 0.5, 1, 0.5, -0.5, 1, 0.5]);
	const quads = [[0, 1, 2, 3], [4, 7, 6, 5], [3, 2, 6, 7], [1, 0, 4, 5], [2, 1, 5, 6], [0, 3, 7, 4]];
	const indices = new Uint32Array(quads.flatMap(([a, b, c, d]) => [a, b, c, a, c, d]));
	return { positions, indices, groups: [{ material: 0, start: 0, count: 12 }] };
}

/** A textured ball: two materials, LOD0 16 × 32, a hand-made LOD1 8 × 16, a box collider. */
async function ballScene(): Promise<ExportScene> {
	return {
		name: 'Ball',
		materials: [
			material('Ball_Top', await checkerPng(64, 'Ball_baseColor.png')),
			{ name: 'Ball_Bottom', baseColor: [0.2, 0.3, 0.8, 1], metallic: 0.5, roughness: 0.4 },
		],
		lods: [twoHalves(sphereMesh(16, 32)), twoHalves(sphereMesh(8, 16))],
		lodRatios: [1, 0.25],
		collider: { kind: 'hull', mesh: boxCollider() },
	};
}

/** Distinct vertices among the corners of each material range, in file order — what a reader that shares them keeps. */
function distinctCorners(mesh: ExportMesh): number[] {
	return mesh.groups.map((group) => new Set(mesh.indices.subarray(group.start * 3, (group.start + group.count) * 3)).size);
}

const text = (file: ExportFile) => new TextDecoder().decode(file.bytes);

describe('writeObj', () => {
	it('writes OBJ, MTL and texture that assimp reads with every object, material and triangle', async () => {
		const scene = await ballScene();
		const files = writeObj(scene, { profile: PROFILES.generic });
		expect(files.map((f) => f.name)).toEqual(['Ball.obj', 'Ball.mtl', 'Ball_baseColor.png']);
		expect(files[2].bytes).toEqual(scene.materials[0].texture!.bytes);

		const file = writeAll(files, 'ball');
		const [lod0, lod1] = scene.lods;
		const faces = [...lod0.groups, ...lod1.groups].map((g) => g.count).concat(12);
		expect(faces).toEqual([480, 480, 112, 112, 12]);

		// Raw import (no post-processing): assimp's OBJ reader makes one vertex per face corner, so every mesh
		// has exactly three vertices per triangle; one mesh per object and material.
		const raw = await assimpInfo(file, { raw: true });
		expect(raw.meshList.map((m) => m.faces), raw.text).toEqual(faces);
		expect(raw.meshList.map((m) => m.vertices)).toEqual(faces.map((f) => 3 * f));
		expect(raw.faces).toBe(1196);
		expect(raw.vertices).toBe(3 * 1196);

		// Default import (`assimp info` without -r, the "max quality" preset): corners equal in position, normal
		// and UV are joined again, so each mesh has its distinct (v, vt, vn) corners — the sphere's rows of the
		// half it covers (the equator row in both halves), its seam column twice, one pole vertex per segment.
		// The preset also computes a tangent per corner first and only joins corners whose tangents agree within
		// 45°; on this sphere they all do (a coarser 8 × 12 one keeps one corner near a pole apart). The
		// collider has no UVs and no normals: assimp makes smooth normals and joins it to the box's 8 corners.
		const distinct = [...distinctCorners(lod0), ...distinctCorners(lod1), 8];
		expect(distinct).toEqual([32 + 8 * 33, 32 + 8 * 33, 16 + 4 * 17, 16 + 4 * 17, 8]);
		const info = await assimpInfo(file);
		expect(info.meshList.map((m) => m.faces), info.text).toEqual(faces);
		expect(info.meshList.map((m) => m.vertices), info.text).toEqual(distinct);
		expect(info.faces).toBe(1196);

		expect(info.nodeNames).toEqual(['Ball.obj', 'Ball_LOD0', 'Ball_LOD1', 'Ball_Collider']);
		expect(info.materialNames).toEqual(['Ball_Top', 'Ball_Bottom', 'Ball_Collider']);
		// The texture is a reference to the file beside the OBJ, on Ball_Top only.
		expect(info.text).toMatch(/Texture Refs:\s+'Ball_baseColor\.png'/);
		const top = info.text.slice(info.text.indexOf("'Ball_Top'"), info.text.indexOf("'Ball_Bottom'"));
		expect(top).toMatch(/\$tex\.file\): \[0 \/ \d+ \| Diffuse\]/);
		expect(info.min.map((v) => +v.toFixed(4))).toEqual([-0.5, 0, -0.5]);
		expect(info.max.map((v) => +v.toFixed(4))).toEqual([0.5, 1, 0.5]);
	});

	it('writes the MTL from the materials and flips V to OBJ’s bottom-up convention', async () => {
		const scene = await ballScene();
		const [obj, mtl] = writeObj(scene);
		const lines = text(obj).split('\n');
		const firstUv = lines.find((l) => l.startsWith('vt '))!.split(' ').slice(1).map(Number);
		expect(firstUv[0]).toBeCloseTo(scene.lods[0].uvs![0], 6);
		expect(firstUv[1]).toBeCloseTo(1 - scene.lods[0].uvs![1], 6);
		expect(lines.filter((l) => l.startsWith('usemtl '))).toEqual([
			'usemtl Ball_Top',
			'usemtl Ball_Bottom',
			'usemtl Ball_Top',
			'usemtl Ball_Bottom',
			'usemtl Ball_Collider',
		]);
		expect(lines.filter((l) => /^[og] /.test(l))).toEqual(['g Ball_LOD0', 'o Ball_LOD0', 'g Ball_LOD1', 'o Ball_LOD1', 'g Ball_Collider', 'o Ball_Collider']);
		const faces = lines.filter((l) => l.startsWith('f '));
		expect(faces[0]).toMatch(/^f \d+\/\d+\/\d+ \d+\/\d+\/\d+ \d+\/\d+\/\d+$/);
		expect(faces[faces.length - 1]).toMatch(/^f \d+ \d+ \d+$/);

		const material = text(mtl);
		expect(material).toContain('newmtl Ball_Top\nKd 1 1 1\n');
		expect(material).toContain('map_Kd Ball_baseColor.png');
		// Roughness 0.4 → Ns ((1 − 0.4) · 30)² = 324, Blender's mapping.
		expect(material).toMatch(/newmtl Ball_Bottom\nKd 0\.2 0\.3 0\.8\nKs 0\.5 0\.5 0\.5\nNs 324\nd 1\n/);
		expect(material).toContain('Pm 0.5');
	});

	it('converts to the profile: Unreal gets centimetres, Z up, UCX_ collider', async () => {
		const scene = await ballScene();
		const file = writeAll(writeObj(scene, { profile: PROFILES.unreal }), 'unreal');
		const info = await assimpInfo(file);
		expect(info.nodeNames).toEqual(['Ball.obj', 'Ball_LOD0', 'Ball_LOD1', 'UCX_Ball_00']);
		expect(info.min.map((v) => Math.round(v))).toEqual([-50, -50, 0]);
		expect(info.max.map((v) => Math.round(v))).toEqual([50, 50, 100]);
		// The top pole (0, 1, 0) m lands at z = 100 cm.
		expect(text(writeObj(scene, { profile: PROFILES.unreal })[0])).toContain('\nv 0 0 100\n');
	});

	it('writes one level alone, named like it, without the collider', async () => {
		const scene = await ballScene();
		const files = writeObj(scene, { lod: 1 });
		expect(files.map((f) => f.name)).toEqual(['Ball_LOD1.obj', 'Ball_LOD1.mtl', 'Ball_baseColor.png']);
		const info = await assimpInfo(writeAll(files, 'lod1'));
		expect(info.nodeNames).toEqual(['Ball_LOD1.obj', 'Ball_LOD1']);
		expect(info.faces).toBe(224);
		expect(() => writeObj(scene, { lod: 2 })).toThrow(/LOD 2 does not exist/);
	});

	it('names a scene without a chain plainly and writes a shared texture once', async () => {
		const texture = await checkerPng(16, 'shared.png');
		const mesh = twoHalves(sphereMesh(4, 8));
		const scene: ExportScene = { name: 'My Ball', materials: [material('a', texture), material('b', texture)], lods: [mesh], lodRatios: [1] };
		const files = writeObj(scene);
		expect(files.map((f) => f.name)).toEqual(['My_Ball.obj', 'My_Ball.mtl', 'shared.png']);
		expect(text(files[0])).toContain('\no My_Ball\n');
		expect(text(files[1]).match(/map_Kd shared\.png/g)).toHaveLength(2);
	});

	it('refuses broken scenes with E_EXPORT and a sentence', async () => {
		const scene = await ballScene();
		const empty: ExportScene = { ...scene, lods: [{ positions: new Float32Array(0), indices: new Uint32Array(0), groups: [] }], lodRatios: [1], collider: undefined };
		const nan = structuredClone(scene);
		nan.lods[0].positions[7] = Number.NaN;
		for (const [broken, message] of [
			[empty, /Ball is empty: it has no triangles/],
			[nan, /non-finite coordinate \(vertex 2\)/],
		] as const) {
			expect((await exportError(() => writeObj(broken))).message).toMatch(message);
		}
	});
});
