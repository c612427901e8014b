// A fixed set of pipeline worker threads, one job each at a time, so the event loop only routes messages.
// Cancelling raises the job's shared flag; a worker that has not stopped within the grace period (a long
// synchronous step) is terminated and replaced, so a cancel never takes longer than that.
import { Worker } from 'node:worker_threads';
import type { GenerateStats, StageName, StageProgress } from '../generators/run';
import { OrfeasError } from '../protocol/errors';
import type { GenerateOptions } from '../protocol/options';
import type { Logger } from '../server/log';
import type { OutputFile } from './assets';
import type { WorkerConfig, WorkerReply, WorkerRequest, WorkerTask } from './worker-protocol';

/** How long a cancelled job may keep its worker before the worker is terminated. */
export const CANCEL_GRACE_MS = 150;

/** A job for a worker: WorkerTask with the input as bytes and without the cancel flag, which the pool adds. */
export type PoolTask = DistributiveOmit<WorkerTask, 'bytes' | 'cancel'> & { bytes: Uint8Array };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface PoolResult {
	files: OutputFile[];
	stats: Extract<WorkerReply, { type: 'done' }>['stats'];
}

interface Running {
	jobId: string;
	flag: Int32Array;
	resolve: (result: PoolResult) => void;
	reject: (error: OrfeasError) => void;
	onProgress: (event: StageProgress) => void;
	onSubmitted?: (remoteJob: string) => void;
	graceTimer?: NodeJS.Timeout;
}

interface Slot {
	worker: Worker;
	ready: Promise<void>;
	running?: Running;
}

export class WorkerPool {
	private readonly slots: Slot[] = [];
	private closed = false;

	private nextRequest = 1;
	private readonly modelReplies = new Map<number, (reply: Extract<WorkerReply, { type: 'models' }>) => void>();

	constructor(
		private readonly script: string,
		readonly size: number,
		private readonly log: Logger,
		private readonly config: WorkerConfig = {},
	) {
		for (let i = 0; i < size; i++) this.slots.push(this.spawn());
	}

	/** Resolves once every worker has loaded its runtime. */
	async ready(): Promise<void> {
		await Promise.all(this.slots.map((s) => s.ready));
	}

	get idle(): number {
		return this.slots.filter((s) => !s.running).length;
	}

	/**
	 * Runs a job on an idle worker; the caller schedules, so there must be one. `onSubmitted` hears when a
	 * generation server has accepted the job.
	 */
	run(task: PoolTask, onProgress: (event: StageProgress) => void, onSubmitted?: (remoteJob: string) => void): Promise<PoolResult> {
		const slot = this.slots.find((s) => !s.running);
		if (!slot) return Promise.reject(new OrfeasError('E_INTERNAL', 'No idle pipeline worker.'));
		const shared = new SharedArrayBuffer(4);
		return new Promise<PoolResult>((resolve, reject) => {
			slot.running = { jobId: task.jobId, flag: new Int32Array(shared), resolve, reject, onProgress, onSubmitted };
			// A copy with its own exact-size buffer: a Buffer may be a view into a larger shared pool.
			const bytes = new Uint8Array(task.bytes).buffer;
			const message = { type: 'run', ...task, bytes, cancel: shared } as WorkerRequest;
			slot.ready.then(() => slot.worker.postMessage(message, [bytes]));
		});
	}

	/** Stops a running job; its promise rejects with E_CANCELLED within CANCEL_GRACE_MS. */
	cancel(jobId: string): boolean {
		const slot = this.slots.find((s) => s.running?.jobId === jobId);
		if (!slot?.running) return false;
		const running = slot.running;
		Atomics.store(running.flag, 0, 1);
		running.graceTimer ??= setTimeout(() => {
			if (slot.running !== running) return;
			this.log.warn(`job ${jobId} did not stop within ${CANCEL_GRACE_MS} ms; replacing its worker`);
			this.replace(slot, new OrfeasError('E_CANCELLED', 'The job was cancelled.'));
		}, CANCEL_GRACE_MS);
		return true;
	}

	/**
	 * Opens (or closes) a model's sessions in every worker, so the first job using it does not wait; resolves
	 * with the ids loaded everywhere, rejects with the first worker's sentence when it cannot.
	 */
	async models(action: 'load' | 'unload', modelId: string): Promise<string[]> {
		const replies = await Promise.all(
			this.slots.map(
				(slot) =>
					new Promise<Extract<WorkerReply, { type: 'models' }>>((resolve) => {
						const requestId = this.nextRequest++;
						this.modelReplies.set(requestId, resolve);
						slot.ready.then(() => slot.worker.postMessage({ type: 'models', requestId, action, modelId } satisfies WorkerRequest));
					}),
			),
		);
		const failed = replies.find((r) => !r.ok);
		if (failed) throw new OrfeasError('E_MODEL_LOAD', failed.message ?? `Model "${modelId}" cannot be loaded.`, { model: modelId });
		return replies[0]?.loaded ?? [];
	}

	async close(): Promise<void> {
		this.closed = true;
		await Promise.all(this.slots.map((s) => s.worker.terminate()));
	}

	private spawn(): Slot {
		const worker = new Worker(this.script, { workerData: this.config });
		let markReady: () => void = () => {};
		let markFailed: (e: Error) => void = () => {};
		const slot: Slot = {
			worker,
			ready: new Promise<void>((resolve, reject) => {
				markReady = resolve;
				markFailed = reject;
			}),
		};
		slot.ready.catch(() => {});
		worker.on('message', (reply: WorkerReply) => {
			if (reply.type === 'ready') return markReady();
			if (reply.type === 'fatal') return markFailed(new Error(reply.message));
			if (reply.type === 'models') {
				this.modelReplies.get(reply.requestId)?.(reply);
				this.modelReplies.delete(reply.requestId);
				return;
			}
			const running = slot.running;
			if (!running || running.jobId !== reply.jobId) return;
			if (reply.type === 'progress') return running.onProgress(reply.event);
			if (reply.type === 'submitted') return running.onSubmitted?.(reply.remoteJob);
			this.finish(slot, running);
			if (reply.type === 'done') running.resolve({ files: reply.files, stats: reply.stats });
			else {
				if (reply.stack) this.log.error(`job ${reply.jobId} failed in ${reply.stage}: ${reply.stack}`);
				running.reject(new OrfeasError(reply.code, reply.message, { stage: reply.stage }));
			}
		});
		worker.on('error', (error) => this.log.error(`pipeline worker error: ${error.stack ?? error}`));
		worker.on('exit', (code) => {
			if (this.closed || !this.slots.includes(slot)) return;
			this.log.error(`pipeline worker exited with code ${code}; starting another`);
			this.replace(slot, new OrfeasError('E_INTERNAL', 'The pipeline worker stopped unexpectedly. Try again; if it repeats, report it with the daemon log.'));
		});
		return slot;
	}

	private finish(slot: Slot, running: Running): void {
		if (running.graceTimer) clearTimeout(running.graceTimer);
		slot.running = undefined;
	}

	/** Terminates a slot's worker, fails its job with `error`, and puts a fresh worker in its place. */
	private replace(slot: Slot, error: OrfeasError): void {
		const index = this.slots.indexOf(slot);
		if (index < 0) return;
		const running = slot.running;
		if (running) this.finish(slot, running);
		this.slots[index] = this.spawn();
		void slot.worker.terminate();
		running?.reject(error);
	}
}
