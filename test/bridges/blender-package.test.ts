// dist/orfeas_bridge.zip as Blender reads it: one top folder with bl_info (3.x) and a blender_manifest.toml that
// follows Blender 4.2's extension rules, versions equal to package.json, a bpy-free client on the standard
// library only, and no way for received data to become code (no eval, exec, pickle or subprocess anywhere).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { requireProgram } from '../helpers/external';

const ZIP = path.join(ROOT, 'dist', 'orfeas_bridge.zip');

/** Reads the zip with Python: entry names, the manifest (tomllib, Python 3.11+), bl_info and each module's imports. */
const INSPECT = `
import ast, json, sys, tomllib, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
modules = {}
for name in names:
    if name.endswith(".py"):
        tree = ast.parse(z.read(name).decode("utf-8"))
        found = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                found.append("." if node.level else node.module.split(".")[0])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("eval", "exec", "compile", "__import__"):
                found.append("call:" + node.func.id)
        top = [a.name.split(".")[0] for n in tree.body if isinstance(n, ast.Import) for a in n.names]
        top += ["." if n.level else n.module.split(".")[0] for n in tree.body if isinstance(n, ast.ImportFrom)]
        modules[name] = {"imports": sorted(set(found)), "top": sorted(set(top))}
init = ast.parse(z.read("orfeas_bridge/__init__.py").decode("utf-8"))
bl_info = next(ast.literal_eval(n.value) for n in init.body if isinstance(n, ast.Assign) and n.targets[0].id == "bl_info")
print(json.dumps({"names": names, "manifest": tomllib.loads(z.read("orfeas_bridge/blender_manifest.toml").decode()),
                  "blInfo": bl_info, "modules": modules, "stdlib": sorted(sys.stdlib_module_names)}))
`;

// Blender 4.2's extension manifest rules (schema 1.0.0): allowed add-on tags and permission names.
const ADDON_TAGS = ['3D View', 'Add Curve', 'Add Mesh', 'Animation', 'Bake', 'Camera', 'Compositing', 'Development', 'Game Engine', 'Geometry Nodes', 'Grease Pencil', 'Import-Export', 'Lighting', 'Material', 'Modeling', 'Mesh', 'Node', 'Object', 'Paint', 'Pipeline', 'Physics', 'Render', 'Rigging', 'Scene', 'Sculpt', 'Sequencer', 'System', 'Text Editor', 'Tracking', 'User Interface', 'UV'];
const PERMISSIONS = ['files', 'network', 'clipboard', 'camera', 'microphone'];

interface Inspected {
	names: string[];
	manifest: Record<string, unknown> & { permissions: Record<string, string>; tags: string[] };
	blInfo: { version: number[]; blender: number[]; name: string; category: string };
	modules: Record<string, { imports: string[]; top: string[] }>;
	stdlib: string[];
}

let zip: Inspected;
const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
	execFileSync(process.execPath, [path.join(ROOT, 'bridge-blender', 'package-zip.mjs')], { stdio: 'pipe' });
	zip = JSON.parse(execFileSync(requireProgram('python3'), ['-c', INSPECT, ZIP], { encoding: 'utf8' })) as Inspected;
});

describe('dist/orfeas_bridge.zip', () => {
	it('is one orfeas_bridge/ folder with the add-on, its client, the protocol schema and the licence', () => {
		expect(zip.names.every((name) => name.startsWith('orfeas_bridge/'))).toBe(true);
		for (const name of ['__init__.py', 'blender_manifest.toml', 'LICENSE', 'client/protocol_v1.json', 'client/connection.py', 'blender/importer.py']) {
			expect(zip.names).toContain(`orfeas_bridge/${name}`);
		}
		expect(zip.names.filter((name) => /__pycache__|\.pyc$|tests\//.test(name))).toEqual([]);
	});

	it('carries bl_info for Blender 3.x and a 4.2 extension manifest, both at the package version', () => {
		expect(zip.blInfo).toMatchObject({ name: 'Orfeas', version: version.split('.').map(Number), blender: [3, 4, 0], category: 'Import-Export' });
		const m = zip.manifest;
		expect(m).toMatchObject({ schema_version: '1.0.0', id: 'orfeas_bridge', version, name: 'Orfeas', type: 'add-on', blender_version_min: '4.2.0', license: ['SPDX:MIT'] });
		for (const text of [m.tagline as string, ...Object.values(m.permissions)]) {
			expect(text.length).toBeLessThanOrEqual(64);
			expect(text).not.toMatch(/[.!?,;:]$/);
		}
		expect(m.tags.filter((tag) => !ADDON_TAGS.includes(tag))).toEqual([]);
		expect(Object.keys(m.permissions).filter((key) => !PERMISSIONS.includes(key))).toEqual([]);
	});

	it('keeps client/ on the standard library and bpy out of every module level but blender/', () => {
		const stdlib = new Set(zip.stdlib);
		for (const [name, { imports, top }] of Object.entries(zip.modules)) {
			const outside = imports.filter((module) => module !== '.' && !stdlib.has(module));
			if (name.includes('/client/')) expect(outside, name).toEqual([]);
			else if (name.includes('/blender/')) expect(outside.filter((m) => !['bpy', 'mathutils', 'numpy'].includes(m)), name).toEqual([]);
			else expect(top, `${name} must import nothing at module level`).toEqual([]);
		}
	});

	it('never turns received data into code', () => {
		const risky = ['call:eval', 'call:exec', 'call:compile', 'call:__import__', 'pickle', 'marshal', 'subprocess'];
		// Starting the daemon runs the `orfeas` command found on this computer (preference, PATH, VS Code's copy),
		// never anything received: that module alone may start a process.
		const allowed: Record<string, string[]> = { 'orfeas_bridge/client/launch.py': ['subprocess'] };
		for (const [name, { imports }] of Object.entries(zip.modules)) {
			expect(imports.filter((m) => risky.includes(m) && !(allowed[name] ?? []).includes(m)), name).toEqual([]);
		}
		expect(zip.modules['orfeas_bridge/client/launch.py'].imports).toContain('subprocess');
	});
});
