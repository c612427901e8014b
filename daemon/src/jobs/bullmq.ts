// The BullMQ driver (team server): the line lives in Redis, shared by `orfeas worker` processes on any machine
// that reaches it (worker-node.ts). The daemon is the gateway: it keeps the records, sessions and assets, adds each
// job to BullMQ by its id with its priority, and hears progress, results and failures through QueueEvents. No
// picture or model bytes go through Redis: a worker claims a job from the gateway over HTTP (the job then counts
// as running), downloads its inputs and uploads its outputs there, checked by sha256 (worker routes in
// server/worker-routes.ts). BullMQ's cancel is local to a worker, so a cancel is published on a Redis channel every
// worker listens to. A worker that dies mid-job loses its lock; BullMQ's stalled-job check puts the job back in
// line and another worker takes it; the gateway publishes the result once.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { StageProgress } from '../generators/run';
import { OrfeasError, isErrorCode } from '../protocol/errors';
import type { Priority } from '../protocol/messages';
import { writeFileAtomic } from './atomic';
import type { DriverHost, QueueDriver, Ticket } from './driver';
import type { StageTimes } from './eta';
import type { Home } from './home';
import type { OutputFile } from './assets';
import type { PoolResult, PoolTask } from './pool';

export const QUEUE_NAME = 'orfeas-jobs';
/** Redis channel that carries cancels to every worker. */
export const CANCEL_CHANNEL = 'orfeas:cancel';
/** BullMQ's priority (lower runs first) for ours. */
const PRIORITY: Readonly<Record<Priority, number>> = { high: 1, normal: 2, low: 3 };
const RANK: Readonly<Record<Priority, number>> = { high: 0, normal: 1, low: 2 };

/** What a worker is told about a claimed job: the task without its bytes, and the names of its inputs. */
export interface ClaimedJob {
	task: Omit<PoolTask, 'bytes' | 'views'> & { views?: { view: string }[] };
	inputs: string[];
}

/** What a worker's job returns to BullMQ: the outputs it uploaded, by name and checksum, and the stats. */
export interface WorkerOutcome {
	files: { name: string; format: OutputFile['format']; bytes: number; sha256: string }[];
	stats: PoolResult['stats'];
}

/** A worker's failure, as the reason BullMQ keeps: our code and sentence. */
export function failureReason(code: string, message: string, stage?: string): string {
	return JSON.stringify({ code, message, ...(stage ? { stage } : {}) });
}

/** Redis options for a `redis://HOST:PORT/DB` URL; BullMQ's blocking connections need maxRetriesPerRequest null. */
export function redisConnection(url: string): Redis {
	const parsed = new URL(url);
	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw new OrfeasError('E_BAD_MESSAGE', `--queue takes a redis:// address (e.g. redis://gpu-box:6379/0), not ${url}.`);
	}
	return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

export class BullDriver implements QueueDriver {
	readonly name = 'bullmq';
	private host?: DriverHost;
	private readonly queue: Queue;
	private readonly events: QueueEvents;
	private readonly publisher: Redis;
	/** Connections made here; BullMQ does not close connections it was given. */
	private readonly connections: Redis[];
	/** Jobs added and not yet claimed by a worker, for positions in line (the same order BullMQ keeps). */
	private readonly line = new Map<string, { rank: number; seq: number }>();
	private seq = 0;
	/** Claimed jobs: their task (with bytes, served to the worker) and the stage averages for their ETA. */
	private readonly claimed = new Map<string, { task: PoolTask; times: StageTimes; inputs: Map<string, Uint8Array> }>();

	constructor(
		private readonly home: Home,
		private readonly redisUrl: string,
		readonly limit: number,
	) {
		this.connections = [redisConnection(redisUrl), redisConnection(redisUrl), redisConnection(redisUrl)];
		this.queue = new Queue(QUEUE_NAME, { connection: this.connections[0] });
		this.events = new QueueEvents(QUEUE_NAME, { connection: this.connections[1] });
		this.publisher = this.connections[2];
		for (const connection of this.connections) connection.on('error', () => {});
		this.events.on('progress', ({ jobId, data }) => this.onProgress(jobId, data));
		this.events.on('completed', ({ jobId, returnvalue }) => void this.onCompleted(jobId, returnvalue));
		this.events.on('failed', ({ jobId, failedReason }) => void this.onFailed(jobId, failedReason));
		// A QueueEvents or Queue without Redis retries on its own; the errors are only logged by the caller.
		this.queue.on('error', () => {});
		this.events.on('error', () => {});
	}

	attach(host: DriverHost): void {
		this.host = host;
	}

	async ready(): Promise<void> {
		await this.queue.waitUntilReady();
		await this.events.waitUntilReady();
	}

	async add(ticket: Ticket, force = false): Promise<boolean> {
		if (!force && this.line.size >= this.limit) return false;
		const existing = await this.queue.getJob(ticket.jobId);
		if (existing) return this.reattach(existing, ticket);
		this.line.set(ticket.jobId, { rank: RANK[ticket.priority], seq: this.seq++ });
		await this.queue.add('job', { jobId: ticket.jobId }, {
			jobId: ticket.jobId,
			priority: PRIORITY[ticket.priority],
			attempts: 1,
			removeOnComplete: { age: 24 * 3600 },
			removeOnFail: { age: 7 * 24 * 3600 },
		});
		return true;
	}

	async remove(jobId: string): Promise<boolean> {
		if (!this.line.has(jobId)) return false;
		const job = await this.queue.getJob(jobId);
		const state = job ? await job.getState() : 'unknown';
		if (job && (state === 'waiting' || state === 'prioritized' || state === 'delayed')) {
			await job.remove();
			this.line.delete(jobId);
			return true;
		}
		return false;
	}

	async cancel(jobId: string): Promise<void> {
		await this.publisher.publish(CANCEL_CHANNEL, jobId);
	}

	position(jobId: string): number | undefined {
		const me = this.line.get(jobId);
		if (!me) return undefined;
		let ahead = 0;
		for (const other of this.line.values()) if (other.rank < me.rank || (other.rank === me.rank && other.seq < me.seq)) ahead++;
		return ahead;
	}

	waiting(): number {
		return this.line.size;
	}

	running(): string[] {
		return [...this.claimed.keys()];
	}

	/** Jobs keep running on the workers while the gateway stops; their records say running and are picked up again. */
	async drain(): Promise<string[]> {
		return [];
	}

	async close(): Promise<void> {
		await this.events.close();
		await this.queue.close();
		for (const connection of this.connections) connection.disconnect();
	}

	/** Job counts by BullMQ state. */
	jobCounts(): Promise<Record<string, number>> {
		return this.queue.getJobCounts('waiting', 'prioritized', 'active', 'completed', 'failed', 'delayed');
	}

	/** Worker processes connected to the queue. */
	async workers(): Promise<number> {
		return (await this.queue.getWorkers()).length;
	}

	/** A worker claims a job: it is running from now on, and its task (without bytes) and inputs are what it gets. */
	async claim(jobId: string): Promise<ClaimedJob> {
		const host = this.requireHost();
		this.line.delete(jobId);
		const started = await host.begin(jobId);
		if (!started) throw new OrfeasError('E_CONFLICT', `Job ${jobId} is not to be run (it was cancelled or has finished).`);
		const { task } = started;
		// A job taken over from a worker that died starts its uploads afresh: its outputs may differ in their bytes.
		await rm(this.uploads(jobId), { recursive: true, force: true });
		const inputs = new Map<string, Uint8Array>([['input', task.bytes]]);
		const views = task.kind === 'generate' ? (task.views ?? []) : [];
		views.forEach((v, i) => inputs.set(`view-${i}`, v.bytes));
		this.claimed.set(jobId, { task, times: started.times, inputs });
		const { bytes: _bytes, ...rest } = task as PoolTask & { views?: unknown };
		const plain = { ...rest, ...(views.length ? { views: views.map((v) => ({ view: v.view })) } : {}) } as ClaimedJob['task'];
		return { task: plain, inputs: [...inputs.keys()] };
	}

	/** An input of a claimed job, with its checksum. */
	input(jobId: string, name: string): { bytes: Uint8Array; sha256: string } {
		const bytes = this.claimed.get(jobId)?.inputs.get(name);
		if (!bytes) throw new OrfeasError('E_NOT_FOUND', `Job ${jobId} has no input "${name}" for a worker (claim it first).`);
		return { bytes, sha256: sha256(bytes) };
	}

	/**
	 * A piece of an output a worker uploads, at `offset` of `total` bytes: pieces are appended to a partial file,
	 * so an upload cut off resumes from what arrived (`received`); the whole is checked against its sha256 and
	 * kept until the job's result arrives. Resolves with the bytes received so far.
	 */
	async receive(jobId: string, name: string, piece: Uint8Array, offset: number, total: number, expected: string): Promise<number> {
		if (!this.claimed.has(jobId)) throw new OrfeasError('E_CONFLICT', `Job ${jobId} is not running on a worker.`);
		if (!/^[\w.-]+$/.test(name)) throw new OrfeasError('E_BAD_MESSAGE', `"${name}" is not a plain file name.`);
		const dir = this.uploads(jobId);
		await mkdir(dir, { recursive: true, mode: 0o700 });
		const partial = path.join(dir, `${name}.partial`);
		const have = await this.received(jobId, name);
		if (offset !== have) throw new OrfeasError('E_CONFLICT', `The upload of ${name} continues at byte ${have}, not ${offset}.`, { received: have });
		if (offset + piece.length > total) throw new OrfeasError('E_BAD_MESSAGE', `The upload of ${name} is longer than the ${total} bytes announced.`);
		await appendFile(partial, piece, { mode: 0o600 });
		const now = offset + piece.length;
		if (now < total) return now;
		const whole = new Uint8Array(await readFile(partial));
		await rm(partial, { force: true });
		if (sha256(whole) !== expected) throw new OrfeasError('E_BAD_MESSAGE', `The upload of ${name} does not match its sha256; send it again.`);
		await writeFileAtomic(path.join(dir, name), whole);
		return now;
	}

	/** Bytes of an output received so far (all of them once it is complete). */
	async received(jobId: string, name: string): Promise<number> {
		const dir = this.uploads(jobId);
		const size = async (file: string) => (await stat(path.join(dir, file)).catch(() => undefined))?.size;
		return (await size(name)) ?? (await size(`${name}.partial`)) ?? 0;
	}

	private uploads(jobId: string): string {
		return path.join(this.home.tmp, 'worker-uploads', jobId);
	}

	/**
	 * A job found in BullMQ when it is added again (after a gateway restart): still waiting, it keeps its place;
	 * taken by a worker, or already finished there, it is running again on the gateway's side and its outcome
	 * (now, or when it comes) is published as usual.
	 */
	private async reattach(job: Job, ticket: Ticket): Promise<boolean> {
		const state = await job.getState();
		if (state !== 'active' && state !== 'completed' && state !== 'failed') {
			this.line.set(ticket.jobId, { rank: RANK[ticket.priority], seq: this.seq++ });
			return true;
		}
		const started = await this.requireHost().begin(ticket.jobId);
		if (!started) return true;
		this.claimed.set(ticket.jobId, { task: started.task, times: started.times, inputs: new Map([['input', started.task.bytes]]) });
		if (state === 'completed') void this.onCompleted(ticket.jobId, job.returnvalue);
		if (state === 'failed') void this.onFailed(ticket.jobId, job.failedReason);
		return true;
	}

	private onProgress(jobId: string, data: unknown): void {
		const claimed = this.claimed.get(jobId);
		const host = this.host;
		if (!claimed || !host || !data || typeof data !== 'object') return;
		const message = data as { event?: StageProgress; submitted?: string };
		if (message.event) host.progress(jobId, message.event, claimed.times);
		if (message.submitted) host.submitted(jobId, message.submitted);
	}

	private async onCompleted(jobId: string, value: unknown): Promise<void> {
		const host = this.requireHost();
		const outcome = (typeof value === 'string' ? JSON.parse(value) : value) as WorkerOutcome;
		try {
			const files: OutputFile[] = [];
			for (const file of outcome.files) {
				const bytes = new Uint8Array(await readFile(path.join(this.uploads(jobId), file.name)));
				if (sha256(bytes) !== file.sha256) throw new OrfeasError('E_INTERNAL', `The uploaded ${file.name} of job ${jobId} does not match the worker's checksum.`);
				files.push({ name: file.name, format: file.format, bytes });
			}
			await host.end(jobId, { files, stats: outcome.stats });
		} catch (error) {
			await host.end(jobId, error instanceof OrfeasError ? error : new OrfeasError('E_INTERNAL', String(error)));
		} finally {
			this.forget(jobId);
		}
	}

	private async onFailed(jobId: string, reason: string): Promise<void> {
		const host = this.requireHost();
		this.line.delete(jobId);
		let error: OrfeasError;
		try {
			const parsed = JSON.parse(reason) as { code?: string; message?: string; stage?: string };
			error = new OrfeasError(isErrorCode(parsed.code) ? parsed.code : 'E_INTERNAL', parsed.message ?? reason, parsed.stage ? { stage: parsed.stage } : undefined);
		} catch {
			// BullMQ's own reasons (a job stalled too often) are plain sentences.
			error = new OrfeasError('E_INTERRUPTED', `The job was lost on its workers: ${reason}`);
		}
		await host.end(jobId, error);
		this.forget(jobId);
	}

	private forget(jobId: string): void {
		this.claimed.delete(jobId);
		void rm(this.uploads(jobId), { recursive: true, force: true });
	}

	private requireHost(): DriverHost {
		if (!this.host) throw new Error('BullDriver: attach a host first');
		return this.host;
	}

	/** The URL it was made with, for messages. */
	get url(): string {
		return this.redisUrl;
	}
}

function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}
