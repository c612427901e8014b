// The command line as a user meets it: the real bundled executable, real files, exit codes and messages.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlb } from '../../daemon/src/quality/glb';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import { ALL_FIXTURES, badImages } from '../fixtures/images';
import { ensureBuilt, orfeas } from '../helpers/cli';
import { sheetPng, viewPng, type ViewObject } from '../helpers/views';
import { weldByPosition } from '../helpers/weld';

const STACK = /\n\s+at\s/;
let dir: string;

beforeAll(async () => {
	ensureBuilt();
	dir = mkdtempSync(path.join(tmpdir(), 'orfeas-cli-'));
	writeFileSync(path.join(dir, 'disc.png'), (await ALL_FIXTURES.disc()).bytes);
	writeFileSync(path.join(dir, 'ring.png'), (await ALL_FIXTURES.ring()).bytes);
	writeFileSync(path.join(dir, 'broken.png'), badImages().truncatedPng);
	writeFileSync(path.join(dir, 'notes.png'), badImages().textAsPng);
	writeFileSync(path.join(dir, 'empty.png'), badImages().zeroBytes);
	writeFileSync(path.join(dir, 'bomb.png'), badImages().pixelBomb);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('orfeas generate', () => {
	it('writes a watertight GLB beside the image and prints a stats line', async () => {
		const run = orfeas(['generate', 'disc.png'], dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^✓ disc\.png → disc\.glb: \d+ vertices, \d+ triangles, \d+ ms\n$/);
		const mesh = await readGlb(readFileSync(path.join(dir, 'disc.glb')));
		expect(analyzeTopology(mesh.positions, mesh.indices).watertight).toBe(true);
	});

	it('runs a batch, reports each image as a JSON line, and fails only the bad ones', () => {
		const out = path.join(dir, 'batch');
		const run = orfeas(['generate', 'ring.png', 'broken.png', 'notes.png', 'disc.png', '-o', out, '--json', '--resolution', '96'], dir);
		expect(run.code).toBe(1);
		const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
		expect(lines.map((l) => [path.basename(l.input), l.ok, l.code])).toEqual([
			['ring.png', true, undefined],
			['broken.png', false, 'E_IMAGE_DECODE'],
			['notes.png', false, 'E_IMAGE_DECODE'],
			['disc.png', true, undefined],
		]);
		expect(lines[0].stats.triangles).toBeGreaterThan(100);
		expect(Object.keys(lines[0].stats.ms)).toEqual(['decode', 'segment', 'shape', 'mesh', 'texture', 'optimize', 'export']);
		expect(existsSync(path.join(out, 'ring.glb'))).toBe(true);
		expect(existsSync(path.join(out, 'disc.glb'))).toBe(true);
		expect(existsSync(path.join(out, 'broken.glb'))).toBe(false);
	});

	it('explains failures in one line each, without a stack trace', () => {
		const run = orfeas(['generate', 'notes.png', 'missing.png', 'empty.png', 'broken.png', 'bomb.png', '-o', 'x'], dir);
		expect(run.code).toBe(1);
		const lines = run.stderr.trim().split('\n');
		expect(lines).toHaveLength(5);
		expect(lines[0]).toMatch(/^✗ notes\.png: .+ \[E_IMAGE_DECODE\]$/);
		expect(lines[1]).toMatch(/^✗ missing\.png: .*does not exist.* \[E_NOT_FOUND\]$/);
		expect(lines[2]).toMatch(/^✗ empty\.png: .*empty.* \[E_IMAGE_DECODE\]$/);
		expect(lines[3]).toMatch(/^✗ broken\.png: .*damaged or incomplete.* \[E_IMAGE_DECODE\]$/);
		expect(lines[4]).toMatch(/^✗ bomb\.png: .*20000×20000.*limit.* \[E_IMAGE_TOO_LARGE\]$/);
		expect(run.stderr).not.toMatch(STACK);
	});

	it('never replaces an existing model without --force', () => {
		const target = path.join(dir, 'keep.glb');
		writeFileSync(target, 'precious');
		const refused = orfeas(['generate', 'disc.png', '-o', target], dir);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/already exists.*--force.*\[E_PATH\]/);
		expect(readFileSync(target, 'utf8')).toBe('precious');
		const forced = orfeas(['generate', 'disc.png', '-o', target, '--force'], dir);
		expect(forced.code).toBe(0);
		expect(readFileSync(target).subarray(0, 4).toString()).toBe('glTF');
	});

	it('rejects bad usage with exit code 2 and a hint', () => {
		const twoIntoOne = orfeas(['generate', 'disc.png', 'ring.png', '-o', 'one.glb'], dir);
		expect(twoIntoOne.code).toBe(2);
		expect(twoIntoOne.stderr).toMatch(/names one file.*\[E_PATH\]/);
		const badValue = orfeas(['generate', 'disc.png', '--texture-size', '100'], dir);
		expect(badValue.code).toBe(2);
		expect(badValue.stderr).toMatch(/texture-size.*512 to 4096/);
		const badMode = orfeas(['generate', 'disc.png', '--segmentation', 'magic', '--home', dir, '-o', 'magic'], dir);
		expect(badMode.code).toBe(1);
		expect(badMode.stderr).toMatch(/"magic" is not installed.*auto, alpha, chroma.*\[E_MODEL_MISSING\]/);
	});

	it('writes the model file -o names, in the format its extension picks, with its companions beside it', () => {
		const run = orfeas(['generate', 'disc.png', '--resolution', '64', '-o', 'named/m.obj'], dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^✓ disc\.png → named\/m\.obj \(\+ named\/m\.glb, named\/m\.mtl, named\/m_baseColor\.jpg\): /);
		const out = path.join(dir, 'named');
		// The GLB is always kept beside other formats: editors preview it.
		expect(readdirSync(out).sort()).toEqual(['m.glb', 'm.mtl', 'm.obj', 'm_baseColor.jpg']);
		expect(statSync(path.join(out, 'm.obj')).isFile()).toBe(true);
		expect(lines(path.join(out, 'm.obj'), 'mtllib')).toEqual(['m.mtl']);
		expect(lines(path.join(out, 'm.mtl'), 'map_Kd')).toEqual(['m_baseColor.jpg']);
		for (const name of ['m.mtl', 'm_baseColor.jpg']) expect(existsSync(path.join(out, name))).toBe(true);
	});

	it('keeps -o FILE.glb with any --format, since the GLB is written anyway', () => {
		const run = orfeas(['generate', 'disc.png', '--resolution', '64', '--format', 'stl', '-o', 'both/m.glb'], dir);
		expect(run.code).toBe(0);
		expect(readdirSync(path.join(dir, 'both')).sort()).toEqual(['m.glb', 'm.stl']);
	});

	it('answers -o FILE that cannot be honoured with exit code 2, writing nothing', () => {
		const clash = orfeas(['generate', 'disc.png', '--format', 'fbx', '-o', 'clash/m.obj'], dir);
		expect(clash.code).toBe(2);
		expect(clash.stderr).toMatch(/-o clash\/m\.obj names a \.obj file, but --format asks for fbx\..*\[E_BAD_MESSAGE\]/);
		const two = orfeas(['generate', 'disc.png', 'ring.png', '-o', 'two/m.fbx'], dir);
		expect(two.code).toBe(2);
		expect(two.stderr).toMatch(/-o two\/m\.fbx names one file, but 2 images were given.*\[E_PATH\]/);
		expect(existsSync(path.join(dir, 'clash'))).toBe(false);
		expect(existsSync(path.join(dir, 'two'))).toBe(false);
	});

	it('uses the built-in sample when no image is given', async () => {
		const out = path.join(dir, 'sample');
		const run = orfeas(['generate', '-o', out], dir);
		expect(run.code).toBe(0);
		expect(run.stderr).toMatch(/built-in sample/);
		const mesh = await readGlb(readFileSync(path.join(out, 'orfeas-sample.glb')));
		const report = analyzeTopology(mesh.positions, mesh.indices);
		// The sample is a donut: one closed surface with one tunnel.
		expect(report).toMatchObject({ watertight: true, genus: 1, components: 1 });
	});

	it('prints its version and help', () => {
		expect(orfeas(['--version'], dir).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
		const help = orfeas(['generate', '--help'], dir);
		expect(help.code).toBe(0);
		expect(help.stdout).toMatch(/--resolution <n>[^-]*\(default: 256\)/);
	});
});

/** What the `keyword` lines of an OBJ or MTL name (mtllib, map_Kd). */
function lines(file: string, keyword: string): string[] {
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.startsWith(`${keyword} `))
		.map((line) => line.slice(keyword.length + 1).trim());
}

describe('orfeas generate with several views', () => {
	const BOX: ViewObject = { shape: 'box', width: 120, height: 90, depth: 60 };
	const SMALL = ['--resolution', '96', '--texture-size', '512', '--max-triangles', '5000'];

	beforeAll(() => {
		for (const view of ['front', 'right', 'top'] as const) writeFileSync(path.join(dir, `crate_${view}.png`), viewPng(BOX, view));
		writeFileSync(path.join(dir, 'crate_sheet.png'), sheetPng(BOX, ['front', 'right'], { background: [235, 235, 235], size: 200 }));
	});

	it('carves --right and --top into one model with the views\' depth and reports how each view agrees', async () => {
		const run = orfeas(['generate', 'crate_front.png', '--right', 'crate_right.png', '--top', 'crate_top.png', '-o', 'crate.glb', ...SMALL], dir);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(/✓ crate_front\.png → crate\.glb: .*; views front 0\.\d\d, top 0\.\d\d, right 0\.\d\d|views front 1\.00/);
		const mesh = await readGlb(readFileSync(path.join(dir, 'crate.glb')));
		expect(analyzeTopology(weldByPosition(mesh).positions, weldByPosition(mesh).indices).watertight).toBe(true);
		let [zMin, zMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
		for (let k = 0; k < mesh.positions.length; k += 3) {
			[yMin, yMax] = [Math.min(yMin, mesh.positions[k + 1]), Math.max(yMax, mesh.positions[k + 1])];
			[zMin, zMax] = [Math.min(zMin, mesh.positions[k + 2]), Math.max(zMax, mesh.positions[k + 2])];
		}
		expect((zMax - zMin) / (yMax - yMin)).toBeCloseTo(BOX.depth / BOX.height, 1);
	});

	it('splits --sheet by --sheet-views', () => {
		const run = orfeas(['generate', '--sheet', 'crate_sheet.png', '--sheet-views', 'front,right', ...SMALL, '--force'], dir);
		expect(run.code, run.stderr).toBe(0);
		expect(existsSync(path.join(dir, 'crate_sheet.glb'))).toBe(true);
		const wrong = orfeas(['generate', '--sheet', 'crate_sheet.png', '--sheet-views', 'front,right,back', ...SMALL, '--force'], dir);
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toMatch(/2 figures were found.*\[E_SHEET\]/);
	});

	it('says how to give views when the flags do not fit, with exit code 2', () => {
		const cases = [
			['generate', 'crate_front.png', 'disc.png', '--right', 'crate_right.png'],
			['generate', '--sheet', 'crate_sheet.png'],
			['generate', 'crate_front.png', '--sheet', 'crate_sheet.png', '--sheet-views', 'front,right'],
			['generate', '--sheet', 'crate_sheet.png', '--sheet-views', 'right,back'],
			['generate', '--sheet', 'crate_sheet.png', '--sheet-views', 'front,side'],
		];
		for (const args of cases) {
			const run = orfeas(args, dir);
			expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
			expect(run.stderr).not.toMatch(STACK);
			expect(run.stderr.length).toBeGreaterThan(20);
		}
		const broken = orfeas(['generate', 'crate_front.png', '--top', 'broken.png', ...SMALL, '--force'], dir);
		expect(broken.code).toBe(1);
		expect(broken.stderr).toMatch(/The top view: .*\[E_IMAGE_DECODE\]/);
	});
});
