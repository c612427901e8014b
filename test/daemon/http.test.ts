// The HTTP routes against a real daemon: upload, queue a job, follow it, download its file with ranges and
// ETags, cancel; plus `orfeas status` reading the same daemon.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FIXTURES } from '../fixtures/images';
import { orfeas } from '../helpers/cli';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';

let daemon: TestDaemon;
const auth = () => ({ authorization: `Bearer ${daemon.token}` });

beforeAll(async () => {
	daemon = await startDaemon();
});

afterAll(async () => {
	await daemon?.stop();
	removeHome(daemon.home);
});

async function waitForJob(jobId: string): Promise<Record<string, unknown>> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const job = (await (await fetch(daemon.url(`/v1/jobs/${jobId}`), { headers: auth() })).json()) as Record<string, unknown>;
		if (['done', 'failed', 'cancelled'].includes(job.state as string)) return job;
		if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('HTTP routes', () => {
	it('uploads a picture, queues a job, and serves the file with Content-Length, ETag and ranges', async () => {
		const png = (await ALL_FIXTURES.ring(256)).bytes;
		const upload = await fetch(daemon.url('/v1/uploads'), { method: 'POST', headers: { ...auth(), 'content-type': 'image/png' }, body: png });
		expect(upload.status).toBe(201);
		const { uploadId } = (await upload.json()) as { uploadId: string };
		expect(uploadId).toMatch(/^u_/);

		const queued = await fetch(daemon.url('/v1/jobs'), {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ image: { upload: uploadId }, name: 'ring', options: { resolution: 64, textureSize: 512 } }),
		});
		expect(queued.status).toBe(202);
		const { jobId, cached } = (await queued.json()) as { jobId: string; cached: boolean };
		expect(cached).toBe(false);
		const job = await waitForJob(jobId);
		expect(job.state).toBe('done');
		const file = (job.files as Array<{ url: string; bytes: number; sha256: string }>)[0];

		const full = await fetch(daemon.url(file.url), { headers: auth() });
		expect(full.status).toBe(200);
		expect(full.headers.get('content-length')).toBe(String(file.bytes));
		expect(full.headers.get('etag')).toBe(`"${file.sha256}"`);
		expect(full.headers.get('content-type')).toBe('model/gltf-binary');
		const body = new Uint8Array(await full.arrayBuffer());
		expect(createHash('sha256').update(body).digest('hex')).toBe(file.sha256);

		const part = await fetch(daemon.url(file.url), { headers: { ...auth(), range: 'bytes=0-11' } });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 0-11/${file.bytes}`);
		expect(Buffer.from(await part.arrayBuffer()).subarray(0, 4).toString()).toBe('glTF');

		const again = await fetch(daemon.url(file.url), { headers: { ...auth(), 'if-none-match': `"${file.sha256}"` } });
		expect(again.status).toBe(304);

		// An upload feeds one job.
		const reused = await fetch(daemon.url('/v1/jobs'), {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ image: { upload: uploadId } }),
		});
		expect(reused.status).toBe(404);
		expect(await reused.json()).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
	});

	it('cancels with DELETE and answers bad bodies with coded errors', async () => {
		const png = (await ALL_FIXTURES.lShape(512)).bytes;
		const { uploadId } = (await (await fetch(daemon.url('/v1/uploads'), { method: 'POST', headers: { ...auth(), 'content-type': 'image/png' }, body: png })).json()) as {
			uploadId: string;
		};
		const { jobId } = (await (
			await fetch(daemon.url('/v1/jobs'), {
				method: 'POST',
				headers: { ...auth(), 'content-type': 'application/json' },
				body: JSON.stringify({ image: { upload: uploadId }, options: { resolution: 1024, textureSize: 4096 } }),
			})
		).json()) as { jobId: string };
		const cancel = await fetch(daemon.url(`/v1/jobs/${jobId}`), { method: 'DELETE', headers: auth() });
		expect(cancel.status).toBe(200);
		expect((await waitForJob(jobId)).state).toBe('cancelled');
		expect((await fetch(daemon.url(`/v1/jobs/${jobId}`), { method: 'DELETE', headers: auth() })).status).toBe(409);

		const badJson = await fetch(daemon.url('/v1/jobs'), { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{nope' });
		expect(badJson.status).toBe(400);
		expect(await badJson.json()).toMatchObject({ code: 'E_BAD_MESSAGE' });
		const badField = await fetch(daemon.url('/v1/jobs'), {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ image: { upload: uploadId }, options: { textureSize: 9 } }),
		});
		expect(await badField.json()).toMatchObject({ code: 'E_BAD_MESSAGE', details: { field: 'options.textureSize' } });
		const notImage = await fetch(daemon.url('/v1/uploads'), { method: 'POST', headers: { ...auth(), 'content-type': 'text/plain' }, body: 'hello' });
		expect(notImage.status).toBe(400);
		expect((await fetch(daemon.url('/v1/jobs/j_nope'), { headers: auth() })).status).toBe(404);
	});

	it('publishes metrics and an OpenAPI document generated from the schemas', async () => {
		const metrics = await (await fetch(daemon.url('/metrics'), { headers: auth() })).text();
		expect(metrics).toMatch(/^orfeas_jobs\{state="done"\} [1-9]/m);
		expect(metrics).toMatch(/^orfeas_stage_duration_seconds_count\{stage="optimize"\} [1-9]/m);
		expect(metrics).toMatch(/^orfeas_queue_length \d+/m);
		expect(metrics).toMatch(/^orfeas_event_loop_lag_p99_seconds /m);
		expect(metrics).toMatch(/^orfeas_ws_sessions 0/m);
		const doc = (await (await fetch(daemon.url('/openapi.json'))).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/v1/uploads', '/v1/jobs', '/v1/jobs/{id}', '/v1/assets/{assetId}/{file}', '/metrics']));
		expect(Object.keys(doc.components.schemas.GenerateRequest.properties ?? {})).toEqual(expect.arrayContaining(['image', 'options', 'priority']));
	});

	it('is reported by orfeas status', () => {
		const run = orfeas(['status', '--home', daemon.home, '--json'], daemon.home);
		expect(run.code).toBe(0);
		const status = JSON.parse(run.stdout);
		expect(status).toMatchObject({ running: true, port: daemon.port, pid: daemon.pid });
		expect(status.jobs.done).toBeGreaterThanOrEqual(1);
		const text = orfeas(['status', '--home', daemon.home], daemon.home);
		expect(text.stdout).toMatch(/is running: pid \d+, http:\/\/127\.0\.0\.1:\d+/);
	});
});
