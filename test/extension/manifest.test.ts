// The root package.json is the extension's manifest: its commands are the ones the code registers, its menus
// offer Generate (from one picture, several views or a sheet) for exactly the picture types the daemon reads, and
// its settings start at the daemon's defaults.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATE_SETTINGS } from '../../extension/src/config';
import { COLLIDERS, GENERATE_BOUNDS, GENERATE_DEFAULTS, IMAGE_EXTENSIONS } from '../../daemon/src/protocol/options';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

function sources(dir: string): string {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile() && e.name.endsWith('.ts'))
		.map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))
		.join('\n');
}

/** What a `when` clause of the Explorer's context menu is evaluated against, as far as these menus look. */
interface ExplorerContext {
	ext: string;
	folder: boolean;
	multi: boolean;
}

/** Evaluates a `when` made of `&&`-joined clauses this manifest uses; any other clause fails the test. */
function whenHolds(when: string, context: ExplorerContext): boolean {
	return when.split(' && ').every((clause) => {
		const negated = clause.startsWith('!');
		const name = negated ? clause.slice(1) : clause;
		if (name === 'listMultiSelection') return context.multi !== negated;
		if (name === 'explorerResourceIsFolder') return context.folder !== negated;
		return whenRegex(clause).test(context.ext);
	});
}

/** VS Code's `resourceExtname =~ /re/flags` as a JavaScript RegExp. */
function whenRegex(when: string): RegExp {
	const match = /resourceExtname =~ \/(.+)\/([a-z]*)$/.exec(when);
	if (!match) throw new Error(`not a resourceExtname clause: ${when}`);
	return new RegExp(match[1], match[2]);
}

describe('extension manifest', () => {
	const code = sources(path.join(root, 'extension', 'src'));

	it('contributes exactly the commands the extension registers', () => {
		const contributed = contributes.commands.map((c: { command: string }) => c.command).sort();
		const registered = [...code.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]);
		const constants = [...code.matchAll(/(?:_COMMAND = |command: )'(orfeas\.[^']+)'/g)].map((m) => m[1]);
		// The scene editor's toolbar commands are declared once as a table that the editor and their registration share.
		const table = /SCENE_COMMANDS = \{([^}]+)\}/.exec(code)?.[1] ?? '';
		constants.push(...[...table.matchAll(/'(orfeas\.[^']+)'/g)].map((m) => m[1]));
		expect([...new Set([...registered, ...constants])].sort()).toEqual(contributed);
		for (const title of ['Generate 3D Model from Image', 'Generate 3D Model from Views', 'Generate 3D Model from Sheet', 'Export Model…', 'Send to Blender', 'Send to Unity', 'Open Preview', 'Show Daemon Log', 'Restart Daemon', 'Select Model']) {
			expect(contributes.commands.some((c: { title: string; category: string }) => c.title === title && c.category === 'Orfeas'), title).toBe(true);
		}
	});

	it('offers Generate in the explorer for every picture type the daemon reads, in any case, and nothing else', () => {
		const entry = contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'orfeas.generate');
		const re = whenRegex(entry.when);
		for (const ext of IMAGE_EXTENSIONS) {
			expect(re.test(ext), ext).toBe(true);
			expect(re.test(ext.toUpperCase()), ext.toUpperCase()).toBe(true);
		}
		for (const ext of ['.glb', '.svg', '.txt', '.pngx', '.bmp']) expect(re.test(ext), ext).toBe(false);
	});

	it('offers Generate from Views on several selected pictures and from Sheet on one, beside Generate', () => {
		const menu: Array<{ command: string; when: string; group: string }> = contributes.menus['explorer/context'];
		const entry = (command: string) => menu.find((m) => m.command === command)!;
		const generate = entry('orfeas.generate');
		const views = entry('orfeas.generateFromViews');
		const sheet = entry('orfeas.generateFromSheet');
		expect([views.group, sheet.group]).toEqual([generate.group, generate.group]);
		for (const ext of IMAGE_EXTENSIONS) {
			for (const e of [ext, ext.toUpperCase()]) {
				expect(whenHolds(views.when, { ext: e, folder: false, multi: true }), `views ${e}`).toBe(true);
				expect(whenHolds(views.when, { ext: e, folder: false, multi: false }), `views single ${e}`).toBe(false);
				expect(whenHolds(sheet.when, { ext: e, folder: false, multi: false }), `sheet ${e}`).toBe(true);
				expect(whenHolds(sheet.when, { ext: e, folder: false, multi: true }), `sheet multi ${e}`).toBe(false);
				// A folder named like a picture is no picture.
				for (const multi of [false, true]) expect(whenHolds(views.when, { ext: e, folder: true, multi }) || whenHolds(sheet.when, { ext: e, folder: true, multi })).toBe(false);
			}
		}
		for (const ext of ['.glb', '.svg', '.txt', '']) {
			expect(whenHolds(views.when, { ext, folder: false, multi: true }), ext).toBe(false);
			expect(whenHolds(sheet.when, { ext, folder: false, multi: false }), ext).toBe(false);
		}
	});

	it('starts every generate setting at the daemon default and within its bounds', () => {
		const props = contributes.configuration.properties;
		for (const key of GENERATE_SETTINGS) {
			const setting = props[`orfeas.generate.${key}`];
			expect(setting, key).toBeDefined();
			expect(setting.default, key).toEqual(GENERATE_DEFAULTS[key]);
			const bounds = (GENERATE_BOUNDS as Record<string, { min: number; max: number }>)[key];
			if (bounds && !setting.enum) expect([setting.minimum, setting.maximum], key).toEqual([bounds.min, bounds.max]);
			if (setting.enum && bounds) for (const value of setting.enum) expect(value >= bounds.min && value <= bounds.max, `${key} ${value}`).toBe(true);
			if (key === 'collider') expect(setting.enum).toEqual([...COLLIDERS]);
		}
		const declared = Object.keys(props).filter((k) => k.startsWith('orfeas.generate.')).map((k) => k.slice('orfeas.generate.'.length));
		expect(declared.sort()).toEqual([...GENERATE_SETTINGS].sort());
	});

	it('offers the previewer for .glb and .gltf without taking them over, and loads the bundle', () => {
		const [editor] = contributes.customEditors;
		expect(editor.viewType).toBe('orfeas.preview');
		expect(editor.priority).toBe('option');
		expect(editor.selector.map((s: { filenamePattern: string }) => s.filenamePattern).sort()).toEqual(['*.glb', '*.gltf']);
		expect(manifest.main).toBe('./dist/extension.cjs');
		expect(manifest.engines.vscode).toMatch(/^\^1\.\d+/);
	});
});
