import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadObj } from '../../daemon/src/export/load-obj';
import { writeObj } from '../../daemon/src/export/obj';
import { writePly } from '../../daemon/src/export/ply';
import type { ExportFile, ExportMesh, ExportScene } from '../../daemon/src/export/scene';
import { writeStl } from '../../daemon/src/export/stl';
import { assimpInfo } from '../helpers/assimp';
import { checkerPng, sphereMesh } from '../helpers/export-scenes';
import { exportError } from '../helpers/errors';

const work = mkdtempSync(path.join(tmpdir(), 'orfeas-load-obj-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A readFile over an in-memory folder; a missing file fails like fs does (ENOENT). */
function memoryFiles(files: Record<string, Uint8Array | string>): (file: string) => Promise<Uint8Array> {
	return async (file) => {
		const content = files[path.relative('/models', file)];
		if (content === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
		return typeof content === 'string' ? new TextEncoder().encode(content) : content;
	};
}


/**
 * A scan-like OBJ made from the seam sphere the way spot.obj is stored: positions shared (so the seam and pole
 * twins are one `v`), one `vt` per UV, faces `v/vt`, no normals and no MTL.
 */
function scanLikeObj(mesh: ExportMesh): { text: string; positions: number; texcoords: number } {
	const ids = new Map<string, number>();
	const vOf: number[] = [];
	const lines = ['# seam sphere, stored like a scan'];
	for (let i = 0; i < mesh.positions.length / 3; i++) {
		const key = [...mesh.positions.subarray(3 * i, 3 * i + 3)].map((c) => (Object.is(c, -0) ? 0 : c)).join(' ');
		if (!ids.has(key)) {
			ids.set(key, ids.size + 1);
			lines.push(`v ${key}`);
		}
		vOf.push(ids.get(key)!);
	}
	for (let i = 0; i < mesh.uvs!.length / 2; i++) lines.push(`vt ${mesh.uvs![2 * i]} ${1 - mesh.uvs![2 * i + 1]}`);
	for (let t = 0; t < mesh.indices.length; t += 3) {
		lines.push(`f ${[0, 1, 2].map((k) => `${vOf[mesh.indices[t + k]]}/${mesh.indices[t + k] + 1}`).join(' ')}`);
	}
	return { text: `${lines.join('\n')}\n`, positions: ids.size, texcoords: mesh.uvs!.length / 2 };
}

function writeAll(files: ExportFile[], folder: string): string {
	const dir = path.join(work, folder);
	mkdirSync(dir);
	for (const file of files) writeFileSync(path.join(dir, file.name), file.bytes);
	return dir;
}

/** Largest difference between the corners of two meshes' triangles, attribute by attribute. */
function cornerDifference(a: ExportMesh, b: ExportMesh, attribute: 'positions' | 'uvs', size: number): number {
	let worst = 0;
	for (let i = 0; i < a.indices.length; i++) {
		for (let k = 0; k < size; k++) worst = Math.max(worst, Math.abs(a[attribute]![a.indices[i] * size + k] - b[attribute]![b.indices[i] * size + k]));
	}
	return worst;
}

describe('loadObj', () => {
	it('parses positions, UVs, normals, polygons, negative indices, materials and their texture', async () => {
		const png = (await checkerPng(8, 'brick wall.png')).bytes;
		const obj = [
			'# a quad, a triangle with negative indices and one without normals',
			'mtllib tile.mtl',
			'o Tile',
			'v 0 0 0',
			'v 1 0 0',
			'v 1 1 0',
			'v 0 1 0',
			'v 2 0 0',
			'vt 0 0',
			'vt 1 0',
			'vt 1 1',
			'vt 0 1',
			'vn 0 0 1',
			'usemtl Face',
			'f 1/1/1 2/2/1 3/3/1 4/4/1',
			'usemtl Edge',
			'f -4//-1 -1//-1 -3//-1',
			'f 2/2 3/3 \\',
			'  5/1',
			'usemtl Face',
			'f 1/1/1 3/3/1 4/4/1',
		].join('\r\n');
		const mtl = [
			'newmtl Face',
			'Kd 0.8 0.6 0.4',
			'd 0.5',
			'Ns 225',
			'map_Kd -bm 0.5 -o 0.1 0.2 -clamp on textures/brick wall.png',
			'newmtl Edge',
			'Kd 0.1 0.2 0.3',
			'Pm 1',
			'Pr 0.25',
		].join('\n');
		const scene = await loadObj(obj, { dir: '/models', readFile: memoryFiles({ 'tile.mtl': mtl, 'textures/brick wall.png': png }) });

		expect(scene.name).toBe('Tile');
		const [mesh] = scene.lods;
		// Corners: the quad's 4 (v/vt/vn), the triangle's 3 (v//vn) and 3 (v/vt) — the last face reuses the first 3.
		expect(mesh.positions.length / 3).toBe(10);
		expect([...mesh.indices]).toEqual([0, 1, 2, 0, 2, 3, 4, 5, 6, 7, 8, 9, 0, 2, 3]);
		expect([...mesh.positions.subarray(12, 21)]).toEqual([1, 0, 0, 2, 0, 0, 1, 1, 0]);
		// V flipped to glTF's top-down convention; corners without vt get (0, 0).
		expect([...mesh.uvs!.subarray(0, 8)]).toEqual([0, 1, 1, 1, 1, 0, 0, 0]);
		expect([...mesh.uvs!.subarray(8, 10)]).toEqual([0, 0]);
		expect([...mesh.normals!.subarray(0, 3)]).toEqual([0, 0, 1]);
		// Corners without vn get normals from their faces: the (2, 3, 5) triangle faces −Z.
		expect([...mesh.normals!.subarray(21, 24)].map((c) => c + 0)).toEqual([0, 0, -1]);
		expect(mesh.groups).toEqual([
			{ material: 0, start: 0, count: 2 },
			{ material: 1, start: 2, count: 2 },
			{ material: 0, start: 4, count: 1 },
		]);

		expect(scene.materials.map((m) => m.name)).toEqual(['Face', 'Edge']);
		const [face, edge] = scene.materials;
		expect(face.baseColor).toEqual([0.8, 0.6, 0.4, 0.5]);
		expect(face.roughness).toBeCloseTo(0.5, 6); // Ns 225 → 1 − √225 / 30
		expect(face.texture).toEqual({ name: 'brick wall.png', mime: 'image/png', bytes: png });
		expect(edge).toEqual({ name: 'Edge', baseColor: [0.1, 0.2, 0.3, 1], metallic: 1, roughness: 0.25 });
	});

	it('gives an OBJ without MTL the texture passed in, named after the object', async () => {
		const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
		const scene = await loadObj('g scan\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nvt 1 0\nvt 0 1\nf 1/1 2/2 3/3\n', { texture: { name: 'photos/scan.jpg', bytes: jpeg } });
		expect(scene.name).toBe('scan');
		expect(scene.materials).toHaveLength(1);
		expect(scene.materials[0].name).toBe('scan');
		expect(scene.materials[0].texture).toEqual({ name: 'scan.jpg', mime: 'image/jpeg', bytes: jpeg });
		expect(scene.lods[0].normals).toBeUndefined();
	});

	it('refuses broken files with E_EXPORT, a sentence and the line', async () => {
		const cases: [string, RegExp][] = [
			['', /The OBJ has no faces, so there is nothing to export\./],
			['# only a comment\nv 0 0 0\n', /The OBJ has no faces/],
			['v 0 0 0\nv 1 0 0\nf 1 2\n', /^Line 3 of the OBJ: a face needs at least 3 vertices, this one has 2\. Remove it/],
			['v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n', /^Line 4 of the OBJ: the face corner "9" refers to vertex 9, but the file defines 3 vertices before it\. Repair/],
			['v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 -4\n', /^Line 4 of the OBJ: .* refers to vertex -4/],
			['v 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nf 1/2 2/1 3/1\n', /^Line 5 of the OBJ: the face corner "1\/2" refers to texture coordinate 2, but the file defines 1 texture coordinate before it\./],
			['v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n', /^Line 2 of the OBJ: "v nan 0 0" is not a vertex \(three numbers\)\. Repair the file/],
			['v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 0\n', /^Line 4 of the OBJ: .* refers to vertex 0/],
		];
		for (const [text, message] of cases) expect((await exportError(loadObj(text))).message).toMatch(message);
	});

	it('names a missing MTL or texture file', async () => {
		const obj = 'mtllib tile.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl Face\nf 1 2 3\n';
		const noMtl = await exportError(loadObj(obj, { dir: '/models', readFile: memoryFiles({}) }));
		expect(noMtl.message).toBe('The OBJ references tile.mtl, which does not exist next to it. Put tile.mtl in /models or remove the reference, then try again.');
		const noTexture = await exportError(loadObj(obj, { dir: '/models', readFile: memoryFiles({ 'tile.mtl': 'newmtl Face\nmap_Kd C:\\Users\\art\\wood.png\n' }) }));
		// A path from the exporting machine is looked up by its base name beside the MTL.
		expect(noTexture.message).toBe('tile.mtl references C:\\Users\\art\\wood.png, which does not exist next to it. Put wood.png in /models or remove the reference, then try again.');
		const found = await loadObj(obj, { dir: '/models', readFile: memoryFiles({ 'tile.mtl': 'newmtl Face\nmap_Kd C:\\Users\\art\\wood.png\n', 'wood.png': (await checkerPng(4)).bytes }) });
		expect(found.materials[0].texture?.name).toBe('wood.png');
	});

	it('refuses a texture for an OBJ without texture coordinates', async () => {
		const obj = 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n';
		const texture = await checkerPng(4, 'scan.png');
		const error = await exportError(loadObj(obj, { name: 'scan', texture: { name: texture.name, bytes: texture.bytes } }));
		expect(error.message).toBe('The OBJ has no texture coordinates (vt lines), so the texture scan.png cannot be applied. Export the OBJ with UVs, or leave out --texture.');
	});

	it('round-trips a textured seam sphere stored like a scan through OBJ, STL and PLY', async () => {
		// Same shape as the corpus's spot.obj (shared positions, more UVs than positions, faces v/vt, no MTL, a
		// separate texture), generated so the test needs no corpus.
		const sphere = sphereMesh(16, 32);
		const scan = scanLikeObj(sphere);
		expect([scan.positions, scan.texcoords]).toEqual([15 * 32 + 2, 17 * 33]);
		const texture = await checkerPng(64, 'sphere_texture.png');
		const scene: ExportScene = await loadObj(scan.text, { name: 'sphere', texture: { name: texture.name, bytes: texture.bytes } });
		const [mesh] = scene.lods;
		expect(mesh.indices.length / 3).toBe(960);
		// One vertex per distinct (v, vt) pair: every UV but the two no face uses.
		expect(mesh.positions.length / 3).toBe(17 * 33 - 2);
		expect(cornerDifference(mesh, sphere, 'positions', 3)).toBeLessThan(1e-6);
		expect(cornerDifference(mesh, sphere, 'uvs', 2)).toBeLessThan(1e-6);

		const dir = writeAll([...writeObj(scene), ...writeStl(scene), ...writePly(scene)], 'roundtrip');
		for (const file of ['sphere.obj', 'sphere.stl', 'sphere.ply']) {
			const info = await assimpInfo(path.join(dir, file));
			expect(info.faces, `${file}\n${info.text}`).toBe(960);
		}
		const obj = await assimpInfo(path.join(dir, 'sphere.obj'));
		expect(obj.nodeNames).toEqual(['sphere.obj', 'sphere']);
		expect(obj.materialNames).toEqual(['sphere']);
		expect(obj.text).toMatch(/Texture Refs:\s+'sphere_texture\.png'/);
		expect(readFileSync(path.join(dir, 'sphere_texture.png'))).toEqual(Buffer.from(texture.bytes));

		// Our OBJ read back from disk (default readFile): the same triangles at the same places.
		const again = await loadObj(readFileSync(path.join(dir, 'sphere.obj'), 'utf8'), { dir });
		const [back] = again.lods;
		expect(back.indices.length).toBe(mesh.indices.length);
		expect(back.positions.length).toBe(mesh.positions.length);
		expect(cornerDifference(back, mesh, 'positions', 3)).toBeLessThan(1e-6);
		expect(cornerDifference(back, mesh, 'uvs', 2)).toBeLessThan(1e-6);
		expect(again.materials[0].texture?.bytes).toEqual(texture.bytes);
	});
});
