// Prometheus metrics (GET /metrics): jobs by state, queue length, stage durations, event-loop lag, WebSocket
// sessions, the queue driver and its workers (alive, jobs each claimed), how long jobs wait and run, plus the
// process defaults (memory, open file descriptors). One registry per daemon, not the global.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_STATES } from '../protocol/messages';
import type { JobManager } from '../jobs/manager';

/** Sampling interval of the event-loop delay monitor. */
const LAG_RESOLUTION_MS = 10;

export interface Metrics {
	registry: Registry;
	loopDelay: IntervalHistogram;
	/** Counts a job claimed by a worker of the team server. */
	claimed(worker: string): void;
	stop(): void;
}

/** What the queue driver tells the metrics: its name, the workers alive, and (BullMQ) its jobs by state. */
export interface DriverMetrics {
	name: string;
	workers(): Promise<number>;
	jobs?(): Promise<Record<string, number>>;
}

const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export function createMetrics(manager: JobManager, sessions: () => number, driver: DriverMetrics = { name: 'embedded', workers: async () => 0 }): Metrics {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'orfeas_' });
	const loopDelay = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
	loopDelay.enable();

	new Gauge({
		name: 'orfeas_jobs',
		help: 'Jobs known to the daemon, by state.',
		labelNames: ['state'],
		registers: [registry],
		collect() {
			const counts = manager.counts();
			for (const state of JOB_STATES) this.set({ state }, counts[state]);
		},
	});
	new Gauge({
		name: 'orfeas_queue_length',
		help: 'Jobs waiting for a worker.',
		registers: [registry],
		collect() {
			this.set(manager.queueLength);
		},
	});
	new Gauge({
		name: 'orfeas_ws_sessions',
		help: 'Open WebSocket sessions.',
		registers: [registry],
		collect() {
			this.set(sessions());
		},
	});
	new Gauge({
		name: 'orfeas_event_loop_lag_p99_seconds',
		help: '99th percentile of event-loop delay since the previous scrape.',
		registers: [registry],
		collect() {
			// The sampler's timer fires every LAG_RESOLUTION_MS and records the whole interval; only the excess is lag.
			this.set(Math.max(0, loopDelay.percentile(99) / 1e6 - LAG_RESOLUTION_MS) / 1000);
			loopDelay.reset();
		},
	});
	const stages = new Histogram({
		name: 'orfeas_stage_duration_seconds',
		help: 'Duration of each pipeline stage of finished jobs.',
		labelNames: ['stage'],
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
		registers: [registry],
	});
	new Gauge({
		name: 'orfeas_queue_driver',
		help: 'The job-queue driver in use (1 for the one named).',
		labelNames: ['driver'],
		registers: [registry],
		collect() {
			this.set({ driver: driver.name }, 1);
		},
	});
	new Gauge({
		name: 'orfeas_workers_alive',
		help: 'Workers running jobs: worker threads (embedded), or worker processes connected to the queue (BullMQ).',
		registers: [registry],
		async collect() {
			this.set(await driver.workers().catch(() => 0));
		},
	});
	if (driver.jobs) {
		const jobs = driver.jobs;
		new Gauge({
			name: 'orfeas_queue_jobs',
			help: 'Jobs in the shared queue, by its state (BullMQ).',
			labelNames: ['state'],
			registers: [registry],
			async collect() {
				const counts = await jobs().catch(() => ({}) as Record<string, number>);
				for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
			},
		});
	}
	const claims = new Counter({ name: 'orfeas_worker_claims_total', help: 'Jobs claimed, by worker (team server).', labelNames: ['worker'], registers: [registry] });
	const waited = new Histogram({ name: 'orfeas_job_wait_seconds', help: 'Time from accepted to running.', buckets: WAIT_BUCKETS, registers: [registry] });
	const ran = new Histogram({ name: 'orfeas_job_run_seconds', help: 'Time from running to done.', buckets: WAIT_BUCKETS, registers: [registry] });
	const runningSince = new Map<string, number>();
	const off = manager.on((event) => {
		if (event.type === 'job.state' && event.state === 'running' && !runningSince.has(event.jobId)) {
			runningSince.set(event.jobId, Date.now());
			waited.observe(Math.max(0, Date.now() - Date.parse(manager.get(event.jobId).createdAt)) / 1000);
		}
		if (event.type === 'job.done' || event.type === 'job.failed' || event.type === 'job.cancelled') {
			const started = runningSince.get(event.jobId);
			if (event.type === 'job.done' && started !== undefined) ran.observe((Date.now() - started) / 1000);
			runningSince.delete(event.jobId);
		}
		if (event.type !== 'job.done' || !event.stats) return;
		for (const [stage, ms] of Object.entries(event.stats.ms)) stages.observe({ stage }, ms / 1000);
	});
	return {
		registry,
		loopDelay,
		claimed: (worker) => claims.inc({ worker }),
		stop() {
			off();
			loopDelay.disable();
		},
	};
}
