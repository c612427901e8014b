// Bundles everything that ships with esbuild: the `orfeas` CLI/daemon and its pipeline worker thread, the VS Code
// extension host, and the webview scripts. Native modules (sharp, onnxruntime-node) and manifold-3d's WebAssembly
// module stay external and load from node_modules; `vscode` is provided by the editor.
import { build } from 'esbuild';

const node = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	sourcemap: true,
	external: ['sharp', 'onnxruntime-node', 'manifold-3d'],
	logLevel: 'warning',
};

const browser = {
	bundle: true,
	platform: 'browser',
	target: 'chrome114',
	format: 'iife',
	minify: true,
	sourcemap: false,
	logLevel: 'warning',
};

await Promise.all([
	build({ ...node, entryPoints: ['daemon/src/cli/index.ts'], outfile: 'dist/orfeas.cjs', banner: { js: '#!/usr/bin/env node' } }),
	build({ ...node, entryPoints: ['daemon/src/jobs/worker.ts'], outfile: 'dist/worker.cjs' }),
	// ws tries its optional native helpers and falls back to JavaScript when they are absent.
	// The banner notes when the bundle starts to evaluate, so activation time includes loading the code.
	build({
		...node,
		minify: true,
		entryPoints: ['extension/src/extension.ts'],
		outfile: 'dist/extension.cjs',
		external: ['vscode', 'bufferutil', 'utf-8-validate'],
		banner: { js: 'globalThis.__orfeasLoadStart = performance.now();' },
	}),
	build({ ...browser, entryPoints: ['webview/src/preview/main.ts'], outfile: 'dist/webview/preview.js' }),
	build({ ...browser, entryPoints: ['webview/src/scene/main.ts'], outfile: 'dist/webview/scene.js' }),
]);
