// The pipeline's heavy runtimes, created once per process or worker thread and passed into runPipeline.
import { MeshoptSimplifier } from 'meshoptimizer';
import type { PipelineRuntime } from './run';

let loading: Promise<PipelineRuntime> | undefined;

/** Loads the meshoptimizer WebAssembly module once. */
export function loadRuntime(): Promise<PipelineRuntime> {
	loading ??= MeshoptSimplifier.ready.then(() => ({ simplifier: MeshoptSimplifier }));
	return loading;
}
