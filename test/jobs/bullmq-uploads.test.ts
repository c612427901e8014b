// The gateway's side of a worker's uploads (BullDriver on a real Redis): pieces appended at their offsets, a piece
// at the wrong offset refused with how much has arrived (so the worker resumes there), the whole checked against
// its sha256, and a job taken over by another worker starting its uploads afresh.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullDriver } from '../../daemon/src/jobs/bullmq';
import type { StageTimes } from '../../daemon/src/jobs/eta';
import { Home } from '../../daemon/src/jobs/home';
import type { PoolTask } from '../../daemon/src/jobs/pool';
import { parseGenerateOptions } from '../../daemon/src/protocol/options';
import { startRedis, type TestRedis } from '../helpers/redis';

let redis: TestRedis;
let home: Home;
let driver: BullDriver;
const JOB = 'j_aaaaaaaaaaaaaaaaaaaa';

beforeAll(async () => {
	redis = await startRedis();
	home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-uploads-')));
	await home.prepare();
	driver = new BullDriver(home, redis.url, 10);
	const task: PoolTask = { kind: 'generate', jobId: JOB, name: 'm', bytes: new Uint8Array(4), options: parseGenerateOptions({}), weights: {} as never };
	driver.attach({ begin: async () => ({ task, times: {} as StageTimes }), progress: () => {}, submitted: () => {}, end: async () => {} });
	await driver.ready();
}, 30_000);

afterAll(async () => {
	await driver?.close();
	await redis?.stop();
	rmSync(home.root, { recursive: true, force: true });
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const output = () => path.join(home.tmp, 'worker-uploads', JOB, 'm.glb');

describe('worker uploads on the gateway', () => {
	it('appends pieces at their offsets, says where to resume after a wrong one, and checks the whole', async () => {
		await driver.claim(JOB);
		const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
		expect(await driver.receive(JOB, 'm.glb', bytes.subarray(0, 400), 0, 1000, sha(bytes))).toBe(400);
		// A piece sent again from the start (the worker did not hear the answer): refused with what arrived.
		await expect(driver.receive(JOB, 'm.glb', bytes.subarray(0, 400), 0, 1000, sha(bytes))).rejects.toMatchObject({ code: 'E_CONFLICT', details: { received: 400 } });
		expect(await driver.received(JOB, 'm.glb')).toBe(400);
		expect(await driver.receive(JOB, 'm.glb', bytes.subarray(400), 400, 1000, sha(bytes))).toBe(1000);
		expect(Buffer.compare(readFileSync(output()), Buffer.from(bytes))).toBe(0);
		expect(await driver.received(JOB, 'm.glb')).toBe(1000);
	});

	it('refuses a whole that does not match its sha256, and a claim by another worker starts afresh', async () => {
		await driver.claim(JOB);
		expect(await driver.received(JOB, 'm.glb')).toBe(0);
		const bytes = new Uint8Array(100).fill(3);
		await expect(driver.receive(JOB, 'other.glb', bytes, 0, 100, sha(new Uint8Array(100)))).rejects.toMatchObject({ code: 'E_BAD_MESSAGE' });
		expect(await driver.received(JOB, 'other.glb')).toBe(0);
	});
});
