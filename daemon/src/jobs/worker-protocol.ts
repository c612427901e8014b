// Messages between the worker pool (main thread) and a pipeline worker thread.
import type { GenerateStats, StageName, StageProgress } from '../pipeline/run';
import type { ErrorCode } from '../protocol/errors';
import type { GenerateOptions } from '../protocol/options';

/** What the pool tells a worker when it starts it (workerData). */
export interface WorkerConfig {
	/** The inference engine's settings; absent, the worker runs the built-in pipeline only. */
	engine?: EngineConfigData;
}

/** EngineConfig as plain data (the home folder by its path). */
export interface EngineConfigData {
	homeRoot: string;
	catalogueDir: string;
	providers: string[];
	intraOpThreads: number;
	budgetBytes: number;
}

export type WorkerRequest = ({ type: 'run' } & WorkerTask) | { type: 'models'; requestId: number; action: 'load' | 'unload'; modelId: string };

export interface WorkerTask {
	jobId: string;
	/** The picture's bytes, transferred, not copied. */
	bytes: ArrayBuffer;
	name: string;
	options: GenerateOptions;
	weights: Record<StageName, number>;
	/** SharedArrayBuffer holding one Int32: 0 while wanted, 1 once cancelled. */
	cancel: SharedArrayBuffer;
}

export type WorkerReply =
	| { type: 'ready' }
	| { type: 'fatal'; message: string }
	| { type: 'progress'; jobId: string; event: StageProgress }
	| { type: 'models'; requestId: number; ok: boolean; message?: string; loaded: string[] }
	| { type: 'done'; jobId: string; glb: Uint8Array; stats: GenerateStats }
	| { type: 'failed'; jobId: string; code: ErrorCode; message: string; stage: StageName; stack?: string };
