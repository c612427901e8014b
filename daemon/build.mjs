// Bundles everything that ships with esbuild: the `orfeas` CLI/daemon and its pipeline worker thread, the VS Code
// extension host, and the webview scripts. Native modules (sharp, onnxruntime-node) and manifold-3d's WebAssembly
// module stay external and load from node_modules; `vscode` is provided by the editor.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * The extension host replaces `request` and `get` of `http` and `https` with versions that route every request
 * through VS Code's proxy agent, which opens a connection of its own: the WebSocket to a team server must go over
 * the TLS connection whose certificate the extension checked (extension/src/daemon/server.ts). The extension
 * bundle's `http` and `https` (ws's) are Node's own client, from extension/src/daemon/direct-http.ts.
 */
const directHttp = {
	name: 'direct-http',
	setup(build) {
		const module = fileURLToPath(new URL('../extension/src/daemon/direct-http.ts', import.meta.url));
		build.onResolve({ filter: /^https?$/ }, (args) => ({ path: args.path, namespace: 'direct-http' }));
		build.onLoad({ filter: /.*/, namespace: 'direct-http' }, (args) => ({
			contents: `module.exports = require(${JSON.stringify(module)}).${args.path};`,
			resolveDir: path.dirname(module),
			loader: 'js',
		}));
	},
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
		plugins: [directHttp],
		banner: { js: 'globalThis.__orfeasLoadStart = performance.now();' },
	}),
	build({ ...browser, entryPoints: ['webview/src/preview/main.ts'], outfile: 'dist/webview/preview.js' }),
	build({ ...browser, entryPoints: ['webview/src/scene/main.ts'], outfile: 'dist/webview/scene.js' }),
]);
