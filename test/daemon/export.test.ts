// Export jobs against a real daemon: an asset re-exported to FBX, OBJ and STL with a profile, LOD chain and
// collider, as jobs with progress, cancel and cache; generate asking for formats; bad requests. The files are
// downloaded the way editors fetch them and read back with assimp.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FIXTURES } from '../fixtures/images';
import { assimpInfo } from '../helpers/assimp';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { TestClient } from '../helpers/ws-client';

type FileView = { name: string; format: string; bytes: number; sha256: string; url: string };

let daemon: TestDaemon;
let client: TestClient;
let dir: string;
let assetId: string;

beforeAll(async () => {
	daemon = await startDaemon();
	client = await TestClient.connect(daemon);
	dir = mkdtempSync(path.join(tmpdir(), 'orfeas-export-'));
	const accepted = await client.request({ type: 'generate', image: { inline: true }, name: 'disc', options: { resolution: 64, textureSize: 512 } }, (await ALL_FIXTURES.disc(256)).bytes);
	const done = await client.finished(accepted.jobId as string);
	assetId = done.assetId as string;
});

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	removeHome(daemon.home);
	removeHome(dir);
});

/** Downloads every file of a finished job into a folder of its own; returns that folder. */
async function fetchAll(done: Record<string, unknown>, folder: string): Promise<string> {
	const target = path.join(dir, folder);
	for (const file of done.files as FileView[]) {
		const { bytes } = await client.download(done.assetId as string, file.name);
		expect(bytes.length).toBe(file.bytes);
		writeFileSync(path.join(target, file.name), bytes, { flag: 'w' });
	}
	return target;
}

describe('export jobs', () => {
	it('exports an asset to FBX for Unreal with LODs and a hull: a job with progress whose file assimp reads', async () => {
		const accepted = await client.request({ type: 'export', assetId, format: 'fbx', profile: 'unreal', lods: [1, 0.5, 0.25], collider: 'hull' });
		expect(accepted).toMatchObject({ type: 'accepted', cached: false });
		const done = await client.finished(accepted.jobId as string);
		expect(done.type, JSON.stringify(done)).toBe('job.done');
		expect(done.assetId).not.toBe(assetId);
		expect(done.stats).toMatchObject({ lods: 3 });
		expect((done.files as FileView[]).map((f) => [f.name, f.format])).toEqual([['disc.fbx', 'fbx']]);
		const progress = client.events(accepted.jobId as string, 'job.progress');
		expect(progress.length).toBeGreaterThan(0);
		expect(progress.every((p) => p.stage === 'export')).toBe(true);

		const { mkdirSync } = await import('node:fs');
		mkdirSync(path.join(dir, 'unreal'));
		const folder = await fetchAll(done, 'unreal');
		const info = await assimpInfo(path.join(folder, 'disc.fbx'));
		expect(info.nodeNames).toEqual(expect.arrayContaining(['disc', 'disc_LOD0', 'disc_LOD1', 'disc_LOD2', 'UCX_disc_00']));
		expect(info.embeddedTextures).toBe(1);
		// Unreal works in centimetres with Z up: the 1 m model is 100 units tall along Z.
		expect(info.max[2] - info.min[2]).toBeCloseTo(100, 0);

		const job = await client.request({ type: 'job.get', jobId: accepted.jobId });
		expect(job).toMatchObject({ job: { kind: 'export', state: 'done', options: { formats: ['fbx'], profile: 'unreal', lods: [1, 0.5, 0.25], collider: 'hull' } } });
		expect(client.invalid).toEqual([]);
	});

	it('answers the same export again from the cache, and exports of an export start from the generated model', async () => {
		const request = { type: 'export', assetId, format: 'obj', profile: 'generic', lods: [1, 0.5] };
		const first = await client.request(request);
		const done = await client.finished(first.jobId as string);
		expect((done.files as FileView[]).map((f) => f.format)).toEqual(['obj', 'mtl', 'jpeg']);
		const again = await client.request(request);
		expect(again).toMatchObject({ type: 'accepted', cached: true });
		expect((await client.finished(again.jobId as string, 2000)).assetId).toBe(done.assetId);

		const fromExport = await client.request({ ...request, assetId: done.assetId });
		expect(fromExport).toMatchObject({ type: 'accepted', cached: true });
		expect((await client.finished(fromExport.jobId as string, 2000)).assetId).toBe(done.assetId);

		const { mkdirSync } = await import('node:fs');
		mkdirSync(path.join(dir, 'obj'));
		const folder = await fetchAll(done, 'obj');
		const info = await assimpInfo(path.join(folder, 'disc.obj'));
		expect(info.nodeNames).toEqual(expect.arrayContaining(['disc_LOD0', 'disc_LOD1']));
		expect(info.materialNames).toContain('disc');
	});

	it('makes the formats a generate request asks for, beside the GLB', async () => {
		const accepted = await client.request(
			{ type: 'generate', image: { inline: true }, name: 'ring', options: { resolution: 64, textureSize: 512, formats: ['stl', 'glb'], collider: 'mesh' } },
			(await ALL_FIXTURES.ring(256)).bytes,
		);
		const done = await client.finished(accepted.jobId as string);
		expect((done.files as FileView[]).map((f) => f.name)).toEqual(['ring.stl', 'ring_Collider.stl', 'ring.glb']);
	});

	it('cancels an export job', async () => {
		const accepted = await client.request({ type: 'export', assetId, format: 'ply', lods: [1, 0.75, 0.5, 0.25, 0.125], collider: 'mesh' });
		expect(await client.request({ type: 'cancel', jobId: accepted.jobId })).toMatchObject({ type: 'ok' });
		const final = await client.finished(accepted.jobId as string);
		expect(final.type).toBe('job.cancelled');
	});

	it('refuses unknown assets and bad LOD ratios with coded errors', async () => {
		expect(await client.request({ type: 'export', assetId: 'f'.repeat(64), format: 'fbx' })).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
		const bad = await client.request({ type: 'export', assetId, format: 'fbx', lods: [0.5, 1] });
		expect(bad).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', message: expect.stringMatching(/LOD ratios must decrease/) });
		expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
	});
});
