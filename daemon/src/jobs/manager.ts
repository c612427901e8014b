// The job manager: accepts work, keeps the job records, hands jobs to the queue driver (driver.ts: this machine's
// workers, or BullMQ shared by workers on other machines), publishes their outputs and tells listeners. Every
// transition is written to disk before anyone hears of it, and a restart picks up where the last process stopped
// (running jobs go back to the queue, three interrupted starts fail a job).
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { GenerateStats, StageProgress } from '../generators/run';
import type { DaemonMessageOf, JobView } from '../protocol/events';
import { OrfeasError, toOrfeasError } from '../protocol/errors';
import type { JobState, Priority } from '../protocol/messages';
import { GENERATE_DEFAULTS, type Collider, type ExportFormat, type ExportProfile, type GenerateOptions } from '../protocol/options';
import { BUILTIN_SHAPE, isBuiltinSegmentation, isPlainGlb } from '../pipeline/supported';
import type { Logger } from '../server/log';
import { PIPELINE_VERSION } from '../version';
import { TEMP_PREFIX, writeFileAtomic } from './atomic';
import { assetIdFor, canonicalJson, publishAsset, readAsset, sha256, type AssetRecord } from './assets';
import type { StageTimes } from './eta';
import type { Home } from './home';
import type { DriverHost, QueueDriver } from './driver';
import type { PoolResult, PoolTask } from './pool';
import { ProgressGate } from './progress-gate';
import { backendIdentity, type Backend } from '../engine/backends';
import { FINISHED, newRecord, readRecord, toView, writeRecord, type JobRecord } from './record';
import { requireImage } from './sniff';
import { namedForView, type ExtraView, type ViewName } from '../protocol/views';
import type { ExportRequestOptions } from './worker-protocol';

/** Starts after which a job that keeps dying with the daemon is given up (E_INTERRUPTED). */
export const MAX_ATTEMPTS = 3;
/** Finished jobs older than this are forgotten at start-up (their records and pictures; assets stay). */
export const JOB_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Fewest milliseconds between two job.progress events of one job (at most 10 a second). */
export const PROGRESS_INTERVAL_MS = 100;

export type JobEvent =
	| DaemonMessageOf<'job.state'>
	| DaemonMessageOf<'job.progress'>
	| DaemonMessageOf<'job.done'>
	| DaemonMessageOf<'job.failed'>
	| DaemonMessageOf<'job.cancelled'>;

export interface GenerateSubmission {
	bytes: Uint8Array;
	/** Pictures of the same object from other sides (the front is `bytes`). */
	views?: { view: ExtraView; bytes: Uint8Array }[];
	/** `bytes` is a turnaround sheet holding these views, left to right. */
	sheet?: ViewName[];
	name: string;
	options: GenerateOptions;
	priority: Priority;
}

export interface Accepted {
	job: JobView;
	position: number;
	cached: boolean;
}

export class JobManager {
	private readonly records = new Map<string, JobRecord>();
	private readonly listeners = new Set<(event: JobEvent) => void>();
	private readonly gate = new ProgressGate((message) => this.emit(message), PROGRESS_INTERVAL_MS);
	/** Jobs that run outside the worker pool (downloads), by id. */
	private readonly sideJobs = new Map<string, AbortController>();
	/** The state each job was last announced in (job.state events), which subscribers' snapshots repeat. */
	private readonly announced = new Map<string, JobState>();
	private draining = false;
	/** The last pending write of each record. */
	private readonly saving = new Map<string, Promise<void>>();

	constructor(
		private readonly home: Home,
		private readonly driver: QueueDriver,
		private readonly times: StageTimes,
		private readonly log: Logger,
		/** How to tell a generation server from a model, and the stage averages of each server. */
		private readonly remote: { server: (model: string) => Backend | undefined; times: (backend: string) => Promise<StageTimes> } = {
			server: () => undefined,
			times: async () => times,
		},
	) {
		driver.attach(this.host());
	}

	/** Listens to every job event; returns the function that stops listening. */
	on(listener: (event: JobEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Loads the records, removes half-written leftovers, forgets finished jobs past JOB_RETENTION_MS and
	 * re-queues interrupted jobs.
	 */
	async recover(now = Date.now()): Promise<{ requeued: number; interrupted: number; forgotten: number }> {
		await rm(this.home.tmp, { recursive: true, force: true });
		await this.home.prepare();
		const loaded: JobRecord[] = [];
		for (const jobId of await readdir(this.home.jobs)) {
			const dir = path.join(this.home.jobs, jobId);
			for (const name of await readdir(dir).catch(() => [] as string[])) {
				if (name.startsWith(TEMP_PREFIX)) await rm(path.join(dir, name), { force: true });
			}
			const record = await readRecord(this.home, jobId);
			if (record) loaded.push(record);
		}
		loaded.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
		let requeued = 0;
		let interrupted = 0;
		let forgotten = 0;
		for (const record of loaded) {
			if (FINISHED.has(record.state) && now - Date.parse(record.updatedAt) > JOB_RETENTION_MS) {
				await rm(this.home.jobDir(record.jobId), { recursive: true, force: true });
				forgotten++;
				continue;
			}
			this.records.set(record.jobId, record);
			// Side jobs (model downloads, scene exports) have no input to run again: they end as interrupted.
			if (record.state === 'running' && (record.kind === 'pull' || (!record.input && !record.export))) {
				const message = record.kind === 'pull'
					? 'The daemon stopped during this download. Pull the model again: the download resumes where it stopped.'
					: 'The daemon stopped during this export. Export again.';
				record.error = { code: 'E_INTERRUPTED', message, stage: record.kind === 'pull' ? 'download' : 'export' };
				await this.transition(record, 'failed');
				interrupted++;
				continue;
			}
			if (record.state === 'running') {
				if (record.attempt >= MAX_ATTEMPTS) {
					record.error = {
						code: 'E_INTERRUPTED',
						message: `The daemon stopped while running this job ${record.attempt} times. Try a smaller image or lower resolution, and check the daemon log.`,
					};
					await this.transition(record, 'failed');
					interrupted++;
					continue;
				}
				await this.transition(record, 'queued');
			}
			if (record.state === 'queued') {
				await this.driver.add(this.ticket(record), true);
				requeued++;
			}
		}
		return { requeued, interrupted, forgotten };
	}

	/** Accepts a picture; answers at once from the cache when the same picture and options were made before. */
	async submitGenerate(submission: GenerateSubmission): Promise<Accepted> {
		this.refuseWhileDraining();
		const kind = requireImage(submission.bytes);
		const imageSha = sha256(submission.bytes);
		const views = (submission.views ?? []).map(({ view, bytes }, i) => {
			const viewKind = requireImageOf(view, `views.${i}.image`, bytes);
			return { view, file: `view-${view}.${viewKind}`, bytes: bytes.length, sha256: sha256(bytes), data: bytes };
		});
		// A generation server's results depend on which server and what it is asked for, not only on the picture.
		const server = this.remote.server(submission.options.model);
		const pictures = { views: views.map(({ view, sha256 }) => ({ view, sha256 })), sheet: submission.sheet, ...(server ? { server: backendIdentity(server) } : {}) };
		const assetId = assetIdFor(imageSha, submission.options, submission.name, pictures);
		const record = newRecord({
			kind: 'generate',
			priority: submission.priority,
			name: submission.name,
			options: submission.options,
			input: { file: `input.${kind}`, bytes: submission.bytes.length, sha256: imageSha },
			...(views.length ? { views: views.map(({ data, ...view }) => view) } : {}),
			...(submission.sheet ? { sheet: submission.sheet } : {}),
			assetId,
		});
		const cachedAsset = await readAsset(this.home, assetId);
		// A cache hit never runs, so its pictures are not kept.
		if (cachedAsset) return this.acceptCached(record, cachedAsset);
		return this.enqueue(record, [{ name: `input.${kind}`, bytes: submission.bytes }, ...views.map((v) => ({ name: v.file, bytes: v.data }))]);
	}

	/**
	 * Exports an asset to another format, profile, LOD chain or collider, as a job of its own whose result is an
	 * asset too (content-addressed by the source and the request, so asking again is a cache hit). A plain GLB
	 * request is the generated asset itself.
	 */
	async submitExport(request: { assetId: string; format: ExportFormat; profile?: ExportProfile; lods?: number[]; collider?: Collider }): Promise<Accepted> {
		this.refuseWhileDraining();
		let source = await readAsset(this.home, request.assetId);
		if (!source) throw new OrfeasError('E_NOT_FOUND', `No asset ${request.assetId}. Generate it first, or check the id.`);
		// Exports of exports start from the generated model, which holds the full mesh.
		if (source.derivedFrom) source = (await readAsset(this.home, source.derivedFrom)) ?? source;
		const glb = source.files.find((f) => f.format === 'glb');
		if (!glb) throw new OrfeasError('E_EXPORT', `Asset ${request.assetId} has no GLB to export from. Export from the asset its generate job made.`);
		const exportOptions: ExportRequestOptions = {
			formats: [request.format],
			profile: request.profile ?? 'generic',
			lods: request.lods ?? [],
			collider: request.collider ?? 'none',
		};
		const generated = [...this.records.values()].find((r) => r.assetId === source.assetId && r.kind === 'generate');
		const options: GenerateOptions = { ...(generated?.options ?? GENERATE_DEFAULTS), ...exportOptions };
		const plain = isPlainGlb(exportOptions);
		const assetId = plain ? source.assetId : sha256(canonicalJson({ source: source.assetId, export: exportOptions, pipeline: PIPELINE_VERSION }));
		const record = newRecord({ kind: 'export', priority: 'normal', name: source.name, options, assetId, export: { sourceAssetId: source.assetId, file: glb.name, request: exportOptions } });
		const cached = await readAsset(this.home, assetId);
		if (cached) return this.acceptCached(record, cached);
		return this.enqueue(record);
	}

	/** Puts a new job in line: its folder, its input, then its record, on disk before anyone hears of it. */
	private async enqueue(record: JobRecord, inputs: { name: string; bytes: Uint8Array }[] = []): Promise<Accepted> {
		if (this.driver.waiting() >= this.driver.limit) throw this.queueFull();
		await mkdir(this.home.jobDir(record.jobId), { recursive: true, mode: 0o700 });
		for (const input of inputs) await writeFileAtomic(path.join(this.home.jobDir(record.jobId), input.name), input.bytes);
		await writeRecord(this.home, record);
		this.records.set(record.jobId, record);
		if (!(await this.driver.add(this.ticket(record)))) {
			this.records.delete(record.jobId);
			await rm(this.home.jobDir(record.jobId), { recursive: true, force: true });
			throw this.queueFull();
		}
		const position = this.position(record.jobId) ?? 0;
		return { job: toView(record, position), position, cached: false };
	}

	/**
	 * Runs work that needs no pipeline worker (a model download) as a job: same records, events and cancel.
	 * `work` reports progress 0–1 and stops when its signal aborts.
	 */
	async runSideJob(record: JobRecord, work: (signal: AbortSignal, progress: (fraction: number, message?: string) => void) => Promise<void>, stage: 'download' | 'export' = 'download'): Promise<Accepted> {
		this.refuseWhileDraining();
		await mkdir(this.home.jobDir(record.jobId), { recursive: true, mode: 0o700 });
		this.records.set(record.jobId, record);
		record.attempt = 1;
		await writeRecord(this.home, record);
		const controller = new AbortController();
		this.sideJobs.set(record.jobId, controller);
		const started = Date.now();
		setImmediate(() => {
			void (async () => {
				try {
					await this.transition(record, 'running');
					await work(controller.signal, (fraction, message) => {
						const eta = fraction > 0 ? ((Date.now() - started) * (1 - fraction)) / fraction : 0;
						this.gate.push({ type: 'job.progress', jobId: record.jobId, stage, stageIndex: 0, stageCount: 1, progress: fraction, stageProgress: fraction, etaMs: Math.round(eta), ...(message ? { message } : {}) });
					});
					await this.finish(record, 'done');
				} catch (error) {
					const e = toOrfeasError(error);
					if (e.code === 'E_CANCELLED') return void (await this.finish(record, 'cancelled'));
					record.error = { code: e.code, message: e.message, stage };
					await this.finish(record, 'failed');
				} finally {
					this.sideJobs.delete(record.jobId);
				}
			})().catch((error) => this.log.error(`job ${record.jobId}: ${error instanceof Error ? error.stack : error}`));
		});
		return { job: toView(record), position: 0, cached: false };
	}

	/** Cancels a waiting or running job. The job.cancelled event follows when it has stopped. */
	async cancel(jobId: string): Promise<void> {
		const record = this.require(jobId);
		if (FINISHED.has(record.state)) {
			throw new OrfeasError('E_CONFLICT', `Job ${jobId} is already ${record.state}; there is nothing to cancel.`);
		}
		const side = this.sideJobs.get(jobId);
		if (side) {
			side.abort();
			return;
		}
		if (await this.driver.remove(jobId)) {
			await this.finish(record, 'cancelled');
			return;
		}
		await this.driver.cancel(jobId);
	}

	get(jobId: string): JobView {
		const record = this.require(jobId);
		return toView(record, this.position(jobId));
	}

	/** Newest first. */
	list(filter: { state?: JobState; limit?: number }): JobView[] {
		const all = [...this.records.values()].filter((r) => !filter.state || r.state === filter.state);
		all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
		return all.slice(0, filter.limit ?? 100).map((r) => toView(r, this.position(r.jobId)));
	}

	/** Jobs not yet finished. */
	active(): string[] {
		return [...this.records.values()].filter((r) => !FINISHED.has(r.state)).map((r) => r.jobId);
	}

	counts(): Record<JobState, number> {
		const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
		for (const r of this.records.values()) counts[r.state]++;
		return counts;
	}

	get queueLength(): number {
		return this.driver.waiting();
	}

	/**
	 * What a client subscribing now must hear: the state, and the final event again if there is one. It is the
	 * state last announced, not the one being written: a subscriber that came in while a final state was on its way
	 * to disk hears it once, from the live event, instead of from both the snapshot and the event.
	 */
	snapshot(jobId: string): JobEvent[] {
		const record = this.require(jobId);
		const state = this.announced.get(jobId) ?? record.state;
		const position = this.position(jobId);
		const events: JobEvent[] = [{ type: 'job.state', jobId, state, ...(position !== undefined ? { position } : {}) }];
		const final = state === record.state ? this.finalEvent(record) : undefined;
		if (final) events.push(final);
		return events;
	}

	/** Stops taking work; waits up to `timeoutMs` for running jobs, then puts the rest back in the queue on disk. */
	async drain(timeoutMs: number): Promise<void> {
		this.draining = true;
		for (const jobId of await this.driver.drain(timeoutMs)) {
			const record = this.records.get(jobId);
			// A job whose final state is already set (being written) keeps it.
			if (record?.state !== 'running') continue;
			// Not a crash: this start does not count against the job.
			record.attempt = Math.max(0, record.attempt - 1);
			await this.transition(record, 'queued');
		}
		this.gate.clear();
	}

	private usesGpu(jobId: string): boolean {
		const record = this.records.get(jobId);
		const options = record?.kind === 'generate' ? record.options : undefined;
		if (!options || this.onServer(jobId)) return false;
		return options.model !== BUILTIN_SHAPE || !isBuiltinSegmentation(options.segmentation);
	}

	/** A generate job whose model is a generation server: it runs in one of the workers kept for those. */
	private onServer(jobId: string): boolean {
		const record = this.records.get(jobId);
		return record?.kind === 'generate' && this.remote.server(record.options.model) !== undefined;
	}

	/** The stage averages a job's ETA and progress come from: its backend's own for a server job. */
	private timesFor(record: JobRecord): Promise<StageTimes> {
		return record.kind === 'generate' && this.remote.server(record.options.model) !== undefined ? this.remote.times(record.options.model) : Promise.resolve(this.times);
	}

	private position(jobId: string): number | undefined {
		return this.driver.position(jobId);
	}

	private queueFull(): OrfeasError {
		return new OrfeasError('E_QUEUE_FULL', `The queue is full (${this.driver.limit} jobs waiting). Wait for some to finish, or cancel some.`);
	}

	/** How the driver places a job. */
	private ticket(record: JobRecord): { jobId: string; priority: Priority; gpu: boolean; server: boolean } {
		return { jobId: record.jobId, priority: record.priority, gpu: this.usesGpu(record.jobId), server: this.onServer(record.jobId) };
	}

	private require(jobId: string): JobRecord {
		const record = this.records.get(jobId);
		if (!record) throw new OrfeasError('E_NOT_FOUND', `No job ${jobId}. List jobs with job.list.`);
		return record;
	}

	private refuseWhileDraining(): void {
		if (this.draining) throw new OrfeasError('E_QUEUE_FULL', 'The daemon is shutting down. Try again once it has restarted.');
	}

	private async acceptCached(record: JobRecord, asset: AssetRecord): Promise<Accepted> {
		await mkdir(this.home.jobDir(record.jobId), { recursive: true, mode: 0o700 });
		record.state = 'done';
		record.files = asset.files;
		record.stats = asset.stats;
		await writeRecord(this.home, record);
		this.records.set(record.jobId, record);
		return { job: toView(record), position: 0, cached: true };
	}

	/** What the driver calls as it runs a job. */
	private host(): DriverHost {
		return {
			begin: async (jobId) => {
				const record = this.records.get(jobId);
				if (!record?.assetId || !(record.input || record.export) || FINISHED.has(record.state)) return undefined;
				record.attempt++;
				await this.transition(record, 'running');
				const times = await this.timesFor(record);
				return { task: await this.task(record, times), times };
			},
			progress: (jobId, event, times) => this.progress(jobId, event, times),
			submitted: (jobId, job) => {
				const record = this.records.get(jobId);
				if (!record) return;
				record.remote = { backend: record.options.model, job, submittedAt: new Date().toISOString() };
				void this.save(record).catch((error) => this.log.error(`job ${jobId}: ${error instanceof Error ? error.message : error}`));
			},
			end: (jobId, outcome) =>
				this.end(jobId, outcome).catch((error) => this.log.error(`job ${jobId}: ${error instanceof Error ? error.stack : error}`)),
		};
	}

	/** A job's result published and announced, or its error; a result after the drain put the job back is dropped. */
	private async end(jobId: string, outcome: PoolResult | OrfeasError): Promise<void> {
		const record = this.records.get(jobId);
		if (!record?.assetId) return;
		try {
			if (outcome instanceof Error) throw outcome;
			// A result that arrives after the drain put the job back in line is dropped: it was announced as
			// queued and runs again after the restart, so it must not also be published and reported done.
			if (record.state !== 'running') return;
			const asset = await publishAsset(this.home, record.assetId, outcome.files, await this.assetMeta(record, outcome));
			if (record.state !== 'running') return;
			record.files = asset.files;
			record.stats = asset.stats;
			if (record.kind === 'generate') void (await this.timesFor(record)).record((outcome.stats as GenerateStats).ms);
			await this.finish(record, 'done');
		} catch (error) {
			if (FINISHED.has(record.state)) return;
			const e = toOrfeasError(error);
			if (e.code === 'E_CANCELLED') {
				await this.finish(record, 'cancelled');
			} else {
				if (e.code === 'E_INTERNAL') this.log.error(`job ${jobId}: ${error instanceof Error ? error.stack : e.message}`);
				record.error = { code: e.code, message: e.message, stage: (e.details?.stage as string | undefined) ?? (record.kind === 'export' ? 'export' : 'decode') };
				await this.finish(record, 'failed');
			}
		}
	}

	/** What the worker needs: the picture and options, or the source GLB and the export request. */
	private async task(record: JobRecord, times: StageTimes): Promise<PoolTask> {
		const { jobId, name } = record;
		if (record.export) {
			const file = path.join(this.home.assetDir(record.export.sourceAssetId), record.export.file);
			const bytes = await readFile(file).catch(() => {
				throw new OrfeasError('E_NOT_FOUND', `The model asset ${record.export!.sourceAssetId} this export starts from is gone. Generate it again.`);
			});
			return { kind: 'export', jobId, name, bytes, request: record.export.request };
		}
		const bytes = await readFile(path.join(this.home.jobDir(jobId), record.input!.file));
		const views = [];
		for (const { view, file } of record.views ?? []) views.push({ view, bytes: new Uint8Array(await readFile(path.join(this.home.jobDir(jobId), file))) });
		const pictures = { ...(views.length ? { views } : {}), ...(record.sheet ? { sheet: record.sheet } : {}) };
		const remoteJob = record.remote?.backend === record.options.model ? record.remote.job : undefined;
		return { kind: 'generate', jobId, name, bytes, ...pictures, options: record.options, weights: times.weights(), ...(remoteJob ? { remoteJob } : {}) };
	}

	private async assetMeta(record: JobRecord, result: PoolResult): Promise<Omit<AssetRecord, 'assetId' | 'files' | 'createdAt'>> {
		const pipelineVersion = PIPELINE_VERSION;
		if (record.export) {
			const source = await readAsset(this.home, record.export.sourceAssetId);
			const lods = Math.max(1, record.export.request.lods.length);
			return {
				name: record.name,
				stats: { vertices: source?.stats.vertices ?? 0, triangles: source?.stats.triangles ?? 0, textureSize: source?.stats.textureSize ?? 0, lods, ms: result.stats.ms },
				source: { jobId: record.jobId, imageSha256: source?.source.imageSha256 ?? '', model: record.options.model, pipelineVersion },
				derivedFrom: record.export.sourceAssetId,
			};
		}
		const stats = result.stats as GenerateStats;
		return {
			name: record.name,
			stats: { vertices: stats.vertices, triangles: stats.triangles, textureSize: stats.textureSize, lods: stats.lods, ms: stats.ms, ...(stats.views ? { views: stats.views } : {}) },
			source: { jobId: record.jobId, imageSha256: record.input!.sha256, model: record.options.model, pipelineVersion },
		};
	}

	/** A worker's stage progress as a job.progress event, with the ETA from the stage averages. */
	private progress(jobId: string, event: StageProgress, times: StageTimes = this.times): void {
		const message: DaemonMessageOf<'job.progress'> = {
			type: 'job.progress',
			jobId,
			stage: event.stage,
			stageIndex: event.stageIndex,
			stageCount: event.stageCount,
			progress: event.progress,
			stageProgress: event.stageProgress,
			etaMs: times.eta(event.stage, event.stageProgress, event.stages),
			...(event.message ? { message: event.message } : {}),
		};
		this.gate.push(message);
	}

	private async finish(record: JobRecord, state: 'done' | 'failed' | 'cancelled'): Promise<void> {
		this.gate.drop(record.jobId);
		await this.transition(record, state);
	}

	/**
	 * Writes the new state to disk, then announces it — with the final event in the same turn when the job has
	 * ended, so a snapshot taken between them cannot exist. Until then `snapshot` keeps telling the old state.
	 */
	private async transition(record: JobRecord, state: JobState): Promise<void> {
		this.announced.set(record.jobId, this.announced.get(record.jobId) ?? record.state);
		record.state = state;
		record.updatedAt = new Date().toISOString();
		await this.save(record);
		this.announced.set(record.jobId, state);
		const position = this.position(record.jobId);
		this.emit({ type: 'job.state', jobId: record.jobId, state, ...(position !== undefined ? { position } : {}) });
		const final = this.finalEvent(record);
		if (final) this.emit(final);
	}

	/** Writes a record, after any earlier write of the same record: the file always ends with the newest state. */
	private save(record: JobRecord): Promise<void> {
		const previous = this.saving.get(record.jobId) ?? Promise.resolve();
		const next = previous.catch(() => {}).then(() => writeRecord(this.home, record));
		this.saving.set(record.jobId, next);
		void next.finally(() => {
			if (this.saving.get(record.jobId) === next) this.saving.delete(record.jobId);
		}).catch(() => {});
		return next;
	}

	private finalEvent(record: JobRecord): JobEvent | undefined {
		const jobId = record.jobId;
		if (record.state === 'done' && record.kind === 'pull') return { type: 'job.done', jobId, modelId: record.modelId, files: [] };
		if (record.state === 'done' && record.files && record.stats) {
			return { type: 'job.done', jobId, assetId: record.assetId, files: record.files, stats: record.stats };
		}
		if (record.state === 'failed' && record.error) {
			return { type: 'job.failed', jobId, code: record.error.code, message: record.error.message, stage: record.error.stage ?? 'decode' };
		}
		if (record.state === 'cancelled') return { type: 'job.cancelled', jobId };
		return undefined;
	}

	private emit(event: JobEvent): void {
		for (const listener of this.listeners) {
			try {
				listener(event);
			} catch (error) {
				this.log.error(`job event listener failed: ${error instanceof Error ? error.stack : error}`);
			}
		}
	}
}

/** The picture's kind, or its E_IMAGE_DECODE naming the view and the request field it came in. */
function requireImageOf(view: ExtraView, field: string, bytes: Uint8Array): ReturnType<typeof requireImage> {
	try {
		return requireImage(bytes);
	} catch (error) {
		throw namedForView(error, view, field);
	}
}
