// `prepack` / `postpack` of the npm package: stages onnxruntime-node into dist/node_modules (and a release of its
// own for a platform that needs one, dist/<target>/node_modules) before `npm pack`, and takes it away after, so the
// repository's own runs keep resolving node_modules.
//
// The package carries onnxruntime-node instead of depending on it: npm runs a dependency's install script, and
// onnxruntime-node's fetches the CUDA provider from NuGet, outside the npm registry — on a machine that cannot
// reach it the whole `npm install -g orfeas` failed. The staged copy has every platform's CPU binaries and no
// install script. It carries manifold-3d's WebAssembly too: the package would bring 30 more for its own CLI.
// sharp stays an ordinary dependency (no install script; npm chooses its platform packages).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, stageNpmRuntime, TARGETS } from './natives.mjs';

const dist = path.join(ROOT, 'dist');

function clean() {
	rmSync(path.join(dist, 'node_modules'), { recursive: true, force: true });
	for (const target of TARGETS) rmSync(path.join(dist, target), { recursive: true, force: true });
}

clean();
if (!process.argv.includes('--clean')) {
	for (const file of ['orfeas.cjs', 'worker.cjs']) {
		if (!existsSync(path.join(dist, file))) throw new Error(`dist/${file} is missing: run npm run build first.`);
	}
	stageNpmRuntime(path.join(dist, 'node_modules'));
	// npm leaves out what `files` does not name, and a glob does not reach into node_modules: name each folder.
	const files = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).files;
	for (const target of TARGETS.filter((t) => existsSync(path.join(dist, t)))) {
		if (!files.includes(`dist/${target}/`)) throw new Error(`package.json "files" must list dist/${target}/ (staged for ${target}).`);
	}
	console.log(`staged ${readdirSync(path.join(dist, 'node_modules')).join(', ')} in dist/node_modules`);
}
