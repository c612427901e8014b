import { NodeIO, type Document, type Material, type Texture } from '@gltf-transform/core';
import { MeshoptSimplifier } from 'meshoptimizer';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeGlb } from '../../daemon/src/export/glb';
import { sceneDocument } from '../../daemon/src/export/glb-scene';
import { flattenDocument, type FlatMesh } from '../../daemon/src/export/load-glb';
import type { ExportTexture } from '../../daemon/src/export/scene';
import { enclosedVolume } from '../../daemon/src/geometry/measure';
import { bounds } from '../../daemon/src/geometry/place';
import { cleanUpServerModel, type CleanupOptions, type ServerFrame } from '../../daemon/src/generators/remote/cleanup';
import { quietContext, type StageContext } from '../../daemon/src/pipeline/types';
import { OrfeasError } from '../../daemon/src/protocol/errors';
import { boxMesh, checkerPng, material, sphereMesh } from '../helpers/export-scenes';
import { BOX, boxFaces, serverBox } from '../helpers/server-models';
import { validateGlb } from '../helpers/validate';

beforeAll(() => MeshoptSimplifier.ready);

/** z up, −y toward the camera, x to the right: a right-handed frame common among Z-up tools. */
const Z_UP: ServerFrame = { right: '+x', up: '+z', front: '-y' };
/** The same with right and left swapped: a mirror. */
const Z_UP_MIRRORED: ServerFrame = { right: '-x', up: '+z', front: '-y' };
const Y_UP: ServerFrame = { right: '+x', up: '+y', front: '+z' };

const options = (frame: ServerFrame, extra: Partial<CleanupOptions> = {}): CleanupOptions => ({ frame, height: 1, maxTriangles: 20_000, simplifier: MeshoptSimplifier, ...extra });

async function serverSphere(texture: ExportTexture): Promise<Uint8Array> {
	return writeGlb(sceneDocument({ name: 'Ball', materials: [material('Ball', texture)], lods: [sphereMesh()], lodRatios: [1] }, 'generic'));
}

/** The GLB as an engine reads it: every primitive merged in world space (node transforms applied). */
async function reread(glb: Uint8Array): Promise<{ document: Document; mesh: FlatMesh }> {
	const document = await new NodeIO().readBinary(glb);
	return { document, mesh: flattenDocument(document) };
}

function extents(positions: Float32Array): { min: number[]; max: number[]; size: number[] } {
	const { min, max } = bounds(positions);
	return { min, max, size: [0, 1, 2].map((k) => max[k] - min[k]) };
}

/** Every vertex normal points away from the box's centre: faces out, and normals carried by the right matrix. */
function normalsPointOut(mesh: FlatMesh): boolean {
	const { min, max } = bounds(mesh.positions);
	const centre = [0, 1, 2].map((k) => (min[k] + max[k]) / 2);
	for (let v = 0; v < mesh.positions.length / 3; v++) {
		const dot = [0, 1, 2].reduce((sum, k) => sum + mesh.normals![v * 3 + k] * (mesh.positions[v * 3 + k] - centre[k]), 0);
		if (!(dot > 0)) return false;
	}
	return true;
}

/** Each triangle of the trim material lies on the box's right, top or front face (max x, y or z). */
function trimOnRightTopFront(mesh: FlatMesh, trim: Material): boolean {
	const range = mesh.groups.find((g) => mesh.materials[g.material] === trim)!;
	const { max } = bounds(mesh.positions);
	for (let t = range.start; t < range.start + range.count; t++) {
		const corners = [0, 1, 2].map((c) => mesh.indices[t * 3 + c]);
		const onMax = [0, 1, 2].some((k) => corners.every((v) => Math.abs(mesh.positions[v * 3 + k] - max[k]) < 1e-6));
		if (!onMax) return false;
	}
	return true;
}

/** Every vertex's tangent runs the way u grows on its face, right-handed (w = 1), as in the box before the server's frame. */
function tangentsAsBuilt(document: Document): boolean {
	const faces = boxFaces(boxMesh(...BOX));
	const [n, t] = [[0, 0, 0], [0, 0, 0, 0]];
	for (const primitive of document.getRoot().listMeshes()[0].listPrimitives()) {
		const [normal, tangent] = [primitive.getAttribute('NORMAL')!, primitive.getAttribute('TANGENT')];
		if (!tangent) return false;
		for (let v = 0; v < normal.getCount(); v++) {
			normal.getElement(v, n);
			tangent.getElement(v, t);
			const face = faces.find((f) => f.normal.every((c, k) => Math.abs(c - n[k]) < 1e-5));
			if (!face || face.tangent.some((c, k) => Math.abs(c - t[k]) > 1e-5) || t[3] !== 1) return false;
		}
	}
	return true;
}

const bytesOf = (texture: Texture | null) => Buffer.from(texture?.getImage() ?? []);

describe('cleanUpServerModel', () => {
	it('bakes the node, turns the server frame into Orfeas\'s, stands the box on the ground and keeps its materials', async () => {
		const { glb, maps } = await serverBox(Z_UP);
		const steps: number[] = [];
		const ctx: StageContext = { ...quietContext(), progress: (f) => steps.push(f) };
		const result = await cleanUpServerModel(glb, options(Z_UP), ctx);

		const validation = await validateGlb(result.glb);
		expect(validation.errors, JSON.stringify(validation.messages)).toBe(0);
		expect(validation.messages.filter((m) => m.severity <= 1)).toEqual([]);
		const { document, mesh } = await reread(result.glb);
		const [node, ...others] = document.getRoot().listNodes();
		expect(others).toHaveLength(0);
		expect(node.getMatrix()).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
		expect(node.getMesh()!.listPrimitives()).toHaveLength(2);

		// Height 1 m from 1.8 server units; the 0.4 side along x, the 0.8 side along z; bottom centre at the origin.
		const { min, max, size } = extents(mesh.positions);
		expect(size[0]).toBeCloseTo(0.4 / 1.8, 5);
		expect(size[1]).toBeCloseTo(1, 5);
		expect(size[2]).toBeCloseTo(0.8 / 1.8, 5);
		expect(min[1]).toBeCloseTo(0, 6);
		expect((min[0] + max[0]) / 2).toBeCloseTo(0, 6);
		expect((min[2] + max[2]) / 2).toBeCloseTo(0, 6);
		expect(enclosedVolume(mesh.positions, mesh.indices)).toBeCloseTo((0.4 * 1.8 * 0.8) / 1.8 ** 3, 5);
		expect(normalsPointOut(mesh)).toBe(true);
		expect(tangentsAsBuilt(document)).toBe(true);

		const [textured, trim] = document.getRoot().listMaterials();
		expect(trimOnRightTopFront(mesh, trim)).toBe(true);
		expect(bytesOf(textured.getBaseColorTexture()).equals(Buffer.from(maps.baseColor.bytes))).toBe(true);
		expect(bytesOf(textured.getMetallicRoughnessTexture()).equals(Buffer.from(maps.metallicRoughness.bytes))).toBe(true);
		expect(bytesOf(textured.getNormalTexture()).equals(Buffer.from(maps.normal.bytes))).toBe(true);
		expect([textured.getMetallicFactor(), textured.getRoughnessFactor(), textured.getNormalScale()]).toEqual([0.25, 0.6, 0.8]);
		expect(trim.getEmissiveFactor().map((c) => Number(c.toFixed(6)))).toEqual([0.2, 0.1, 0]);
		expect(trim.getBaseColorFactor().map((c) => Number(c.toFixed(6)))).toEqual([0.2, 0.3, 0.8, 1]);

		expect(result.report).toEqual({ triangles: 12, vertices: 24, closed: true, openEdges: 0, components: 1, textures: ['baseColor', 'metallicRoughness', 'normal'] });
		expect(steps[steps.length - 1]).toBe(1);
		expect(steps).toEqual([...steps].sort((a, b) => a - b));
	});

	it('undoes a mirrored frame with the winding reversed, so faces still face out and right stays right', async () => {
		const { glb } = await serverBox(Z_UP_MIRRORED);
		const result = await cleanUpServerModel(glb, options(Z_UP_MIRRORED, { height: 2 }), quietContext());
		const { document, mesh } = await reread(result.glb);
		const { size } = extents(mesh.positions);
		expect(size.map((s) => Number(s.toFixed(5)))).toEqual([0.4, 1.8, 0.8].map((s) => Number(((s * 2) / 1.8).toFixed(5))));
		expect(enclosedVolume(mesh.positions, mesh.indices)).toBeGreaterThan(0);
		expect(normalsPointOut(mesh)).toBe(true);
		expect(tangentsAsBuilt(document)).toBe(true);
		expect(trimOnRightTopFront(mesh, document.getRoot().listMaterials()[1])).toBe(true);
		expect(result.report.closed).toBe(true);
		expect((await validateGlb(result.glb)).errors).toBe(0);
	});

	it('simplifies a mesh over the budget, keeping its texture, UVs and closed surface', async () => {
		const texture = await checkerPng(64, 'ball.png');
		// At this budget meshoptimizer's plain pass pinches a pole (a fan of seam vertices) into a non-manifold edge.
		const result = await cleanUpServerModel(await serverSphere(texture), options(Y_UP, { maxTriangles: 1000 }), quietContext());
		expect(result.report.triangles).toBeLessThanOrEqual(1000);
		expect(result.report.triangles).toBeGreaterThan(500);
		expect(result.report.closed).toBe(true);
		expect(result.report.textures).toEqual(['baseColor']);
		const { document, mesh } = await reread(result.glb);
		expect(bytesOf(document.getRoot().listMaterials()[0].getBaseColorTexture()).equals(Buffer.from(texture.bytes))).toBe(true);
		expect(mesh.uvs).toBeDefined();
		expect(extents(mesh.positions).size[1]).toBeCloseTo(1, 5);
		expect((await validateGlb(result.glb)).errors).toBe(0);
	});

	it('labels a JPEG image sent as image/png (as Hunyuan3D-2.1 embeds its albedo) with its real type', async () => {
		const { glb } = await serverBox(Y_UP);
		const document = await new NodeIO().readBinary(glb);
		const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer();
		const base = document.getRoot().listMaterials()[0].getBaseColorTexture()!;
		base.setImage(new Uint8Array(jpeg)).setMimeType('image/png');
		const result = await cleanUpServerModel(await writeGlb(document), options(Y_UP), quietContext());
		const cleaned = (await reread(result.glb)).document.getRoot().listMaterials()[0].getBaseColorTexture()!;
		expect(cleaned.getMimeType()).toBe('image/jpeg');
		expect(Buffer.from(cleaned.getImage()!)).toEqual(jpeg);
		expect((await validateGlb(result.glb)).errors).toBe(0);
	});

	it('reports the holes of an open mesh instead of filling them', async () => {
		const { glb } = await serverBox(Z_UP, true);
		const { report, glb: out } = await cleanUpServerModel(glb, options(Z_UP), quietContext());
		expect(report).toMatchObject({ triangles: 10, closed: false, openEdges: 4, components: 1 });
		expect((await validateGlb(out)).errors).toBe(0);
	});

	it('refuses bytes that are not a GLB, or are too many, with E_BACKEND and a sentence', async () => {
		const { glb } = await serverBox(Z_UP);
		const answers = [new TextEncoder().encode('<html>502 Bad Gateway</html>'), glb.slice(0, glb.length >> 1)];
		for (const answer of answers) {
			const error = await cleanUpServerModel(answer, options(Z_UP), quietContext()).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(OrfeasError);
			expect((error as OrfeasError).code).toBe('E_BACKEND');
			expect((error as Error).message).toMatch(/^The generation server's answer is not a readable GLB file \(.+\)\. .+\.$/);
		}
		const large = await cleanUpServerModel(glb, options(Z_UP, { maxBytes: 1000 }), quietContext()).catch((e: unknown) => e);
		expect((large as OrfeasError).code).toBe('E_BACKEND');
		expect((large as Error).message).toMatch(/over the 0\.0 MB allowed/);
	});

	it('stops when cancelled, before it starts or between steps', async () => {
		const { glb } = await serverBox(Z_UP);
		const before = new AbortController();
		before.abort();
		await expect(cleanUpServerModel(glb, options(Z_UP), quietContext(before.signal))).rejects.toMatchObject({ name: 'AbortError' });
		const during = new AbortController();
		const steps: number[] = [];
		const ctx: StageContext = { signal: during.signal, progress: (f) => (steps.push(f), f >= 0.3 && during.abort()) };
		await expect(cleanUpServerModel(glb, options(Z_UP), ctx)).rejects.toMatchObject({ name: 'AbortError' });
		expect(Math.max(...steps)).toBeLessThan(0.5);
	});
});
