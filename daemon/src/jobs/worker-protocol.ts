// Messages between the worker pool (main thread) and a pipeline worker thread.
import type { GenerateStats, StageName, StageProgress } from '../generators/run';
import type { ErrorCode } from '../protocol/errors';
import type { Collider, ExportFormat, ExportProfile, GenerateOptions } from '../protocol/options';
import type { OutputFile } from './assets';
import type { ExtraView, ViewName } from '../protocol/views';

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

export type WorkerTask = GenerateTask | ExportTask;

interface TaskBase {
	jobId: string;
	/** The input's bytes (a picture, or the GLB an export starts from), transferred, not copied. */
	bytes: ArrayBuffer;
	name: string;
	/** SharedArrayBuffer holding one Int32: 0 while wanted, 1 once cancelled. */
	cancel: SharedArrayBuffer;
}

export interface GenerateTask extends TaskBase {
	kind: 'generate';
	/** Pictures of the same object from other sides (copied, not transferred: they are few and small). */
	views?: { view: ExtraView; bytes: Uint8Array }[];
	/** `bytes` is a turnaround sheet holding these views, left to right. */
	sheet?: ViewName[];
	options: GenerateOptions;
	weights: Record<StageName, number>;
	/** A generation server's job already sent for this one: polled, not sent again. */
	remoteJob?: string;
}

/** Re-exports a generated model: its GLB in, the asked-for formats out. */
export interface ExportTask extends TaskBase {
	kind: 'export';
	request: ExportRequestOptions;
}

export interface ExportRequestOptions {
	formats: ExportFormat[];
	profile: ExportProfile;
	lods: number[];
	collider: Collider;
}

export type WorkerReply =
	| { type: 'ready' }
	| { type: 'fatal'; message: string }
	| { type: 'progress'; jobId: string; event: StageProgress }
	| { type: 'submitted'; jobId: string; remoteJob: string }
	| { type: 'models'; requestId: number; ok: boolean; message?: string; loaded: string[] }
	| { type: 'done'; jobId: string; files: OutputFile[]; stats: GenerateStats | { ms: Record<string, number> } }
	| { type: 'failed'; jobId: string; code: ErrorCode; message: string; stage: StageName; stack?: string };
