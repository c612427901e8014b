// `node extension/package-vsix.mjs [--target linux-x64,win32-x64,…|all]`: the installable .vsix for each platform
// (this machine's when none is named). Stages what the extension needs at run time — the bundles, the model
// manifests, and the native packages the daemon loads with that platform's binaries only
// (packaging/natives.mjs) — then lets vsce write dist/orfeas-<target>.vsix. For this machine's platform it first
// checks that the staged daemon really runs (`orfeas doctor`); the others are checked by their files' headers
// (test/packaging/vsix-platforms.test.ts).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOST, ROOT as root, stageRuntime, targetsFromArguments } from '../packaging/natives.mjs';

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

for (const target of targetsFromArguments(process.argv)) packageTarget(target);

function packageTarget(target) {
	const stage = path.join(root, 'out', 'vsix', target);
	const output = path.join(root, 'dist', `orfeas-${target}.vsix`);
	rmSync(stage, { recursive: true, force: true });
	mkdirSync(stage, { recursive: true });

	// The manifest without what only the repository and the npm package need.
	const { scripts, dependencies, devDependencies, bin, files, ...extension } = manifest;
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
	// The runtime packages sit in dist/node_modules, where the bundles resolve them first: vsce (without dependency
	// detection) leaves a top-level node_modules out, and the root one holds everything the repository needs.
	stageRuntime(target, path.join(stage, 'dist', 'node_modules'));
	writeFileSync(path.join(stage, '.vscodeignore'), '**/*.map\n**/*.d.ts\n');

	// The staged daemon must run from the staged folder alone: doctor loads sharp and onnxruntime, starts a worker
	// and generates the sample.
	if (target === HOST) {
		const home = mkdtempSync(path.join(os.tmpdir(), 'orfeas-package-'));
		try {
			execFileSync(process.execPath, [path.join(stage, 'dist', 'orfeas.cjs'), 'doctor', '--home', home], { stdio: 'inherit', env: { ...process.env, NODE_PATH: '' } });
		} finally {
			rmSync(home, { recursive: true, force: true });
		}
	}

	const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
	rmSync(output, { force: true });
	execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--target', target, '--out', output], { cwd: stage, stdio: 'inherit' });
	console.log(`${path.relative(root, output)}: ${(statSync(output).size / 2 ** 20).toFixed(1)} MiB`);
}
