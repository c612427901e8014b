import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePly } from '../../daemon/src/export/ply';
import { PROFILES } from '../../daemon/src/export/profiles';
import type { ExportScene } from '../../daemon/src/export/scene';
import { assimpInfo } from '../helpers/assimp';
import { checkerPng, coloredBoxScene, material, sphereMesh, twoLevelBallScene } from '../helpers/export-scenes';
import { exportError } from '../helpers/errors';

const work = mkdtempSync(path.join(tmpdir(), 'orfeas-ply-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ballScene = () => twoLevelBallScene();

interface ParsedPly {
	header: string[];
	vertexCount: number;
	faceCount: number;
	properties: { name: string; type: string }[];
	vertex(i: number): Record<string, number>;
	face(i: number): number[];
}

/** Reads the binary little-endian PLY this writer makes: typed vertex properties, then 3-index face lists. */
function parsePly(bytes: Uint8Array): ParsedPly {
	const end = Buffer.from(bytes).indexOf('end_header\n') + 'end_header\n'.length;
	const header = new TextDecoder().decode(bytes.subarray(0, end)).trim().split('\n');
	const vertexCount = Number(/^element vertex (\d+)$/m.exec(header.join('\n'))![1]);
	const faceCount = Number(/^element face (\d+)$/m.exec(header.join('\n'))![1]);
	const faceAt = header.findIndex((l) => l.startsWith('element face'));
	const properties = header
		.slice(0, faceAt)
		.filter((l) => l.startsWith('property '))
		.map((l) => ({ type: l.split(' ')[1], name: l.split(' ')[2] }));
	const size = (type: string) => (type === 'float' || type === 'int' ? 4 : 1);
	const stride = properties.reduce((sum, p) => sum + size(p.type), 0);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const faces = end + vertexCount * stride;
	expect(bytes.length).toBe(faces + faceCount * 13);
	return {
		header,
		vertexCount,
		faceCount,
		properties,
		vertex(i) {
			const out: Record<string, number> = {};
			let at = end + i * stride;
			for (const p of properties) {
				out[p.name] = p.type === 'float' ? view.getFloat32(at, true) : view.getUint8(at);
				at += size(p.type);
			}
			return out;
		},
		face(i) {
			const at = faces + i * 13;
			const count = view.getUint8(at);
			return Array.from({ length: count }, (_, k) => view.getInt32(at + 1 + 4 * k, true));
		},
	};
}

describe('writePly', () => {
	it('writes LOD0 with positions, normals and texture coordinates', async () => {
		const scene = await ballScene();
		const [file] = writePly(scene);
		expect(file.name).toBe('Ball.ply');
		const ply = parsePly(file.bytes);
		expect(ply.header.slice(0, 2)).toEqual(['ply', 'format binary_little_endian 1.0']);
		expect(ply.header[2]).toMatch(/^comment Orfeas \d+\.\d+\.\d+: Ball \(metres, Y up\)$/);
		expect(ply.properties.map((p) => `${p.type} ${p.name}`)).toEqual([
			'float x', 'float y', 'float z', 'float nx', 'float ny', 'float nz', 'float s', 'float t',
		]);
		expect(ply.header).toContain('property list uchar int vertex_indices');
		const mesh = scene.lods[0];
		expect(ply.vertexCount).toBe(17 * 33);
		expect(ply.faceCount).toBe(960);

		// Vertex 40: ring 1, segment 7 — known position, normal, and V flipped to bottom-up.
		const v = ply.vertex(40);
		expect([v.x, v.y, v.z]).toEqual([...mesh.positions.subarray(120, 123)]);
		expect([v.nx, v.ny, v.nz]).toEqual([...mesh.normals!.subarray(120, 123)]);
		expect(v.s).toBeCloseTo(7 / 32, 6);
		expect(v.t).toBeCloseTo(1 - 1 / 16, 6);
		for (const t of [0, 500, 959]) expect(ply.face(t)).toEqual([...mesh.indices.subarray(3 * t, 3 * t + 3)]);
	});

	it('names its texture in a comment and writes it beside the model, one file per level', async () => {
		const chained = await ballScene();
		const files = writePly(chained);
		expect(files.map((f) => f.name)).toEqual(['Ball.ply', 'Ball_LOD1.ply', 'Ball_baseColor.png']);
		expect(parsePly(files[0].bytes).header).toContain('comment TextureFile Ball_baseColor.png');
		expect(parsePly(files[1].bytes).faceCount).toBe(chained.lods[1].indices.length / 3);
		expect(files[2].bytes).toEqual(chained.materials[0].texture!.bytes);
	});

	it('is read by assimp with every vertex and triangle', async () => {
		const file = path.join(work, 'Ball.ply');
		writeFileSync(file, writePly(await ballScene())[0].bytes);

		// Raw import: assimp keeps the PLY's own vertex list, 17 × 33, two of them (the first pole's segment-0
		// vertex and the last pole's segment-32 vertex) used by no triangle.
		const raw = await assimpInfo(file, { raw: true });
		expect(raw.vertices, raw.text).toBe(17 * 33);
		expect(raw.faces).toBe(960);

		// Default import: joining identical vertices rebuilds the list from the triangles, so the two unused
		// vertices go; no two vertices are equal (seam and pole twins differ in UV), and the PLY is indexed, so
		// tangents cannot split one.
		const info = await assimpInfo(file);
		expect(info.vertices, info.text).toBe(17 * 33 - 2);
		expect(info.faces).toBe(960);
		expect(info.min.map((c) => +c.toFixed(4))).toEqual([-0.5, 0, -0.5]);
		expect(info.max.map((c) => +c.toFixed(4))).toEqual([0.5, 1, 0.5]);
	});

	it('writes vertex colours sRGB-encoded and leaves out absent attributes', async () => {
		const scene = coloredBoxScene();
		const [file] = writePly(scene);
		const ply = parsePly(file.bytes);
		expect(ply.properties.map((p) => `${p.type} ${p.name}`)).toEqual([
			'float x', 'float y', 'float z', 'float nx', 'float ny', 'float nz', 'uchar red', 'uchar green', 'uchar blue',
		]);
		// Vertex 2 of the box is at height 1: linear colour (0, 1, 0.2) → sRGB (0, 255, 124).
		expect(ply.vertex(2).y).toBe(1);
		expect([ply.vertex(2).red, ply.vertex(2).green, ply.vertex(2).blue]).toEqual([0, 255, 124]);

		const out = path.join(work, 'Painted.ply');
		writeFileSync(out, file.bytes);
		const info = await assimpInfo(out, { raw: true });
		expect([info.vertices, info.faces]).toEqual([24, 12]);
	});

	it('applies the profile: Unreal gets centimetres and Z up', async () => {
		const scene = await ballScene();
		const ply = parsePly(writePly(scene, { profile: PROFILES.unreal })[0].bytes);
		expect(ply.header[2]).toContain('(100 units per metre, Z up)');
		const [x, y, z] = scene.lods[0].positions.subarray(120, 123);
		const [nx, ny, nz] = scene.lods[0].normals!.subarray(120, 123);
		const v = ply.vertex(40);
		expect(v.x).toBeCloseTo(x * 100, 4);
		expect(v.y).toBeCloseTo(-z * 100, 4);
		expect(v.z).toBeCloseTo(y * 100, 4);
		expect([v.nx, v.ny, v.nz]).toEqual([nx, -nz, ny].map(Math.fround));
	});

	it('refuses broken scenes with E_EXPORT and a sentence', async () => {
		const scene = await ballScene();
		const nan = structuredClone(scene);
		nan.lods[0].positions[4] = Number.POSITIVE_INFINITY;
		const empty: ExportScene = { ...scene, lods: [{ positions: new Float32Array(0), indices: new Uint32Array(0), groups: [] }], lodRatios: [1] };
		for (const [broken, message] of [
			[nan, /non-finite coordinate \(vertex 1\)/],
			[empty, /Ball is empty: it has no triangles\. Export a mesh with geometry\./],
		] as const) {
			expect((await exportError(() => writePly(broken))).message).toMatch(message);
		}
	});
});
