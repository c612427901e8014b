// The scene editor's pure parts: document text (parse, schema key order, indentation kept, vectors on one line,
// the smallest replacement), new objects from files (relative paths, types, other drives, unique ids), the view's
// intents as edits of the document, and the daemon's layout merged back.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGE_EXTENSIONS } from '../../daemon/src/protocol/options';
import { emptyScene, IDENTITY_TRANSFORM, SCENE_SUFFIX, SceneDocument, type SceneDocumentView } from '../../daemon/src/protocol/scene';
import { addObjects, assetKey, assetOfKey, modelPaths, removeObject, setTransform, viewObjects, withLayout } from '../../extension/src/scene/edits';
import { newObjects, objectName, relativePath, SourceError, sourceFor, uniqueId } from '../../extension/src/scene/sources';
import { detectIndent, formatScene, minimalChange, parseScene } from '../../extension/src/scene/text';
import { ViewObject } from '../../webview/src/scene-messages';

const CAT_ASSET = 'a'.repeat(64);
const at = (position: [number, number, number]) => ({ position, rotation: [0, 0, 0] as [number, number, number], scale: [1, 1, 1] as [number, number, number] });

function yard(): SceneDocumentView {
	return {
		...emptyScene('Yard'),
		objects: [
			{ id: 'crate', name: 'crate', source: { model: 'models/crate.glb' }, transform: at([0, 0, 0]) },
			{ id: 'lamp', name: 'lamp', source: { model: 'models/lamp.glb' }, transform: at([0, 1, 0]), parent: 'crate' },
			{ id: 'cat', name: 'cat', source: { image: '../pictures/cat.png', options: { resolution: 128, lods: [1, 0.5] }, assetId: CAT_ASSET }, transform: at([2, 0, 0]) },
		],
	};
}

const apply = (text: string, change: { start: number; end: number; text: string } | null) => (change ? text.slice(0, change.start) + change.text + text.slice(change.end) : text);

describe('scene text', () => {
	it('writes keys in the schema order, vectors on one line, tabs by default and a final newline', () => {
		const shuffled = JSON.parse(JSON.stringify(yard()), (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
		const text = formatScene(shuffled);
		expect(text.endsWith('}\n')).toBe(true);
		expect(text.split('\n').slice(0, 10)).toEqual([
			'{',
			'\t"format": "orfeas-scene",',
			'\t"version": 1,',
			'\t"name": "Yard",',
			'\t"units": "m",',
			'\t"up": "Y",',
			'\t"ground": {',
			'\t\t"y": 0',
			'\t},',
			'\t"objects": [',
		]);
		expect(text).toContain('\t\t\t"transform": {\n\t\t\t\t"position": [0, 1, 0],\n\t\t\t\t"rotation": [0, 0, 0],\n\t\t\t\t"scale": [1, 1, 1]\n\t\t\t},\n\t\t\t"parent": "crate"\n');
		expect(text).toContain('"source": {\n\t\t\t\t"image": "../pictures/cat.png",\n\t\t\t\t"options": {');
		expect(text).toContain('"lods": [1, 0.5]');
		// What it writes reads back as the same document, a picture's options as written (no defaults filled in).
		expect(formatScene(yard())).toContain('"options": {\n\t\t\t\t\t"resolution": 128,\n\t\t\t\t\t"lods": [1, 0.5]\n\t\t\t\t},');
		expect(parseScene(text, () => emptyScene('x'))).toEqual({ ok: true, document: JSON.parse(text) });
		expect(formatScene(JSON.parse(text))).toBe(text);
		expect(formatScene(emptyScene('Untitled'))).toBe('{\n\t"format": "orfeas-scene",\n\t"version": 1,\n\t"name": "Untitled",\n\t"units": "m",\n\t"up": "Y",\n\t"ground": {\n\t\t"y": 0\n\t},\n\t"objects": []\n}\n');
	});

	it("keeps the file's own indentation", () => {
		expect(detectIndent('{\n  "a": 1\n}')).toBe(2);
		expect(detectIndent('{\n    "a": 1\n}')).toBe(4);
		expect(detectIndent('{\n\t"a": 1\n}')).toBe('\t');
		expect(detectIndent('{}')).toBe('\t');
		const twoSpaces = formatScene(yard(), 2);
		expect(twoSpaces).toContain('\n  "ground": {\n    "y": 0\n  },');
		expect(formatScene(yard(), detectIndent(twoSpaces))).toBe(twoSpaces);
		expect(twoSpaces).toBe(`${JSON.stringify(yard(), null, 2).replace(/\[\s+([-\d.,\s]+?)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`)}\n`);
	});

	it('replaces only the span that changed, so moving an object touches one line', () => {
		const before = formatScene(yard());
		const moved = setTransform(yard(), 'cat', at([2.5, 0, -1]));
		const after = formatScene(moved);
		const change = minimalChange(before, after)!;
		expect(apply(before, change)).toBe(after);
		expect(`${change.text}|${before.slice(change.start, change.end)}`).not.toContain('\n');
		expect(after.split('\n').filter((line) => !before.split('\n').includes(line))).toEqual(['\t\t\t\t"position": [2.5, 0, -1],']);
		expect(minimalChange(after, after)).toBeNull();
		// Insertions and deletions at either end.
		for (const [a, b] of [['abc', 'abxc'], ['abc', 'ac'], ['', 'x'], ['x', ''], ['aaa', 'aaaa'], ['abab', 'ab']]) expect(apply(a, minimalChange(a, b))).toBe(b);
	});

	it('says where a file is not a scene, and takes an empty file as an empty scene', () => {
		const empty = () => emptyScene('yard');
		expect(parseScene('  \n', empty)).toEqual({ ok: true, document: emptyScene('yard') });
		expect(parseScene('{"format":', empty)).toMatchObject({ ok: false, message: expect.stringMatching(/^The file is not valid JSON \(.+\)\. Fix it in a text editor/) });
		const broken = formatScene(yard()).replace('"id": "lamp"', '"id": "lamp post"');
		expect(parseScene(broken, empty)).toMatchObject({ ok: false, message: expect.stringMatching(/not a valid Orfeas scene: objects\.1\.id: an object id of letters/) });
		const twice = { ...yard(), objects: [yard().objects[0], yard().objects[0]] };
		expect(parseScene(JSON.stringify(twice), empty)).toMatchObject({ ok: false, message: expect.stringMatching(/"crate" is used twice/) });
	});
});

describe('new objects from files', () => {
	const scene = '/work/yard/yard.orfeas-scene.json';

	it('names models and pictures relative to the scene, with forward slashes', () => {
		expect(sourceFor(scene, '/work/yard/models/crate.glb')).toEqual({ model: 'models/crate.glb' });
		expect(sourceFor(scene, '/work/pictures/Cat.JPEG')).toEqual({ image: '../pictures/Cat.JPEG' });
		expect(sourceFor(scene, '/work/yard/crate.GLB')).toEqual({ model: 'crate.GLB' });
		expect(sourceFor('C:\\work\\yard\\yard.orfeas-scene.json', 'C:\\work\\yard\\models\\crate.glb', path.win32)).toEqual({ model: 'models/crate.glb' });
		expect(relativePath('C:\\work\\yard', 'c:\\work\\pics\\a.png', path.win32)).toBe('../pics/a.png');
	});

	it('refuses other file types and files on another drive, saying why', () => {
		expect(() => sourceFor(scene, '/work/yard/crate.gltf')).toThrow(/crate\.gltf is a \.gltf: scenes place binary glTF \(\.glb\) models/);
		expect(() => sourceFor(scene, '/work/yard/notes.txt')).toThrow(SourceError);
		expect(() => sourceFor('C:\\work\\yard\\yard.orfeas-scene.json', 'D:\\assets\\crate.glb', path.win32)).toThrow(/crate\.glb is on another drive than the scene \(d:\\ and c:\\\); .*Copy it next to the scene first/);
		expect(() => sourceFor('C:\\work\\yard.orfeas-scene.json', '\\\\server\\share\\crate.glb', path.win32)).toThrow(/another drive/);
	});

	it('makes ids from file names, unique within the scene', () => {
		expect(objectName('/a/crate.glb')).toBe('crate');
		expect(objectName('/a/cat.photo.png')).toBe('cat.photo');
		expect(uniqueId('crate', new Set())).toBe('crate');
		expect(uniqueId('crate', new Set(['crate']))).toBe('crate-2');
		expect(uniqueId('crate', new Set(['crate', 'crate-2']))).toBe('crate-3');
		expect(uniqueId('Café crème #1', new Set())).toBe('Cafe-creme-1');
		expect(uniqueId('…', new Set())).toBe('object');
		expect(uniqueId('x'.repeat(100), new Set()).length).toBeLessThanOrEqual(64);

		const made = newObjects(scene, ['/work/yard/models/crate.glb', '/work/yard/b/crate.glb', '/work/pictures/cat.png', '/work/yard/readme.md'], ['crate']);
		expect(made.objects.map((o) => [o.id, o.name, o.source])).toEqual([
			['crate-2', 'crate', { model: 'models/crate.glb' }],
			['crate-3', 'crate', { model: 'b/crate.glb' }],
			['cat', 'cat', { image: '../pictures/cat.png' }],
		]);
		for (const o of made.objects) expect(o.transform).toEqual(IDENTITY_TRANSFORM);
		expect(made.refused).toEqual([expect.stringMatching(/^readme\.md is neither a \.glb model nor a picture/)]);
		// They pass the schema once added.
		const added = addObjects({ ...emptyScene('Yard'), objects: [yard().objects[0]] }, made.objects);
		expect(SceneDocument.safeParse(added).success).toBe(true);
		expect(added.objects.map((o) => o.id)).toEqual(['crate', 'crate-2', 'crate-3', 'cat']);
	});
});

describe('edits from the view', () => {
	it('moves, removes (with children) and adds, refusing what the schema refuses', () => {
		expect(setTransform(yard(), 'cat', at([1, 1, 1])).objects[2].source).toEqual(yard().objects[2].source);
		expect(() => setTransform(yard(), 'cat', { ...at([0, 0, 0]), scale: [1, Number.NaN, 1] })).toThrow(/would not be valid after this edit: objects\.2\.transform\.scale\.1/);
		const moved = setTransform(yard(), 'lamp', at([0, 2, 0]));
		expect(moved.objects[1].transform.position).toEqual([0, 2, 0]);
		expect(yard().objects[1].transform.position).toEqual([0, 1, 0]);
		expect(removeObject(yard(), 'crate').objects.map((o) => o.id)).toEqual(['cat']);
		expect(() => setTransform(yard(), 'nobody', at([0, 0, 0]))).toThrow(/No object "nobody"/);
		expect(() => addObjects(yard(), [{ ...yard().objects[0] }])).toThrow(/already in the scene/);
	});

	it('takes only the positions of top-level objects from a layout, for the objects still there', () => {
		const laidOut = yard();
		laidOut.objects[0].transform = at([-1, 0.5, 0]);
		laidOut.objects[1].transform = at([9, 9, 9]);
		laidOut.objects[2].transform = at([1, 0.5, 0]);
		laidOut.objects.push({ id: 'gone', name: 'gone', source: { model: 'g.glb' }, transform: at([5, 0, 5]) });
		const current = removeObject(yard(), 'cat');
		const merged = withLayout(current, laidOut);
		expect(merged.objects.map((o) => [o.id, o.transform.position])).toEqual([
			['crate', [-1, 0.5, 0]],
			['lamp', [0, 1, 0]],
		]);
	});

	it('gives the view what it draws: model paths, pictures and whether they are built', () => {
		const view = viewObjects(yard());
		for (const object of view) expect(ViewObject.safeParse(object).success).toBe(true);
		expect(view.map((o) => [o.id, o.source, o.parent])).toEqual([
			['crate', { kind: 'model', path: 'models/crate.glb' }, undefined],
			['lamp', { kind: 'model', path: 'models/lamp.glb' }, 'crate'],
			['cat', { kind: 'image', path: '../pictures/cat.png', built: true, model: assetKey(CAT_ASSET) }, undefined],
		]);
		// A built picture's model is asked for by its asset key, which names no file.
		expect([...modelPaths(yard())]).toEqual(['models/crate.glb', 'models/lamp.glb', `asset:${CAT_ASSET}`]);
		expect(assetOfKey(`asset:${CAT_ASSET}`)).toBe(CAT_ASSET);
		expect(assetOfKey('models/crate.glb')).toBeUndefined();
	});
});

describe('scene contributions in the manifest', () => {
	const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
	const contributes = manifest.contributes;

	it('opens scene files in the scene editor by default', () => {
		const editor = contributes.customEditors.find((e: { viewType: string }) => e.viewType === 'orfeas.sceneEditor');
		expect(editor).toMatchObject({ priority: 'default', selector: [{ filenamePattern: `*${SCENE_SUFFIX}` }] });
	});

	it('offers Add to Scene on models and every picture type, and New Scene on folders', () => {
		const titles = Object.fromEntries(contributes.commands.map((c: { command: string; title: string; category: string }) => [c.command, `${c.category}: ${c.title}`]));
		expect(titles['orfeas.scene.add']).toBe('Orfeas: Add to Scene');
		expect(titles['orfeas.scene.new']).toBe('Orfeas: New Scene');
		const menu = contributes.menus['explorer/context'];
		const add = menu.find((m: { command: string }) => m.command === 'orfeas.scene.add');
		const re = /resourceExtname =~ \/(.+)\/([a-z]*)$/.exec(add.when)!;
		const when = new RegExp(re[1], re[2]);
		for (const ext of ['.glb', '.GLB', ...IMAGE_EXTENSIONS]) expect(when.test(ext), ext).toBe(true);
		for (const ext of ['.gltf', '.txt', '.json']) expect(when.test(ext), ext).toBe(false);
		expect(menu.find((m: { command: string }) => m.command === 'orfeas.scene.new').when).toBe('explorerResourceIsFolder');
	});
});
