// The team-server row of `npm run bench`: throughput of 8 generate jobs through a gateway (BullMQ on a real Redis)
// with one worker process and with two (each running one job at a time), and the latency the BullMQ driver adds
// against the embedded one, from `accepted` to the first progress event of a small job (p50, p99), in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, orfeas } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { until } from '../helpers/poll';
import { startRedis, type TestRedis } from '../helpers/redis';
import { TestClient } from '../helpers/ws-client';
import { percentile } from './stats';

/** A job of about a second on one core, for throughput; a small one for latency. */
const JOB = { resolution: 512, textureSize: 4096 };
const SMALL = { resolution: 128, textureSize: 1024 };
const THROUGHPUT_JOBS = 8;

export interface TeamBench {
	jobs: number;
	options: typeof JOB;
	oneWorkerMs: number;
	twoWorkersMs: number;
	/** one worker / two workers: how much faster two are. */
	speedup: number;
	firstProgressMs: { embedded: { p50: number; p99: number }; bullmq: { p50: number; p99: number } };
	cores: number;
}

let picture = 20_000;

async function runJobs(client: TestClient, count: number): Promise<number> {
	const t0 = performance.now();
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name: `b${i}`, options: JOB }, await distinctPicture(256, picture++));
		ids.push(accepted.jobId as string);
	}
	for (const id of ids) await client.finished(id, 600_000);
	return performance.now() - t0;
}

/** accepted → first job.progress, one job at a time. */
async function firstProgress(client: TestClient, count: number): Promise<{ p50: number; p99: number }> {
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		const t0 = performance.now();
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name: `l${i}`, options: SMALL }, await distinctPicture(256, picture++));
		await client.waitFor((m) => m.type === 'job.progress' && m.jobId === accepted.jobId, 60_000);
		times.push(performance.now() - t0);
		await client.finished(accepted.jobId as string, 600_000);
	}
	return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

function startWorker(redis: TestRedis, gateway: TestDaemon, token: string, home: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--server', `http://127.0.0.1:${gateway.port}`, '--token', token, '--cpu-jobs', '1', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	return until('a worker ready', () => (output.includes('running jobs from') ? child : undefined), { timeoutMs: 60_000 });
}

export async function benchTeam(runs: number, cores: number): Promise<{ result: TeamBench; text: string }> {
	const samples = Math.max(10, runs * 5);
	// The embedded reference: one daemon, one CPU job at a time.
	const embedded = await startDaemon({ args: ['--cpu-jobs', '1'] });
	const local = await TestClient.connect(embedded);
	await runJobs(local, 1);
	const embeddedLatency = await firstProgress(local, samples);
	await local.close();
	await embedded.stop();
	removeHome(embedded.home);

	const redis = await startRedis();
	const home = tempHome();
	const homes = [tempHome(), tempHome()];
	const tokens = [0, 1].map((i) => orfeas(['users', 'add', `bench-${i}`, '--worker', '--home', home], home).stdout.trim());
	const gateway = await startDaemon({ home, args: ['--queue', redis.url] });
	const workers: ChildProcess[] = [];
	try {
		const client = await TestClient.connect(gateway);
		workers.push(await startWorker(redis, gateway, tokens[0], homes[0]));
		await runJobs(client, 1);
		const bullLatency = await firstProgress(client, samples);
		const oneWorkerMs = await runJobs(client, THROUGHPUT_JOBS);
		workers.push(await startWorker(redis, gateway, tokens[1], homes[1]));
		const twoWorkersMs = await runJobs(client, THROUGHPUT_JOBS);
		await client.close();
		const result: TeamBench = {
			jobs: THROUGHPUT_JOBS,
			options: JOB,
			oneWorkerMs,
			twoWorkersMs,
			speedup: oneWorkerMs / twoWorkersMs,
			firstProgressMs: { embedded: embeddedLatency, bullmq: bullLatency },
			cores,
		};
		const text = [
			`team server (BullMQ on a local Redis, workers with one job each, ${cores} cores):`,
			`  ${THROUGHPUT_JOBS} jobs: one worker ${(oneWorkerMs / 1000).toFixed(1)} s · two workers ${(twoWorkersMs / 1000).toFixed(1)} s · ${result.speedup.toFixed(2)}×` +
				(cores <= 2 ? ' (two workers and the gateway share these cores: the ceiling is 2×, less the gateway’s own work)' : ''),
			`  accepted → first progress: embedded p50 ${embeddedLatency.p50.toFixed(0)} ms, p99 ${embeddedLatency.p99.toFixed(0)} ms · BullMQ p50 ${bullLatency.p50.toFixed(0)} ms, p99 ${bullLatency.p99.toFixed(0)} ms`,
		].join('\n');
		return { result, text };
	} finally {
		for (const w of workers) w.kill('SIGTERM');
		await gateway.stop();
		await redis.stop();
		for (const h of [home, ...homes]) removeHome(h);
	}
}
