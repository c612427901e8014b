import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Document, NodeIO, Primitive, type Material } from '@gltf-transform/core';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGlb } from '../../daemon/src/export/load-glb';
import { writeObj } from '../../daemon/src/export/obj';
import type { ExportMesh } from '../../daemon/src/export/scene';
import { assimpInfo } from '../helpers/assimp';
import { checkerPng } from '../helpers/export-scenes';
import { exportError } from '../helpers/errors';

const work = mkdtempSync(path.join(tmpdir(), 'orfeas-load-glb-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface PrimitiveSpec {
	positions: number[];
	indices?: number[];
	normals?: number[];
	uvs?: number[];
	mode?: ReturnType<Primitive['getMode']>;
	material?: Material;
}

function primitive(doc: Document, spec: PrimitiveSpec): Primitive {
	const buffer = doc.getRoot().listBuffers()[0] ?? doc.createBuffer();
	const accessor = (type: 'VEC3' | 'VEC2' | 'SCALAR', data: number[]) =>
		doc.createAccessor().setType(type).setArray(type === 'SCALAR' ? new Uint16Array(data) : new Float32Array(data)).setBuffer(buffer);
	const prim = doc.createPrimitive().setMode(spec.mode ?? Primitive.Mode.TRIANGLES).setAttribute('POSITION', accessor('VEC3', spec.positions));
	if (spec.indices) prim.setIndices(accessor('SCALAR', spec.indices));
	if (spec.normals) prim.setAttribute('NORMAL', accessor('VEC3', spec.normals));
	if (spec.uvs) prim.setAttribute('TEXCOORD_0', accessor('VEC2', spec.uvs));
	if (spec.material) prim.setMaterial(spec.material);
	return prim;
}

/**
 * Three meshes under a rig, each testing one rule:
 * - `Crate`: a textured quad in the plane x + y = 1 (normal (1, 1, 0)/√2), stretched ×2 along x and moved
 *   by (1, 2, 3) — the normal must become (1, 2, 0)/√5, as the inverse transpose gives;
 * - `Mirror`: a triangle facing +Z under scale (−1, 1, 1) — the winding must flip so it still faces +Z;
 * - `Strip`: a two-triangle strip without normals at z = 5, in the first material again, so the material
 *   ranges are Wood (quad and strip), then Paint.
 * A second, non-default scene holds a mesh that must be ignored.
 */
async function sampleGlb(): Promise<{ bytes: Uint8Array; png: Uint8Array }> {
	const doc = new Document();
	doc.createBuffer();
	const png = (await checkerPng(16)).bytes;
	const wood = doc.createMaterial('Wood').setBaseColorTexture(doc.createTexture('WoodTexture').setImage(png).setMimeType('image/png'));
	wood.setMetallicFactor(0).setRoughnessFactor(0.9);
	const paint = doc.createMaterial('Paint').setBaseColorFactor([0.2, 0.4, 0.6, 0.8]).setMetallicFactor(0.3).setRoughnessFactor(0.7);
	doc.createMaterial('Unused');

	const s = Math.SQRT1_2;
	const quad = primitive(doc, {
		positions: [1, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 1],
		indices: [0, 1, 2, 0, 2, 3],
		normals: [s, s, 0, s, s, 0, s, s, 0, s, s, 0],
		uvs: [0, 0, 1, 0, 1, 1, 0, 1],
		material: wood,
	});
	const triangle = primitive(doc, { positions: [0, 0, 0, 1, 0, 0, 0, 1, 0], normals: [0, 0, 1, 0, 0, 1, 0, 0, 1], material: paint });
	const strip = primitive(doc, { positions: [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0], mode: Primitive.Mode.TRIANGLE_STRIP, material: wood });

	const rig = doc.createNode('rig');
	rig.addChild(doc.createNode('Crate').setMesh(doc.createMesh('CrateMesh').addPrimitive(quad)).setTranslation([1, 2, 3]).setScale([2, 1, 1]));
	rig.addChild(doc.createNode('Mirror').setMesh(doc.createMesh('MirrorMesh').addPrimitive(triangle)).setScale([-1, 1, 1]));
	rig.addChild(doc.createNode('Strip').setMesh(doc.createMesh('StripMesh').addPrimitive(strip)).setTranslation([0, 0, 5]));
	const main = doc.createScene('main').addChild(rig);
	const other = primitive(doc, { positions: [0, 0, 0, 1, 0, 0, 0, 1, 0] });
	doc.createScene('other').addChild(doc.createNode('Ignored').setMesh(doc.createMesh('IgnoredMesh').addPrimitive(other)));
	doc.getRoot().setDefaultScene(main);
	return { bytes: await new NodeIO().writeBinary(doc), png };
}

/** A GLB with one primitive of the given mode and positions, for the refusals. */
async function oneMode(mode: ReturnType<Primitive['getMode']>, positions = [0, 0, 0, 1, 0, 0, 0, 1, 0]): Promise<Uint8Array> {
	const doc = new Document();
	doc.createBuffer();
	const mesh = doc.createMesh('Thing').addPrimitive(primitive(doc, { positions, mode }));
	doc.createScene().addChild(doc.createNode('Thing').setMesh(mesh));
	return new NodeIO().writeBinary(doc);
}

/** Element `i` of a flat array; −0 reads as 0, so a mirrored zero compares equal. */
function vec(array: Float32Array | undefined, i: number, size = 3): number[] {
	return [...array!.subarray(i * size, i * size + size)].map((c) => c + 0);
}

function faceNormal(mesh: ExportMesh, t: number): number[] {
	const [a, b, c] = [0, 1, 2].map((k) => vec(mesh.positions, mesh.indices[3 * t + k]));
	const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
	const v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
	const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
	const length = Math.hypot(...n);
	return n.map((x) => x / length + 0);
}


describe('loadGlb', () => {
	it('flattens the default scene in world space, with materials and groups in order', async () => {
		const { bytes, png } = await sampleGlb();
		const scene = await loadGlb(bytes);
		expect(scene.name).toBe('Crate');
		expect(scene.lodRatios).toEqual([1]);
		const [mesh] = scene.lods;
		expect(mesh.positions.length / 3).toBe(4 + 3 + 4);
		expect(mesh.indices.length / 3).toBe(2 + 1 + 2);
		// One range per material in first-use order: the quad and the strip (Wood), then the triangle (Paint).
		expect(mesh.groups).toEqual([
			{ material: 0, start: 0, count: 4 },
			{ material: 1, start: 4, count: 1 },
		]);

		// Crate: (1, 0, 0) scaled ×2 on x and moved by (1, 2, 3); the normal by the inverse transpose.
		expect(vec(mesh.positions, 0)).toEqual([3, 2, 3]);
		const expected = [1 / Math.sqrt(5), 2 / Math.sqrt(5), 0];
		for (const t of [0, 1]) faceNormal(mesh, t).forEach((c, i) => expect(c).toBeCloseTo(expected[i], 6));
		vec(mesh.normals, 0).forEach((c, i) => expect(c).toBeCloseTo(expected[i], 6));
		expect(vec(mesh.uvs, 2, 2)).toEqual([1, 1]);

		// Strip: unrolled to two counter-clockwise triangles; normals computed from them.
		expect([...mesh.indices.subarray(6, 12)]).toEqual([4, 5, 6, 5, 7, 6]);
		expect(faceNormal(mesh, 3)).toEqual([0, 0, 1]);
		expect(vec(mesh.normals, 7)).toEqual([0, 0, 1]);
		expect(vec(mesh.positions, 7)).toEqual([1, 1, 5]);

		// Mirror: x negated and the winding flipped, so the triangle and its normal still face +Z.
		expect(vec(mesh.positions, 9)).toEqual([-1, 0, 0]);
		expect(faceNormal(mesh, 4)[2]).toBeCloseTo(1, 6);
		expect(vec(mesh.normals, 8)).toEqual([0, 0, 1]);
		expect(vec(mesh.uvs, 8, 2)).toEqual([0, 0]); // no UVs in that primitive: filled with 0

		expect(scene.materials.map((m) => m.name)).toEqual(['Wood', 'Paint']);
		const [wood, paint] = scene.materials;
		expect(wood).toMatchObject({ baseColor: [1, 1, 1, 1], metallic: 0, roughness: 0.9 });
		expect(wood.texture).toEqual({ name: 'WoodTexture.png', mime: 'image/png', bytes: png });
		expect(paint.baseColor.map((c) => +c.toFixed(6))).toEqual([0.2, 0.4, 0.6, 0.8]);
		expect(paint).toMatchObject({ metallic: 0.3, roughness: 0.7 });
		expect(paint.roughness).toBeCloseTo(0.7, 6);
		expect(paint.texture).toBeUndefined();
	});

	it('takes the given name, and converts a WebP texture to PNG', async () => {
		const doc = new Document();
		doc.createBuffer();
		const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 10, g: 20, b: 30 } } }).webp({ lossless: true }).toBuffer();
		const material = doc.createMaterial('Skin').setBaseColorTexture(doc.createTexture('skin').setImage(new Uint8Array(webp)).setMimeType('image/webp'));
		const mesh = doc.createMesh('m').addPrimitive(primitive(doc, { positions: [0, 0, 0, 1, 0, 0, 0, 1, 0], uvs: [0, 0, 1, 0, 0, 1], material }));
		doc.createScene().addChild(doc.createNode('').setMesh(mesh));
		const scene = await loadGlb(await new NodeIO().writeBinary(doc), { name: 'Statue' });
		expect(scene.name).toBe('Statue');
		const texture = scene.materials[0].texture!;
		expect(texture.name).toBe('skin.png');
		expect(texture.mime).toBe('image/png');
		const { data, info } = await sharp(texture.bytes).raw().toBuffer({ resolveWithObject: true });
		expect([info.width, info.height, ...data.subarray(0, 3)]).toEqual([4, 4, 10, 20, 30]);
	});

	it('gives a mesh assimp reads back from OBJ with its triangles, materials and texture', async () => {
		const scene = await loadGlb((await sampleGlb()).bytes);
		const dir = path.join(work, 'crate');
		mkdirSync(dir);
		for (const file of writeObj(scene)) writeFileSync(path.join(dir, file.name), file.bytes);
		const info = await assimpInfo(path.join(dir, 'Crate.obj'));
		// One object, one mesh per material range: Wood (4 triangles), Paint (1).
		expect(info.faces, info.text).toBe(5);
		expect(info.meshList.map((m) => m.faces)).toEqual([4, 1]);
		expect(info.nodeNames).toEqual(['Crate.obj', 'Crate']);
		expect(info.materialNames).toEqual(['Wood', 'Paint']);
		expect(info.text).toMatch(/Texture Refs:\s+'WoodTexture\.png'/);
	});

	it('refuses points, lines, files without triangles and damaged files with E_EXPORT', async () => {
		expect((await exportError(loadGlb(await oneMode(Primitive.Mode.POINTS)))).message).toBe(
			'The mesh "Thing" (primitive 0) is made of points, not triangles; OBJ, STL, PLY and FBX need surfaces. Remove it or convert it to a mesh, then export.',
		);
		expect((await exportError(loadGlb(await oneMode(Primitive.Mode.LINES)))).message).toMatch(/is made of lines, not triangles/);
		expect((await exportError(loadGlb(await oneMode(Primitive.Mode.LINE_STRIP)))).message).toMatch(/is made of lines/);
		expect((await exportError(loadGlb(await oneMode(Primitive.Mode.TRIANGLES, [0, 0, 0, 1, 0, 0])))).message).toBe(
			'"Thing" has no triangle meshes to export. Open it in a 3D tool and check that it contains a mesh.',
		);
		const empty = new Document();
		empty.createScene().addChild(empty.createNode('Empty'));
		expect((await exportError(loadGlb(await new NodeIO().writeBinary(empty)))).message).toMatch(/^"model" has no triangle meshes/);
		const junk = new TextEncoder().encode('not a glb at all');
		expect((await exportError(loadGlb(junk, { name: 'junk' }))).message).toMatch(/^"junk" is not a readable GLB file \(.+\)\. Export it again as binary glTF \(\.glb\)\.$/);
		expect((await exportError(loadGlb(junk))).message).toMatch(/^The file is not a readable GLB file/);
	});
});
