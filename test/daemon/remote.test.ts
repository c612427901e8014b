// A generation server behind the real daemon: the Hunyuan3D stand-in (written from the published api_server.py,
// test/stand-ins/hunyuan3d) runs as a real HTTP process and is added with the real `orfeas backends add`. Through
// real sockets: generating with progress in order and the model cleaned up into Orfeas's frame with its PBR maps;
// only the picture and the options sent; a cancel during texturing ending the job at once, its late result never
// showing up; a daemon restart while the server works picking the same server job up again; an unreachable
// server, an oversized reply, the server's own error and a server that dies mid-job, each with its coded error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunyuan3d } from '../../daemon/src/generators/remote/hunyuan3d';
import { bounds } from '../../daemon/src/geometry/place';
import { readGlb } from '../../daemon/src/quality/glb';
import { NodeIO } from '@gltf-transform/core';
import { ALL_FIXTURES } from '../fixtures/images';
import { orfeas } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { startStandIn, type StandIn } from '../helpers/hunyuan3d';
import { BOX, serverBox } from '../helpers/server-models';
import { until } from '../helpers/poll';
import { TestClient } from '../helpers/ws-client';

const ORDER = ['decode', 'segment', 'submit', 'shape', 'texture', 'clean-up', 'export'];
const GENERATION_FIELDS = ['image', 'remove_background', 'texture', 'seed', 'octree_resolution', 'num_inference_steps', 'guidance_scale', 'num_chunks', 'face_count'];

let work: string;
let home: string;
let daemon: TestDaemon;
let client: TestClient;
const servers: StandIn[] = [];

/** A stand-in serving the PBR box in Hunyuan3D's frame, with `args` on top, added to the home as backend `name`. */
async function server(name: string, args: string[] = [], backend: string[] = ['--texture']): Promise<StandIn> {
	const stand = await startStandIn(['--glb', path.join(work, 'box.glb'), ...args], path.join(work, `${name}.log`));
	servers.push(stand);
	const added = orfeas(['backends', 'add', name, '--kind', 'hunyuan3d', '--url', stand.url, '--home', home, ...backend], work);
	expect(added.stderr).toBe('');
	return stand;
}

async function picture(seed: number): Promise<Uint8Array> {
	return (await ALL_FIXTURES.disc(200 + seed)).bytes;
}

beforeAll(async () => {
	work = mkdtempSync(path.join(tmpdir(), 'orfeas-remote-'));
	writeFileSync(path.join(work, 'box.glb'), (await serverBox(hunyuan3d.frame)).glb);
	home = tempHome();
	daemon = await startDaemon({ home });
	client = await TestClient.connect(daemon);
}, 60_000);

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	for (const s of servers) await s.stop();
	removeHome(home);
	rmSync(work, { recursive: true, force: true });
});

async function generate(model: string, seed: number) {
	const accepted = await client.request({ type: 'generate', image: { inline: true }, name: `m${seed}`, options: { model } }, await picture(seed));
	return accepted.jobId as string;
}

describe('a Hunyuan3D server as a generator', () => {
	it('lists the backend as a remote model, reachable after a test, and generates through its stages into our frame with its maps', async () => {
		const stand = await server('hy', ['--shape-ms', '400', '--texture-ms', '600']);
		expect(orfeas(['backends', 'test', 'hy', '--home', home], work).stdout).toMatch(/✓ hy answers at http:\/\/127\.0\.0\.1:\d+: healthy/);
		const listed = (await client.request({ type: 'models.list' })).models as Array<Record<string, unknown>>;
		expect(listed.find((m) => m.id === 'hy')).toMatchObject({ kind: 'remote', installed: true, reachable: true, url: stand.url });

		const jobId = await generate('hy', 1);
		const done = await client.finished(jobId);
		expect(done).toMatchObject({ type: 'job.done' });
		const seen = client.events(jobId, 'job.progress').map((p) => ORDER.indexOf(p.stage as string));
		expect(seen.every((i) => i >= 0)).toBe(true);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
		expect(Object.keys((done.stats as { ms: object }).ms)).toEqual(ORDER);

		const files = done.files as { name: string; format: string }[];
		const glb = new Uint8Array(await (await fetch(daemon.url(`/v1/assets/${done.assetId}/${files[0].name}`), { headers: { authorization: `Bearer ${daemon.token}` } })).arrayBuffer());
		const mesh = await readGlb(glb);
		const { min, max } = bounds(mesh.positions);
		// The box's right side, height and depth as Hunyuan3D's frame says, at height 1 on the ground, centred.
		expect(max[1] - min[1]).toBeCloseTo(1, 3);
		expect(max[0] - min[0]).toBeCloseTo(BOX[0] / BOX[1], 3);
		expect(max[2] - min[2]).toBeCloseTo(BOX[2] / BOX[1], 3);
		expect(min[1]).toBeCloseTo(0, 4);
		const material = (await new NodeIO().readBinary(glb)).getRoot().listMaterials().find((m) => m.getBaseColorTexture());
		expect(material?.getMetallicRoughnessTexture()).toBeTruthy();
		expect(material?.getNormalTexture()).toBeTruthy();

		// Only the picture and the options went to the server: one /send, then polls.
		const requests = stand.requests().filter((r) => r.path !== '/health');
		expect(requests[0]).toMatchObject({ method: 'POST', path: '/send', image: true });
		for (const key of requests[0].keys) expect(GENERATION_FIELDS).toContain(key);
		expect(requests[0].options).toMatchObject({ remove_background: false, texture: true });
		expect(requests.slice(1).every((r) => r.method === 'GET' && r.path.startsWith('/status/'))).toBe(true);

		// The same picture, options and server again: answered from the cache, the server not asked.
		const again = await client.request({ type: 'generate', image: { inline: true }, name: 'm1', options: { model: 'hy' } }, await picture(1));
		expect(again).toMatchObject({ type: 'accepted', cached: true });
		expect(stand.requests().filter((r) => r.path === '/send')).toHaveLength(1);
	});

	it('works with a Hunyuan3D-2.0 server: no /health route, no texturing state, texture off as asked', async () => {
		const stand = await server('older', ['--flavour', '2.0', '--shape-ms', '300'], []);
		expect(orfeas(['backends', 'test', 'older', '--home', home], work).stdout).toMatch(/answers \(no \/health route: a Hunyuan3D-2\.0 server\)/);
		const done = await client.finished(await generate('older', 8));
		expect(done).toMatchObject({ type: 'job.done' });
		expect(stand.requests().find((r) => r.path === '/send')?.options).toMatchObject({ texture: false, remove_background: false });
	});

	it('ends a job cancelled during texturing at once, and its late result never shows up', async () => {
		await server('slow', ['--shape-ms', '200', '--texture-ms', '3000']);
		const jobId = await generate('slow', 2);
		await client.waitFor((m) => m.type === 'job.progress' && m.jobId === jobId && m.stage === 'texture', 30_000);
		expect(await client.request({ type: 'cancel', jobId })).toMatchObject({ type: 'ok' });
		expect((await client.finished(jobId)).type).toBe('job.cancelled');
		// Past the moment the server finishes: nothing more arrives for the job, and it stays cancelled.
		await new Promise((resolve) => setTimeout(resolve, 3500));
		expect(client.events(jobId).filter((m) => m.type === 'job.done')).toEqual([]);
		expect(await client.request({ type: 'job.get', jobId })).toMatchObject({ job: { state: 'cancelled' } });
	});

	it('picks the same server job up again after a daemon restart, without sending the picture twice', async () => {
		// Longer than the daemon's stop waits for running jobs (5 s): the job is put back in line, not finished.
		const stand = await server('steady', ['--shape-ms', '9000', '--texture-ms', '500']);
		const jobId = await generate('steady', 3);
		await client.waitFor((m) => m.type === 'job.progress' && m.jobId === jobId && m.stage === 'shape', 30_000);
		await client.close();
		await daemon.stop();
		// Stopped while the server worked: the job waits in line, with the server's job id kept beside it.
		const record = JSON.parse(readFileSync(path.join(home, 'jobs', jobId, 'job.json'), 'utf8'));
		expect(record).toMatchObject({ state: 'queued', remote: { backend: 'steady', job: expect.any(String) } });
		daemon = await startDaemon({ home });
		client = await TestClient.connect(daemon);
		await client.request({ type: 'subscribe', jobId });
		expect((await client.finished(jobId, 60_000)).type).toBe('job.done');
		// The server was sent the picture once; after the restart the same job was polled.
		const sent = stand.requests().filter((r) => r.path === '/send');
		expect(sent).toHaveLength(1);
		expect(stand.requests().filter((r) => r.path === `/status/${record.remote.job}`).length).toBeGreaterThan(1);
	});

	it('says which server cannot be reached and what to check', async () => {
		await server('gone', []);
		const url = servers.at(-1)!.url;
		await servers.at(-1)!.stop();
		const failed = await client.finished(await generate('gone', 4));
		expect(failed).toMatchObject({ type: 'job.failed', code: 'E_BACKEND_UNREACHABLE' });
		expect(failed.message).toContain(new URL(url).origin);
		expect(failed.message).toMatch(/Check that the server is running/);
	});

	it('refuses a reply over the backend\'s limit without reading the model', async () => {
		await server('big', ['--shape-ms', '100', '--texture-ms', '100', '--reply-bytes', String(3 * 2 ** 20)], ['--texture', '--max-reply-mb', '1']);
		const failed = await client.finished(await generate('big', 5));
		expect(failed).toMatchObject({ type: 'job.failed', code: 'E_BACKEND', message: expect.stringMatching(/over 1 MiB, the backend's limit/) });
	});

	it("reports the server's own words when it fails the job", async () => {
		await server('broken', ['--shape-ms', '300', '--fail-after-ms', '150', '--fail-message', 'CUDA out of memory on the server']);
		const failed = await client.finished(await generate('broken', 6));
		expect(failed).toMatchObject({ type: 'job.failed', code: 'E_BACKEND', message: expect.stringMatching(/could not make the model: CUDA out of memory on the server/) });
	});

	it('fails a job whose server dies mid-job as unreachable, and the daemon goes on', async () => {
		await server('dying', ['--shape-ms', '5000', '--die-after-ms', '300']);
		const failed = await client.finished(await generate('dying', 7), 60_000);
		expect(failed).toMatchObject({ type: 'job.failed', code: 'E_BACKEND_UNREACHABLE' });
		expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		// The failure is kept as the server's last check, which the model list then shows.
		const dying = await until('the failed check in the list', async () => {
			const listed = (await client.request({ type: 'models.list' })).models as Array<Record<string, unknown>>;
			const entry = listed.find((m) => m.id === 'dying');
			return entry?.reachable === false ? entry : undefined;
		});
		expect(dying).toMatchObject({ kind: 'remote', reachable: false });
		expect(readFileSync(path.join(home, 'backends.json'), 'utf8')).toContain('"dying"');
	});
});
