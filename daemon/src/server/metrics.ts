// Prometheus metrics (GET /metrics): jobs by state, queue length, stage durations, event-loop lag, WebSocket
// sessions, plus the process defaults (memory, open file descriptors). One registry per daemon, not the global.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_STATES } from '../protocol/messages';
import type { JobManager } from '../jobs/manager';

/** Sampling interval of the event-loop delay monitor. */
const LAG_RESOLUTION_MS = 10;

export interface Metrics {
	registry: Registry;
	loopDelay: IntervalHistogram;
	stop(): void;
}

export function createMetrics(manager: JobManager, sessions: () => number): Metrics {
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
	const off = manager.on((event) => {
		if (event.type !== 'job.done' || !event.stats) return;
		for (const [stage, ms] of Object.entries(event.stats.ms)) stages.observe({ stage }, ms / 1000);
	});
	return {
		registry,
		loopDelay,
		stop() {
			off();
			loopDelay.disable();
		},
	};
}
