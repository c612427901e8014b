import { Document, NodeIO } from '@gltf-transform/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readGlb } from '../../daemon/src/quality/glb';
import { validateGlb } from '../helpers/validate';

/** A unit quad in the XY plane, counter-clockwise from +Z, textured with an 8 × 4 PNG, under two nodes. */
async function quadGlb(childScale: [number, number, number] = [1, 1, 1]): Promise<Uint8Array> {
	const doc = new Document();
	const buffer = doc.createBuffer();
	const png = await sharp({ create: { width: 8, height: 4, channels: 3, background: { r: 200, g: 40, b: 10 } } })
		.png()
		.toBuffer();
	const texture = doc.createTexture('quadTexture').setImage(new Uint8Array(png)).setMimeType('image/png');
	const material = doc.createMaterial('quadMaterial').setBaseColorTexture(texture);
	const position = doc
		.createAccessor()
		.setType('VEC3')
		.setArray(new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]))
		.setBuffer(buffer);
	const uv = doc
		.createAccessor()
		.setType('VEC2')
		.setArray(new Float32Array([0, 1, 1, 1, 1, 0, 0, 0]))
		.setBuffer(buffer);
	const index = doc.createAccessor().setType('SCALAR').setArray(new Uint16Array([0, 1, 2, 0, 2, 3])).setBuffer(buffer);
	const primitive = doc
		.createPrimitive()
		.setAttribute('POSITION', position)
		.setAttribute('TEXCOORD_0', uv)
		.setIndices(index)
		.setMaterial(material);
	const mesh = doc.createMesh('quadMesh').addPrimitive(primitive);
	const child = doc.createNode('quadNode').setMesh(mesh).setTranslation([1, 2, 3]).setScale(childScale);
	const parent = doc.createNode('rig').setTranslation([0, 0, -1]).addChild(child);
	const scene = doc.createScene('main').addChild(parent);
	doc.getRoot().setDefaultScene(scene);
	return new NodeIO().writeBinary(doc);
}

describe('readGlb', () => {
	it('returns world-space positions, uvs, names and the decoded texture', async () => {
		const mesh = await readGlb(await quadGlb());
		expect([...mesh.positions]).toEqual([1, 2, 2, 2, 2, 2, 2, 3, 2, 1, 3, 2]);
		expect([...mesh.indices]).toEqual([0, 1, 2, 0, 2, 3]);
		expect([...(mesh.uvs ?? [])]).toEqual([0, 1, 1, 1, 1, 0, 0, 0]);
		expect(mesh.nodeNames).toEqual(['rig', 'quadNode']);
		expect(mesh.meshNames).toEqual(['quadMesh']);
		expect(mesh.materialNames).toEqual(['quadMaterial']);
		expect(mesh.texture?.width).toBe(8);
		expect(mesh.texture?.height).toBe(4);
		expect(mesh.texture?.data.length).toBe(8 * 4 * 4);
		expect([...(mesh.texture?.data.subarray(0, 4) ?? [])]).toEqual([200, 40, 10, 255]);
	});

	it('flips the winding under a mirroring node so the quad still faces +Z', async () => {
		const mesh = await readGlb(await quadGlb([-1, 1, 1]));
		const p = (i: number) => [mesh.positions[3 * i], mesh.positions[3 * i + 1]];
		const [a, b, c] = [...mesh.indices.subarray(0, 3)].map(p);
		const area = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
		expect(Math.min(...[0, 1, 2, 3].map((i) => p(i)[0]))).toBe(0);
		expect(area).toBeGreaterThan(0);
	});
});

describe('validateGlb', () => {
	it('passes the built file and reports errors for a truncated one', async () => {
		const bytes = await quadGlb();
		const good = await validateGlb(bytes);
		expect(good.errors, JSON.stringify(good.messages)).toBe(0);
		const bad = await validateGlb(bytes.subarray(0, 40));
		expect(bad.errors).toBeGreaterThan(0);
		expect(bad.messages[0].code).toMatch(/^GLB_/);
		expect(bad.messages[0].severity).toBe(0);
	});
});
