// The npm package as a user gets it: `npm pack` in a copy of the sources (prepack builds and stages the native
// parts), then, in an empty folder with a fresh HOME and no repository around it, `npm install -g` into a
// temporary prefix with every install script allowed (as npm 10 runs them) — onnxruntime-node's would fetch the
// CUDA provider from NuGet, which this install must not need — and `npx` of the same file. The installed
// `orfeas` answers doctor, generates a model from a picture, and runs a daemon that answers and stops when
// `orfeas stop` asks.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { distinctPicture } from '../helpers/pictures';
import { readJsonIfWhole, until } from '../helpers/poll';

const scratch = mkdtempSync(path.join(tmpdir(), 'orfeas-npm-'));
const home = path.join(scratch, 'home');
const prefix = path.join(scratch, 'prefix');
const work = path.join(scratch, 'work');
const bin = path.join(prefix, 'bin', 'orfeas');
/** npm's cache stays the user's (the packages `npm ci` fetched); only HOME is fresh. */
const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
let tarball: string;
let contents: string[];

function userEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home, npm_config_cache: cache, PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}` };
	for (const name of Object.keys(env)) if (name.startsWith('ORFEAS_') || name === 'npm_config_prefix') delete env[name];
	return env;
}

function run(command: string, args: string[], cwd = work): string {
	return execFileSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
}

beforeAll(() => {
	for (const dir of [home, prefix, work]) mkdirSync(dir, { recursive: true });
	// The sources as a clone has them (tracked and new files, not what .gitignore leaves out), without tests and
	// bridges; node_modules is the repository's, as `npm ci` left it.
	const sources = path.join(scratch, 'sources');
	const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
		.split('\0')
		.filter((f) => f && !/^(test|bridge-blender|bridge-unity|docs)\//.test(f) && existsSync(path.join(ROOT, f)));
	for (const file of files) cpSync(path.join(ROOT, file), path.join(sources, file));
	symlinkSync(path.join(ROOT, 'node_modules'), path.join(sources, 'node_modules'), 'junction');
	const packed = path.join(scratch, 'packed');
	mkdirSync(packed);
	execFileSync('npm', ['pack', '--pack-destination', packed], { cwd: sources, stdio: 'ignore', timeout: 600_000 });
	tarball = path.join(packed, readdirSync(packed).find((f) => f.endsWith('.tgz'))!);
	contents = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
		.split('\n')
		.filter(Boolean)
		.map((f) => f.replace(/^package\//, ''));
	console.log(`npm package ${path.basename(tarball)}: ${(statSync(tarball).size / 2 ** 20).toFixed(1)} MiB, ${contents.length} files`);
}, 900_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the npm package', () => {
	it('holds the command, its bundles, the model manifests and every platform’s engine, and no sources or tests', () => {
		expect(path.basename(tarball)).toBe(`orfeas-${manifest.version}.tgz`);
		for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/orfeas.cjs', 'dist/worker.cjs', 'models/u2netp.json']) expect(contents).toContain(file);
		expect(contents.filter((f) => /^(test|daemon|extension|webview|bridge-[a-z]+|packaging|models\/testing)\//.test(f) || /^dist\/[^/]+\.map$/.test(f) || f.endsWith('.vsix'))).toEqual([]);
		const engines = new Set(contents.map((f) => /^dist\/(?:([a-z0-9-]+)\/)?node_modules\/onnxruntime-node\/bin\/napi-v6\/([^/]+)\/([^/]+)\//.exec(f)).filter(Boolean).map((m) => `${m![2]}-${m![3]}`));
		expect([...engines].sort()).toEqual(['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64']);
		const packedManifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
		expect(packedManifest.bin).toEqual({ orfeas: 'dist/orfeas.cjs' });
		// What npm installs beside it: sharp (whose platform packages npm picks) and nothing with an install step
		// that leaves the registry.
		expect(Object.keys(packedManifest.dependencies)).toEqual(['sharp']);
	});

	it('installs globally with every install script allowed, from an empty folder with a fresh HOME', () => {
		run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--dangerously-allow-all-scripts', '--no-audit', '--no-fund', tarball]);
		expect(existsSync(bin)).toBe(true);
		const installed = path.join(prefix, 'lib', 'node_modules', 'orfeas');
		// onnxruntime-node comes inside the package, without its install script; npm installed no copy of it.
		expect(existsSync(path.join(installed, 'node_modules', 'onnxruntime-node'))).toBe(false);
		expect(JSON.parse(readFileSync(path.join(installed, 'dist', 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).scripts).toBeUndefined();
		expect(run(bin, ['--version']).trim()).toBe(manifest.version);
	}, 600_000);

	it('passes doctor on the CPU, naming the installer that adds CUDA', () => {
		const report = run(bin, ['doctor']);
		expect(report).toMatch(/✓ Inference engine \(onnxruntime-node\): onnxruntime-node \d+\.\d+\.\d+; learned models would run on cpu/);
		expect(report).toContain('✓ Pipeline self-test');
		expect(report).toContain(`✓ Home folder: ${path.join(home, '.orfeas')} is writable`);
		expect(report).toContain(`node "${path.join(prefix, 'lib', 'node_modules', 'orfeas', 'dist', 'node_modules', 'onnxruntime-node', 'script', 'install.js')}" --onnxruntime-node-install=cuda12`);
	}, 300_000);

	it('generates a model from a picture', async () => {
		writeFileSync(path.join(work, 'pebble.png'), await distinctPicture(256, 7));
		run(bin, ['generate', 'pebble.png', '-o', 'models/pebble.glb']);
		const glb = readFileSync(path.join(work, 'models', 'pebble.glb'));
		expect(glb.toString('latin1', 0, 4)).toBe('glTF');
		expect(glb.length).toBeGreaterThan(10_000);
	}, 300_000);

	it('runs a daemon that answers and stops', async () => {
		const daemon = spawn(bin, ['daemon', '--port', '0'], { cwd: work, env: userEnv(), stdio: 'ignore' });
		const exited = new Promise<number | null>((resolve) => daemon.once('exit', resolve));
		try {
			const discovery = await until('daemon.json', () => readJsonIfWhole(path.join(home, '.orfeas', 'daemon.json')) as { pid: number; port: number } | null, { timeoutMs: 120_000 });
			expect(discovery.pid).toBe(daemon.pid);
			const health = (await (await fetch(`http://127.0.0.1:${discovery.port}/health`)).json()) as { ok: boolean; version: string };
			expect(health).toMatchObject({ ok: true, version: manifest.version });
			// Stopped the way every platform can, Windows included: a daemon.stop request (`orfeas stop`), which
			// returns once the process has ended.
			run(bin, ['stop']);
			expect(await exited).toBe(0);
		} finally {
			if (daemon.exitCode === null) daemon.kill('SIGKILL');
		}
		expect(existsSync(path.join(home, '.orfeas', 'daemon.json'))).toBe(false);
	}, 300_000);

	it('runs through npx from the file', () => {
		const before = new Set(existsSync(path.join(cache, '_npx')) ? readdirSync(path.join(cache, '_npx')) : []);
		try {
			const report = run('npx', ['--yes', '--prefer-offline', `./${path.basename(tarball)}`, 'doctor'], path.dirname(tarball));
			expect(report).toMatch(/✓ Inference engine \(onnxruntime-node\): onnxruntime-node \d+\.\d+\.\d+; learned models would run on cpu/);
			expect(report).toContain('✓ Pipeline self-test');
		} finally {
			for (const entry of existsSync(path.join(cache, '_npx')) ? readdirSync(path.join(cache, '_npx')) : []) {
				if (!before.has(entry)) rmSync(path.join(cache, '_npx', entry), { recursive: true, force: true });
			}
		}
	}, 600_000);
});
