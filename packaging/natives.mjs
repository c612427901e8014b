// The run-time packages the bundles load and cannot bundle (sharp with libvips, onnxruntime-node, manifold-3d's
// WebAssembly), staged for one platform or for all of them. The bundles (dist/orfeas.cjs, dist/worker.cjs)
// resolve them from dist/node_modules first, which is where both the .vsix and the npm package carry them.
//
// This machine's own packages come from node_modules. Another platform's come from the npm registry as npm
// itself fetches them (`npm pack NAME@VERSION`, which checks the tarball against the registry's integrity), kept
// in node_modules/.cache/orfeas-packages so a second run needs no network (and `npm ci` starts afresh).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Every platform a .vsix is made for, as `vsce package --target` names them (= `${process.platform}-${process.arch}`). */
export const TARGETS = ['win32-x64', 'win32-arm64', 'darwin-arm64', 'darwin-x64', 'linux-x64', 'linux-arm64'];

/**
 * onnxruntime-node carries its binaries for every platform in one package, in bin/napi-v6/<platform>/<arch>.
 * Releases after 1.23.2 carry none for macOS on Intel, so that platform gets 1.23.2, the last that does; every
 * other platform gets the repository's own version.
 */
export const ONNXRUNTIME_FOR = { 'darwin-x64': '1.23.2' };

/** The pure-JavaScript packages sharp needs beside its platform packages. */
const SHARP_JS = ['sharp', '@img/colour', 'detect-libc', 'semver'];

export const HOST = `${process.platform}-${process.arch}`;

const CACHE = path.join(ROOT, 'node_modules', '.cache', 'orfeas-packages');

function readManifest(folder) {
	return JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
}

function installed(name) {
	const folder = path.join(ROOT, 'node_modules', name);
	if (!existsSync(folder)) throw new Error(`node_modules/${name} is missing; run npm ci.`);
	const manifest = readManifest(folder);
	return { folder, manifest, version: manifest.version };
}

/** NAME@VERSION unpacked: from node_modules when that is the version installed there, else fetched once. */
export function packageFolder(name, version) {
	const local = path.join(ROOT, 'node_modules', name);
	if (existsSync(path.join(local, 'package.json')) && readManifest(local).version === version) return local;
	const cached = path.join(CACHE, `${name.replace('/', '+')}@${version}`);
	if (existsSync(path.join(cached, 'package.json'))) return cached;
	// Unpacked beside the cache and moved in whole, so a packer running at the same time sees all of it or none.
	const scratch = `${cached}.${process.pid}.partial`;
	rmSync(scratch, { recursive: true, force: true });
	mkdirSync(scratch, { recursive: true });
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const packed = JSON.parse(execFileSync(npm, ['pack', `${name}@${version}`, '--json', '--pack-destination', scratch], { encoding: 'utf8', shell: process.platform === 'win32' }));
	const tarball = path.join(scratch, packed[0].filename);
	execFileSync('tar', ['-xzf', tarball, '-C', scratch]);
	rmSync(tarball);
	try {
		renameSync(path.join(scratch, 'package'), cached);
	} catch (error) {
		if (!existsSync(path.join(cached, 'package.json'))) throw error;
	}
	rmSync(scratch, { recursive: true, force: true });
	return cached;
}

/** The named packages and everything they depend on, as installed in node_modules (one version each there). */
function dependencyClosure(names) {
	const seen = new Set();
	const visit = (name) => {
		if (seen.has(name)) return;
		seen.add(name);
		for (const dependency of Object.keys(installed(name).manifest.dependencies ?? {})) visit(dependency);
	};
	names.forEach(visit);
	return [...seen];
}

function copyParts(from, to, parts) {
	for (const part of parts ?? ['.']) {
		if (existsSync(path.join(from, part))) cpSync(path.join(from, part), path.join(to, part), { recursive: true });
	}
}

/**
 * onnxruntime-node without its install script: the script fetches the CUDA provider from NuGet, outside the npm
 * registry, and fails an install that cannot reach it. The CPU and WebGPU binaries are already in the package;
 * CUDA stays an opt-in (README, "GPU").
 */
function stageOnnxruntime(version, platforms, nodeModules, { installer = false } = {}) {
	const from = packageFolder('onnxruntime-node', version);
	const manifest = readManifest(from);
	const to = path.join(nodeModules, 'onnxruntime-node');
	copyParts(from, to, ['dist', 'LICENSE', ...(installer ? ['script'] : []), ...platforms.map((p) => `bin/napi-v6/${p.replace('-', '/')}`)]);
	// The installer, run by hand, is the CUDA opt-in (engine/providers.ts says how); it needs its own dependencies.
	if (installer) for (const name of dependencyClosure(['adm-zip', 'global-agent'])) copyParts(installed(name).folder, path.join(nodeModules, name));
	const { scripts, devDependencies, ...kept } = manifest;
	writeFileSync(path.join(to, 'package.json'), `${JSON.stringify(kept, null, 2)}\n`);
	copyParts(packageFolder('onnxruntime-common', manifest.dependencies['onnxruntime-common']), path.join(nodeModules, 'onnxruntime-common'));
}

/** Stages into `nodeModules` what the bundles load on `target`, and nothing of any other platform. */
export function stageRuntime(target, nodeModules) {
	if (!TARGETS.includes(target)) throw new Error(`Unknown target ${target}; one of ${TARGETS.join(', ')}.`);
	for (const name of SHARP_JS) copyParts(installed(name).folder, path.join(nodeModules, name));
	const optional = installed('sharp').manifest.optionalDependencies;
	for (const name of [`@img/sharp-${target}`, `@img/sharp-libvips-${target}`]) {
		// Windows builds carry libvips inside @img/sharp-win32-*; there is no separate libvips package.
		if (optional[name]) copyParts(packageFolder(name, optional[name]), path.join(nodeModules, name));
	}
	stageOnnxruntime(ONNXRUNTIME_FOR[target] ?? installed('onnxruntime-node').version, [target], nodeModules);
	stageManifold(nodeModules);
}

/** manifold-3d's WebAssembly build: the same files on every platform, without the packages only its CLI uses. */
function stageManifold(nodeModules) {
	copyParts(installed('manifold-3d').folder, path.join(nodeModules, 'manifold-3d'), ['package.json', 'manifold.js', 'manifold.wasm', 'LICENSE']);
}

/**
 * What the npm package carries in `nodeModules` (sharp, whose platform packages npm chooses, stays a dependency):
 * manifold-3d's WebAssembly, and onnxruntime-node for every platform it has binaries for — plus, for each
 * platform that needs another release, that release in `<dist>/<target>/node_modules`, which the daemon loads
 * first on that platform (daemon/src/engine/onnxruntime.ts).
 */
export function stageNpmRuntime(nodeModules) {
	stageManifold(nodeModules);
	const own = installed('onnxruntime-node').version;
	stageOnnxruntime(own, TARGETS.filter((t) => !ONNXRUNTIME_FOR[t]), nodeModules, { installer: true });
	for (const [target, version] of Object.entries(ONNXRUNTIME_FOR)) {
		stageOnnxruntime(version, [target], path.join(path.dirname(nodeModules), target, 'node_modules'));
	}
}

/** The targets named by `--target a,b` (or `all`) on the command line; this machine's when none is named. */
export function targetsFromArguments(argv) {
	const index = argv.indexOf('--target');
	if (index < 0) return [HOST];
	const value = argv[index + 1] ?? '';
	const names = value === 'all' ? TARGETS : value.split(',').filter(Boolean);
	for (const name of names) if (!TARGETS.includes(name)) throw new Error(`Unknown target ${name}; one of ${TARGETS.join(', ')} or all.`);
	return names;
}
