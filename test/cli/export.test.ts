// `orfeas export` and `generate --format` as a user meets them: the real bundled executable converting files
// written here (an OBJ with its MTL and texture, a GLB), read back by assimp; exit codes and sentences for
// everything that can go wrong.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
		expect(self.stderr).toMatch(/would replace the input .*Crate\.glb\. Pass -o with another folder or file name\. \[E_PATH\]/);
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

describe('orfeas export -o FILE', () => {
	it('writes the file -o names, not a folder of that name, in the format its extension picks', async () => {
		const run = orfeas(['export', 'Ball.obj', '--format', 'fbx', '-o', 'named/x.fbx'], dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^✓ Ball\.obj → named\/x\.fbx: 9024 triangles, \d+ ms\n$/);
		// `export` writes only the formats asked for: no GLB beside the FBX.
		expect(readdirSync(path.join(dir, 'named'))).toEqual(['x.fbx']);
		expect(statSync(path.join(dir, 'named/x.fbx')).isFile()).toBe(true);
		const info = await assimpInfo(path.join(dir, 'named/x.fbx'));
		expect(info.nodeNames).toContain('x');
		expect(info.embeddedTextures).toBe(1);
	});

	it('names every LOD file after the stem, whatever the case of the extension', () => {
		const run = orfeas(['export', 'Ball.obj', '--lods', '1,0.5', '-o', 'levels/x.stl'], dir);
		expect(run.code).toBe(0);
		expect(readdirSync(path.join(dir, 'levels')).sort()).toEqual(['x.stl', 'x_LOD1.stl']);
		expect(run.stdout).toMatch(/^✓ Ball\.obj → levels\/x\.stl \(\+ levels\/x_LOD1\.stl\): 9024\/4512 triangles/);
		expect(orfeas(['export', 'Crate.glb', '-o', 'caps/Box.STL'], dir).code).toBe(0);
		expect(readdirSync(path.join(dir, 'caps'))).toEqual(['Box.STL']);
	});

	it('writes an OBJ whose MTL and texture are named after it and found by their references', () => {
		const run = orfeas(['export', 'Ball.obj', '-o', 'objs/x.obj'], dir);
		expect(run.code).toBe(0);
		const out = path.join(dir, 'objs');
		expect(readdirSync(out).sort()).toEqual(['x.mtl', 'x.obj', 'x_baseColor.png']);
		expect(references(path.join(out, 'x.obj'), 'mtllib')).toEqual(['x.mtl']);
		expect(references(path.join(out, 'x.mtl'), 'map_Kd')).toEqual(['x_baseColor.png']);
		expect(readFileSync(path.join(out, 'x_baseColor.png'))).toEqual(readFileSync(path.join(dir, 'Ball_baseColor.png')));
	});

	it('treats an existing folder or a path ending in / as a folder, whatever its extension', () => {
		mkdirSync(path.join(dir, 'kept.fbx'));
		expect(orfeas(['export', 'Crate.glb', '--format', 'fbx', '-o', 'kept.fbx'], dir).code).toBe(0);
		expect(readdirSync(path.join(dir, 'kept.fbx'))).toEqual(['Crate.fbx']);
		expect(orfeas(['export', 'Crate.glb', '--format', 'fbx', '-o', 'trail/x.fbx/'], dir).code).toBe(0);
		expect(readdirSync(path.join(dir, 'trail/x.fbx'))).toEqual(['Crate.fbx']);
	});

	it('answers -o FILE that cannot be honoured with exit code 2 and a sentence, writing nothing', () => {
		const clash = orfeas(['export', 'Ball.obj', '--format', 'obj', '-o', 'clash/x.fbx'], dir);
		expect(clash.code).toBe(2);
		expect(clash.stderr).toMatch(/-o clash\/x\.fbx names a \.fbx file, but --format asks for obj\. Leave out --format, add fbx to it, or end -o in \.obj\. \[E_BAD_MESSAGE\]/);
		const two = orfeas(['export', 'Ball.obj', 'Crate.glb', '-o', 'two/a.fbx'], dir);
		expect(two.code).toBe(2);
		expect(two.stderr).toMatch(/-o two\/a\.fbx names one file, but 2 models were given\. Pass a folder with -o .*\[E_PATH\]/);
		for (const run of [clash, two]) expect(run.stderr).not.toMatch(STACK);
		expect(existsSync(path.join(dir, 'clash'))).toBe(false);
		expect(existsSync(path.join(dir, 'two'))).toBe(false);
	});

	it('refuses when any file it would write exists, before writing one, unless --force', () => {
		const out = path.join(dir, 'guard');
		mkdirSync(out);
		writeFileSync(path.join(out, 'x_LOD1.stl'), 'precious');
		const refused = orfeas(['export', 'Ball.obj', '--lods', '1,0.5', '-o', 'guard/x.stl'], dir);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/x_LOD1\.stl already exists\. Pass --force to replace it.*\[E_PATH\]/);
		expect(readdirSync(out)).toEqual(['x_LOD1.stl']);
		expect(readFileSync(path.join(out, 'x_LOD1.stl'), 'utf8')).toBe('precious');
		expect(orfeas(['export', 'Ball.obj', '--lods', '1,0.5', '-o', 'guard/x.stl', '--force'], dir).code).toBe(0);
		expect(readFileSync(path.join(out, 'x_LOD1.stl')).subarray(0, 6).toString()).toBe('Orfeas');
	});
});

/** The file names a `keyword` line of an OBJ or MTL refers to; each must exist beside it. */
function references(file: string, keyword: string): string[] {
	const names = readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.startsWith(`${keyword} `))
		.map((line) => line.slice(keyword.length + 1).trim());
	for (const name of names) expect(existsSync(path.join(path.dirname(file), name)), `${file} names ${name}`).toBe(true);
	return names;
}

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
