// Stopping without signals, against a real daemon process: /health reports the pid and start time daemon.json holds;
// daemon.stop from this machine's client is answered `ok` before the socket closes with 1001, and the daemon then
// stops as it does on SIGTERM (running job finished or re-queued, the waiting one untouched, daemon.json removed,
// exit 0); and a daemon.json whose pid is alive but whose daemon does not answer as itself no longer blocks a start.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { TestClient, type Received } from '../helpers/ws-client';

const homes: string[] = [];
const daemons: TestDaemon[] = [];

afterAll(async () => {
	for (const daemon of daemons) if (daemon.process.exitCode === null && daemon.process.signalCode === null) await daemon.kill();
	for (const home of homes) removeHome(home);
});

async function start(home = freshHome()): Promise<TestDaemon> {
	const daemon = await startDaemon({ home, args: ['--cpu-jobs', '1'] });
	daemons.push(daemon);
	return daemon;
}

function freshHome(): string {
	const home = tempHome();
	homes.push(home);
	return home;
}

function record(home: string, jobId: string): Record<string, unknown> {
	return JSON.parse(readFileSync(path.join(home, 'jobs', jobId, 'job.json'), 'utf8'));
}

async function submit(client: TestClient, bytes: Buffer, name: string, options: Record<string, number>): Promise<string> {
	const accepted = await client.request({ type: 'generate', image: { inline: true }, name, options }, bytes);
	expect(accepted, JSON.stringify(accepted)).toMatchObject({ type: 'accepted', cached: false });
	return accepted.jobId as string;
}

const isJob = (jobId: string, type: string, state?: string) => (m: Received) => m.jobId === jobId && m.type === type && (state === undefined || m.state === state);

describe('daemon identity', () => {
	it('reports the pid and start time of daemon.json on /health, beside the older fields', async () => {
		const daemon = await start();
		const discovery = JSON.parse(readFileSync(path.join(daemon.home, 'daemon.json'), 'utf8'));
		const health = (await (await fetch(daemon.url('/health'))).json()) as Record<string, unknown>;
		expect(health).toMatchObject({ ok: true, version: discovery.version, pid: discovery.pid, startedAt: discovery.startedAt });
		expect(typeof health.uptimeMs).toBe('number');
		const openapi = (await (await fetch(daemon.url('/openapi.json'))).json()) as { components: { schemas: Record<string, { properties: object }> } };
		expect(Object.keys(openapi.components.schemas.Health.properties)).toEqual(expect.arrayContaining(['ok', 'version', 'uptimeMs', 'pid', 'startedAt']));
		expect(await daemon.stop()).toBe(0);
	});

	it('starts where daemon.json names a live pid whose daemon does not answer as itself', async () => {
		const other = await start();
		const home = freshHome();
		// As after a crash whose pid was taken by another daemon: the pid is alive and its port answers /health, but
		// with another start time.
		writeFileSync(path.join(home, 'daemon.json'), JSON.stringify({ version: '0.1.0', pid: other.pid, port: other.port, token: 't', startedAt: '2000-01-01T00:00:00.000Z' }));
		const daemon = await start(home);
		expect(daemon.pid).not.toBe(other.pid);
		// Whereas the daemon named rightly, answering as itself, keeps its place.
		const again = await startDaemon({ home }).then(
			(started) => {
				daemons.push(started);
				return 'started';
			},
			(error: Error) => error.message,
		);
		expect(again).toMatch(/already running for .*pid \d+.*orfeas stop/s);
		expect(await daemon.stop()).toBe(0);
		expect(await other.stop()).toBe(0);
	});
});

describe('daemon.stop', () => {
	it('answers ok, then stops as on SIGTERM: 1001, exit 0, daemon.json removed, no job lost', async () => {
		const home = freshHome();
		const daemon = await start(home);
		const client = await TestClient.connect(daemon);
		// A long job running and a short one in line behind it, which must not start once the daemon is stopping.
		const running = await submit(client, await distinctPicture(4000, 400, { opaque: true }), 'running', { resolution: 1024, textureSize: 4096 });
		const waiting = await submit(client, await distinctPicture(96, 401), 'waiting', { resolution: 32, textureSize: 512 });
		await client.waitFor(isJob(running, 'job.state', 'running'), 30_000);

		// The reply arrives on the open socket (a close first would fail the request), then the stop closes it.
		expect(await client.request({ type: 'daemon.stop' })).toMatchObject({ type: 'ok' });
		expect((await client.closed).code).toBe(1001);
		expect(await daemon.exited).toBe(0);
		expect(daemon.process.signalCode).toBeNull();
		expect(existsSync(path.join(home, 'daemon.json'))).toBe(false);
		expect(daemon.output()).toMatch(/stop requested: daemon\.stop from "test 0"/);
		expect(daemon.output()).not.toMatch(/SIGTERM received/);

		const drained = record(home, running);
		if (drained.state === 'done') expect(client.events(running, 'job.done')).toHaveLength(1);
		else expect(drained).toMatchObject({ state: 'queued', attempt: 0 });
		expect(record(home, waiting)).toMatchObject({ state: 'queued', attempt: 0 });
		expect(client.events(waiting).filter((m) => m.type.startsWith('job.'))).toEqual([]);
		expect(client.invalid).toEqual([]);

		// A new daemon takes both up and finishes them, each once.
		const again = await start(home);
		const after = await TestClient.connect(again);
		for (const jobId of [running, waiting]) await after.request({ type: 'subscribe', jobId });
		for (const jobId of [running, waiting]) {
			expect((await after.finished(jobId, 120_000)).type).toBe('job.done');
			expect(after.events(jobId, 'job.done')).toHaveLength(1);
		}
		await after.close();
		expect(await again.stop()).toBe(0);
	}, 240_000);
});
