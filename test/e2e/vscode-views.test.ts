// One model from several views in real VS Code (code-server 4.139 in Debian's Chromium), against the daemon the
// extension starts itself: three pictures of a long crate, `crate_front/right/top.png`, selected together in the
// Explorer become `crate.glb` through "Generate 3D Model from Views", as deep as the side view says (one picture
// alone gives half the height); a picture whose name says no view is asked about, with the views still free; a
// turnaround sheet of the same crate becomes `crate_sheet.glb` through "… from Sheet" with its views typed in,
// after a layout the sheet does not hold was answered with the daemon's sentence. Screenshots go to
// out/test-artifacts/vscode-views/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlb } from '../../daemon/src/quality/glb';
import { readDiscovery } from '../../daemon/src/server/discovery';
import type { DaemonMessageOf } from '../../daemon/src/protocol/events';
import { DaemonClient } from '../../extension/src/daemon/client';
import { clearNotifications, explorerContextMenu, notifications, quickInput, quickPick, startVsCode, waitForNotification, type VsCode } from '../helpers/code-server';
import { ROOT } from '../helpers/cli';
import { paint, polygon, type Rgb } from '../fixtures/draw';
import { sleep, until } from '../helpers/poll';
import { validateGlb } from '../helpers/validate';
import { daemonSettings, finishVsCodeRun, prepareVsCodeRun } from '../helpers/vscode-run';

const ARTIFACTS = path.join(ROOT, 'out', 'test-artifacts', 'vscode-views');
const VIEWS_MENU = 'Generate 3D Model from Views';
const SHEET_MENU = 'Generate 3D Model from Sheet';

/** The crate in metres: longer front to back than it is wide or tall, so only the side and top views show its depth. */
const CRATE = { width: 0.6, height: 0.5, depth: 1 };
const PICTURE = 400;
const PIXELS_PER_METRE = 300;

let vs: VsCode;
let workspace: string;
let home: string;

const file = (name: string) => path.join(workspace, 'pictures', name);

/** The crate seen from one side: a rectangle of its extent across and up that view, each view in its own colour. */
async function crateView(across: number, up: number, colour: Rgb): Promise<Buffer> {
	const [w, h] = [across * PIXELS_PER_METRE, up * PIXELS_PER_METRE];
	const [x0, y0] = [(PICTURE - w) / 2, (PICTURE - h) / 2];
	const outline = polygon([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]]);
	const shade = (x: number, y: number): Rgb => [colour[0], colour[1], colour[2] + (50 * (x + y)) / (2 * PICTURE)];
	const { data, width, height } = paint(PICTURE, PICTURE, outline, shade, { color: [255, 255, 255], opaque: false }).rgba;
	return sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/** Width, height and depth (x, y, z) of a GLB's mesh. */
async function extent(glb: string): Promise<[number, number, number]> {
	const { positions } = await readGlb(readFileSync(glb));
	const lo = [Infinity, Infinity, Infinity];
	const hi = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < positions.length; i += 3) {
		for (let k = 0; k < 3; k++) {
			lo[k] = Math.min(lo[k], positions[i + k]);
			hi[k] = Math.max(hi[k], positions[i + k]);
		}
	}
	return [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
}

/** Checks a model is valid and has the crate's proportions (within 10 %): its depth came from the other views. */
async function expectCrate(glb: string): Promise<void> {
	expect((await validateGlb(readFileSync(glb))).errors).toBe(0);
	const [x, y, z] = await extent(glb);
	expect(Math.abs(x / y / (CRATE.width / CRATE.height) - 1), `width / height ${x / y}`).toBeLessThan(0.1);
	expect(Math.abs(z / y / (CRATE.depth / CRATE.height) - 1), `depth / height ${z / y}`).toBeLessThan(0.1);
}

/** The daemon's jobs in `state`, asked over a connection of the test's own. */
async function jobs(state: 'done' | 'failed'): Promise<DaemonMessageOf<'jobs'>['jobs']> {
	const discovery = (await readDiscovery(path.join(home, 'daemon.json')))!;
	const client = await DaemonClient.connect({ port: discovery.port, token: discovery.token, client: { name: 'e2e', version: '0' } });
	try {
		return ((await client.request({ type: 'job.list', state })) as DaemonMessageOf<'jobs'>).jobs;
	} finally {
		client.close();
	}
}

beforeAll(async () => {
	let vsix: string;
	({ vsix, workspace, home } = await prepareVsCodeRun(ARTIFACTS, 'views'));
	mkdirSync(path.join(workspace, 'pictures'));
	const views = {
		front: await crateView(CRATE.width, CRATE.height, [170, 110, 50]),
		right: await crateView(CRATE.depth, CRATE.height, [150, 95, 40]),
		top: await crateView(CRATE.width, CRATE.depth, [190, 130, 60]),
	};
	for (const [view, bytes] of Object.entries(views)) writeFileSync(file(`crate_${view}.png`), bytes);
	writeFileSync(file('crate photo.png'), views.front);
	// The same three views side by side, left to right, on one transparent background.
	const sheet = sharp({ create: { width: 3 * PICTURE, height: PICTURE, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } } });
	writeFileSync(file('crate_sheet.png'), await sheet.composite([views.front, views.right, views.top].map((input, i) => ({ input, left: i * PICTURE, top: 0 }))).png().toBuffer());
	// Without autoReveal a click's editor never takes the Explorer's selection back from the Ctrl+clicks after it.
	vs = await startVsCode({ workspace, vsix, artifacts: ARTIFACTS, settings: { ...daemonSettings(home), 'explorer.autoReveal': false } });
}, 300_000);

afterAll(() => finishVsCodeRun(vs, ARTIFACTS, { workspace, home }), 60_000);

describe('a model from several views in VS Code', () => {
	it('makes crate.glb from three pictures selected in the Explorer, as deep as the side view says', async () => {
		const crate = ['pictures/crate_front.png', 'pictures/crate_right.png', 'pictures/crate_top.png'];
		await explorerContextMenu(vs, crate, VIEWS_MENU);
		await waitForNotification(vs, /Generating crate from 3 views/, 15_000);
		await until('crate.glb', () => existsSync(file('crate.glb')), { timeoutMs: 120_000, intervalMs: 100 });
		await vs.screenshot('views-done');
		await expectCrate(file('crate.glb'));
		const job = (await jobs('done')).find((j) => j.name === 'crate');
		expect(job?.stats?.views, 'agreement of each view').toBeDefined();
		expect(Object.keys(job!.stats!.views!).sort()).toEqual(['front', 'right', 'top']);
	});

	it('asks the view of a picture whose name says none, offering only the views still free', async () => {
		await explorerContextMenu(vs, ['pictures/crate_front.png', 'pictures/crate photo.png'], VIEWS_MENU);
		const title = vs.page.locator('.quick-input-widget .quick-input-title');
		await until('the question', async () => /Which view is crate photo\.png\?/.test(await title.innerText().catch(() => '')), { timeoutMs: 10_000 });
		const rows = vs.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name');
		expect((await rows.allInnerTexts()).map((t) => t.trim())).toEqual(['back', 'left', 'right', 'top']);
		await vs.screenshot('views-question');
		await vs.page.keyboard.press('Escape');
		// Giving up sends nothing: no job starts.
		await sleep(1500);
		expect((await notifications(vs)).some((t) => /Generating/.test(t))).toBe(false);
	});

	it("answers a layout the sheet does not hold with the daemon's sentence, and writes nothing", async () => {
		await clearNotifications(vs);
		await explorerContextMenu(vs, 'pictures/crate_sheet.png', SHEET_MENU);
		await quickPick(vs, 'front,left,back,right');
		const message = await waitForNotification(vs, /Orfeas: crate_sheet\.png — /, 60_000);
		const job = (await jobs('failed')).find((j) => j.name === 'crate_sheet');
		expect(job?.error?.code).toBe('E_SHEET');
		expect(message).toBe(`Orfeas: crate_sheet.png — ${job!.error!.message}`);
		expect(job!.error!.message, 'how many views were found').toMatch(/\b3\b/);
		expect(existsSync(file('crate_sheet.glb'))).toBe(false);
		await vs.screenshot('sheet-refused');
	});

	it('makes crate_sheet.glb from the sheet with its views typed in', async () => {
		await explorerContextMenu(vs, 'pictures/crate_sheet.png', SHEET_MENU);
		await quickPick(vs, 'Other…');
		await quickInput(vs, 'front, right, top');
		await until('crate_sheet.glb', () => existsSync(file('crate_sheet.glb')), { timeoutMs: 120_000, intervalMs: 100 });
		await vs.screenshot('sheet-done');
		await expectCrate(file('crate_sheet.glb'));
	});
});
