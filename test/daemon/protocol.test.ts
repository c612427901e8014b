// Protocol v1 against a real daemon process: the handshake, every request type, coded errors that keep the
// connection open, and binary frames both ways. Every frame the daemon sends is checked against its schema.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlb } from '../../daemon/src/quality/glb';
import { ALL_FIXTURES } from '../fixtures/images';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { TestClient } from '../helpers/ws-client';

let daemon: TestDaemon;
let client: TestClient;
let imageDir: string;
let disc: Buffer;

beforeAll(async () => {
	daemon = await startDaemon();
	client = await TestClient.connect(daemon);
	imageDir = mkdtempSync(path.join(tmpdir(), 'orfeas-images-'));
	disc = (await ALL_FIXTURES.disc(256)).bytes;
	writeFileSync(path.join(imageDir, 'disc.png'), disc);
});

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	removeHome(daemon.home);
	removeHome(imageDir);
});

describe('protocol v1', () => {
	it('welcomes a client with limits, defaults and models', async () => {
		const fresh = await TestClient.connect(daemon, { hello: false });
		const welcome = await fresh.request({ type: 'hello', protocol: 1, client: { name: 'vscode', version: '0.1.0' } });
		expect(welcome).toMatchObject({ type: 'welcome', protocol: 1, daemon: { version: expect.any(String) }, engine: { active: 'cpu' } });
		expect(welcome.defaults).toMatchObject({ resolution: 256, textureSize: 1024, height: 1, model: 'builtin:inflate' });
		expect((welcome.models as Array<{ id: string }>).map((m) => m.id)).toContain('builtin:inflate');
		expect(fresh.invalid).toEqual([]);
		await fresh.close();
	});

	it('generates from a path: accepted, running, progress with ETA, done with files, then the asset as a binary frame', async () => {
		const accepted = await client.request({ type: 'generate', image: { path: path.join(imageDir, 'disc.png') }, options: { resolution: 64, textureSize: 512 } });
		expect(accepted, JSON.stringify(accepted)).toMatchObject({ type: 'accepted', cached: false, position: expect.any(Number) });
		const jobId = accepted.jobId as string;
		const done = await client.finished(jobId);
		expect(done.type).toBe('job.done');
		const states = client.events(jobId, 'job.state').map((m) => m.state);
		expect(states).toContain('running');
		expect(states.at(-1)).toBe('done');
		const progress = client.events(jobId, 'job.progress');
		expect(progress.length).toBeGreaterThan(0);
		expect(progress.every((p) => typeof p.etaMs === 'number' && (p.progress as number) <= 1)).toBe(true);
		const file = (done.files as Array<{ name: string; bytes: number; sha256: string; url: string }>)[0];
		expect(file.name).toBe('disc.glb');
		expect(file.url).toBe(`/v1/assets/${done.assetId}/disc.glb`);

		const { header: asset, bytes: glb } = await client.download(done.assetId as string, file.name);
		expect(asset).toMatchObject({ type: 'asset', mime: 'model/gltf-binary', bytes: file.bytes, sha256: file.sha256, offset: 0, last: true });
		expect(glb.length).toBe(file.bytes);
		expect((await readGlb(glb)).nodeNames).toEqual(['disc']);

		const job = await client.request({ type: 'job.get', jobId });
		expect(job).toMatchObject({ type: 'job', job: { jobId, state: 'done', assetId: done.assetId, kind: 'generate' } });
		expect(client.invalid).toEqual([]);
	});

	it('answers the same picture and options at once from the cache', async () => {
		const first = await client.request({ type: 'generate', image: { inline: true }, name: 'again', options: { resolution: 48, textureSize: 512 } }, disc);
		await client.finished(first.jobId as string);
		const second = await client.request({ type: 'generate', image: { inline: true }, name: 'again', options: { resolution: 48, textureSize: 512 } }, disc);
		expect(second).toMatchObject({ type: 'accepted', cached: true });
		const done = await client.finished(second.jobId as string, 2000);
		expect(done.type).toBe('job.done');
	});

	it('takes an inline picture in a binary frame', async () => {
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name: 'inline disc', options: { resolution: 40, textureSize: 512 } }, disc);
		const done = await client.finished(accepted.jobId as string);
		expect(done.type).toBe('job.done');
		expect((done.files as Array<{ name: string }>)[0].name).toBe('inline_disc.glb');
	});

	it('handles subscribe, unsubscribe, job.list, cancel of a finished job, models, push, export and ping', async () => {
		const jobs = await client.request({ type: 'job.list', state: 'done', limit: 2 });
		expect(jobs.type).toBe('jobs');
		const list = jobs.jobs as Array<{ jobId: string; state: string; assetId: string }>;
		expect(list).toHaveLength(2);
		const { jobId, assetId } = list[0];

		const other = await TestClient.connect(daemon);
		expect(await other.request({ type: 'subscribe', jobId })).toMatchObject({ type: 'ok' });
		// A late subscriber gets the state and the result again.
		await other.waitFor((m) => m.type === 'job.done' && m.jobId === jobId, 2000);
		expect(await other.request({ type: 'unsubscribe', jobId })).toMatchObject({ type: 'ok' });
		expect(await other.request({ type: 'subscribe', jobId: '*' })).toMatchObject({ type: 'ok' });
		await other.close();

		expect(await client.request({ type: 'cancel', jobId })).toMatchObject({ type: 'error', code: 'E_CONFLICT' });
		const models = await client.request({ type: 'models.list' });
		expect(models.type).toBe('models');
		expect(await client.request({ type: 'models.load', modelId: 'builtin:inflate' })).toMatchObject({ type: 'ok' });
		expect(await client.request({ type: 'models.unload', modelId: 'builtin:chroma' })).toMatchObject({ type: 'ok' });
		expect(await client.request({ type: 'models.pull', modelId: 'builtin:inflate' })).toMatchObject({ type: 'ok' });
		expect(await client.request({ type: 'models.load', modelId: 'depth-anything' })).toMatchObject({ type: 'error', code: 'E_MODEL_MISSING' });

		const blender = await TestClient.connect(daemon, { client: 'blender', roles: ['import-target'] });
		const unity = await TestClient.connect(daemon, { client: 'unity', roles: ['import-target'] });
		const pushed = await client.request({ type: 'push', target: 'blender', assetId, placement: { position: [1, 0, 2] } });
		expect(pushed).toMatchObject({ type: 'ok', delivered: 1 });
		const arrived = await blender.waitFor((m) => m.type === 'import', 2000);
		expect(arrived).toMatchObject({ assetId, from: 'test', placement: { position: [1, 0, 2] } });
		expect(unity.messages.some((m) => m.type === 'import')).toBe(false);
		expect(await client.request({ type: 'push', target: '*', assetId })).toMatchObject({ type: 'ok', delivered: 2 });
		await blender.close();
		await unity.close();

		const exported = await client.request({ type: 'export', assetId, format: 'glb' });
		expect(exported).toMatchObject({ type: 'accepted', cached: true });
		expect((await client.finished(exported.jobId as string, 2000)).assetId).toBe(assetId);
		const fbx = await client.request({ type: 'export', assetId, format: 'fbx', profile: 'unity' });
		expect(fbx).toMatchObject({ type: 'accepted', cached: false });
		expect((await client.finished(fbx.jobId as string)).files).toMatchObject([{ format: 'fbx' }]);
		expect(await client.request({ type: 'scene.create' })).toMatchObject({ type: 'scene', revision: 0, document: { objects: [] } });
		expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		expect(client.invalid).toEqual([]);
	});

	it('answers unknown types and invalid fields with coded errors and keeps the connection open', async () => {
		expect(await client.request({ type: 'teleport' })).toMatchObject({ type: 'error', code: 'E_UNKNOWN_TYPE' });
		const bad = await client.request({ type: 'generate', image: { path: 42 } });
		expect(bad).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', details: { field: expect.stringMatching(/^image/) } });
		const range = await client.request({ type: 'generate', image: { inline: true }, options: { resolution: 5 } }, disc);
		expect(range).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', details: { field: 'options.resolution' } });
		client.sendRaw('{not json');
		expect(await client.waitFor((m) => m.type === 'error' && !m.re && /JSON/.test(m.message as string))).toMatchObject({ code: 'E_BAD_MESSAGE' });
		client.sendRaw(new Uint8Array([0, 0, 0, 99, 1, 2]));
		expect(await client.waitFor((m) => m.type === 'error' && /header length/.test(m.message as string))).toMatchObject({ code: 'E_BAD_MESSAGE' });
		expect(await client.request({ type: 'job.get', jobId: 'j_00000000000000000000' })).toMatchObject({ code: 'E_NOT_FOUND' });
		expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
	});

	it('refuses everything before hello with E_AUTH and closes 4001; a different protocol closes 4002', async () => {
		const early = await TestClient.connect(daemon, { hello: false });
		early.sendRaw(JSON.stringify({ type: 'ping', id: '1' }));
		expect(await early.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'E_AUTH' });
		expect((await early.closed).code).toBe(4001);

		const future = await TestClient.connect(daemon, { hello: false });
		const answer = await future.request({ type: 'hello', protocol: 2, client: { name: 'future', version: '9' } });
		expect(answer).toMatchObject({ type: 'error', code: 'E_PROTOCOL' });
		expect((await future.closed).code).toBe(4002);
	});
});
