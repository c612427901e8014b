// Several views over the protocol against a real daemon: `views` by path and `sheet`, the agreement in the stats,
// the cache keyed on every picture, and each refusal with its code and field — the daemon staying up throughout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlb } from '../../daemon/src/quality/glb';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { sheetPng, viewPng, type ViewObject } from '../helpers/views';
import { weldByPosition } from '../helpers/weld';
import { TestClient } from '../helpers/ws-client';

const SMALL = { resolution: 96, textureSize: 512, maxTriangles: 5000 };
const BOX: ViewObject = { shape: 'box', width: 120, height: 90, depth: 60 };
let daemon: TestDaemon;
let client: TestClient;
let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'orfeas-views-'));
	for (const view of ['front', 'right', 'top', 'back'] as const) writeFileSync(file(`crate_${view}.png`), viewPng(BOX, view));
	writeFileSync(file('crate_right_deep.png'), viewPng({ ...BOX, depth: 100 }, 'right'));
	writeFileSync(file('crate_top_deep.png'), viewPng({ ...BOX, depth: 100 }, 'top'));
	writeFileSync(file('sheet.png'), sheetPng(BOX, ['front', 'right', 'back'], { background: [235, 235, 235], size: 200 }));
	daemon = await startDaemon();
	client = await TestClient.connect(daemon);
});

afterAll(async () => {
	await client?.close();
	await daemon?.kill();
	if (daemon) removeHome(daemon.home);
	rmSync(dir, { recursive: true, force: true });
});

const generate = (fields: Record<string, unknown>) => client.request({ type: 'generate', image: { path: file('crate_front.png') }, options: SMALL, ...fields });

describe('generate with views', () => {
	it('makes one model from a front and other views by path, with the agreement of each view in its stats', async () => {
		const accepted = await generate({ views: [{ view: 'right', image: { path: file('crate_right.png') } }, { view: 'top', image: { path: file('crate_top.png') } }] });
		expect(accepted).toMatchObject({ type: 'accepted', cached: false });
		const done = await client.finished(accepted.jobId as string, 90_000);
		expect(done.type, JSON.stringify(done)).toBe('job.done');
		const stats = done.stats as { views: Record<string, number>; triangles: number };
		expect(Object.keys(stats.views).sort()).toEqual(['front', 'right', 'top']);
		expect(stats.triangles).toBeLessThanOrEqual(SMALL.maxTriangles);
		const glb = (done.files as { name: string; format: string }[]).find((f) => f.format === 'glb')!;
		const mesh = await readGlb((await client.download(done.assetId as string, glb.name)).bytes);
		expect(analyzeTopology(weldByPosition(mesh).positions, weldByPosition(mesh).indices).watertight).toBe(true);

		// The same pictures again are the same asset; other side views are another model; a side view that
		// disagrees with the top (another depth) fails with E_VIEWS.
		expect(await generate({ views: [{ view: 'top', image: { path: file('crate_top.png') } }, { view: 'right', image: { path: file('crate_right.png') } }] })).toMatchObject({ cached: true });
		const deeper = await generate({ views: [{ view: 'right', image: { path: file('crate_right_deep.png') } }, { view: 'top', image: { path: file('crate_top_deep.png') } }] });
		expect(deeper).toMatchObject({ cached: false });
		expect((await client.finished(deeper.jobId as string, 90_000)).type).toBe('job.done');
		const disagreeing = await generate({ views: [{ view: 'right', image: { path: file('crate_right_deep.png') } }, { view: 'top', image: { path: file('crate_top.png') } }] });
		const failed = await client.finished(disagreeing.jobId as string, 90_000);
		expect(failed).toMatchObject({ type: 'job.failed', code: 'E_VIEWS' });
		expect(failed.message).toMatch(/right|top/);
	});

	it('splits a turnaround sheet into its views, and fails a sheet with fewer figures with E_SHEET', async () => {
		const accepted = await client.request({ type: 'generate', image: { path: file('sheet.png') }, sheet: ['front', 'right', 'back'], options: SMALL });
		const done = await client.finished(accepted.jobId as string, 90_000);
		expect(done.type, JSON.stringify(done)).toBe('job.done');
		expect(Object.keys((done.stats as { views: object }).views).sort()).toEqual(['back', 'front', 'right']);

		const wrong = await client.request({ type: 'generate', image: { path: file('sheet.png') }, sheet: ['front', 'right', 'back', 'top'], options: SMALL });
		const failed = await client.finished(wrong.jobId as string, 90_000);
		expect(failed).toMatchObject({ type: 'job.failed', code: 'E_SHEET' });
		expect(failed.message).toMatch(/3 figures were found/);
	});

	it('refuses a repeated view, a view in the binary frame, a missing view file and a sheet with views, naming the field', async () => {
		const right = { view: 'right', image: { path: file('crate_right.png') } };
		expect(await generate({ views: [right, right] })).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', details: { field: 'views.1.view' } });
		expect(await generate({ views: [{ view: 'top', image: { inline: true } }] })).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', details: { field: 'views.0.image' } });
		const missing = await generate({ views: [{ view: 'left', image: { path: file('nope_left.png') } }] });
		expect(missing).toMatchObject({ type: 'error', code: 'E_NOT_FOUND', details: { field: 'views.0.image', view: 'left' } });
		expect(missing.message).toMatch(/^The left view: /);
		expect(await generate({ sheet: ['front', 'right'], views: [right] })).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', details: { field: 'sheet' } });
		expect(await generate({ sheet: ['right', 'back'] })).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', details: { field: 'sheet' } });
		expect(await generate({ views: [right], options: { ...SMALL, model: 'depth-anything-v2-small' } })).toMatchObject({ type: 'error' });
		// Still up, still generating.
		expect((await client.request({ type: 'ping' })).type).toBe('pong');
	});
});
