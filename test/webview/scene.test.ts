// The scene editor's webview in real Chromium (WebGL through SwiftShader): the page sceneHtml writes with its CSP,
// the bundle the build ships, host messages as VS Code delivers them, models written by Orfeas's GLB exporter.
// What it posts is checked against scene-messages.ts; what it draws, pixel by pixel at the objects' projected
// positions; a gizmo drag is done with the mouse. Screenshots go to out/test-artifacts/webview/scene-*.png.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { sceneHtml } from '../../extension/src/scene/html';
import { SceneViewMessage, type ViewObject, type ViewTransform } from '../../webview/src/scene-messages';
import { texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';
import { until } from '../helpers/poll';
import { distance, pixel, PreviewPage, PreviewServer, topCorners, type Sent } from './preview-harness';
import { checkAndClose, startPageSuite, stopPageSuite } from './page-suite';

const BUNDLE = 'dist/webview/scene.js';
const CRATE = 'models/crate.glb';
const BALL = 'models/ball.glb';

const server = new PreviewServer({ script: '/scene.js', html: (options) => sceneHtml({ ...options, title: 'yard.orfeas-scene.json' }) });
let browser: Browser;
const glb: Record<string, Uint8Array> = {};
let page: PageUnderTest | undefined;

interface SceneDebug {
	objects: { id: string; drawn: string }[];
	selected: string | null;
	mode: string;
	editable: boolean;
}

/** The scene page with what these tests ask of it beyond the previewer's harness. */
class PageUnderTest {
	constructor(readonly preview: PreviewPage) {}

	get page() {
		return this.preview.page;
	}

	debug(): Promise<SceneDebug> {
		return this.page.evaluate(() => {
			const d = (globalThis as unknown as { orfeasScene: SceneDebug }).orfeasScene;
			return { objects: d.objects, selected: d.selected, mode: d.mode, editable: d.editable };
		});
	}

	/** An object's centre (or origin) in page coordinates. */
	async where(id: string, which: 'centre' | 'origin' = 'centre'): Promise<{ x: number; y: number }> {
		const point = await this.page.evaluate(([id, which]) => (globalThis as unknown as { orfeasScene: { screenPoint(id: string, w: string): { x: number; y: number } | null } }).orfeasScene.screenPoint(id, which), [id, which] as const);
		if (!point) throw new Error(`${id} is not on screen`);
		const box = (await this.page.locator('#viewport').boundingBox())!;
		return { x: box.x + point.x, y: box.y + point.y };
	}

	transformOf(id: string): Promise<ViewTransform | null> {
		return this.page.evaluate((id) => (globalThis as unknown as { orfeasScene: { transformOf(id: string): ViewTransform | null } }).orfeasScene.transformOf(id), id);
	}

	/** Posts a scene, answers its `models` request from `files` (a path missing there gets a modelError), and waits for `shown`. */
	async show(objects: ViewObject[], files: Record<string, Uint8Array | string> = {}, groundY = 0): Promise<Sent> {
		const from = await this.preview.count();
		await this.preview.post({ type: 'scene', name: 'Yard', groundY, objects });
		const wanted = new Set(objects.flatMap((o) => (o.source.kind === 'model' ? [o.source.path] : [])));
		if (wanted.size) {
			const asked = await this.preview.waitFor('models', from);
			for (const path of asked.paths as string[]) {
				const file = files[path];
				if (file instanceof Uint8Array) await this.preview.post({ type: 'model', path }, file);
				else await this.preview.post({ type: 'modelError', path, message: file ?? `${path} is not there` });
			}
		}
		return this.preview.waitFor('shown', from);
	}

	/** Messages posted since index `from`, checked against the schema. */
	async posted(from: number): Promise<SceneViewMessage[]> {
		return (await this.preview.sent()).slice(from).map((m) => SceneViewMessage.parse(m));
	}
}

function object(id: string, path: string, position: [number, number, number], kind: 'model' | 'image' = 'model'): ViewObject {
	return {
		id,
		name: id,
		source: kind === 'model' ? { kind, path } : { kind, path, built: false },
		transform: { position, rotation: [0, 0, 0], scale: [1, 1, 1] },
	};
}

const TWO = () => [object('crate', CRATE, [-1, 0, 0]), object('ball', BALL, [1, 0, 0])];

beforeAll(async () => {
	browser = await startPageSuite(server, 'webview/src/scene/main.ts', BUNDLE);
	glb[CRATE] = (await writeSceneGlb(await texturedBoxScene('crate')))[0].bytes;
	glb[BALL] = (await writeSceneGlb(await texturedSphereScene('ball')))[0].bytes;
}, 120_000);

afterAll(() => stopPageSuite(server, browser));

afterEach(async () => {
	await checkAndClose(page?.preview, server);
	page = undefined;
});

async function open(): Promise<PageUnderTest> {
	page = new PageUnderTest(await PreviewPage.open(browser, server.origin));
	return page;
}

describe('the scene editor view', { timeout: 90_000 }, () => {
	it('asks for each model once, draws every object where the scene puts it, and says so', async () => {
		const scene = await open();
		expect((await scene.preview.sent())[0]).toEqual({ type: 'ready' });
		expect(await scene.page.locator('#hint').isVisible()).toBe(true);
		const objects = [...TWO(), object('crate-2', CRATE, [0, 0, -1.5])];
		const shown = await scene.show(objects, glb);
		expect(SceneViewMessage.parse(shown)).toMatchObject({ type: 'shown', objects: 3, models: 3, placeholders: 0 });
		const asked = (await scene.posted(0)).filter((m) => m.type === 'models');
		expect(asked).toEqual([{ type: 'models', paths: [CRATE, BALL] }]);
		expect((await scene.debug()).objects).toEqual([
			{ id: 'crate', drawn: 'model' },
			{ id: 'ball', drawn: 'model' },
			{ id: 'crate-2', drawn: 'model' },
		]);
		expect(await scene.page.locator('#objects li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-id'), li.textContent]))).toEqual([
			['crate', `crate${CRATE}`],
			['ball', `ball${BALL}`],
			['crate-2', `crate-2${CRATE}`],
		]);
		expect(await scene.page.locator('#hint').isHidden()).toBe(true);

		const image = await scene.preview.shot('scene-three');
		const background = topCorners(image)[0];
		const box = (await scene.page.locator('#viewport').boundingBox())!;
		const points: Record<string, { x: number; y: number }> = {};
		for (const { id } of objects) {
			const at = await scene.where(id);
			points[id] = at;
			const rgb = pixel(image, Math.round(at.x - box.x), Math.round(at.y - box.y));
			expect(distance(rgb, background), `${id} drawn at ${JSON.stringify(at)}: ${rgb} vs ${background}`).toBeGreaterThan(30);
		}
		// Left of the ball is the crate, and the second crate stands behind both (higher on the screen).
		expect(points.crate.x).toBeLessThan(points.ball.x);
		expect(points['crate-2'].y).toBeLessThan(Math.max(points.crate.y, points.ball.y));
	});

	it('moves a model when the scene changes, keeping the models it has and the camera the user chose', async () => {
		const scene = await open();
		await scene.show(TWO(), glb);
		// Zooming out is moving the camera: from then on the view stops framing the scene by itself.
		const centre = await scene.where('crate');
		await scene.page.mouse.move(centre.x, centre.y);
		await scene.page.mouse.wheel(0, 200);
		await scene.preview.settle();
		const crate = await scene.where('crate');
		const before = await scene.where('ball');
		const from = await scene.preview.count();
		const moved = TWO();
		moved[1].transform.position = [1, 0, 1.5];
		await scene.preview.post({ type: 'scene', name: 'Yard', groundY: 0, objects: moved });
		await scene.preview.waitFor('shown', from);
		expect((await scene.posted(from)).filter((m) => m.type === 'models')).toEqual([]);
		const after = await scene.where('ball');
		// Towards the camera: lower on the screen; the crate has not moved, nor has the camera.
		expect(after.y).toBeGreaterThan(before.y + 10);
		expect(await scene.where('crate')).toEqual(crate);
		expect(await scene.transformOf('ball')).toEqual({ position: [1, 0, 1.5], rotation: [0, 0, 0], scale: [1, 1, 1] });
	});

	it('selects by click, drags the gizmo and posts the new transform on release; W, E and R pick the gizmo', async () => {
		const scene = await open();
		await scene.show(TWO(), glb);
		const crate = await scene.where('crate');
		await scene.page.mouse.click(crate.x, crate.y);
		await until('the crate selected', async () => (await scene.debug()).selected === 'crate');
		expect(await scene.page.locator('#objects li[data-id="crate"]').getAttribute('aria-selected')).toBe('true');
		await scene.preview.shot('scene-selected');

		const from = await scene.preview.count();
		const origin = await scene.where('crate', 'origin');
		await scene.page.mouse.move(origin.x, origin.y);
		await scene.page.mouse.down();
		for (let step = 1; step <= 10; step++) await scene.page.mouse.move(origin.x + step * 8, origin.y - step * 2);
		await scene.page.mouse.up();
		const message = SceneViewMessage.parse(await scene.preview.waitFor('transform', from));
		if (message.type !== 'transform') throw new Error('unreachable');
		expect(message.id).toBe('crate');
		expect(message.transform.position[0]).toBeGreaterThan(-1 + 0.05);
		expect(message.transform.rotation).toEqual([0, 0, 0]);
		expect(message.transform.scale).toEqual([1, 1, 1]);
		expect(await scene.transformOf('crate')).toEqual(message.transform);
		// Numbers are rounded to micrometres, so the file gets short ones.
		for (const v of message.transform.position) expect(Math.abs(v * 1e6 - Math.round(v * 1e6))).toBeLessThan(1e-6);
		// A drag is not a click: the selection stays.
		expect((await scene.debug()).selected).toBe('crate');
		await scene.preview.shot('scene-dragged');

		for (const [key, mode, action] of [['e', 'rotate', 'rotate'], ['r', 'scale', 'scale'], ['w', 'translate', 'translate']] as const) {
			await scene.page.keyboard.press(key);
			expect((await scene.debug()).mode).toBe(mode);
			expect(await scene.page.locator(`[data-action="${action}"]`).getAttribute('aria-pressed')).toBe('true');
		}
		// Clicking empty sky deselects.
		const box = (await scene.page.locator('#viewport').boundingBox())!;
		await scene.page.mouse.click(box.x + 5, box.y + 5);
		await until('nothing selected', async () => (await scene.debug()).selected === null);
	});

	it('draws pictures and unreadable models as labelled placeholders', async () => {
		const scene = await open();
		const objects = [object('cat', 'pictures/cat.png', [-1, 0, 0], 'image'), object('ghost', 'models/ghost.glb', [1, 0, 0])];
		const shown = SceneViewMessage.parse(await scene.show(objects, { 'models/ghost.glb': 'models/ghost.glb is not there' }));
		expect(shown).toMatchObject({ objects: 2, models: 0, placeholders: 2 });
		expect((await scene.debug()).objects).toEqual([
			{ id: 'cat', drawn: 'picture' },
			{ id: 'ghost', drawn: 'failed' },
		]);
		const labels = await scene.page.locator('.label').allInnerTexts();
		expect(labels).toEqual(expect.arrayContaining(['cat · picture, not generated yet', 'ghost · models/ghost.glb is not there']));
		const image = await scene.preview.shot('scene-placeholders');
		const background = topCorners(image)[0];
		const box = (await scene.page.locator('#viewport').boundingBox())!;
		for (const { id } of objects) {
			const at = await scene.where(id);
			expect(distance(pixel(image, Math.round(at.x - box.x), Math.round(at.y - box.y)), background), id).toBeGreaterThan(20);
		}
	});

	it('posts Auto layout with the chosen mode, Remove for the selection, and Build, Export and Send only when the host has them', async () => {
		const scene = await open();
		await scene.show(TWO(), glb);
		const button = (action: string) => scene.page.locator(`[data-action="${action}"]`);
		for (const action of ['build', 'export', 'send-blender', 'send-unity', 'remove']) expect(await button(action).isDisabled(), action).toBe(true);
		await scene.preview.post({ type: 'commands', build: false, export: true, send: true });
		await until('Export enabled', () => button('export').isEnabled());
		expect(await button('build').isDisabled()).toBe(true);

		let from = await scene.preview.count();
		await button('layout-mode').selectOption('circle');
		await button('layout').click();
		expect(await scene.posted(from)).toEqual([{ type: 'layout', mode: 'circle' }]);
		// Busy until the host answers.
		expect(await button('layout').isDisabled()).toBe(true);
		await scene.preview.post({ type: 'status', text: '', kind: 'info' });
		await until('Auto layout enabled again', () => button('layout').isEnabled());

		from = await scene.preview.count();
		await button('export').click();
		await button('send-unity').click();
		await scene.page.locator('#objects li[data-id="ball"]').click();
		await until('Remove enabled', () => button('remove').isEnabled());
		await button('remove').click();
		expect(await scene.posted(from)).toEqual([
			{ type: 'run', command: 'export' },
			{ type: 'run', command: 'send', target: 'unity' },
			{ type: 'remove', id: 'ball' },
		]);
		from = await scene.preview.count();
		await scene.page.locator('#viewport').focus();
		await scene.page.keyboard.press('Delete');
		expect(await scene.posted(from)).toEqual([{ type: 'remove', id: 'ball' }]);
	});

	it('passes files dropped from the Explorer to the host by URI, and says when a drop names none', async () => {
		const scene = await open();
		await scene.show([]);
		const drop = (data: Record<string, string>) =>
			scene.page.evaluate((data) => {
				const d = globalThis as unknown as { document: { getElementById(id: string): { dispatchEvent(e: unknown): void } }; DataTransfer: new () => { setData(t: string, v: string): void }; DragEvent: new (type: string, init: object) => unknown };
				const transfer = new d.DataTransfer();
				for (const [type, value] of Object.entries(data)) transfer.setData(type, value);
				const stage = d.document.getElementById('stage');
				stage.dispatchEvent(new d.DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
				stage.dispatchEvent(new d.DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
			}, data);
		let from = await scene.preview.count();
		await drop({ 'text/uri-list': '# from the Explorer\r\nfile:///w/models/crate.glb\r\nfile:///w/pictures/cat%20one.png\r\nfile:///w/models/crate.glb\r\n' });
		expect(await scene.posted(from)).toEqual([{ type: 'drop', uris: ['file:///w/models/crate.glb', 'file:///w/pictures/cat%20one.png'] }]);
		from = await scene.preview.count();
		await drop({ 'text/plain': 'just words' });
		expect(await scene.posted(from)).toEqual([]);
		expect(await scene.page.locator('#status.error').innerText()).toMatch(/drop \.glb models or pictures from VS Code's Explorer/);
	});

	it('answers bad messages with an error, and turns editing off while the document is not a valid scene', async () => {
		const scene = await open();
		await scene.show(TWO(), glb);
		for (const bad of [{ type: 'scene' }, { type: 'model', path: CRATE, bytes: 'not bytes' }, { type: 'nothing-we-know' }, { type: 'scene', name: 'x', groundY: 0, objects: [{ ...object('a b', CRATE, [0, 0, 0]) }] }]) {
			const from = await scene.preview.count();
			await scene.preview.post(bad);
			const error = SceneViewMessage.parse(await scene.preview.waitFor('error', from));
			expect(error, JSON.stringify(bad)).toMatchObject({ type: 'error', message: expect.stringMatching(/does not understand/) });
		}
		// The last good scene is still shown.
		expect((await scene.debug()).objects.map((o) => o.id)).toEqual(['crate', 'ball']);

		await scene.preview.post({ type: 'invalid', message: 'The file is not valid JSON (Unexpected token).' });
		await until('editing off', async () => !(await scene.debug()).editable);
		expect(await scene.page.locator('#status.error').innerText()).toMatch(/not valid JSON/);
		expect(await scene.page.locator('[data-action="layout"]').isDisabled()).toBe(true);
		const from = await scene.preview.count();
		await scene.preview.post({ type: 'scene', name: 'Yard', groundY: 0, objects: TWO() });
		await scene.preview.waitFor('shown', from);
		expect((await scene.debug()).editable).toBe(true);
		expect(await scene.page.locator('#status').innerText()).toBe('');
	});

	it('puts the grid at the ground height', async () => {
		const scene = await open();
		await scene.show(TWO(), glb, 0);
		const low = await scene.preview.shot('scene-ground-0');
		const from = await scene.preview.count();
		await scene.preview.post({ type: 'scene', name: 'Yard', groundY: -0.75, objects: TWO() });
		await scene.preview.waitFor('shown', from);
		const lowered = await scene.preview.shot('scene-ground-lowered');
		let changedPixels = 0;
		for (let y = 0; y < low.height; y++) for (let x = 0; x < low.width; x++) if (distance(pixel(low, x, y), pixel(lowered, x, y)) > 30) changedPixels++;
		expect(changedPixels / (low.width * low.height)).toBeGreaterThan(0.001);
	});
});
