// `orfeas worker`: a machine that runs jobs for a gateway daemon (team server). It takes jobs from the BullMQ line
// in Redis, claims each from the gateway over authenticated HTTP, downloads its inputs (sha256 checked), runs it in
// its own worker threads — so BullMQ's lock keeps renewing on this event loop — reports progress through BullMQ,
// uploads the outputs to the gateway and returns their names and checksums. A cancel published by the gateway
// stops the job here within the pool's grace period.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { availableParallelism, totalmem } from 'node:os';
import { Worker as BullWorker, type Job } from 'bullmq';
import type { StageProgress } from '../generators/run';
import { OrfeasError, toOrfeasError } from '../protocol/errors';
import type { Logger } from '../server/log';
import { pinnedSocket, PinMismatch } from '../server/reach';
import { CANCEL_CHANNEL, failureReason, QUEUE_NAME, redisConnection, type ClaimedJob, type WorkerOutcome } from './bullmq';
import { writeFileAtomic } from './atomic';
import type { Home } from './home';
import { WorkerPool, type PoolTask } from './pool';

export interface WorkerNodeConfig {
	home: Home;
	catalogueDir: string;
	redisUrl: string;
	/** The gateway daemon's address, e.g. https://gateway:7878. */
	server: string;
	token: string;
	/** The gateway certificate's SHA-256 fingerprint to pin (colon hex), for a self-signed certificate. */
	fingerprint?: string;
	cpuJobs: number;
	workerScript: string;
	log: Logger;
	/** BullMQ lock: a worker that stops renewing it for this long is taken for dead and its job runs elsewhere. */
	lockMs?: number;
}

/** What a running worker says about itself in its home folder (worker.json), for `orfeas status`. */
export interface WorkerStatus {
	pid: number;
	redis: 'connected' | 'unreachable';
	redisUrl: string;
	gateway: string;
	since: string;
}

export function workerStatusFile(home: Home): string {
	return path.join(home.root, 'worker.json');
}

async function writeWorkerStatus(config: WorkerNodeConfig, redis: WorkerStatus['redis']): Promise<void> {
	const status: WorkerStatus = { pid: process.pid, redis, redisUrl: config.redisUrl, gateway: config.server, since: new Date().toISOString() };
	await writeFileAtomic(workerStatusFile(config.home), `${JSON.stringify(status)}\n`).catch(() => {});
}

/** Progress messages per job and second at most (BullMQ stores each one). */
const PROGRESS_PER_SECOND = 10;

export interface RunningWorker {
	close(): Promise<void>;
	/** Whether Redis answers now. */
	redisReady(): boolean;
}

export async function startWorkerNode(config: WorkerNodeConfig): Promise<RunningWorker> {
	// A wrong token or address is found here, before the worker takes jobs it could not run.
	const gateway = new Gateway(config.server, config.token, config.fingerprint);
	const hello = (await gateway.json('GET', '/v1/worker/hello')) as { worker: string };
	config.log.info(`gateway ${config.server} answers: worker ${hello.worker}`);
	const pool = new WorkerPool(config.workerScript, config.cpuJobs, config.log, {
		engine: {
			homeRoot: config.home.root,
			catalogueDir: config.catalogueDir,
			providers: ['cpu'],
			intraOpThreads: Math.max(1, Math.floor(availableParallelism() / config.cpuJobs)),
			budgetBytes: Math.min(2 * 1024 ** 3, Math.floor(totalmem() / 4)),
		},
	});
	await pool.ready();
	const running = new Set<string>();
	/** Cancels that came for a job this worker took but had not started on its threads yet. */
	const cancelled = new Set<string>();

	const lockMs = config.lockMs ?? 10_000;
	// BullMQ does not close connections it was given: they are closed here.
	const connection = redisConnection(config.redisUrl);
	connection.on('error', () => {});
	const worker = new BullWorker(
		QUEUE_NAME,
		async (job: Job) => {
			const jobId = String(job.data.jobId);
			running.add(jobId);
			try {
				return await runJob(job, jobId, gateway, pool, () => cancelled.delete(jobId));
			} catch (error) {
				const e = toOrfeasError(error);
				throw new Error(failureReason(e.code, e.message, e.details?.stage as string | undefined));
			} finally {
				running.delete(jobId);
				cancelled.delete(jobId);
			}
		},
		{ connection, concurrency: config.cpuJobs, lockDuration: lockMs, stalledInterval: Math.max(1000, lockMs / 2), maxStalledCount: 2 },
	);
	worker.on('error', (error) => config.log.warn(`worker: ${error.message}`));

	const subscriber = redisConnection(config.redisUrl);
	// Whether Redis answers, kept in worker.json for `orfeas status` and said in the log when it changes.
	let redis: WorkerStatus['redis'] = 'connected';
	const report = (state: WorkerStatus['redis'], why?: string) => {
		if (state === redis) return;
		redis = state;
		if (state === 'unreachable') config.log.warn(`cannot reach Redis at ${config.redisUrl}${why ? ` (${why})` : ''}; retrying`);
		else config.log.info(`Redis at ${config.redisUrl} answers again`);
		void writeWorkerStatus(config, state);
	};
	subscriber.on('error', (error) => report('unreachable', error.message));
	subscriber.on('close', () => report('unreachable'));
	subscriber.on('ready', () => report('connected'));
	await subscriber.subscribe(CANCEL_CHANNEL);
	subscriber.on('message', (_channel, jobId: string) => {
		if (running.has(jobId) && !pool.cancel(jobId)) cancelled.add(jobId);
	});

	await worker.waitUntilReady();
	await writeWorkerStatus(config, 'connected');
	config.log.info(`worker ${hello.worker} ready: ${config.cpuJobs} job(s) at once, line ${config.redisUrl}, gateway ${config.server}`);
	return {
		redisReady: () => subscriber.status === 'ready',
		async close() {
			await worker.close();
			connection.disconnect();
			subscriber.disconnect();
			await pool.close();
			await rm(workerStatusFile(config.home), { force: true });
		},
	};
}

async function runJob(job: Job, jobId: string, gateway: Gateway, pool: WorkerPool, wasCancelled: () => boolean): Promise<WorkerOutcome> {
	const claim = (await gateway.json('GET', `/v1/worker/jobs/${jobId}`)) as ClaimedJob;
	const inputs = new Map<string, Uint8Array>();
	for (const name of claim.inputs) inputs.set(name, await gateway.download(`/v1/worker/jobs/${jobId}/inputs/${name}`));
	// A cancel that came while the job was being claimed and fetched: it never reaches the threads.
	if (wasCancelled()) throw new OrfeasError('E_CANCELLED', 'The job was cancelled.');
	const task = rebuild(claim, inputs);
	let last = 0;
	const progress = (event: StageProgress) => {
		const now = Date.now();
		if (now - last < 1000 / PROGRESS_PER_SECOND && event.stageProgress !== 1) return;
		last = now;
		void job.updateProgress({ event }).catch(() => {});
	};
	const result = await pool.run(task, progress, (submitted) => void job.updateProgress({ submitted }).catch(() => {}));
	const files: WorkerOutcome['files'] = [];
	for (const file of result.files) {
		const sha256 = createHash('sha256').update(file.bytes).digest('hex');
		await gateway.upload(`/v1/worker/jobs/${jobId}/outputs/${encodeURIComponent(file.name)}`, file.bytes, sha256);
		files.push({ name: file.name, format: file.format, bytes: file.bytes.length, sha256 });
	}
	return { files, stats: result.stats };
}

/** The task with its bytes put back: the input, and the views in the order the gateway listed them. */
function rebuild(claim: ClaimedJob, inputs: Map<string, Uint8Array>): PoolTask {
	const bytes = inputs.get('input');
	if (!bytes) throw new OrfeasError('E_INTERNAL', 'The gateway sent no input for this job.');
	const task = { ...claim.task, bytes } as PoolTask & { views?: { view: string; bytes: Uint8Array }[] };
	if (task.kind === 'generate' && claim.task.views) {
		task.views = claim.task.views.map((v, i) => ({ view: v.view, bytes: inputs.get(`view-${i}`)! })) as never;
	}
	return task;
}

/** Bytes per upload request: a cut-off upload resumes from the last piece that arrived. */
export const UPLOAD_PIECE = 8 * 2 ** 20;

/** How long a worker keeps trying a gateway that does not answer (a restart) before the job fails. */
const GATEWAY_PATIENCE_MS = 120_000;

/** The gateway did not answer at all (as opposed to answering with an error). */
class Unreachable extends Error {}

/** The gateway's worker routes, with the worker token, over http or https (a pinned fingerprint for self-signed). */
class Gateway {
	constructor(
		private readonly base: string,
		private readonly token: string,
		private readonly fingerprint?: string,
	) {}

	async json(method: 'GET', route: string): Promise<unknown> {
		const reply = await this.request(method, route);
		return JSON.parse(Buffer.from(reply.body).toString('utf8'));
	}

	async download(route: string): Promise<Uint8Array> {
		const reply = await this.request('GET', route);
		const expected = reply.headers['x-orfeas-sha256'];
		const actual = createHash('sha256').update(reply.body).digest('hex');
		if (expected && expected !== actual) throw new OrfeasError('E_INTERNAL', `The download of ${route} does not match its sha256.`);
		return reply.body;
	}

	/**
	 * Sends an output in pieces of UPLOAD_PIECE bytes; a piece that does not get through is sent again from what
	 * the gateway says it has, so a cut-off upload resumes instead of starting over.
	 */
	async upload(route: string, bytes: Uint8Array, sha256: string): Promise<void> {
		let offset = 0;
		for (let tries = 0; ; tries++) {
			try {
				do {
					const piece = bytes.subarray(offset, Math.min(bytes.length, offset + UPLOAD_PIECE));
					await this.request('PUT', route, piece, {
						'content-type': 'application/octet-stream',
						'x-orfeas-sha256': sha256,
						'x-orfeas-offset': String(offset),
						'x-orfeas-total': String(bytes.length),
					});
					offset += piece.length;
				} while (offset < bytes.length);
				return;
			} catch (error) {
				if (tries >= 3) throw error;
				// Where the gateway stands: resume there (0 when it lost the partial file).
				offset = ((await this.json('GET', route)) as { received: number }).received;
				if (offset >= bytes.length) return;
			}
		}
	}

	/** One request, tried again while the gateway cannot be reached (it restarts), for up to GATEWAY_PATIENCE_MS. */
	private async request(method: string, route: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<{ body: Uint8Array; headers: http.IncomingHttpHeaders }> {
		const deadline = Date.now() + GATEWAY_PATIENCE_MS;
		let wait = 250;
		for (;;) {
			try {
				return await this.once(method, route, body, headers);
			} catch (error) {
				if (!(error instanceof Unreachable) || Date.now() + wait > deadline) throw error instanceof Unreachable ? new OrfeasError('E_INTERNAL', error.message) : error;
				await new Promise((resolve) => setTimeout(resolve, wait));
				wait = Math.min(5000, wait * 2);
			}
		}
	}

	private async once(method: string, route: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<{ body: Uint8Array; headers: http.IncomingHttpHeaders }> {
		const url = new URL(route, this.base);
		// A pinned gateway is reached over a connection whose certificate was compared before anything is sent.
		let socket: Socket | undefined;
		if (url.protocol === 'https:' && this.fingerprint) {
			try {
				socket = await pinnedSocket(url.hostname, Number(url.port || 443), this.fingerprint, 10_000);
			} catch (error) {
				if (error instanceof PinMismatch) throw new OrfeasError('E_AUTH', `Refused the gateway: ${error.message} Check --fingerprint against the one the gateway prints.`);
				throw new Unreachable(`Cannot reach the gateway at ${url.origin} (${error instanceof Error ? error.message : error}).`);
			}
		}
		const client = url.protocol === 'https:' && !socket ? https : http;
		return new Promise((resolve, reject) => {
			const req = client.request(
				{
					// Over the pinned connection the request itself is plain HTTP, so it is given by its parts, not the https URL.
					protocol: socket ? 'http:' : url.protocol,
					host: url.hostname,
					port: url.port,
					path: `${url.pathname}${url.search}`,
					method,
					headers: { host: url.host, authorization: `Bearer ${this.token}`, ...(body ? { 'content-length': body.length } : {}), ...headers },
					timeout: 60_000,
					...(socket ? { createConnection: () => socket } : {}),
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						const bytes = new Uint8Array(Buffer.concat(chunks));
						if ((res.statusCode ?? 0) >= 300) {
							let message = `the gateway answered ${method} ${url.pathname} with HTTP ${res.statusCode}`;
							let code = 'E_INTERNAL';
							try {
								const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as { code?: string; message?: string };
								if (json.message) message = json.message;
								if (json.code) code = json.code;
							} catch {
								// the sentence above stands
							}
							return reject(new OrfeasError(code as never, message));
						}
						resolve({ body: bytes, headers: res.headers });
					});
					res.on('error', reject);
				},
			);
			req.on('timeout', () => req.destroy(new Error('the gateway did not answer within 60 s')));
			req.on('error', (error) => reject(new Unreachable(`Cannot reach the gateway at ${url.origin} (${error.message}).`)));
			req.end(body);
		});
	}
}
