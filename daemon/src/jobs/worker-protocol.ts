// Messages between the worker pool (main thread) and a pipeline worker thread.
import type { GenerateStats, StageName, StageProgress } from '../pipeline/run';
import type { ErrorCode } from '../protocol/errors';
import type { GenerateOptions } from '../protocol/options';

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
	| { type: 'done'; jobId: string; glb: Uint8Array; stats: GenerateStats }
	| { type: 'failed'; jobId: string; code: ErrorCode; message: string; stage: StageName; stack?: string };
