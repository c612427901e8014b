// `orfeas export` and `generate --format` as a user meets them: the real bundled executable converting files
// written here (an OBJ with its MTL and texture, a GLB), read back by assimp; exit codes and sentences for
// everything that can go wrong.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { loadGlb } from '../../daemon/src/export/load-glb';
import { writeObj } from '../../daemon/src/export/obj';
import { ALL_FIXTURES } from '../fixtures/images';
import { assimpInfo } from '../helpers/assimp';
import { ensureBuilt, orfeas } from '../helpers/cli';
import { texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';

const STACK = /\n\s+at\s/;
let dir: string;

beforeAll(async () => {
	ensureBuilt();
	dir = mkdtempSync(path.join(tmpdir(), 'orfeas-cli-export-'));
	for (const file of writeObj(await texturedSphereScene('Ball'))) writeFileSync(path.join(dir, file.name), file.bytes);
	writeFileSync(path.join(dir, 'Crate.glb'), (await writeSceneGlb(await texturedBoxScene('Crate')))[0].bytes);
	writeFileSync(path.join(dir, 'disc.png'), (await ALL_FIXTURES.disc()).bytes);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('orfeas export', () => {
	it('converts an OBJ with its MTL and texture to FBX for Unity with an LOD chain and a hull', async () => {
		const out = path.join(dir, 'unity');
		const run = orfeas(['export', 'Ball.obj', '--profile', 'unity', '--lods', '1,0.5,0.25', '--collider', 'hull', '-o', out], dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^✓ Ball\.obj → unity\/Ball\.fbx: 9024\/4512\/2256 triangles, \d+ ms\n$/);
		expect(readdirSync(out)).toEqual(['Ball.fbx']);
		const info = await assimpInfo(path.join(out, 'Ball.fbx'));
		expect(info.nodeNames).toEqual(['RootNode', 'Ball', 'Ball_LOD0', 'Ball_LOD1', 'Ball_LOD2', 'Ball_Collider']);
		expect(info.embeddedTextures).toBe(1);
	});

	it('converts a GLB to several formats at once and reports them as JSON', async () => {
		const out = path.join(dir, 'many');
		const run = orfeas(['export', 'Crate.glb', '--format', 'obj,stl,glb', '--json', '-o', out], dir);
		expect(run.code).toBe(0);
		const outcome = JSON.parse(run.stdout);
		expect(outcome).toMatchObject({ ok: true, triangles: [12] });
		expect(outcome.files.map((f: { format: string }) => f.format)).toEqual(['obj', 'mtl', 'png', 'stl', 'glb']);
		expect((await assimpInfo(path.join(out, 'Crate.obj'))).faces).toBe(12);
		expect((await loadGlb(readFileSync(path.join(out, 'Crate.glb')))).lods[0].indices.length).toBe(36);
	});

	it('never replaces a file without --force, nor the input even with it', () => {
		const out = path.join(dir, 'twice');
		expect(orfeas(['export', 'Crate.glb', '--format', 'stl', '-o', out], dir).code).toBe(0);
		const again = orfeas(['export', 'Crate.glb', '--format', 'stl', '-o', out], dir);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/Crate\.stl already exists\. Pass --force to replace it, or -o to write elsewhere\. \[E_PATH\]/);
		expect(orfeas(['export', 'Crate.glb', '--format', 'stl', '-o', out, '--force'], dir).code).toBe(0);
		const self = orfeas(['export', 'Crate.glb', '--format', 'glb', '--force'], dir);
		expect(self.code).toBe(1);
		expect(self.stderr).toMatch(/would replace the input .*Crate\.glb\. Pass -o with another folder\. \[E_PATH\]/);
		expect(existsSync(path.join(dir, 'Crate.glb'))).toBe(true);
	});

	it('answers bad inputs with a sentence and a code, never a stack trace', () => {
		writeFileSync(path.join(dir, 'Lost.obj'), 'mtllib Lost.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n');
		writeFileSync(path.join(dir, 'Line.obj'), 'v 0 0 0\nv 1 0 0\nf 1 2\n');
		writeFileSync(path.join(dir, 'model.fbx'), 'not ours to read');
		const cases: [string[], RegExp, number][] = [
			[['export', 'Missing.obj', '--format', 'stl'], /Missing\.obj does not exist\. Check the path\. \[E_NOT_FOUND\]/, 1],
			[['export', 'Lost.obj', '--format', 'stl'], /Lost\.mtl.*\[E_EXPORT\]/, 1],
			[['export', 'Line.obj', '--format', 'stl'], /a face needs at least 3 vertices.*\[E_EXPORT\]/, 1],
			[['export', 'model.fbx'], /not a \.glb or \.obj file.*\[E_EXPORT\]/, 1],
			[['export', 'Crate.glb', '--lods', '0.5,1'], /--lods.*decreasing ratios/, 2],
			[['export', 'Crate.glb', '--format', 'dae'], /unknown format dae/, 2],
		];
		for (const [args, message, code] of cases) {
			const run = orfeas(args, dir);
			expect(run.code, args.join(' ')).toBe(code);
			expect(run.stderr, args.join(' ')).toMatch(message);
			expect(run.stderr).not.toMatch(STACK);
		}
	});
});

describe('orfeas generate --format', () => {
	it('writes the asked-for formats beside the GLB', async () => {
		const out = path.join(dir, 'generated');
		const run = orfeas(['generate', 'disc.png', '--resolution', '64', '--format', 'fbx,ply', '--profile', 'unreal', '--collider', 'mesh', '-o', out], dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(readdirSync(out).sort()).toEqual(['UCX_disc_00.ply', 'disc.fbx', 'disc.glb', 'disc.ply', 'disc_baseColor.jpg']);
		expect(run.stdout).toMatch(/^✓ disc\.png → generated\/disc\.glb \(\+ generated\/disc\.fbx, generated\/disc\.ply, generated\/UCX_disc_00\.ply, generated\/disc_baseColor\.jpg\): /);
		const info = await assimpInfo(path.join(out, 'disc.fbx'));
		expect(info.max[2] - info.min[2]).toBeCloseTo(100, 0);
	});
});
