// A triplane model through a real daemon over real sockets: pulled as a job from a local HTTP server (its encoder,
// decoder and an external-data file, checksums checked), listed with its kind and what it needs, generating with
// the encode → isosurface → texture stages in order with an ETA, cancelled during the isosurface, and a model
// whose tensors do not match its manifest failing with E_MODEL_LOAD while the daemon stays up. The model is the
// project's analytic stand-in in TripoSR's tensor layout (models/testing): nothing is downloaded from outside.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../../daemon/src/jobs/home';
import { ellipsoidTriplane, modelFiles } from '../../models/testing/models';
import { ALL_FIXTURES } from '../fixtures/images';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { serveFiles } from '../helpers/http';
import { catalogueFile, installTestModel } from '../helpers/models';
import { TestClient } from '../helpers/ws-client';

let daemon: TestDaemon;
let client: TestClient;
let host: Awaited<ReturnType<typeof serveFiles>>;
let catalogue: string;
const model = ellipsoidTriplane({ decoder: 'features' });
/** Stands for an encoder's external weights: pulled and checked like the graphs. */
const DATA = { name: 'ellipsoid.encoder.onnx.data', bytes: new Uint8Array(4096).map((_, i) => (i * 31) & 255) };

beforeAll(async () => {
	const files = [...modelFiles(model), DATA];
	host = await serveFiles(files);
	catalogue = mkdtempSync(path.join(tmpdir(), 'orfeas-catalogue-'));
	const { graphs: _g, ...description } = model.description;
	const roles = [...description.files.map((f) => f.role), 'data'];
	writeFileSync(
		path.join(catalogue, 'ellipsoid.json'),
		JSON.stringify({
			...description,
			id: 'ellipsoid',
			needs: 'a few kilobytes; the CPU is enough',
			files: files.map((f, i) => catalogueFile(roles[i], f.name, f.bytes, host.url(f.name))),
		}),
	);
	const homeDir = tempHome();
	const home = new Home(homeDir);
	mkdirSync(home.models, { recursive: true });
	const wrong = { ...model, description: { ...model.description, triplane: { ...model.description.triplane!, shape: [3, 24, 64, 64] as [3, number, number, number] } } };
	installTestModel(home, wrong, 'wrong-channels');
	daemon = await startDaemon({ home: homeDir, args: ['--catalogue', catalogue, '--cpu-jobs', '1'] });
	client = await TestClient.connect(daemon);
});

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	removeHome(daemon.home);
	rmSync(catalogue, { recursive: true, force: true });
	host?.close();
});

describe('a triplane model in the daemon', () => {
	it('pulls it with its external data, lists it as a triplane model with what it needs, and generates through encode, isosurface and texture', async () => {
		const listed = (await client.request({ type: 'models.list' })).models as Array<{ id: string; kind: string; installed: boolean; needs?: string; licence?: string }>;
		expect(listed.find((m) => m.id === 'ellipsoid')).toMatchObject({ kind: 'triplane', installed: false, licence: 'MIT', needs: 'a few kilobytes; the CPU is enough' });

		const pull = await client.request({ type: 'models.pull', modelId: 'ellipsoid' });
		expect(await client.finished(pull.jobId as string)).toMatchObject({ type: 'job.done', modelId: 'ellipsoid' });
		const after = (await client.request({ type: 'models.list' })).models as Array<{ id: string; installed: boolean }>;
		expect(after.find((m) => m.id === 'ellipsoid')?.installed).toBe(true);

		const disc = (await ALL_FIXTURES.disc(256)).bytes;
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name: 'egg', options: { model: 'ellipsoid', resolution: 128 } }, disc);
		const done = await client.finished(accepted.jobId as string);
		expect(done).toMatchObject({ type: 'job.done', stats: { triangles: expect.any(Number) } });
		expect(Object.keys((done.stats as { ms: object }).ms)).toEqual(['decode', 'segment', 'encode', 'isosurface', 'texture', 'optimize', 'export']);
		const progress = client.events(accepted.jobId as string, 'job.progress');
		const order = ['decode', 'segment', 'encode', 'isosurface', 'texture', 'optimize', 'export'];
		const seen = progress.map((p) => order.indexOf(p.stage as string));
		expect(seen.every((s) => s >= 0)).toBe(true);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
		expect(progress.every((p) => p.stageCount === 7 && typeof p.etaMs === 'number')).toBe(true);
		expect(client.invalid).toEqual([]);
	});

	it('cancels a job during the isosurface: it ends cancelled and the daemon goes on', async () => {
		const disc = (await ALL_FIXTURES.disc(300)).bytes;
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name: 'egg_cancel', options: { model: 'ellipsoid', resolution: 256 } }, disc);
		const jobId = accepted.jobId as string;
		await client.waitFor((m) => m.type === 'job.progress' && m.jobId === jobId && m.stage === 'isosurface', 60_000);
		expect(await client.request({ type: 'cancel', jobId })).toMatchObject({ type: 'ok' });
		expect((await client.finished(jobId)).type).toBe('job.cancelled');
		const stages = client.events(jobId, 'job.progress').map((p) => p.stage);
		expect(stages).not.toContain('optimize');
	});

	it('fails a model whose tensors do not match its manifest with E_MODEL_LOAD, and stays up', async () => {
		const disc = (await ALL_FIXTURES.disc(128)).bytes;
		const accepted = await client.request({ type: 'generate', image: { inline: true }, name: 'wrong', options: { model: 'wrong-channels', resolution: 64 } }, disc);
		const failed = await client.finished(accepted.jobId as string);
		expect(failed).toMatchObject({ type: 'job.failed', code: 'E_MODEL_LOAD', message: expect.stringMatching(/"triplane" is \[1, 3, 40, 64, 64\], but the manifest says \[1, 3, 24, 64, 64\]/) });
		expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		const again = await client.request({ type: 'generate', image: { inline: true }, name: 'egg_again', options: { model: 'ellipsoid', resolution: 64 } }, disc);
		expect((await client.finished(again.jobId as string)).type).toBe('job.done');
	});
});
