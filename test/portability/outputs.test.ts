// Output names with Windows rules (path.win32) beside POSIX ones: `-o C:\out\spot.fbx` and the files written with it
// (named by the real exporter: `_LOD1`, `.mtl`, `_baseColor`), folders given with either separator, inputs that
// collide only by case, the extension's output folder and keep-both names, model names made from picture names
// that Windows could not write (forbidden characters, device names, trailing dots), and replacing a file that
// another program holds open.
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../../daemon/src/cli/files';
import { formatsFor, mainFile, outputTarget, placeFiles, planOutputs, type PathKind } from '../../daemon/src/cli/outputs';
import { exportScene } from '../../daemon/src/export/export';
import { modelName as daemonModelName, portableStem, safeName } from '../../daemon/src/naming';
import { clientPathProblem } from '../../daemon/src/paths';
import { freeName, includesPath, modelName, outputFolder } from '../../extension/src/outputs';
import { modelNameFromFront } from '../../extension/src/views';
import { checkerPng, material, sphereMesh } from '../helpers/export-scenes';
import { codeOf } from '../helpers/errors';
import type { ExportScene } from '../../daemon/src/export/scene';

const { win32, posix } = path;
const nothingOnDisk = (): PathKind => undefined;

/** A textured sphere named like `generate` names it, its texture `<name>_baseColor.png`. */
async function sceneNamed(name: string): Promise<ExportScene> {
	return { name, materials: [material(`${name}_material`, await checkerPng(64, `${name}_baseColor.png`))], lods: [sphereMesh(12, 24)], lodRatios: [1] };
}

/** The files the exporter writes for `-o out` and one picture, placed with the rules of `p`. */
async function written(out: string, picture: string, options: { formats?: ('glb' | 'fbx' | 'obj' | 'stl' | 'ply')[]; lods?: number[]; collider?: 'hull' }, p: typeof win32): Promise<string[]> {
	const target = outputTarget(out, p, nothingOnDisk);
	// `generate` writes the GLB beside any other format.
	const formats = [...new Set([...formatsFor(target, options.formats, ['glb'])!, 'glb' as const])];
	const [placement] = planOutputs([picture], target, 'images', p);
	const { files } = await exportScene(await sceneNamed(placement.name), { formats, lods: options.lods ?? [], collider: options.collider ?? 'none' });
	return placeFiles(files, placement, p);
}

describe('-o with Windows rules (cli/outputs.ts)', () => {
	it('reads -o C:\\out\\spot.fbx as the model file, its extension as the format, in any case', () => {
		expect(outputTarget('C:\\out\\spot.fbx', win32, nothingOnDisk)).toEqual({ kind: 'file', file: 'C:\\out\\spot.fbx', format: 'fbx', out: 'C:\\out\\spot.fbx' });
		expect(outputTarget('C:/out/Spot.FBX', win32, nothingOnDisk)).toMatchObject({ kind: 'file', file: 'C:\\out\\Spot.FBX', format: 'fbx' });
		const [placement] = planOutputs(['D:\\pictures\\photo.png'], outputTarget('C:\\out\\spot.fbx', win32, nothingOnDisk), 'images', win32);
		expect(placement).toEqual({ dir: 'C:\\out', name: 'spot', file: { path: 'C:\\out\\spot.fbx', format: 'fbx' } });
		expect(mainFile(placement, 'fbx', win32)).toBe('C:\\out\\spot.fbx');
	});

	it('reads a path ending in either separator, or an existing folder, as a folder', () => {
		expect(outputTarget('C:\\out\\', win32, nothingOnDisk)).toEqual({ kind: 'folder', dir: 'C:\\out' });
		expect(outputTarget('C:\\out\\models.glb\\', win32, nothingOnDisk)).toEqual({ kind: 'folder', dir: 'C:\\out\\models.glb' });
		expect(outputTarget('C:/out/models.glb/', win32, nothingOnDisk)).toEqual({ kind: 'folder', dir: 'C:\\out\\models.glb' });
		expect(outputTarget('C:\\out\\models.glb', win32, () => 'folder')).toEqual({ kind: 'folder', dir: 'C:\\out\\models.glb' });
		expect(codeOf(() => outputTarget('C:\\out\\notes', win32, () => 'file'))).toBe('E_PATH');
		// Under POSIX rules a backslash is part of a name: `models.glb\` names a file with no model extension, a folder.
		expect(outputTarget('/out/models.glb\\', posix, nothingOnDisk)).toEqual({ kind: 'folder', dir: '/out/models.glb\\' });
		expect(outputTarget('/out/models.glb/', posix, nothingOnDisk)).toEqual({ kind: 'folder', dir: '/out/models.glb' });
	});

	it('refuses -o naming a Windows device, which no file can be', () => {
		expect(codeOf(() => outputTarget('C:\\out\\con.fbx', win32, nothingOnDisk))).toBe('E_PATH');
		expect(codeOf(() => outputTarget('C:\\out\\NUL.glb', win32, nothingOnDisk))).toBe('E_PATH');
		expect(outputTarget('/out/con.fbx', posix, nothingOnDisk)).toMatchObject({ kind: 'file', file: '/out/con.fbx' });
	});

	it('writes the companions of -o C:\\out\\spot.obj beside it under its name: the MTL and the texture', async () => {
		const files = await written('C:\\out\\spot.obj', 'D:\\pictures\\photo.png', {}, win32);
		expect(files).toEqual(expect.arrayContaining(['C:\\out\\spot.obj', 'C:\\out\\spot.mtl', 'C:\\out\\spot_baseColor.png', 'C:\\out\\spot.glb']));
		for (const file of files) expect(win32.dirname(file)).toBe('C:\\out');
	});

	it('writes one STL per LOD level and the collider beside -o C:\\out\\spot.stl', async () => {
		const files = await written('C:\\out\\spot.stl', 'D:\\pictures\\photo.png', { lods: [1, 0.5], collider: 'hull' }, win32);
		expect(files).toEqual(expect.arrayContaining(['C:\\out\\spot.stl', 'C:\\out\\spot_LOD1.stl', 'C:\\out\\spot_Collider.stl', 'C:\\out\\spot.glb']));
		const posixFiles = await written('/out/spot.stl', '/pictures/photo.png', { lods: [1, 0.5], collider: 'hull' }, posix);
		expect(posixFiles.map((f) => posix.basename(f)).sort()).toEqual(files.map((f) => win32.basename(f)).sort());
	});

	it('puts the files of -o C:\\out\\ beside each other, named after each picture', async () => {
		const files = await written('C:\\out\\', 'D:\\pictures\\Spot.png', { formats: ['fbx'] }, win32);
		expect(files.sort()).toEqual(['C:\\out\\Spot.fbx', 'C:\\out\\Spot.glb']);
	});

	it('refuses two pictures whose files differ only by case in one folder on Windows, not on POSIX', () => {
		const windowsInputs = ['C:\\pics\\Cat.png', 'C:\\pics\\cat.jpg'];
		expect(codeOf(() => planOutputs(windowsInputs, { kind: 'folder' }, 'images', win32))).toBe('E_PATH');
		expect(planOutputs(['/pics/Cat.png', '/pics/cat.jpg'], { kind: 'folder' }, 'images', posix).map((p) => p.name)).toEqual(['Cat', 'cat']);
		expect(planOutputs(['C:\\a\\cat.png', 'C:\\b\\cat.png'], { kind: 'folder' }, 'images', win32).map((p) => p.dir)).toEqual(['C:\\a', 'C:\\b']);
	});
});

describe('names from picture names (naming.ts)', () => {
	it('takes the name from a Windows path under Windows rules; POSIX rules would keep the folders in it', () => {
		expect(daemonModelName('C:\\pics\\spot.png', win32)).toBe('spot');
		expect(daemonModelName('C:\\pics\\spot.png', posix)).toBe('C_pics_spot');
		expect(daemonModelName('/pics/spot.png', posix)).toBe('spot');
	});

	it('reduces characters Windows forbids and device names to names every system writes', async () => {
		const pictures = ['C:\\pics\\a<b>.png', 'C:\\pics\\what?.png', 'C:\\pics\\x"y|z*.png', 'C:\\pics\\con.png', 'C:\\pics\\NUL.jpg', 'C:\\pics\\com1.png', 'C:\\pics\\lpt².png', 'C:\\pics\\.png', 'C:\\pics\\chat noir.png'];
		const names = pictures.map((picture) => daemonModelName(picture, win32));
		expect(names).toEqual(['a_b', 'what', 'x_y_z', 'con_', 'NUL_', 'com1_', 'lpt²_', 'model', 'chat_noir']);
		// Every file the exporter writes for them, LODs and texture included, is a file name on Windows.
		for (const name of names) {
			const { files } = await exportScene(await sceneNamed(name), { formats: ['obj', 'stl', 'glb'], lods: [1, 0.5] });
			for (const file of files) expect(clientPathProblem(`C:\\out\\${file.name}`, win32), file.name).toBeUndefined();
		}
		expect(safeName('  ')).toBe('model');
	});

	it('keeps dots, spaces and accents in the extension names, without what Windows cannot write', () => {
		expect(portableStem('chair: v2?')).toBe('chair_ v2_');
		expect(portableStem('Café crème')).toBe('Café crème');
		expect(portableStem('model.')).toBe('model');
		expect(portableStem('model . ')).toBe('model');
		expect(portableStem('CON')).toBe('CON_');
		expect(portableStem('nul.photo')).toBe('nul_.photo');
		expect(portableStem('...')).toBe('model');
		expect(portableStem('a\tb')).toBe('a_b');
	});
});

describe("the extension's output files (extension/src/outputs.ts)", () => {
	it('puts models beside the picture, in a folder relative to it, or an absolute one, on Windows', () => {
		expect(outputFolder('C:\\work\\pics\\cat.png', '', win32)).toBe('C:\\work\\pics');
		expect(outputFolder('C:\\work\\pics\\cat.png', 'models', win32)).toBe('C:\\work\\pics\\models');
		expect(outputFolder('C:\\work\\pics\\cat.png', '..\\out', win32)).toBe('C:\\work\\out');
		expect(outputFolder('C:\\work\\pics\\cat.png', '../out', win32)).toBe('C:\\work\\out');
		expect(outputFolder('C:\\work\\pics\\cat.png', 'D:\\models', win32)).toBe('D:\\models');
		expect(outputFolder('\\\\nas\\team\\pics\\cat.png', 'models', win32)).toBe('\\\\nas\\team\\pics\\models');
		expect(outputFolder('/work/pics/cat.png', '../out', posix)).toBe('/work/out');
	});

	it('names the model after the picture, as a name Windows can write', () => {
		expect(modelName('C:\\pics\\cat.photo.png', win32)).toBe('cat.photo');
		expect(modelName('C:\\pics\\con.png', win32)).toBe('con_');
		expect(modelName('/pics/a:b.png', posix)).toBe('a_b');
		expect(modelNameFromFront('/pics/CON_front.png')).toBe('CON_');
		expect(modelNameFromFront('/pics/chair._front.png')).toBe('chair');
	});

	it('keeps both with name-1, name-2… in a Windows folder, whose names compare without case', () => {
		const taken = new Set(['c:\\out\\cat.glb', 'c:\\out\\cat-1.glb']);
		const exists = (file: string) => taken.has(file.toLowerCase());
		expect(freeName('C:\\Out\\Cat.glb', exists, win32)).toBe('C:\\Out\\Cat-2.glb');
		expect(freeName('C:\\Out\\dog.glb', exists, win32)).toBe('C:\\Out\\dog.glb');
		// A dot in a folder's name is not an extension.
		expect(freeName('C:\\my.models\\cat', (f) => f === 'C:\\my.models\\cat', win32)).toBe('C:\\my.models\\cat-1');
		const posixTaken = new Set(['/out/cat.glb']);
		expect(freeName('/out/Cat.glb', (f) => posixTaken.has(f), posix)).toBe('/out/Cat.glb');
	});

	it('treats two targets that differ by case as one file on Windows', () => {
		expect(includesPath(['C:\\out\\Cat.glb'], 'c:\\OUT\\cat.glb', win32)).toBe(true);
		expect(includesPath(['/out/Cat.glb'], '/out/cat.glb', posix)).toBe(false);
	});
});

describe('replacing a file another program holds (cli/files.ts)', () => {
	const held = (code: string) => Object.assign(new Error(`${code}: operation not permitted, rename`), { code });

	it('tries the rename again while Windows refuses it, and writes the file once it is let go', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-held-'));
		try {
			const target = path.join(dir, 'cat.glb');
			let refusals = 2;
			await writeAtomically(target, new Uint8Array([1, 2, 3]), async (from, to) => {
				if (refusals-- > 0) throw held('EPERM');
				renameSync(from, to);
			});
			expect([...readFileSync(target)]).toEqual([1, 2, 3]);
			expect(readdirSync(dir)).toEqual(['cat.glb']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('gives up with E_PATH naming the file when it stays held, and leaves no temporary file', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-held-'));
		try {
			const target = path.join(dir, 'cat.glb');
			const error = await writeAtomically(target, new Uint8Array([1]), async () => {
				throw held('EBUSY');
			}).catch((e: unknown) => e);
			expect(error).toMatchObject({ code: 'E_PATH', message: expect.stringContaining(`${target} cannot be replaced (EBUSY)`) });
			expect(readdirSync(dir)).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
