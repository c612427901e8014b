// Entry of a pipeline worker thread (bundled as dist/worker.cjs). It runs one job at a time and reports progress;
// cancellation arrives as a flag in shared memory, which the stages read even while this thread is busy in
// synchronous code and cannot receive messages.
import { parentPort, workerData } from 'node:worker_threads';
import { Home } from './home';
import { exportAsset } from '../export/asset';
import { runPipeline, type StageName, type StageProgress } from '../generators/run';
import { loadRuntime } from '../generators/runtime';
import type { CancelSignal } from '../pipeline/types';
import { toOrfeasError } from '../protocol/errors';
import type { OutputFile } from './assets';
import type { WorkerConfig, WorkerReply, WorkerRequest, WorkerTask } from './worker-protocol';

/** A CancelSignal backed by an Int32Array over a SharedArrayBuffer that the pool sets to 1. */
class SharedCancel implements CancelSignal {
	constructor(private readonly flag: Int32Array) {}

	get aborted(): boolean {
		return Atomics.load(this.flag, 0) !== 0;
	}

	throwIfAborted(): void {
		if (this.aborted) {
			const error = new Error('The job was cancelled.');
			error.name = 'AbortError';
			throw error;
		}
	}
}

const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread');
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

const config = (workerData ?? {}) as WorkerConfig;
const runtime = loadRuntime(config.engine ? { engine: { ...config.engine, home: new Home(config.engine.homeRoot) } } : {});
runtime.then(
	() => post({ type: 'ready' }),
	(error: unknown) => post({ type: 'fatal', message: String(error) }),
);

port.on('message', (request: WorkerRequest) => {
	if (request.type === 'models') void models(request);
	else void run(request);
});

/** Opens or closes a model's sessions in this worker. */
async function models(request: Extract<WorkerRequest, { type: 'models' }>): Promise<void> {
	const { engine } = await runtime;
	try {
		if (!engine) throw new Error('this worker has no inference engine');
		await engine.registry.refresh();
		if (request.action === 'load') await engine.load(request.modelId);
		else await engine.unload(request.modelId);
		post({ type: 'models', requestId: request.requestId, ok: true, loaded: [...engine.loaded()] });
	} catch (error) {
		post({ type: 'models', requestId: request.requestId, ok: false, message: toOrfeasError(error).message, loaded: engine ? [...engine.loaded()] : [] });
	}
}

async function run(task: WorkerTask): Promise<void> {
	let stage: StageName = task.kind === 'generate' ? 'decode' : 'export';
	const signal = new SharedCancel(new Int32Array(task.cancel));
	try {
		const ready = await runtime;
		const onProgress = (event: StageProgress) => {
			stage = event.stage;
			post({ type: 'progress', jobId: task.jobId, event });
		};
		let files: OutputFile[];
		let stats: Extract<WorkerReply, { type: 'done' }>['stats'];
		if (task.kind === 'generate') {
			// Models pulled since the last job become usable without restarting the worker.
			await ready.engine?.registry.refresh();
			const onSubmitted = (remoteJob: string) => post({ type: 'submitted', jobId: task.jobId, remoteJob });
			const input = { bytes: new Uint8Array(task.bytes), name: task.name, views: task.views, sheet: task.sheet };
			({ files, stats } = await runPipeline(input, task.options, ready, { signal, weights: task.weights, onProgress, remoteJob: task.remoteJob, onSubmitted }));
		} else {
			const started = performance.now();
			files = await exportAsset(new Uint8Array(task.bytes), task.name, task.request, { signal, onProgress });
			stats = { ms: { export: performance.now() - started } };
		}
		// Each file's bytes in a buffer of their own, so they move to the main thread without a copy.
		const owned = files.map((f) => ({ ...f, bytes: f.bytes.buffer.byteLength === f.bytes.length ? f.bytes : f.bytes.slice() }));
		post({ type: 'done', jobId: task.jobId, files: owned, stats }, [...new Set(owned.map((f) => f.bytes.buffer as ArrayBuffer))]);
	} catch (error) {
		const e = toOrfeasError(error);
		post({
			type: 'failed',
			jobId: task.jobId,
			code: e.code,
			message: e.message,
			stage,
			...(e.code === 'E_INTERNAL' && error instanceof Error ? { stack: error.stack } : {}),
		});
	}
}
