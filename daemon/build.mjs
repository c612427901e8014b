// Bundles the executables with esbuild: the `orfeas` CLI/daemon and its pipeline worker thread. Native modules
// (sharp, onnxruntime-node) and manifold-3d's WebAssembly module stay external and load from node_modules.
import { build } from 'esbuild';

const common = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	sourcemap: true,
	external: ['sharp', 'onnxruntime-node', 'manifold-3d'],
	logLevel: 'warning',
};

await Promise.all([
	build({ ...common, entryPoints: ['daemon/src/cli/index.ts'], outfile: 'dist/orfeas.cjs', banner: { js: '#!/usr/bin/env node' } }),
	build({ ...common, entryPoints: ['daemon/src/jobs/worker.ts'], outfile: 'dist/worker.cjs' }),
]);
