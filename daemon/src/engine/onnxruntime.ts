// Loading onnxruntime-node. The npm package carries one release for every platform in dist/node_modules and,
// for a platform that needs another release (macOS on Intel: packaging/natives.mjs), that one in
// dist/<platform>-<arch>/node_modules; here, beside the bundle, it is taken first. A checkout has neither folder
// and resolves node_modules as usual.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type Ort = typeof import('onnxruntime-node');

let loaded: Ort | undefined;

/** onnxruntime-node as this platform should run it (loaded once per thread; throws when it cannot load). */
export function loadOnnxruntime(): Ort {
	if (loaded) return loaded;
	const own = path.join(__dirname, `${process.platform}-${process.arch}`, 'node_modules', 'onnxruntime-node');
	loaded = createRequire(__filename)(existsSync(own) ? own : 'onnxruntime-node') as Ort;
	return loaded;
}
