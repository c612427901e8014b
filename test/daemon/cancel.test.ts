// Cancelling against a real daemon: a running job stopped in any stage ends `cancelled` within 250 ms and
// publishes nothing, and a queued job is cancelled without ever starting. Every job paints its own picture so
// the cache never answers in place of the pipeline.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RUN } from '../../daemon/src/pipeline/stages';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { until } from '../helpers/poll';
import { TestClient, type Received } from '../helpers/ws-client';

/** From sending `cancel` to receiving `job.cancelled`: the pool's 150 ms grace plus room to write the record. */
const CANCEL_LIMIT_MS = 250;
/**
 * Sized so that every stage runs for several hundred milliseconds on a 2-core machine, well past the 100 ms
 * progress throttle: 3000² pixels make decode and segment slow, a 1024 grid shape and mesh, a 4096² texture
 * the texture and export stages, and a budget far below the ~155k triangles makes optimize simplify.
 */
const BIG = 3000;
const HEAVY = { resolution: 1024, textureSize: 4096, maxTriangles: 20_000 };
const SMALL = { resolution: 32, textureSize: 512 };
const FINAL = ['job.done', 'job.failed', 'job.cancelled'];

let daemon: TestDaemon;
let client: TestClient;
let pictures = 0;
const latencies: Record<string, number> = {};

beforeAll(async () => {
	daemon = await startDaemon({ args: ['--cpu-jobs', '1'] });
	client = await TestClient.connect(daemon);
});

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	if (daemon) removeHome(daemon.home);
	if (Object.keys(latencies).length > 0) console.log(`cancel latency (ms): ${JSON.stringify(latencies)}`);
});

async function submit(size: number, options: Record<string, number>, name: string): Promise<string> {
	const bytes = await distinctPicture(size, pictures++);
	const accepted = await client.request({ type: 'generate', image: { inline: true }, name, options }, bytes);
	expect(accepted, JSON.stringify(accepted)).toMatchObject({ type: 'accepted', cached: false });
	return accepted.jobId as string;
}

const isFinal = (jobId: string) => (m: Received) => m.jobId === jobId && FINAL.includes(m.type);
const assetCount = async () => (await readdir(path.join(daemon.home, 'assets'))).length;
const tmpEntries = () => readdir(path.join(daemon.home, 'tmp'));

describe('cancel', () => {
	it.each([...BUILTIN_RUN])('a running job cancelled in %s ends cancelled within 250 ms and leaves no output', async (stage) => {
		const index = BUILTIN_RUN.indexOf(stage);
		const assetsBefore = await assetCount();
		const jobId = await submit(BIG, HEAVY, `cancel_${stage}`);

		// The first sign of this stage; a later stage or an end means the inputs no longer make it last.
		const reached = await client.waitFor(
			(m) => isFinal(jobId)(m) || (m.jobId === jobId && m.type === 'job.progress' && (m.stageIndex as number) >= index),
			90_000,
		);
		expect(reached, `the job never showed stage ${stage}: ${JSON.stringify(reached)}`).toMatchObject({ type: 'job.progress', stage });

		const sent = performance.now();
		const ok = client.request({ type: 'cancel', jobId });
		const end = await client.waitFor(isFinal(jobId), 10_000);
		const elapsed = performance.now() - sent;
		latencies[stage] = Math.round(elapsed);
		expect(end.type).toBe('job.cancelled');
		expect(await ok).toMatchObject({ type: 'ok' });
		expect(elapsed).toBeLessThanOrEqual(CANCEL_LIMIT_MS);

		// The cancel landed inside the stage: the job never reported a later one.
		const later = client.events(jobId, 'job.progress').filter((p) => (p.stageIndex as number) > index);
		expect(later.map((p) => p.stage)).toEqual([]);
		expect(client.events(jobId, 'job.done')).toEqual([]);

		const job = await client.request({ type: 'job.get', jobId });
		expect(job).toMatchObject({ type: 'job', job: { jobId, state: 'cancelled' } });
		expect((job.job as Record<string, unknown>).assetId).toBeUndefined();
		expect(await assetCount()).toBe(assetsBefore);
		await until('an empty staging folder', async () => (await tmpEntries()).length === 0, { timeoutMs: 2000 });
		expect(client.invalid).toEqual([]);
	});

	it('cancels a queued job without it ever running', async () => {
		const running = await submit(BIG, HEAVY, 'ahead');
		const queued = await submit(96, SMALL, 'waiting');
		await client.waitFor((m) => m.jobId === running && m.type === 'job.state' && m.state === 'running', 30_000);
		expect(client.events(queued, 'job.state').map((m) => m.state)).toEqual([]);
		expect((await client.request({ type: 'job.get', jobId: queued })).job).toMatchObject({ state: 'queued', position: 0 });

		expect(await client.request({ type: 'cancel', jobId: queued })).toMatchObject({ type: 'ok' });
		expect((await client.finished(queued, 5000)).type).toBe('job.cancelled');
		expect(await client.request({ type: 'cancel', jobId: running })).toMatchObject({ type: 'ok' });
		expect((await client.finished(running, 5000)).type).toBe('job.cancelled');

		// A job queued after both runs next: had the cancelled one stayed in line, it would have run first.
		const after = await submit(96, SMALL, 'after');
		expect((await client.finished(after, 30_000)).type).toBe('job.done');
		expect(client.events(queued, 'job.state').map((m) => m.state)).toEqual(['cancelled']);
		expect(client.events(queued, 'job.progress')).toEqual([]);
		const job = await client.request({ type: 'job.get', jobId: queued });
		expect(job.job).toMatchObject({ state: 'cancelled', attempt: 0 });
		expect(await tmpEntries()).toEqual([]);
	});
});
