// The daemon's path checks run with Windows rules (path.win32) on this machine, beside the same inputs under POSIX
// rules: containment in a folder (`..`, another drive, case, the long-path prefix, shares, trailing dots), the
// shapes of client-named paths Windows must refuse (devices, shares, streams), and the checks of pictures, scene
// files, home folder names and a .gltf's resources built on them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contains, inside } from '../../daemon/src/jobs/home';
import { clientPathProblem, comparable, isDeviceName, samePath, withoutLongPrefix } from '../../daemon/src/paths';
import { resolveSceneFile } from '../../daemon/src/scene/models';
import { checkImagePath } from '../../daemon/src/server/images';
import { resourceFile } from '../../extension/src/preview/resources';
import { codeOf } from '../helpers/errors';

const { win32, posix } = path;

describe('contains, with Windows rules', () => {
	it('takes the folder and what lies beneath it, whatever the case and the separators', () => {
		expect(contains('C:\\work', 'C:\\work', win32)).toBe(true);
		expect(contains('C:\\work', 'C:\\work\\pics\\cat.png', win32)).toBe(true);
		expect(contains('C:\\work', 'c:\\WORK\\Pics\\cat.png', win32)).toBe(true);
		expect(contains('C:\\Work\\', 'C:/work/pics/cat.png', win32)).toBe(true);
		// A name that begins with two dots is not a step up.
		expect(contains('C:\\work', 'C:\\work\\..cat.png', win32)).toBe(true);
	});

	it('refuses what climbs out, another drive, a longer name and a share', () => {
		expect(contains('C:\\work', 'C:\\work\\..\\other', win32)).toBe(false);
		expect(contains('C:\\work', 'C:\\work\\pics\\..\\..\\other\\x.png', win32)).toBe(false);
		expect(contains('C:\\work', 'D:\\work\\x.png', win32)).toBe(false);
		expect(contains('C:\\work', 'C:\\workshop\\x.png', win32)).toBe(false);
		expect(contains('C:\\work', '\\\\server\\share\\work\\x.png', win32)).toBe(false);
		expect(contains('C:\\work', '\\\\?\\D:\\work\\x.png', win32)).toBe(false);
	});

	it('sees through the long-path prefix and the dots and spaces Windows drops from a name', () => {
		expect(contains('C:\\work', '\\\\?\\C:\\work\\x.png', win32)).toBe(true);
		expect(contains('\\\\?\\C:\\work', 'C:\\work\\x.png', win32)).toBe(true);
		expect(contains('C:\\work', 'C:\\work.\\x.png', win32)).toBe(true);
		expect(contains('C:\\work', 'C:\\work \\x.png', win32)).toBe(true);
		expect(contains('\\\\server\\share\\work', '\\\\SERVER\\Share\\Work\\x.png', win32)).toBe(true);
		expect(contains('\\\\server\\share\\work', '\\\\?\\UNC\\server\\share\\work\\x.png', win32)).toBe(true);
		expect(contains('\\\\server\\share\\work', '\\\\server\\other\\work\\x.png', win32)).toBe(false);
	});

	it('compares case-sensitively and takes backslashes as name characters under POSIX rules', () => {
		expect(contains('/work', '/work/pics/cat.png', posix)).toBe(true);
		expect(contains('/work', '/work/../other', posix)).toBe(false);
		expect(contains('/work', '/Work/pics/cat.png', posix)).toBe(false);
		expect(contains('/work', '/workshop/x', posix)).toBe(false);
		expect(contains('/work', '/work/a\\..\\..\\x', posix)).toBe(true);
	});

	it('inside() builds names under a Windows folder and refuses the ones that leave it', () => {
		expect(inside('C:\\Users\\ana\\.orfeas\\jobs', 'j_abc', win32)).toBe('C:\\Users\\ana\\.orfeas\\jobs\\j_abc');
		expect(() => inside('C:\\h\\jobs', '..\\daemon.json', win32)).toThrow();
		expect(() => inside('C:\\h\\jobs', '../daemon.json', win32)).toThrow();
		expect(() => inside('C:\\h\\jobs', '.', win32)).toThrow();
		expect(() => inside('C:\\h\\jobs', 'D:\\x', win32)).toThrow();
	});
});

describe('comparing Windows paths', () => {
	it('drops the long-path prefix, keeping a share a share', () => {
		expect(withoutLongPrefix('\\\\?\\C:\\work\\x', win32)).toBe('C:\\work\\x');
		expect(withoutLongPrefix('\\\\?\\UNC\\server\\share\\x', win32)).toBe('\\\\server\\share\\x');
		expect(withoutLongPrefix('\\\\?\\C:\\work\\x', posix)).toBe('\\\\?\\C:\\work\\x');
	});

	it('names one file by paths that differ in case, separators, prefix or trailing dots', () => {
		expect(samePath('C:\\Models\\Cat.glb', 'c:/models/cat.glb', win32)).toBe(true);
		expect(samePath('C:\\Models\\Cat.glb', '\\\\?\\C:\\MODELS\\cat.GLB', win32)).toBe(true);
		expect(samePath('C:\\Models\\cat.glb.', 'C:\\Models\\cat.glb', win32)).toBe(true);
		expect(samePath('C:\\Models\\cat.glb', 'D:\\Models\\cat.glb', win32)).toBe(false);
		expect(samePath('/models/Cat.glb', '/models/cat.glb', posix)).toBe(false);
		expect(comparable('C:\\A\\..\\B\\.\\c', win32)).toBe('c:\\b\\c');
	});
});

describe('client-named paths with Windows rules', () => {
	it('takes full paths from a drive letter, either separator', () => {
		for (const given of ['C:\\pics\\cat.png', 'c:/pics/cat.png', 'D:\\My Pictures\\chat (1).png', 'C:\\pics\\console.png', 'C:\\pics\\com10.png']) {
			expect(clientPathProblem(given, win32), given).toBeUndefined();
		}
	});

	it('refuses device paths, shares, drive-relative paths, streams and device names, saying which', () => {
		const cases: [string, RegExp][] = [
			['\\\\?\\C:\\pics\\cat.png', /device path/],
			['\\\\.\\COM1', /device path/],
			['//./PhysicalDrive0', /device path/],
			['\\\\server\\share\\cat.png', /network share/],
			['//server/share/cat.png', /network share/],
			['C:pics\\cat.png', /drive letter/],
			['\\pics\\cat.png', /drive letter/],
			['pics\\cat.png', /drive letter/],
			['C:\\pics\\notes.txt:hidden.png', /alternate data stream/],
			['C:\\pics\\nul.png', /device NUL/],
			['C:\\pics\\CON .png', /device CON/],
			['C:\\pics\\aux.tar.png', /device AUX/],
			['C:\\pics\\LPT1.png', /device LPT1/],
			['C:\\pics\\com¹.png', /device COM¹/],
			['C:\\con\\cat.png', /device CON/],
			['C:\\pics\\cat\0.png', /NUL character/],
		];
		for (const [given, reason] of cases) expect(clientPathProblem(given, win32), given).toMatch(reason);
	});

	it('takes all of those names under POSIX rules, where they are ordinary files, and refuses relative paths', () => {
		for (const given of ['/pics/nul.png', '/pics/CON.png', '/pics/a:b.png', '//server/share/cat.png']) expect(clientPathProblem(given, posix), given).toBeUndefined();
		expect(clientPathProblem('pics/cat.png', posix)).toMatch(/not an absolute path/);
		expect(clientPathProblem('C:\\pics\\cat.png', posix)).toMatch(/not an absolute path/);
	});

	it('knows the device names, with or without extensions, in any case', () => {
		for (const name of ['CON', 'con', 'Nul.txt', 'nul.tar.gz', 'PRN', 'AUX', 'COM1', 'com9.png', 'LPT3', 'COM²', 'CONIN$', 'conout$']) expect(isDeviceName(name), name).toBe(true);
		for (const name of ['CONSOLE', 'con_', 'null', 'COM10', 'LPT', 'icon', 'x.con', '']) expect(isDeviceName(name), name).toBe(false);
	});
});

describe('picture paths (server/images.ts)', () => {
	const home = 'C:\\Users\\ana\\.orfeas';

	it('passes a picture outside the home folder', () => {
		expect(() => checkImagePath('C:\\Users\\ana\\Pictures\\cat.PNG', home, win32)).not.toThrow();
		expect(() => checkImagePath('/home/ana/Pictures/cat.png', '/home/ana/.orfeas', posix)).not.toThrow();
	});

	it('refuses a picture in the home folder by any spelling of it, with E_PATH', () => {
		for (const given of [
			'C:\\Users\\ana\\.orfeas\\assets\\x\\cat.png',
			'c:\\users\\ANA\\.ORFEAS\\uploads\\cat.png',
			'C:/Users/ana/.orfeas/jobs/j_1/input.png',
			'C:\\Users\\ana\\Pictures\\..\\.orfeas\\cat.png',
			'C:\\Users\\ana\\.orfeas.\\cat.png',
		]) {
			expect(codeOf(() => checkImagePath(given, home, win32)), given).toBe('E_PATH');
		}
		expect(() => checkImagePath('/home/ana/.orfeas/assets/cat.png', '/home/ana/.orfeas', posix)).toThrow(/home folder/);
		// POSIX names are case-sensitive: another folder.
		expect(() => checkImagePath('/home/ana/.ORFEAS/cat.png', '/home/ana/.orfeas', posix)).not.toThrow();
	});

	it('refuses shares, device paths, streams and device names before the disk is asked', () => {
		for (const given of ['\\\\server\\share\\cat.png', '\\\\?\\C:\\Users\\ana\\.orfeas\\cat.png', 'C:\\pics\\a.txt:b.png', 'C:\\pics\\nul.png', 'C:pics\\cat.png']) {
			expect(codeOf(() => checkImagePath(given, home, win32)), given).toBe('E_PATH');
		}
		expect(() => checkImagePath('C:\\pics\\cat.svg', home, win32)).toThrow(/image extension/);
	});
});

describe('scene files (scene/models.ts)', () => {
	it('resolves a scene path against a Windows base folder, either separator', () => {
		expect(resolveSceneFile('C:\\work\\yard', 'models/crate.glb', win32)).toBe('C:\\work\\yard\\models\\crate.glb');
		expect(resolveSceneFile('C:\\work\\yard', '../pictures/cat.png', win32)).toBe('C:\\work\\pictures\\cat.png');
		expect(resolveSceneFile('/work/yard', '../pictures/cat.png', posix)).toBe('/work/pictures/cat.png');
	});

	it('refuses a scene path that names a device or a stream on Windows, with E_PATH', () => {
		expect(codeOf(() => resolveSceneFile('C:\\work\\yard', 'models/con.glb', win32))).toBe('E_PATH');
		expect(codeOf(() => resolveSceneFile('C:\\work\\yard', 'models/crate.glb:x', win32))).toBe('E_PATH');
		expect(resolveSceneFile('/work/yard', 'models/con.glb', posix)).toBe('/work/yard/models/con.glb');
	});
});

describe("a .gltf's resources (extension/src/preview/resources.ts)", () => {
	it('reads files beside the model and below it', () => {
		expect(resourceFile('C:\\models', 'crate.bin', win32)).toBe('C:\\models\\crate.bin');
		expect(resourceFile('C:\\models', 'textures/wood%20dark.png', win32)).toBe('C:\\models\\textures\\wood dark.png');
		expect(resourceFile('/models', 'textures/wood.png', posix)).toBe('/models/textures/wood.png');
	});

	it('reads nothing outside the folder: climbing out, other drives, shares, devices, streams, other schemes', () => {
		for (const uri of ['../secret.bin', '..\\secret.bin', 'textures/../../secret.bin', 'C:/secret.bin', 'D:\\x.bin', '\\\\server\\share\\x.bin', '//server/share/x.bin', 'nul.bin', 'crate.bin:stream', 'file:///C:/x.bin', 'https://example.com/x.bin', '%E0%A4%A']) {
			expect(resourceFile('C:\\models', uri, win32), uri).toBeUndefined();
		}
		expect(resourceFile('/models', '../secret.bin', posix)).toBeUndefined();
		expect(resourceFile('/models', '/etc/passwd', posix)).toBeUndefined();
	});
});
