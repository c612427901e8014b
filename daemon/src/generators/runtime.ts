// The pipeline's heavy runtimes, created once per process or worker thread and passed into runPipeline: the
// meshoptimizer WebAssembly module, and the inference engine when learned models may be used.
import { MeshoptSimplifier } from 'meshoptimizer';
import { Engine, type EngineConfig } from '../engine/engine';
import type { PipelineRuntime } from './generator';

let loading: Promise<PipelineRuntime> | undefined;

/** Loads the runtimes once per thread; `engine` adds the inference engine (onnxruntime-node). */
export function loadRuntime(config: { engine?: EngineConfig } = {}): Promise<PipelineRuntime> {
	loading ??= (async () => {
		await MeshoptSimplifier.ready;
		const engine = config.engine ? await Engine.create(config.engine) : undefined;
		return { simplifier: MeshoptSimplifier, ...(engine ? { engine } : {}) };
	})();
	return loading;
}
