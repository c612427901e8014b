// The daemon section of the bench's results: its JSON shape, what each figure means, and its rows in the table.
import { formatMs, formatTable } from '../helpers/table';
import { percentile } from './stats';

/** The goal for the daemon's event loop while jobs run; a statement, never a failure. */
export const EVENT_LOOP_LAG_TARGET_MS = 20;
/** What each figure measures, printed under the table and kept in the JSON. */
export const DAEMON_DEFINITIONS = {
	health: 'GET /health round trip over one kept-alive node:http connection, body read; 10 ms pause between requests',
	eventLoopLag:
		'orfeas_event_loop_lag_p99_seconds from GET /metrics, read at the start and end of the window (each read resets it): ' +
		"the 99th percentile of monitorEventLoopDelay's samples less its 10 ms sampling interval, so an idle loop reads near 0",
	firstProgress: 'from the accepted reply to the first job.progress of the same job, both as received by the client, small jobs started on an idle worker',
	progressGap:
		'time between consecutive job.progress events of one job while 2 large jobs run, as received; the daemon sends at most one ' +
		'every 100 ms by design, longer gaps are stretches in which the pipeline reported no progress',
	download:
		'a 50 MiB asset file end to end into client memory (HTTP: node:http, chunks joined; WebSocket: ws, frames placed by offset ' +
		'until last), sha256 checked after timing; ratio = p50 over p50 of fs.readFile of the same file in the same rounds',
} as const;

export interface Quantiles {
	count: number;
	p50: number;
	p99: number;
}

export function quantiles(samples: readonly number[]): Quantiles {
	return { count: samples.length, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

export interface DaemonBenchResult {
	cpuJobs: number;
	health: { idle: Quantiles; busy: Quantiles };
	eventLoopLagP99Ms: { idle: number; busy: number; targetMs: number; met: boolean };
	progress: {
		firstEventMs: Quantiles;
		gapMs: Quantiles;
		/** The longest gap and the two progress points (stage, stage progress) around it. */
		longestGap: { ms: number; from: string; to: string };
	};
	download: {
		bytes: number;
		/** Binary frames one asset.get took. */
		webSocketFrames: number;
		readFileMs: Quantiles;
		httpMs: Quantiles;
		webSocketMs: Quantiles;
		httpRatio: number;
		webSocketRatio: number;
	};
	/** The jobs that keep the worker busy during the "2 jobs running" window. */
	load: { jobs: number; pictureSize: number; options: Record<string, number>; windowMs: number };
	definitions: typeof DAEMON_DEFINITIONS;
}

export function formatDaemon(result: DaemonBenchResult): string {
	const { health, eventLoopLagP99Ms: lag, progress, download } = result;
	const mib = `${Math.round(download.bytes / 2 ** 20)} MiB`;
	const row = (label: string, q: Quantiles, note = ''): string[] => [label, String(q.count), formatMs(q.p50), formatMs(q.p99), note];
	const rows = [
		row('/health, idle', health.idle),
		row(`/health, ${result.load.jobs} jobs running`, health.busy),
		['event-loop lag p99, idle', '', '', formatMs(lag.idle), ''],
		[`event-loop lag p99, ${result.load.jobs} jobs running`, '', '', formatMs(lag.busy), `target < ${lag.targetMs} ms: ${lag.met ? 'met' : 'not met'}`],
		row('accepted → first job.progress', progress.firstEventMs),
		row('gap between job.progress', progress.gapMs, `longest: ${progress.longestGap.from} → ${progress.longestGap.to}`),
		row(`${mib} fs.readFile`, download.readFileMs),
		row(`${mib} HTTP GET /v1/assets`, download.httpMs, `${download.httpRatio.toFixed(1)}× readFile`),
		row(`${mib} WebSocket asset.get`, download.webSocketMs, `${download.webSocketRatio.toFixed(1)}× readFile, ${download.webSocketFrames} frames`),
	];
	const table = formatTable(
		[
			{ header: `daemon (${result.cpuJobs} CPU worker)` },
			{ header: 'n', align: 'right' },
			{ header: 'p50 ms', align: 'right' },
			{ header: 'p99 ms', align: 'right' },
			{ header: '' },
		],
		rows,
	);
	const load = result.load;
	const options = Object.entries(load.options)
		.map(([k, v]) => `${k} ${v}`)
		.join(', ');
	const d = result.definitions;
	return [
		table,
		'',
		`/health: ${d.health}.`,
		`event-loop lag: ${d.eventLoopLag}.`,
		`accepted → first job.progress: ${d.firstProgress}.`,
		`gap: ${d.progressGap}.`,
		`downloads: ${d.download}.`,
		`load: ${load.jobs} generate jobs of a ${load.pictureSize}² picture (${options}), ${(load.windowMs / 1000).toFixed(1)} s until both were done.`,
	].join('\n');
}
