// The model previewer in real Chromium (WebGL through SwiftShader): the page previewHtml writes, the bundle the
// build ships, host messages as VS Code delivers them, and models written by Orfeas's own GLB exporter. What the
// webview posts is checked against messages.ts; what it draws is checked pixel by pixel (screenshots are kept
// under out/test-artifacts/webview/).
import { Document, NodeIO } from '@gltf-transform/core';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addCollider } from '../../daemon/src/export/collider';
import { sceneDocument, writeSceneGlb } from '../../daemon/src/export/glb-scene';
import type { ExportScene } from '../../daemon/src/export/scene';
import { ModelStats, VIEWER_DEFAULTS, ViewMessage } from '../../webview/src/messages';
import { texturedBoxScene, twoLevelBallScene } from '../helpers/export-scenes';
import { until } from '../helpers/poll';
import { changed, coveredCentre, decode, distance, PreviewPage, PreviewServer, type RawImage, type Rgb, type Sent, topCorners } from './preview-harness';
import { checkAndClose, startPageSuite, stopPageSuite } from './page-suite';

const BUNDLE = 'dist/webview/preview.js';
const DARK: Rgb = [0x1e, 0x1e, 0x1e];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const server = new PreviewServer();
let browser: Browser;
let crate: { scene: ExportScene; glb: Uint8Array };
let ball: { scene: ExportScene; glb: Uint8Array };
let preview: PreviewPage | undefined;

beforeAll(async () => {
	browser = await startPageSuite(server, 'webview/src/preview/main.ts', BUNDLE);
	const crateScene = await texturedBoxScene('Crate');
	crate = { scene: crateScene, glb: (await writeSceneGlb(crateScene))[0].bytes };
	// Unreal names the collider UCX_Ball_00: it must be hidden and left out of the counts.
	const ballScene = await addCollider(await twoLevelBallScene('Ball'), { kind: 'hull' });
	ball = { scene: ballScene, glb: (await writeSceneGlb(ballScene, { profile: 'unreal' }))[0].bytes };
}, 120_000);

afterAll(() => stopPageSuite(server, browser));

afterEach(async () => {
	await checkAndClose(preview, server);
	preview = undefined;
});

async function open(): Promise<PreviewPage> {
	preview = await PreviewPage.open(browser, server.origin);
	return preview;
}

/** Counts in an ExportScene's level, which is exactly what writeSceneGlb puts in the file. */
function counts(scene: ExportScene, level = 0): { vertices: number; triangles: number } {
	return { vertices: scene.lods[level].positions.length / 3, triangles: scene.lods[level].indices.length / 3 };
}

function shownStats(message: Sent): ModelStats {
	expect(message.type, JSON.stringify(message)).toBe('shown');
	const parsed = ViewMessage.parse(message);
	if (parsed.type !== 'shown') throw new Error('unreachable');
	return parsed.stats;
}

async function statText(key: string): Promise<string> {
	return (await preview!.page.locator(`[data-stat="${key}"]`).textContent()) ?? '';
}

function expectBackgroundCorners(image: RawImage, background: Rgb): void {
	for (const corner of topCorners(image)) expect(distance(corner, background), `corner ${corner} vs background ${background}`).toBeLessThanOrEqual(6);
}

describe('the model previewer', { timeout: 90_000 }, () => {
	it('says ready, then shows a textured box with the counts in the file and pixels where the model is', async () => {
		const page = await open();
		expect((await page.sent())[0]).toEqual({ type: 'ready' });
		const empty = await page.shot('empty');
		expectBackgroundCorners(empty, DARK);
		expect(coveredCentre(empty, DARK)).toBeLessThan(0.1);

		const stats = shownStats(await page.load('Crate.glb', crate.glb));
		expect(stats).toMatchObject({ ...counts(crate.scene), materials: 1, textures: [{ width: 64, height: 64 }], lods: 1, fileBytes: crate.glb.length });
		stats.size.forEach((v, i) => expect(v).toBeCloseTo([0.6, 1, 0.4][i], 5));
		expect(await statText('triangles')).toBe('12');
		expect(await statText('vertices')).toBe('24');
		expect(await statText('textures')).toBe('64×64');
		expect(await statText('size')).toBe('0.60 × 1.00 × 0.40 m');
		expect(await statText('name')).toBe('Crate.glb');
		expect(await page.page.locator('#lod').isHidden()).toBe(true);
		expect(await page.debug()).toMatchObject({ levels: 1, shownLevel: 0, lastStats: stats });

		const shown = await page.shot('crate');
		expect(coveredCentre(shown, DARK)).toBeGreaterThan(0.9);
		expectBackgroundCorners(shown, DARK);
	});

	it('shows the shown LOD level only, hides the collider, and switches levels from the LOD picker', async () => {
		const page = await open();
		const stats = shownStats(await page.load('Ball.glb', ball.glb));
		expect(stats).toMatchObject({ ...counts(ball.scene, 0), lods: 2, materials: 1, textures: [{ width: 32, height: 32 }] });
		const fine = await page.shot('ball-lod0');
		expect(coveredCentre(fine, DARK)).toBeGreaterThan(0.9);

		const picker = page.page.locator('[data-action="lod"]');
		expect(await picker.isVisible()).toBe(true);
		expect(await picker.locator('option').allTextContents()).toEqual(['LOD0', 'LOD1']);
		await picker.selectOption('1');
		await until('LOD1 in the stats', async () => (await page.debug())?.shownLevel === 1);
		expect((await page.debug())?.lastStats).toMatchObject(counts(ball.scene, 1));
		expect(await statText('triangles')).toBe(String(counts(ball.scene, 1).triangles));
		const coarse = await page.shot('ball-lod1');
		expect(changed(fine, coarse)).toBeGreaterThan(0.01);

		await picker.selectOption('0');
		await until('LOD0 in the stats', async () => (await statText('triangles')) === String(counts(ball.scene, 0).triangles));
	});

	it('toggles wireframe, grid and environment, changing the picture and telling the host each time', async () => {
		const page = await open();
		shownStats(await page.load('Crate.glb', crate.glb));
		const base = await page.shot('toggles-base');
		const before = await page.count();
		const results: Record<string, number> = {};
		for (const setting of ['wireframe', 'grid', 'environment'] as const) {
			const button = page.page.locator(`[data-action="${setting}"]`);
			const was = VIEWER_DEFAULTS[setting];
			expect(await button.getAttribute('aria-pressed')).toBe(String(was));
			await button.click();
			expect(await button.getAttribute('aria-pressed')).toBe(String(!was));
			results[setting] = changed(base, await page.shot(`toggles-${setting}`));
			await button.click();
			expect(changed(base, await page.shot(`toggles-${setting}-back`)), `${setting} back`).toBeLessThan(0.001);
		}
		// The box's checker becomes a few edges; the grid's lines go; the shading changes with the lighting.
		expect(results.wireframe).toBeGreaterThan(0.05);
		expect(results.grid).toBeGreaterThan(0.003);
		expect(results.environment).toBeGreaterThan(0.02);
		const posted = (await page.sent()).slice(before).map((m) => ViewMessage.parse(m));
		expect(posted.map((m) => (m.type === 'settings' ? m.settings : m))).toEqual([
			{ ...VIEWER_DEFAULTS, wireframe: true },
			VIEWER_DEFAULTS,
			{ ...VIEWER_DEFAULTS, grid: false },
			VIEWER_DEFAULTS,
			{ ...VIEWER_DEFAULTS, environment: false },
			VIEWER_DEFAULTS,
		]);
	});

	it('turns the camera while auto-rotate is on and comes to rest when it is off', async () => {
		const page = await open();
		shownStats(await page.load('Crate.glb', crate.glb));
		const base = await page.shot('rotate-base');
		const button = page.page.locator('[data-action="autoRotate"]');
		const from = await page.count();
		await button.click();
		expect(ViewMessage.parse(await page.waitFor('settings', from))).toEqual({ type: 'settings', settings: { ...VIEWER_DEFAULTS, autoRotate: true } });
		await until('the view to turn', async () => changed(base, await page.shot('rotate-turning')) > 0.05);
		await button.click();
		// Once the damping has run out the camera is still: two pictures in a row come out the same.
		let last = await page.shot('rotate-stopped');
		await until('the view to come to rest', async () => {
			const next = await page.shot('rotate-stopped');
			const still = changed(last, next) === 0;
			last = next;
			return still;
		});
		expect(changed(base, last)).toBeGreaterThan(0.05);
	});

	it('applies settings from the host without posting them back', async () => {
		const page = await open();
		shownStats(await page.load('Crate.glb', crate.glb));
		const base = await page.shot('host-settings-base');
		const before = await page.count();
		await page.post({ type: 'settings', settings: { wireframe: true, grid: false, environment: true, autoRotate: false } });
		await until('the wireframe button pressed', async () => (await page.page.locator('[data-action="wireframe"]').getAttribute('aria-pressed')) === 'true');
		expect(await page.page.locator('[data-action="grid"]').getAttribute('aria-pressed')).toBe('false');
		expect(changed(base, await page.shot('host-settings'))).toBeGreaterThan(0.05);
		expect((await page.sent()).slice(before)).toEqual([]);
	});

	it('answers a screenshot request, and the Screenshot button, with a PNG of the canvas', async () => {
		const page = await open();
		shownStats(await page.load('Crate.glb', crate.glb));
		const size = await page.page.evaluate(() => {
			const canvas = (globalThis as unknown as { document: { getElementById(id: string): { width: number; height: number } } }).document.getElementById('viewport');
			return { width: canvas.width, height: canvas.height };
		});
		expect(size.width).toBeGreaterThan(100);

		for (const ask of [() => page.post({ type: 'screenshot' }), () => page.page.locator('[data-action="screenshot"]').click()]) {
			const from = await page.count();
			await ask();
			const message = await page.waitFor('screenshot', from);
			const png = Buffer.from(String(message.pngBase64), 'base64');
			expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
			expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: size.width, height: size.height });
			const image = await decode(png);
			expect(coveredCentre(image, DARK)).toBeGreaterThan(0.9);
			expectBackgroundCorners(image, DARK);
		}
	});

	it('reports a malformed message and broken files with an error, and shows the next good file', async () => {
		const page = await open();
		let from = await page.count();
		await page.post({ type: 'load' });
		const invalid = ViewMessage.parse(await page.waitFor('error', from));
		expect(invalid).toMatchObject({ type: 'error', message: expect.stringMatching(/does not understand.*name/) });
		expect(await page.page.locator('#status.error').textContent()).toBe(invalid.type === 'error' ? invalid.message : '');

		from = await page.count();
		await page.post({ type: 'something-else' });
		await page.waitFor('error', from);

		const junk = new Uint8Array(2048).map((_, i) => (i * 131 + 7) % 256);
		expect(await page.load('junk.glb', junk)).toMatchObject({ type: 'error', message: expect.stringMatching(/^Could not show junk\.glb: .+GLB/) });
		expect(await page.load('cut.glb', crate.glb.subarray(0, 200))).toMatchObject({ type: 'error', message: expect.stringMatching(/^Could not show cut\.glb/) });
		expect(await page.debug()).toMatchObject({ levels: 0, lastStats: undefined });

		expect(shownStats(await page.load('Crate.glb', crate.glb))).toMatchObject(counts(crate.scene));
		expect(await page.page.locator('#status').textContent()).toBe('');
		expect(coveredCentre(await page.shot('after-errors'), DARK)).toBeGreaterThan(0.9);
	});

	it('loads a .gltf with its buffer and image from the message, and names the files that are missing', async () => {
		const doc: Document = sceneDocument(crate.scene, 'generic');
		doc.getRoot().listBuffers()[0].setURI('Crate.bin');
		doc.getRoot().listTextures()[0].setURI('textures/Crate_baseColor.png');
		const { json, resources } = await new NodeIO().writeJSON(doc);
		expect(Object.keys(resources).sort()).toEqual(['Crate.bin', 'textures/Crate_baseColor.png']);
		const gltf = new TextEncoder().encode(JSON.stringify(json));

		const page = await open();
		const stats = shownStats(await page.load('Crate.gltf', gltf, {}, resources));
		expect(stats).toMatchObject({ ...counts(crate.scene), textures: [{ width: 64, height: 64 }] });
		expect(coveredCentre(await page.shot('gltf'), DARK)).toBeGreaterThan(0.9);

		const noBuffer = await page.load('Crate.gltf', gltf, {}, { 'textures/Crate_baseColor.png': resources['textures/Crate_baseColor.png'] });
		expect(noBuffer).toMatchObject({ type: 'error', message: expect.stringMatching(/not found next to it \(Crate\.bin\)/) });
	});

	it('paints the background in the editor theme and follows a theme change', async () => {
		const page = await open();
		shownStats(await page.load('Crate.glb', crate.glb));
		expectBackgroundCorners(await page.shot('theme-dark'), DARK);
		// What VS Code does on a theme switch: new variables on <html>, the other class on <body>.
		await page.page.evaluate(() => {
			const d = (globalThis as unknown as { document: { documentElement: { style: { setProperty(k: string, v: string): void } }; body: { className: string } } }).document;
			d.documentElement.style.setProperty('--vscode-editor-background', '#f3f3f3');
			d.body.className = 'vscode-light';
		});
		const light = await page.shot('theme-light');
		expectBackgroundCorners(light, [0xf3, 0xf3, 0xf3]);
		expect(coveredCentre(light, [0xf3, 0xf3, 0xf3])).toBeGreaterThan(0.9);
	});
});
