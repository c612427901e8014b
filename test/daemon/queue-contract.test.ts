// The job-queue contract, one suite run against both drivers through real processes and sockets: the embedded
// driver (one daemon, its own worker threads) and BullMQ (a real Redis, a gateway daemon started with --queue and
// two `orfeas worker` processes holding worker tokens). Priority order, progress reaching clients, cancel of a
// waiting and of a running job, a job whose runner dies run again and reported done once, the cache hit, metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, orfeas } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { until } from '../helpers/poll';
import { startRedis, type TestRedis } from '../helpers/redis';
import { TestClient, type Received } from '../helpers/ws-client';

/** A job that runs for seconds on a 2-core machine (from a 1500 px picture: a 1024 grid, a 4096² texture), and one that runs briefly. */
const HEAVY = { resolution: 1024, textureSize: 4096 };
const LIGHT = { resolution: 48, textureSize: 512 };
const HEAVY_SIZE = 1500;
const FINAL = ['job.done', 'job.failed', 'job.cancelled'];

interface Setup {
	daemon: TestDaemon;
	/** Jobs that run at once. */
	capacity: number;
	/** Kills whatever runs `jobId` (the daemon, or the worker that has it) and brings the system back. */
	crash(jobId: string): Promise<void>;
	stop(): Promise<void>;
}

/** An `orfeas worker` process. */
function startWorker(redis: TestRedis, daemon: TestDaemon, token: string, home: string): ChildProcess & { output: () => string } {
	const child = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--server', `http://127.0.0.1:${daemon.port}`, '--token', token, '--cpu-jobs', '1', '--home', home, '--lock-ms', '3000'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	return Object.assign(child, { output: () => output });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

const DRIVERS: Record<string, () => Promise<Setup>> = {
	async embedded() {
		const home = tempHome();
		const setup: Setup = {
			daemon: await startDaemon({ home, args: ['--cpu-jobs', '1'] }),
			capacity: 1,
			async crash() {
				await setup.daemon.kill();
				setup.daemon = await startDaemon({ home, args: ['--cpu-jobs', '1'] });
			},
			async stop() {
				await setup.daemon.stop();
				removeHome(home);
			},
		};
		return setup;
	},
	async bullmq() {
		const redis = await startRedis();
		const home = tempHome();
		// One worker token each, so the gateway's log tells which worker claimed a job.
		const tokens = [0, 1].map((i) => /\S{20,}$/m.exec(orfeas(['users', 'add', `render-box-${i}`, '--worker', '--home', home], home).stdout.trim())![0]);
		const daemon = await startDaemon({ home, args: ['--queue', redis.url] });
		const homes = [tempHome(), tempHome()];
		const workers = homes.map((h, i) => startWorker(redis, daemon, tokens[i], h));
		await until('both workers ready', () => workers.every((w) => w.output().includes('running jobs from')), { timeoutMs: 30_000 });
		const setup: Setup = {
			daemon,
			capacity: 2,
			async crash(jobId) {
				// The worker that has the job is the one whose claim the gateway logged; kill it and start it again.
				const index = await until('the worker running the job', () => workerOf(daemon, jobId), { timeoutMs: 10_000 });
				workers[index].kill('SIGKILL');
				await exited(workers[index]);
				workers[index] = startWorker(redis, daemon, tokens[index], homes[index]);
			},
			async stop() {
				for (const w of workers) w.kill('SIGTERM');
				await Promise.all(workers.map(exited));
				await daemon.stop();
				await redis.stop();
				for (const h of [home, ...homes]) removeHome(h);
			},
		};
		return setup;
	},
};

/** Which of the two workers claimed a job last, from the gateway's log line `worker render-box-N claimed JOB`. */
function workerOf(daemon: TestDaemon, jobId: string): number | undefined {
	const claims = [...daemon.output().matchAll(new RegExp(`worker render-box-(\\d) claimed ${jobId}`, 'g'))];
	return claims.length ? Number(claims.at(-1)![1]) : undefined;
}

describe.each(Object.keys(DRIVERS))('queue driver: %s', (driver) => {
	let setup: Setup;
	let client: TestClient;
	let pictures = 500 * Object.keys(DRIVERS).indexOf(driver);

	beforeAll(async () => {
		setup = await DRIVERS[driver]();
		client = await TestClient.connect(setup.daemon);
	}, 120_000);

	afterAll(async () => {
		await client?.close();
		await setup?.stop();
	}, 60_000);

	async function submit(options: Record<string, number>, priority = 'normal', name = 'job'): Promise<string> {
		const size = options === HEAVY ? HEAVY_SIZE : 256;
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name, priority, options }, await distinctPicture(size, pictures++));
		expect(accepted, JSON.stringify(accepted)).toMatchObject({ type: 'accepted', cached: false });
		return accepted.jobId as string;
	}
	const isFinal = (jobId: string) => (m: Received) => m.jobId === jobId && FINAL.includes(m.type);
	const running = (jobId: string) => client.waitFor((m) => m.type === 'job.state' && m.jobId === jobId && m.state === 'running', 60_000);

	it('runs waiting jobs by priority, first come first served within one', async () => {
		const blockers = [];
		for (let i = 0; i < setup.capacity; i++) blockers.push(await submit(HEAVY, 'normal', `blocker${i}`));
		for (const id of blockers) await running(id);
		const low = await submit(LIGHT, 'low', 'low');
		const normal = await submit(LIGHT, 'normal', 'normal');
		const high = await submit(LIGHT, 'high', 'high');
		// All three were waiting together: no blocker had finished while they were sent.
		expect(blockers.filter((id) => client.events(id).some((m) => FINAL.includes(m.type)))).toEqual([]);
		for (const id of [...blockers, low, normal, high]) await client.waitFor(isFinal(id), 180_000);
		const started = client.messages.filter((m) => m.type === 'job.state' && m.state === 'running' && [low, normal, high].includes(m.jobId as string)).map((m) => m.jobId);
		expect(started).toEqual([high, normal, low]);
	});

	it('sends progress to the client before the job is done', async () => {
		const jobId = await submit(LIGHT);
		expect((await client.waitFor(isFinal(jobId), 120_000)).type).toBe('job.done');
		const events = client.events(jobId);
		const done = events.findIndex((m) => m.type === 'job.done');
		expect(events.slice(0, done).some((m) => m.type === 'job.progress')).toBe(true);
	});

	it('cancels a waiting job before it starts, and a running one', async () => {
		const blockers = [];
		for (let i = 0; i < setup.capacity; i++) blockers.push(await submit(HEAVY, 'normal', `busy${i}`));
		for (const id of blockers) await running(id);
		const waiting = await submit(LIGHT, 'normal', 'waiting');
		expect(await client.request({ type: 'cancel', jobId: waiting })).toMatchObject({ type: 'ok' });
		expect((await client.waitFor(isFinal(waiting), 30_000)).type).toBe('job.cancelled');
		expect(client.events(waiting).some((m) => m.type === 'job.state' && m.state === 'running')).toBe(false);
		for (const id of blockers) {
			expect(await client.request({ type: 'cancel', jobId: id })).toMatchObject({ type: 'ok' });
			expect((await client.waitFor(isFinal(id), 30_000)).type).toBe('job.cancelled');
		}
	});

	it('runs a job again when what runs it dies, and reports it done once', async () => {
		const jobId = await submit(HEAVY, 'normal', 'survivor');
		await running(jobId);
		const before = setup.daemon;
		await setup.crash(jobId);
		if (setup.daemon !== before) {
			await client.close();
			client = await TestClient.connect(setup.daemon);
		}
		await client.request({ type: 'subscribe', jobId });
		expect((await client.waitFor(isFinal(jobId), 180_000)).type).toBe('job.done');
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(client.events(jobId).filter((m) => m.type === 'job.done')).toHaveLength(1);
		expect(await client.request({ type: 'job.get', jobId })).toMatchObject({ job: { state: 'done', attempt: 2 } });
	});

	it('answers the same picture and options from the cache', async () => {
		const bytes = await distinctPicture(256, pictures++);
		const first = await client.request({ type: 'generate', image: { inline: true }, name: 'twice', options: LIGHT }, bytes);
		expect((await client.waitFor(isFinal(first.jobId as string), 120_000)).type).toBe('job.done');
		const again = await client.request({ type: 'generate', image: { inline: true }, name: 'twice', options: LIGHT }, bytes);
		expect(again).toMatchObject({ type: 'accepted', cached: true });
	});

	it('counts jobs by state in /metrics', async () => {
		const text = await (await fetch(setup.daemon.url('/metrics'), { headers: { authorization: `Bearer ${setup.daemon.token}` } })).text();
		const done = Number(/^orfeas_jobs\{state="done"\} (\d+)/m.exec(text)?.[1]);
		expect(done).toBeGreaterThanOrEqual(5);
		expect(text).toMatch(new RegExp(`^orfeas_queue_driver\\{driver="${driver}"\\} 1`, 'm'));
	});
});
