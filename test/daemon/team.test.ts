// A team server through real processes and sockets: a real Redis, a gateway daemon started with --queue, and two
// `orfeas worker` processes with their own worker tokens. Fifty clients with two jobs each, spread over both
// workers and all done once; a cancel reaching the worker that runs the job; the gateway restarted mid-job; Redis
// killed and started again in the middle of a run, the workers saying so in `orfeas status` and every job still
// finishing; a worker with a wrong token refused before it takes any job.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, orfeas } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { until } from '../helpers/poll';
import { startRedis, type TestRedis } from '../helpers/redis';
import { TestClient, type Received } from '../helpers/ws-client';

const LIGHT = { resolution: 48, textureSize: 512 };
const HEAVY = { resolution: 512, textureSize: 4096 };
const FINAL = ['job.done', 'job.failed', 'job.cancelled'];

let redis: TestRedis;
let home: string;
let gateway: TestDaemon;
let tokens: string[];
const workerHomes = [tempHome(), tempHome()];
const workers: ChildProcess[] = [];
let pictures = 0;

function worker(index: number, token = tokens[index]): ChildProcess & { output: () => string } {
	const args = ['worker', '--queue', redis.url, '--server', `http://127.0.0.1:${gateway.port}`, '--token', token, '--cpu-jobs', '1', '--home', workerHomes[index], '--lock-ms', '3000'];
	const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	return Object.assign(child, { output: () => output });
}

beforeAll(async () => {
	redis = await startRedis();
	home = tempHome();
	tokens = [0, 1].map((i) => orfeas(['users', 'add', `render-box-${i}`, '--worker', '--home', home], home).stdout.trim());
	gateway = await startDaemon({ home, args: ['--queue', redis.url] });
	for (const i of [0, 1]) {
		const w = worker(i);
		workers.push(w);
		await until(`worker ${i} ready`, () => w.output().includes('running jobs from'), { timeoutMs: 30_000 });
	}
}, 120_000);

afterAll(async () => {
	for (const w of workers) w.kill('SIGTERM');
	await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null || w.signalCode !== null ? resolve(null) : w.once('exit', resolve)))));
	await gateway?.stop();
	await redis?.stop();
	for (const h of [home, ...workerHomes]) removeHome(h);
}, 60_000);

async function submit(client: TestClient, options: Record<string, number>, name = 'job'): Promise<string> {
	const accepted = await client.request({ type: 'generate', image: { inline: true }, name, options }, await distinctPicture(200, pictures++));
	expect(accepted, JSON.stringify(accepted)).toMatchObject({ type: 'accepted' });
	return accepted.jobId as string;
}
const isFinal = (jobId: string) => (m: Received) => m.jobId === jobId && FINAL.includes(m.type);

async function claimsPerWorker(): Promise<number[]> {
	const text = await (await fetch(gateway.url('/metrics'), { headers: { authorization: `Bearer ${gateway.token}` } })).text();
	return [0, 1].map((i) => Number(new RegExp(`^orfeas_worker_claims_total\\{worker="render-box-${i}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0));
}

describe('team server', () => {
	it('refuses a worker with a wrong token before it takes any job', () => {
		const run = spawnSync(process.execPath, [CLI, 'worker', '--queue', redis.url, '--server', `http://127.0.0.1:${gateway.port}`, '--token', 'ofw_not-a-token', '--home', workerHomes[0]], {
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect(run.status).not.toBe(0);
		expect(run.stderr).toMatch(/wrong token.*\[E_AUTH\]/);
	});

	it('runs 50 clients × 2 jobs on both workers, every job done once', async () => {
		const clients = await Promise.all(Array.from({ length: 50 }, () => TestClient.connect(gateway)));
		try {
			const jobs = (await Promise.all(clients.map(async (c) => [await submit(c, LIGHT), await submit(c, LIGHT)]))).flat();
			await Promise.all(clients.map((c, i) => Promise.all(jobs.slice(2 * i, 2 * i + 2).map((id) => c.waitFor(isFinal(id), 300_000)))));
			for (const [i, c] of clients.entries()) {
				for (const id of jobs.slice(2 * i, 2 * i + 2)) expect(c.events(id).filter((m) => FINAL.includes(m.type)).map((m) => m.type)).toEqual(['job.done']);
			}
			const claims = await claimsPerWorker();
			expect(claims[0] + claims[1]).toBeGreaterThanOrEqual(100);
			expect(claims[0]).toBeGreaterThan(0);
			expect(claims[1]).toBeGreaterThan(0);
		} finally {
			await Promise.all(clients.map((c) => c.close()));
		}
	}, 400_000);

	it('cancels a job running on a worker, and the worker takes the next one', async () => {
		const client = await TestClient.connect(gateway);
		try {
			const jobId = await submit(client, HEAVY, 'long');
			await client.waitFor((m) => m.type === 'job.progress' && m.jobId === jobId, 60_000);
			const sent = Date.now();
			expect(await client.request({ type: 'cancel', jobId })).toMatchObject({ type: 'ok' });
			expect((await client.waitFor(isFinal(jobId), 30_000)).type).toBe('job.cancelled');
			console.log(`team cancel: ${Date.now() - sent} ms from cancel to job.cancelled`);
			const next = await submit(client, LIGHT, 'after');
			expect((await client.waitFor(isFinal(next), 60_000)).type).toBe('job.done');
		} finally {
			await client.close();
		}
	}, 120_000);

	it('keeps jobs running on the workers while the gateway restarts, and reports them done once', async () => {
		let client = await TestClient.connect(gateway);
		const jobId = await submit(client, { resolution: 1024, textureSize: 4096 }, 'across');
		await client.waitFor((m) => m.type === 'job.progress' && m.jobId === jobId, 60_000);
		await client.close();
		const port = gateway.port;
		await gateway.stop();
		// The gateway comes back where its workers know it: the same address and port.
		gateway = await startDaemon({ home, args: ['--queue', redis.url, '--port', String(port)] });
		client = await TestClient.connect(gateway);
		try {
			await client.request({ type: 'subscribe', jobId });
			expect((await client.waitFor(isFinal(jobId), 120_000)).type).toBe('job.done');
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(client.events(jobId).filter((m) => m.type === 'job.done')).toHaveLength(1);
		} finally {
			await client.close();
		}
	}, 180_000);

	it('finishes every job when Redis is killed and started again mid-run', async () => {
		const client = await TestClient.connect(gateway);
		try {
			const jobs: string[] = [];
			for (let i = 0; i < 6; i++) jobs.push(await submit(client, { resolution: 1024, textureSize: 4096 }, `through${i}`));
			await client.waitFor((m) => m.type === 'job.state' && m.state === 'running' && jobs.includes(m.jobId as string), 60_000);
			await redis.kill();
			// Most of the run is still ahead: Redis goes away while jobs wait and run.
			const finishedBefore = jobs.filter((id) => client.events(id).some((m) => FINAL.includes(m.type))).length;
			expect(finishedBefore).toBeLessThan(jobs.length);
			// A worker that cannot reach Redis says so in `orfeas status`, and again when it can.
			const workerStatus = () => orfeas(['status', '--home', workerHomes[0]], home).stdout;
			await until('the worker to say Redis is gone', () => /Redis at .*: CANNOT BE REACHED/.test(workerStatus()), { timeoutMs: 20_000 });
			await redis.restart();
			await until('the worker to say Redis is back', () => /Redis at .*: connected/.test(workerStatus()), { timeoutMs: 20_000 });
			for (const id of jobs) expect((await client.waitFor(isFinal(id), 240_000)).type).toBe('job.done');
		} finally {
			await client.close();
		}
	}, 300_000);
});
