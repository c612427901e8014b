// The Unity package: its engine-free Protocol assembly and the console tests compiled with Debian's mcs and run
// under mono against real daemon processes (handshake, generate, progress, download, cancel, push, several views
// and turnaround sheets, reconnect after a restart, no daemon) and every protocol vector as the TS side reads it;
// and the package as Unity reads it: manifest, asmdefs, a .meta with a unique GUID beside every file and folder, no
// engine types in Protocol; and the Editor assembly compiled against declarations of the Unity API members it uses
// (Tests~/UnityApi).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../helpers/cli';
import { requireProgram } from '../helpers/external';

const PACKAGE = path.join(ROOT, 'bridge-unity');
const EXE = path.join(ROOT, 'out', 'unity', 'Orfeas.Bridge.Tests.exe');

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? [full, ...walk(full)] : [full];
	});
}

describe('Unity bridge Protocol assembly under mono', () => {
	it('compiles with mcs and passes its console tests against a real daemon', () => {
		ensureBuilt();
		requireProgram('mcs');
		const mono = requireProgram('mono');
		execFileSync('bash', [path.join(PACKAGE, 'Tests~', 'build.sh'), 'tests'], { cwd: ROOT, stdio: 'pipe' });
		const run = spawnSync(mono, [EXE, '--root', ROOT], { env: { ...process.env, ORFEAS_NODE: process.execPath }, encoding: 'utf8', timeout: 600_000 });
		const output = `${run.stdout}${run.stderr}`;
		expect(run.status, output.slice(-6000)).toBe(0);
		const summary = /(\d+) passed, (\d+) failed/.exec(output);
		expect(summary?.[2], output.slice(-3000)).toBe('0');
		expect(Number(summary?.[1])).toBeGreaterThanOrEqual(40);
		// Every group ran: a wiring mistake must not pass with fewer.
		for (const group of ['vectors', 'json', 'schema', 'client', 'jobs', 'views']) expect(output).toMatch(new RegExp(`^ok ${group}: `, 'm'));
	}, 600_000);
});

describe('Unity bridge Editor assembly', () => {
	it('compiles with mcs against declarations of the Unity 2021.3 API it uses (Unity itself cannot run here)', () => {
		requireProgram('mcs');
		const run = spawnSync('bash', [path.join(PACKAGE, 'Tests~', 'build.sh'), 'editor'], { cwd: ROOT, encoding: 'utf8' });
		expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
		expect(run.stdout).toMatch(/Orfeas\.Bridge\.EditorCheck\.dll from \d+/);
	});
});

describe('Unity package layout', () => {
	const assets = walk(PACKAGE).filter((file) => {
		const relative = path.relative(PACKAGE, file);
		return !relative.split(path.sep).some((part) => part.endsWith('~') || part.startsWith('.')) && !file.endsWith('.meta') && !file.endsWith('write-meta.mjs');
	});

	it('has a UPM manifest for Unity 2021.3 at the project version', () => {
		const manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
		const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
		expect(manifest).toMatchObject({ name: 'com.orfeas.bridge', version, unity: '2021.3', displayName: 'Orfeas' });
	});

	it('gives every file and folder a .meta with its own GUID', () => {
		const guids = new Map<string, string>();
		for (const asset of assets) {
			const meta = readFileSync(`${asset}.meta`, 'utf8');
			const guid = /^guid: ([0-9a-f]{32})$/m.exec(meta)?.[1];
			expect(guid, `${asset}.meta`).toBeDefined();
			expect(guids.get(guid!), `${asset} shares a GUID`).toBeUndefined();
			guids.set(guid!, asset);
		}
		expect(assets.length).toBeGreaterThan(30);
	});

	it('keeps the Protocol assembly engine-free and the Editor assembly on top of it', () => {
		const protocol = JSON.parse(readFileSync(path.join(PACKAGE, 'Editor/Protocol/Orfeas.Bridge.Protocol.asmdef'), 'utf8'));
		expect(protocol).toMatchObject({ name: 'Orfeas.Bridge.Protocol', noEngineReferences: true, references: [], includePlatforms: ['Editor'] });
		const editor = JSON.parse(readFileSync(path.join(PACKAGE, 'Editor/Bridge/Orfeas.Bridge.Editor.asmdef'), 'utf8'));
		expect(editor).toMatchObject({ name: 'Orfeas.Bridge.Editor', references: ['Orfeas.Bridge.Protocol'], includePlatforms: ['Editor'] });
		for (const file of assets.filter((f) => f.includes(`${path.sep}Protocol${path.sep}`) && f.endsWith('.cs'))) {
			expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bUnity(Engine|Editor)\b/);
		}
	});

	it('puts one type in each file, named after it', () => {
		for (const file of assets.filter((f) => f.endsWith('.cs'))) {
			const source = readFileSync(file, 'utf8');
			const types = [...source.matchAll(/^\s{4}(?:(?:public|internal|static|sealed|abstract|partial)\s+)*(?:class|struct|enum|interface)\s+(\w+)/gm)].map((m) => m[1]);
			expect(types, file).toEqual([path.basename(file, '.cs').replace(/\.g$/, '')]);
		}
	});
});
