// The daemon rows of `npm run bench`: a real daemon with one CPU worker, timed from outside as a client sees it.
// /health latency idle and while two large jobs keep the worker busy, event-loop lag from /metrics over the same
// windows, how soon progress reaches a client, and a 50 MiB asset over HTTP and WebSocket beside fs.readFile.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { sha256 } from '../../daemon/src/jobs/assets';
import { PROTOCOL_VERSION } from '../../daemon/src/protocol/messages';
import { VERSION } from '../../daemon/src/version';
import { disc } from '../fixtures/images';
import { TestClient, type Received } from '../helpers/ws-client';
import { seedAsset, startBenchDaemon, type BenchDaemon, type SeededAsset } from './daemon-process';
import { DAEMON_DEFINITIONS, EVENT_LOOP_LAG_TARGET_MS, quantiles, type DaemonBenchResult } from './daemon-report';

const CPU_JOBS = 1;
const HEALTH_REQUESTS = 500;
const HEALTH_WARMUP = 20;
/**
 * Pause between two /health requests. Back to back, the bench's own client takes the core the daemon's main
 * thread needs (the worker holds another), and on a small machine the lag it then reports is the bench's.
 */
const HEALTH_PAUSE_MS = 10;
const IDLE_LAG_WINDOW_MS = 2000;
const ASSET_BYTES = 50 * 2 ** 20;
const MIN_DOWNLOAD_RUNS = 3;
const MIN_FIRST_PROGRESS_JOBS = 5;
/** Edge of the square test picture, and the options of the jobs that keep the worker busy (a few seconds each). */
const PICTURE_SIZE = 2048;
const LOAD_JOBS = 2;
const LOAD_OPTIONS = { resolution: 1024, textureSize: 4096, maxTriangles: 2_000_000 };
const SMALL_OPTIONS = { resolution: 64, textureSize: 512 };
const JOB_TIMEOUT_MS = 300_000;

/** A protocol client that also notes when each text frame arrived. */
interface TimedClient {
	client: TestClient;
	arrivals: Array<{ at: number; message: Received }>;
}

/** Starts a daemon in a fresh home holding a 50 MiB asset, measures, stops it and removes everything it made. */
export async function benchDaemon(runs: number): Promise<DaemonBenchResult> {
	const home = await mkdtemp(path.join(tmpdir(), 'orfeas-bench-home-'));
	const pictures = await mkdtemp(path.join(tmpdir(), 'orfeas-bench-pictures-'));
	let daemon: BenchDaemon | undefined;
	let timed: TimedClient | undefined;
	try {
		const asset = await seedAsset(home, 'big.glb', ASSET_BYTES);
		const picture = path.join(pictures, 'disc.png');
		await writeFile(picture, (await disc(PICTURE_SIZE)).bytes);
		const running = (daemon = await startBenchDaemon(home, CPU_JOBS));
		const client = (timed = await connect(running));

		const healthIdle = await timeHealth(running, HEALTH_REQUESTS);
		const { lagMs: lagIdle } = await lagOver(running, () => pause(IDLE_LAG_WINDOW_MS));
		const download = await timeDownloads(running, client.client, asset, Math.max(MIN_DOWNLOAD_RUNS, runs));
		const firstProgress = await timeFirstProgress(client, picture, Math.max(MIN_FIRST_PROGRESS_JOBS, runs));
		const { lagMs: lagBusy, result: load } = await lagOver(running, () => underLoad(running, client, picture));

		const readFileMs = quantiles(download.readFile);
		const httpMs = quantiles(download.http);
		const webSocketMs = quantiles(download.webSocket);
		return {
			cpuJobs: CPU_JOBS,
			health: { idle: quantiles(healthIdle), busy: quantiles(load.health) },
			eventLoopLagP99Ms: { idle: lagIdle, busy: lagBusy, targetMs: EVENT_LOOP_LAG_TARGET_MS, met: lagBusy < EVENT_LOOP_LAG_TARGET_MS },
			progress: { firstEventMs: quantiles(firstProgress), gapMs: quantiles(load.gaps), longestGap: load.longestGap },
			download: {
				bytes: asset.bytes,
				webSocketFrames: download.webSocketFrames,
				readFileMs,
				httpMs,
				webSocketMs,
				httpRatio: httpMs.p50 / readFileMs.p50,
				webSocketRatio: webSocketMs.p50 / readFileMs.p50,
			},
			load: { jobs: LOAD_JOBS, pictureSize: PICTURE_SIZE, options: LOAD_OPTIONS, windowMs: load.windowMs },
			definitions: DAEMON_DEFINITIONS,
		};
	} finally {
		await timed?.client.close();
		await daemon?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(pictures, { recursive: true, force: true });
	}
}

async function connect(daemon: BenchDaemon): Promise<TimedClient> {
	const socket = new WebSocket(`ws://127.0.0.1:${daemon.port}/v1/ws`, { headers: { authorization: `Bearer ${daemon.token}` } });
	const arrivals: TimedClient['arrivals'] = [];
	// Registered before the client's own listener, so the time is taken as the frame arrives.
	socket.on('message', (data: Buffer, isBinary: boolean) => {
		if (!isBinary) arrivals.push({ at: performance.now(), message: JSON.parse(data.toString('utf8')) as Received });
	});
	const client = new TestClient(socket);
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	const welcome = await client.request({ type: 'hello', protocol: PROTOCOL_VERSION, client: { name: 'bench', version: VERSION } });
	if (welcome.type !== 'welcome') throw new Error(`hello was answered with ${JSON.stringify(welcome)}`);
	return { client, arrivals };
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One /health request, then the pause before the next. */
async function healthOnce(daemon: BenchDaemon): Promise<number> {
	const started = performance.now();
	const { status } = await daemon.get('/health');
	const ms = performance.now() - started;
	if (status !== 200) throw new Error(`/health answered ${status}`);
	await pause(HEALTH_PAUSE_MS);
	return ms;
}

async function timeHealth(daemon: BenchDaemon, count: number): Promise<number[]> {
	for (let k = 0; k < HEALTH_WARMUP; k++) await healthOnce(daemon);
	const samples: number[] = [];
	for (let k = 0; k < count; k++) samples.push(await healthOnce(daemon));
	return samples;
}

/** Runs `during` and reads the daemon's event-loop lag p99 (ms) over it: the metric covers the time since the last read. */
async function lagOver<T>(daemon: BenchDaemon, during: () => Promise<T>): Promise<{ lagMs: number; result: T }> {
	await readLagMetric(daemon);
	const result = await during();
	return { lagMs: await readLagMetric(daemon), result };
}

async function readLagMetric(daemon: BenchDaemon): Promise<number> {
	const { status, body } = await daemon.get('/metrics', true);
	const match = /^orfeas_event_loop_lag_p99_seconds\s+(\S+)$/m.exec(body.toString('utf8'));
	if (status !== 200 || !match) throw new Error(`/metrics (${status}) has no orfeas_event_loop_lag_p99_seconds`);
	return Number(match[1]) * 1000;
}

/** One untimed round, then `runs` rounds of readFile, HTTP and WebSocket in turn, each download checked. */
async function timeDownloads(daemon: BenchDaemon, client: TestClient, asset: SeededAsset, runs: number) {
	const check = (how: string, bytes: Uint8Array) => {
		if (bytes.length !== asset.bytes || sha256(bytes) !== asset.sha256) throw new Error(`${how}: the downloaded bytes differ from the asset`);
	};
	const readFileMs: number[] = [];
	const http: number[] = [];
	const webSocket: number[] = [];
	let webSocketFrames = 0;
	for (let k = 0; k <= runs; k++) {
		let started = performance.now();
		const local = await readFile(asset.path);
		const readMs = performance.now() - started;
		check('fs.readFile', local);

		started = performance.now();
		const { status, body } = await daemon.get(`/v1/assets/${asset.assetId}/${asset.file}`, true);
		const httpMs = performance.now() - started;
		if (status !== 200) throw new Error(`GET /v1/assets answered ${status}`);
		check('HTTP', body);

		started = performance.now();
		const { header, bytes } = await client.download(asset.assetId, asset.file);
		const wsMs = performance.now() - started;
		if (header.type !== 'asset') throw new Error(`asset.get answered ${JSON.stringify(header)}`);
		check('WebSocket', bytes);
		webSocketFrames = client.messages.filter((m) => m.type === 'asset' && m.re === header.re).length;
		client.payloads.delete(header.re as string);

		if (k === 0) continue;
		readFileMs.push(readMs);
		http.push(httpMs);
		webSocket.push(wsMs);
	}
	return { readFile: readFileMs, http, webSocket, webSocketFrames };
}

function arrivalOf(timed: TimedClient, test: (m: Received) => boolean): number {
	const found = timed.arrivals.find((a) => test(a.message));
	if (!found) throw new Error('an expected message never arrived');
	return found.at;
}

async function generate(timed: TimedClient, picture: string, name: string, options: Record<string, number>): Promise<string> {
	const reply = await timed.client.request({ type: 'generate', image: { path: picture }, name, options });
	if (reply.type !== 'accepted' || reply.cached) throw new Error(`generate was answered with ${JSON.stringify(reply)}`);
	return reply.jobId as string;
}

async function expectDone(timed: TimedClient, jobId: string): Promise<void> {
	const final = await timed.client.finished(jobId, JOB_TIMEOUT_MS);
	if (final.type !== 'job.done') throw new Error(`job ${jobId} ended with ${JSON.stringify(final)}`);
}

/** Small jobs one after another on an idle worker: accepted → first job.progress of each. */
async function timeFirstProgress(timed: TimedClient, picture: string, jobs: number): Promise<number[]> {
	const samples: number[] = [];
	for (let k = 0; k < jobs; k++) {
		const jobId = await generate(timed, picture, `first-progress-${k}`, SMALL_OPTIONS);
		await expectDone(timed, jobId);
		const accepted = arrivalOf(timed, (m) => m.type === 'accepted' && m.jobId === jobId);
		samples.push(arrivalOf(timed, (m) => m.type === 'job.progress' && m.jobId === jobId) - accepted);
	}
	return samples;
}

/** Queues the large jobs, times /health back to back until both are done, and collects their progress gaps. */
async function underLoad(daemon: BenchDaemon, timed: TimedClient, picture: string) {
	const started = performance.now();
	const jobIds: string[] = [];
	for (let k = 0; k < LOAD_JOBS; k++) jobIds.push(await generate(timed, picture, `load-${k}`, LOAD_OPTIONS));
	let running = true;
	const finished = Promise.all(jobIds.map((id) => expectDone(timed, id)));
	// Ends the loop either way; a failure is thrown by the await below.
	void finished.then(
		() => (running = false),
		() => (running = false),
	);
	const health: number[] = [];
	while (running) health.push(await healthOnce(daemon));
	await finished;
	const windowMs = performance.now() - started;
	const gaps: number[] = [];
	let longestGap = { ms: 0, from: '', to: '' };
	const point = (m: Received) => `${m.stage} ${(m.stageProgress as number).toFixed(2)}`;
	for (const jobId of jobIds) {
		const events = timed.arrivals.filter((a) => a.message.type === 'job.progress' && a.message.jobId === jobId);
		for (let k = 1; k < events.length; k++) {
			const ms = events[k].at - events[k - 1].at;
			gaps.push(ms);
			if (ms > longestGap.ms) longestGap = { ms, from: point(events[k - 1].message), to: point(events[k].message) };
		}
	}
	return { health, gaps, longestGap, windowMs };
}
