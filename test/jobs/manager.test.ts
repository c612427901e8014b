// The job manager's drain, with a pool whose jobs finish when the test says so: a result that lands after the
// drain has put its job back in line is dropped, so no job is both queued on disk and reported done.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StageTimes } from '../../daemon/src/jobs/eta';
import { Home } from '../../daemon/src/jobs/home';
import { EmbeddedDriver } from '../../daemon/src/jobs/embedded';
import { JobManager, type JobEvent } from '../../daemon/src/jobs/manager';
import type { PoolResult, WorkerPool } from '../../daemon/src/jobs/pool';
import { parseGenerateOptions } from '../../daemon/src/protocol/options';
import { silentLogger } from '../../daemon/src/server/log';
import { removeHome } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { until } from '../helpers/poll';

/** One worker whose job ends only when `finish` is called. */
class ManualPool {
	readonly size = 1;
	finish?: (result: PoolResult) => void;

	run(): Promise<PoolResult> {
		return new Promise((resolve) => (this.finish = resolve));
	}

	cancel(): boolean {
		return false;
	}
}

/** What a worker hands back for a tiny model. */
const RESULT: PoolResult = {
	files: [{ name: 'm.glb', format: 'glb', bytes: new Uint8Array(16) }],
	stats: {
		vertices: 3,
		triangles: 1,
		textureSize: 512,
		lods: 1,
		ms: { decode: 1, segment: 1, shape: 1, mesh: 1, texture: 1, optimize: 1, export: 1 },
		totalMs: 7,
		segmentation: 'alpha',
		components: 1,
	},
};

const homes: string[] = [];
afterEach(() => {
	for (const home of homes.splice(0)) removeHome(home);
});

/** A fresh home, a manager over a ManualPool, and the events it has sent so far. */
async function managerWithManualPool() {
	const home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-manager-')));
	homes.push(home.root);
	await home.prepare();
	const pool = new ManualPool();
	const manager = new JobManager(home, new EmbeddedDriver(pool as unknown as WorkerPool, { maxQueue: 10, serverSlots: 0 }), await StageTimes.load(home.stats), silentLogger);
	const events: JobEvent[] = [];
	manager.on((event) => events.push(event));
	return { home, pool, manager, events };
}

describe('JobManager.drain', () => {
	it('drops a result that lands after the drain put its job back in line', async () => {
		const { home, pool, manager, events } = await managerWithManualPool();

		const bytes = await distinctPicture(64, 0);
		const { job } = await manager.submitGenerate({ bytes, name: 'late', options: parseGenerateOptions({}), priority: 'normal' });
		const finish = await until('the job on the worker', () => pool.finish);
		await manager.drain(0);
		expect(manager.get(job.jobId)).toMatchObject({ state: 'queued', attempt: 0 });

		// The worker finishes after the drain gave up waiting, before the pool is closed.
		finish(RESULT);
		await until('the run to end', () => manager['driver'].running().length === 0);

		expect(events.filter((e) => e.type === 'job.done')).toEqual([]);
		expect(events.filter((e) => e.type === 'job.state').map((e) => e.state)).toEqual(['running', 'queued']);
		expect(JSON.parse(readFileSync(home.jobFile(job.jobId), 'utf8'))).toMatchObject({ state: 'queued', attempt: 0 });
		expect(readdirSync(home.assets)).toEqual([]);
	});
});

describe('JobManager.snapshot', () => {
	it('gives a subscriber exactly one final event, whenever during the finish it subscribes', async () => {
		const { home, pool, manager, events } = await managerWithManualPool();
		const { job } = await manager.submitGenerate({ bytes: await distinctPicture(64, 5), name: 'race', options: parseGenerateOptions({}), priority: 'normal' });
		const finish = await until('the job on the worker', () => pool.finish);

		// A subscription taken at every turn of the event loop while the result is published and the record written:
		// what it hears is its snapshot, then every live event from that moment on.
		const subscriptions: { snapshot: JobEvent[]; from: number }[] = [];
		let inWindow = 0;
		finish(RESULT);
		while (manager['driver'].running().length > 0) {
			if (manager['records'].get(job.jobId)!.state === 'done' && !events.some((e) => e.type === 'job.done')) inWindow++;
			subscriptions.push({ snapshot: manager.snapshot(job.jobId), from: events.length });
			await new Promise((resolve) => setImmediate(resolve));
		}
		subscriptions.push({ snapshot: manager.snapshot(job.jobId), from: events.length });

		const isDone = (e: JobEvent) => e.type === 'job.done';
		const heard = subscriptions.map((s) => s.snapshot.filter(isDone).length + events.slice(s.from).filter(isDone).length);
		expect(heard.every((n) => n === 1), `final events heard per subscription: ${heard.join(' ')}`).toBe(true);
		// Some subscriptions came while the final state was set but still on its way to disk: the window was covered.
		expect(inWindow).toBeGreaterThan(0);
		expect(events.filter(isDone)).toHaveLength(1);
	});
});

describe('JobManager.recover', () => {
	it('forgets finished jobs past the retention period and keeps recent ones and their assets', async () => {
		const home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-manager-')));
		homes.push(home.root);
		await home.prepare();
		const pool = new ManualPool();
		const first = new JobManager(home, new EmbeddedDriver(pool as unknown as WorkerPool, { maxQueue: 10, serverSlots: 0 }), await StageTimes.load(home.stats), silentLogger);
		const submit = async (i: number) =>
			(await first.submitGenerate({ bytes: await distinctPicture(64, i), name: `job${i}`, options: parseGenerateOptions({}), priority: 'normal' })).job.jobId;
		const old = await submit(1);
		await first.cancel(old);
		const recent = await submit(2);
		await first.cancel(recent);
		const waiting = await submit(3);

		// Recover as if 31 days had passed since the first job ended; make the second one recent.
		const later = Date.now() + 31 * 24 * 60 * 60 * 1000;
		const recentRecord = JSON.parse(readFileSync(home.jobFile(recent), 'utf8'));
		recentRecord.updatedAt = new Date(later - 1000).toISOString();
		writeFileSync(home.jobFile(recent), JSON.stringify(recentRecord));
		const second = new JobManager(home, new EmbeddedDriver(new ManualPool() as unknown as WorkerPool, { maxQueue: 10, serverSlots: 0 }), await StageTimes.load(home.stats), silentLogger);
		const summary = await second.recover(later);

		expect(summary).toMatchObject({ forgotten: 1, requeued: 1 });
		expect(readdirSync(home.jobs).sort()).toEqual([recent, waiting].sort());
		expect(() => second.get(old)).toThrow(/No job/);
		expect(second.get(recent).state).toBe('cancelled');
	});
});

describe('JobManager queue', () => {
	it('runs higher priority first and refuses work past the queue limit with E_QUEUE_FULL', async () => {
		const home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-manager-')));
		homes.push(home.root);
		await home.prepare();
		const pool = new ManualPool();
		const manager = new JobManager(home, new EmbeddedDriver(pool as unknown as WorkerPool, { maxQueue: 3, serverSlots: 0 }), await StageTimes.load(home.stats), silentLogger);
		const submit = async (i: number, priority: 'low' | 'normal' | 'high') =>
			manager.submitGenerate({ bytes: await distinctPicture(64, 10 + i), name: `p${i}`, options: parseGenerateOptions({}), priority });
		const first = await submit(0, 'normal');
		await until('the first job on the worker', () => pool.finish);
		const low = await submit(1, 'low');
		const normal = await submit(2, 'normal');
		const high = await submit(3, 'high');
		// Each newcomer of a higher priority goes to the front of the line.
		expect([low.position, normal.position, high.position]).toEqual([0, 0, 0]);
		expect(manager.get(low.job.jobId).position).toBe(2);
		await expect(submit(4, 'high')).rejects.toMatchObject({ code: 'E_QUEUE_FULL' });

		const order: string[] = [];
		manager.on((event) => {
			if (event.type === 'job.state' && event.state === 'running') order.push(event.jobId);
		});
		for (let k = 0; k < 4; k++) {
			const finish = pool.finish!;
			pool.finish = undefined;
			finish(RESULT);
			if (k < 3) await until('the next job on the worker', () => pool.finish);
		}
		expect(order).toEqual([high.job.jobId, normal.job.jobId, low.job.jobId]);
		await until('all done on disk', () =>
			[first, high, normal, low].every((a) => JSON.parse(readFileSync(home.jobFile(a.job.jobId), 'utf8')).state === 'done'),
		);
		expect(manager.get(first.job.jobId).state).toBe('done');
	});
});

/** A pool of `size` workers whose jobs end when the test says so. */
class ManualPoolOf {
	readonly started: string[] = [];
	private readonly finishers = new Map<string, (result: PoolResult) => void>();

	constructor(readonly size: number) {}

	run(task: { jobId: string }): Promise<PoolResult> {
		this.started.push(task.jobId);
		return new Promise((resolve) => this.finishers.set(task.jobId, resolve));
	}

	finish(jobId: string, result: PoolResult): void {
		this.finishers.get(jobId)?.(result);
	}

	cancel(): boolean {
		return false;
	}
}

describe('JobManager GPU slots', () => {
	it('runs one learned-model job at a time on the GPU while built-in jobs pass it', async () => {
		const home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-manager-')));
		homes.push(home.root);
		await home.prepare();
		const pool = new ManualPoolOf(2);
		const manager = new JobManager(home, new EmbeddedDriver(pool as unknown as WorkerPool, { maxQueue: 10, serverSlots: 0, gpuSlots: 1 }), await StageTimes.load(home.stats), silentLogger);
		const submit = async (i: number, model: string) =>
			(await manager.submitGenerate({ bytes: await distinctPicture(64, 40 + i), name: `g${i}`, options: parseGenerateOptions({ model }), priority: 'normal' })).job.jobId;
		const learnedA = await submit(0, 'some-depth-model');
		const learnedB = await submit(1, 'some-depth-model');
		const builtin = await submit(2, 'builtin:inflate');
		await until('two jobs on the workers', () => pool.started.length === 2);
		expect(pool.started).toEqual([learnedA, builtin]);
		expect(manager.get(learnedB).state).toBe('queued');

		pool.finish(learnedA, RESULT);
		await until('the second learned job to start', () => pool.started.length === 3);
		expect(pool.started[2]).toBe(learnedB);
		pool.finish(learnedB, RESULT);
		pool.finish(builtin, RESULT);
		await until('all done on disk', () =>
			[learnedA, learnedB, builtin].every((id) => JSON.parse(readFileSync(home.jobFile(id), 'utf8')).state === 'done'),
		);
	});
});
