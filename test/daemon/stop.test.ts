// Stopping without signals, against a real daemon process: /health reports the pid and start time daemon.json holds;
// daemon.stop from this machine's client is answered `ok` before the socket closes with 1001, and the daemon then
// stops as it does on SIGTERM (running job finished or re-queued, the waiting one untouched, daemon.json removed,
// exit 0); and a daemon.json whose pid is alive but whose daemon does not answer as itself no longer blocks a start.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonFleet, jobRecord, startDaemon, submitInline, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { TestClient, type Received } from '../helpers/ws-client';

const fleet = daemonFleet();

function start(home = fleet.home()): Promise<TestDaemon> {
	return fleet.start({ home, args: ['--cpu-jobs', '1'] });
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
		const home = fleet.home();
		// As after a crash whose pid was taken by another daemon: the pid is alive and its port answers /health, but
		// with another start time.
		writeFileSync(path.join(home, 'daemon.json'), JSON.stringify({ version: '0.1.0', pid: other.pid, port: other.port, token: 't', startedAt: '2000-01-01T00:00:00.000Z' }));
		const daemon = await start(home);
		expect(daemon.pid).not.toBe(other.pid);
		// Whereas the daemon named rightly, answering as itself, keeps its place.
		const again = await startDaemon({ home }).then(
			(started) => {
				fleet.daemons.push(started);
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
		const home = fleet.home();
		const daemon = await start(home);
		const client = await TestClient.connect(daemon);
		// A long job running and a short one in line behind it, which must not start once the daemon is stopping.
		const running = await submitInline(client, await distinctPicture(4000, 400, { opaque: true }), 'running', { resolution: 1024, textureSize: 4096 });
		const waiting = await submitInline(client, await distinctPicture(96, 401), 'waiting', { resolution: 32, textureSize: 512 });
		await client.waitFor(isJob(running, 'job.state', 'running'), 30_000);

		// The reply arrives on the open socket (a close first would fail the request), then the stop closes it.
		expect(await client.request({ type: 'daemon.stop' })).toMatchObject({ type: 'ok' });
		expect((await client.closed).code).toBe(1001);
		expect(await daemon.exited).toBe(0);
		expect(daemon.process.signalCode).toBeNull();
		expect(existsSync(path.join(home, 'daemon.json'))).toBe(false);
		expect(daemon.output()).toMatch(/stop requested: daemon\.stop from "test 0"/);
		expect(daemon.output()).not.toMatch(/SIGTERM received/);

		const drained = jobRecord(home, running);
		if (drained.state === 'done') expect(client.events(running, 'job.done')).toHaveLength(1);
		else expect(drained).toMatchObject({ state: 'queued', attempt: 0 });
		expect(jobRecord(home, waiting)).toMatchObject({ state: 'queued', attempt: 0 });
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
