// Durability against a real daemon process: work survives SIGKILL (re-queued, finished once, outputs never
// visible half-written), a job that keeps dying with the daemon is given up after three starts, and SIGTERM
// drains: running jobs finish or go back to the queue, sockets close with 1001, the discovery file goes.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newJobId } from '../../daemon/src/jobs/record';
import { watchAssets } from '../helpers/asset-audit';
import { daemonFleet, jobRecord, submitInline, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { TestClient, type Received } from '../helpers/ws-client';

const fleet = daemonFleet();

function start(home: string, cpuJobs: number): Promise<TestDaemon> {
	return fleet.start({ home, args: ['--cpu-jobs', String(cpuJobs)] });
}

const isJob = (jobId: string, type: string, state?: string) => (m: Received) =>
	m.jobId === jobId && m.type === type && (state === undefined || m.state === state);

describe('durability', () => {
	it('finishes every job after SIGKILL, never shows a half-written asset and reports each job done once', async () => {
		const home = fleet.home();
		const first = await start(home, 1);
		const client = await TestClient.connect(first);
		// Painted before submitting, so all five are in line before the first can finish.
		const pictures = await Promise.all([0, 1, 2, 3, 4].map((i) => distinctPicture(1024, 100 + i)));
		const jobIds: string[] = [];
		for (const [i, bytes] of pictures.entries()) jobIds.push(await submitInline(client, bytes, `crash_${i}`, { resolution: 384 }));
		await client.waitFor((m) => isJob(jobIds[0], 'job.state', 'running')(m) || isJob(jobIds[0], 'job.progress')(m), 30_000);
		await first.kill();
		await client.closed;

		// The crash caught work in flight: the first job mid-run, the last still waiting.
		expect(jobRecord(home, jobIds[0])).toMatchObject({ state: 'running', attempt: 1 });
		expect(jobRecord(home, jobIds[4])).toMatchObject({ state: 'queued', attempt: 0 });

		// Watch assets/ from outside for the whole life of the second daemon, as an importer would see it.
		const watch = watchAssets(path.join(home, 'assets'));
		let ends: Received[];
		let watched: Awaited<ReturnType<typeof watch.stop>>;
		try {
			const second = await start(home, 1);
			const after = await TestClient.connect(second);
			for (const jobId of jobIds) expect(await after.request({ type: 'subscribe', jobId })).toMatchObject({ type: 'ok' });
			ends = await Promise.all(jobIds.map((jobId) => after.finished(jobId, 90_000)));
			expect(ends.map((m) => m.type)).toEqual(Array(5).fill('job.done'));
			for (const jobId of jobIds) {
				expect((await after.request({ type: 'job.get', jobId })).job).toMatchObject({ state: 'done' });
			}
			// Events and replies share one ordered socket: a second job.done sent before the last reply is here now.
			for (const jobId of jobIds) expect(after.events(jobId, 'job.done'), jobId).toHaveLength(1);
			for (const jobId of jobIds) {
				const onDisk = jobRecord(home, jobId);
				expect(onDisk.state).toBe('done');
				expect(onDisk.attempt).toBeLessThanOrEqual(2);
			}
			// Only the interrupted job started twice.
			expect(jobIds.map((jobId) => jobRecord(home, jobId).attempt)).toEqual([2, 1, 1, 1, 1]);
			expect(after.invalid).toEqual([]);
			await after.close();
			expect(await second.stop()).toBe(0);
		} finally {
			watched = await watch.stop();
		}
		expect(watched.problems).toEqual([]);
		expect(watched.audits).toBeGreaterThan(10);
		for (const done of ends) expect(existsSync(path.join(home, 'assets', done.assetId as string, 'asset.json'))).toBe(true);
	});

	it('gives up a job interrupted on its third start and re-queues one interrupted on its first', async () => {
		// A real finished record to copy the shape from.
		const source = fleet.home();
		const maker = await start(source, 1);
		const client = await TestClient.connect(maker);
		const madeId = await submitInline(client, await distinctPicture(96, 200), 'shape_source', { resolution: 32, textureSize: 512 });
		expect((await client.finished(madeId)).type).toBe('job.done');
		await client.close();
		expect(await maker.stop()).toBe(0);
		const made = jobRecord(source, madeId) as Record<string, unknown> & { input: { file: string } };

		const home = fleet.home();
		const crashed = (attempt: number): string => {
			const jobId = newJobId();
			const { files: _files, stats: _stats, ...rest } = made;
			mkdirSync(path.join(home, 'jobs', jobId), { recursive: true });
			copyFileSync(path.join(source, 'jobs', madeId, made.input.file), path.join(home, 'jobs', jobId, made.input.file));
			writeFileSync(path.join(home, 'jobs', jobId, 'job.json'), JSON.stringify({ ...rest, jobId, state: 'running', attempt }));
			return jobId;
		};
		const third = crashed(3);
		const firstStart = crashed(1);

		const daemon = await start(home, 1);
		const watcher = await TestClient.connect(daemon);
		const givenUp = await watcher.request({ type: 'job.get', jobId: third });
		expect(givenUp.job).toMatchObject({ state: 'failed', attempt: 3, error: { code: 'E_INTERRUPTED' } });
		expect(jobRecord(home, third)).toMatchObject({ state: 'failed', error: { code: 'E_INTERRUPTED' } });
		await watcher.request({ type: 'subscribe', jobId: third });
		expect(await watcher.waitFor(isJob(third, 'job.failed'), 5000)).toMatchObject({ code: 'E_INTERRUPTED' });

		await watcher.request({ type: 'subscribe', jobId: firstStart });
		expect((await watcher.finished(firstStart, 60_000)).type).toBe('job.done');
		expect((await watcher.request({ type: 'job.get', jobId: firstStart })).job).toMatchObject({ state: 'done', attempt: 2 });
		await watcher.close();
		expect(await daemon.stop()).toBe(0);
	});

	it('on SIGTERM closes sockets with 1001, exits 0, removes daemon.json and loses no job', async () => {
		const home = fleet.home();
		const daemon = await start(home, 1);
		const client = await TestClient.connect(daemon);
		// A long job running (an opaque 6000² picture takes several seconds, around the 5 s the drain waits) and
		// a short one in line behind it, which must not start once the daemon is stopping.
		const heavy = { resolution: 1024, textureSize: 4096, maxTriangles: 20_000 };
		const running = await submitInline(client, await distinctPicture(6000, 300, { opaque: true }), 'running', heavy);
		const waiting = await submitInline(client, await distinctPicture(96, 301), 'waiting', { resolution: 32, textureSize: 512 });
		await client.waitFor(isJob(running, 'job.state', 'running'), 30_000);

		expect(await daemon.stop()).toBe(0);
		expect((await client.closed).code).toBe(1001);
		expect(existsSync(path.join(home, 'daemon.json'))).toBe(false);
		// The running job either finished during the drain or went back in line; nothing is left `running`, and
		// a start cut short by a stop does not count as an attempt.
		const drained = jobRecord(home, running);
		if (drained.state === 'done') expect(client.events(running, 'job.done')).toHaveLength(1);
		else {
			expect(drained).toMatchObject({ state: 'queued', attempt: 0 });
			expect(client.events(running, 'job.state').at(-1)).toMatchObject({ state: 'queued' });
		}
		expect(jobRecord(home, waiting)).toMatchObject({ state: 'queued', attempt: 0 });
		expect(client.events(waiting).filter((m) => m.type.startsWith('job.'))).toEqual([]);
		console.log(`SIGTERM: the running job was ${drained.state === 'done' ? 'finished' : 're-queued'} by the drain`);

		const again = await start(home, 1);
		const after = await TestClient.connect(again);
		for (const jobId of [running, waiting]) await after.request({ type: 'subscribe', jobId });
		for (const jobId of [running, waiting]) {
			expect((await after.finished(jobId, 90_000)).type).toBe('job.done');
			expect((await after.request({ type: 'job.get', jobId })).job).toMatchObject({ state: 'done', attempt: 1 });
			expect(after.events(jobId, 'job.done')).toHaveLength(1);
		}
		await after.close();
		expect(await again.stop()).toBe(0);
	});
});
