// `npm run package`: the installable .vsix for this platform. Stages what the extension needs at run time —
// the bundles, the model manifests, and only the native packages the daemon loads (this platform's binaries
// only) — then lets vsce write the archive and checks that the staged daemon really runs (`orfeas doctor`).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const target = `${process.platform}-${process.arch}`;
const stage = path.join(root, 'out', 'vsix');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const output = path.join(root, 'dist', `orfeas-${target}.vsix`);

/** Packages the daemon requires at run time, and what of each to keep. */
const RUNTIME = {
	sharp: null,
	'@img/colour': null,
	'detect-libc': null,
	semver: null,
	[`@img/sharp-${target}`]: null,
	[`@img/sharp-libvips-${target}`]: null,
	'onnxruntime-common': null,
	'onnxruntime-node': ['package.json', 'dist', 'LICENSE', `bin/napi-v6/${process.platform}/${process.arch}`],
	'manifold-3d': ['package.json', 'manifold.js', 'manifold.wasm', 'LICENSE'],
};

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// The manifest without what only the repository needs (scripts, dependency lists the bundles already contain).
const { scripts, dependencies, devDependencies, bin, private: _, ...extension } = manifest;
writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(extension, null, 2)}\n`);
cpSync(path.join(root, 'extension', 'marketplace.md'), path.join(stage, 'README.md'));
cpSync(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));
for (const file of ['orfeas.cjs', 'worker.cjs', 'extension.cjs', 'webview/preview.js', 'webview/scene.js']) {
	const from = path.join(root, 'dist', file);
	if (!existsSync(from)) throw new Error(`dist/${file} is missing: run npm run build first.`);
	cpSync(from, path.join(stage, 'dist', file));
}
for (const file of readdirSync(path.join(root, 'models')).filter((f) => f.endsWith('.json'))) {
	cpSync(path.join(root, 'models', file), path.join(stage, 'models', file));
}
for (const [name, keep] of Object.entries(RUNTIME)) {
	const from = path.join(root, 'node_modules', name);
	if (!existsSync(from)) throw new Error(`node_modules/${name} is missing (needed on ${target}); run npm ci.`);
	for (const part of keep ?? ['.']) {
		if (existsSync(path.join(from, part))) cpSync(path.join(from, part), path.join(stage, 'dist', 'node_modules', name, part), { recursive: true });
	}
}
// The runtime packages sit in dist/node_modules, where the bundles resolve them first: vsce (without dependency
// detection) leaves a top-level node_modules out, and the root one holds everything the repository needs.
writeFileSync(path.join(stage, '.vscodeignore'), '**/*.map\n**/*.d.ts\n');

// The staged daemon must run from the staged folder alone: doctor loads sharp and onnxruntime, starts a worker
// and generates the sample.
const home = mkdtempSync(path.join(os.tmpdir(), 'orfeas-package-'));
try {
	execFileSync(process.execPath, [path.join(stage, 'dist', 'orfeas.cjs'), 'doctor', '--home', home], { stdio: 'inherit', env: { ...process.env, NODE_PATH: '' } });
} finally {
	rmSync(home, { recursive: true, force: true });
}

const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
rmSync(output, { force: true });
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--target', target, '--out', output], { cwd: stage, stdio: 'inherit' });
const bytes = statSync(output).size;
console.log(`${path.relative(root, output)}: ${(bytes / 2 ** 20).toFixed(1)} MiB`);
