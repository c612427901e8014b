// Learned models through a real daemon: the provider choice in welcome, models.list/load/unload, a generate
// that runs an installed model in the worker threads, and models.pull as a job against a local HTTP server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../../daemon/src/jobs/home';
import { radialBumpDepth, sphereImplicit } from '../../models/testing/models';
import { ALL_FIXTURES } from '../fixtures/images';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { serveFiles } from '../helpers/http';
import { catalogueFile, installTestModel } from '../helpers/models';
import { TestClient } from '../helpers/ws-client';

let daemon: TestDaemon;
let client: TestClient;
let host: Awaited<ReturnType<typeof serveFiles>>;
let catalogue: string;
const bump = radialBumpDepth();

beforeAll(async () => {
	// A file server for the pull, and a catalogue whose manifest points at it.
	const file = bump.bytes.model;
	host = await serveFiles([{ name: 'bump.onnx', bytes: file }]);
	catalogue = mkdtempSync(path.join(tmpdir(), 'orfeas-catalogue-'));
	const { graphs: _g, ...description } = bump.description;
	writeFileSync(
		path.join(catalogue, 'test-bump.json'),
		JSON.stringify({ ...description, id: 'test-bump', files: [catalogueFile('model', 'bump.onnx', file, host.url('bump.onnx'))] }),
	);
	const homeDir = tempHome();
	const home = new Home(homeDir);
	mkdirSync(home.models, { recursive: true });
	installTestModel(home, sphereImplicit(), 'test-sphere');
	daemon = await startDaemon({ home: homeDir, args: ['--providers', 'cuda', '--catalogue', catalogue, '--cpu-jobs', '1'] });
	client = await TestClient.connect(daemon);
});

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	removeHome(daemon.home);
	rmSync(catalogue, { recursive: true, force: true });
	host?.close();
});

describe('learned models in the daemon', () => {
	it('reports the provider fallback in welcome and lists built-in, installed and catalogued models', async () => {
		const fresh = await TestClient.connect(daemon, { hello: false });
		const welcome = await fresh.request({ type: 'hello', protocol: 1, client: { name: 'test', version: '0' } });
		expect(welcome.engine).toMatchObject({ active: 'cpu', providers: ['cpu'] });
		const fallbacks = (welcome.engine as { fallbacks: Array<{ provider: string; reason: string }> }).fallbacks;
		expect(fallbacks[0]).toMatchObject({ provider: 'cuda', reason: expect.stringMatching(/cuda12/) });
		await fresh.close();
		expect(daemon.output()).toMatch(/execution provider cuda not used: .*cuda12/);

		const models = (await client.request({ type: 'models.list' })).models as Array<{ id: string; installed: boolean; kind: string }>;
		expect(models.find((m) => m.id === 'test-sphere')).toMatchObject({ installed: true, kind: 'implicit' });
		expect(models.find((m) => m.id === 'test-bump')).toMatchObject({ installed: false, kind: 'depth' });
		expect(models.find((m) => m.id === 'builtin:inflate')).toMatchObject({ installed: true });
	});

	it('loads and unloads a model in the workers and generates with it', async () => {
		expect(await client.request({ type: 'models.load', modelId: 'test-sphere' })).toMatchObject({ type: 'ok' });
		const loaded = (await client.request({ type: 'models.list' })).models as Array<{ id: string; loaded: boolean }>;
		expect(loaded.find((m) => m.id === 'test-sphere')?.loaded).toBe(true);
		const disc = (await ALL_FIXTURES.disc(128)).bytes;
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name: 'ball', options: { model: 'test-sphere', resolution: 96 } }, disc);
		const done = await client.finished(accepted.jobId as string);
		expect(done).toMatchObject({ type: 'job.done', stats: { triangles: expect.any(Number) } });
		expect(client.events(accepted.jobId as string, 'job.progress').some((p) => p.stage === 'texture')).toBe(true);
		expect(await client.request({ type: 'models.unload', modelId: 'test-sphere' })).toMatchObject({ type: 'ok' });
		expect(await client.request({ type: 'models.load', modelId: 'test-bump' })).toMatchObject({ type: 'error', code: 'E_MODEL_MISSING' });
		expect(client.invalid).toEqual([]);
	});

	it('pulls a catalogued model as a job with progress, then generates with it', async () => {
		const accepted = await client.request({ type: 'models.pull', modelId: 'test-bump' });
		expect(accepted).toMatchObject({ type: 'accepted' });
		const done = await client.finished(accepted.jobId as string);
		expect(done).toMatchObject({ type: 'job.done', modelId: 'test-bump', files: [] });
		expect(client.events(accepted.jobId as string, 'job.progress').every((p) => p.stage === 'download')).toBe(true);
		expect(existsSync(path.join(daemon.home, 'models', 'test-bump', 'bump.onnx'))).toBe(true);
		const job = await client.request({ type: 'job.get', jobId: accepted.jobId });
		expect(job).toMatchObject({ job: { kind: 'pull', state: 'done', modelId: 'test-bump' } });

		const disc = (await ALL_FIXTURES.disc(128)).bytes;
		const generated = await client.request({ type: 'generate', image: { inline: true }, name: 'bumped', options: { model: 'test-bump', resolution: 64 } }, disc);
		expect((await client.finished(generated.jobId as string)).type).toBe('job.done');
		expect(await client.request({ type: 'models.pull', modelId: 'no-such-model' })).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
		expect(client.invalid).toEqual([]);
	});
});
