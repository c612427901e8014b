// Composing a scene in real VS Code (code-server 4.139 in Debian's Chromium), with the .vsix installed and the
// daemon the extension starts itself: a workspace with an empty `yard.orfeas-scene.json` and two models opens the
// scene file in the scene editor; both models go in through the Explorer's "Add to Scene"; Auto layout (grid) in
// the webview asks the daemon; Ctrl+S saves; the file on disk then holds both objects by relative path, laid out
// on the ground without overlaps, in the file's own indentation. A change to the file from outside shows in the
// view; Send to Blender pushes the saved scene to a client listening as Blender; Orfeas: New Scene makes a second
// one, Add to Scene then asks which, and Ctrl+Z takes an addition back; a picture added there is built by the
// daemon and then drawn as its generated model.
// Screenshots go to out/test-artifacts/vscode-scene/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { loadGlb } from '../../daemon/src/export/load-glb';
import { emptyScene, SceneDocument, type SceneDocumentView } from '../../daemon/src/protocol/scene';
import { modelBox } from '../../daemon/src/scene/models';
import { localMatrix, transformBox, type Box } from '../../daemon/src/scene/transform';
import { readDiscovery } from '../../daemon/src/server/discovery';
import { DaemonClient, type DaemonEvent } from '../../extension/src/daemon/client';
import { explorerContextMenu, openFile, quickPick, runCommand, startVsCode, webviewFrame, type VsCode } from '../helpers/code-server';
import { ROOT } from '../helpers/cli';
import { texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';
import { readJsonIfWhole, until } from '../helpers/poll';
import { distinctPicture } from '../helpers/pictures';
import { daemonSettings, finishVsCodeRun, prepareVsCodeRun } from '../helpers/vscode-run';

const ARTIFACTS = path.join(ROOT, 'out', 'test-artifacts', 'vscode-scene');
const SCENE = 'yard.orfeas-scene.json';
const MODELS = { crate: 'models/crate.glb', ball: 'models/ball.glb' } as const;
const PICTURE = 'pictures/red.png';

let vs: VsCode;
let workspace: string;
let home: string;
let view: Frame;

interface Transform {
	position: number[];
	rotation: number[];
	scale: number[];
}

/** What the scene view's debug handle says. */
function viewState(): Promise<{ objects: { id: string; drawn: string }[]; crate: Transform | null; ball: Transform | null }> {
	return view.evaluate(() => {
		const scene = (globalThis as unknown as { orfeasScene: { objects: { id: string; drawn: string }[]; transformOf(id: string): Transform | null } }).orfeasScene;
		return { objects: scene.objects, crate: scene.transformOf('crate'), ball: scene.transformOf('ball') };
	});
}

const sceneOnDisk = (): SceneDocumentView => SceneDocument.parse(JSON.parse(readFileSync(path.join(workspace, SCENE), 'utf8')));
const activeTab = () => vs.page.locator(`.tabs-container .tab.active[data-resource-name=${JSON.stringify(SCENE)}]`);

beforeAll(async () => {
	let vsix: string;
	({ vsix, workspace, home } = await prepareVsCodeRun(ARTIFACTS, 'scene'));
	mkdirSync(path.join(workspace, 'models'));
	for (const model of [await texturedBoxScene('crate'), await texturedSphereScene('ball')]) {
		const [file] = await writeSceneGlb(model);
		writeFileSync(path.join(workspace, 'models', file.name), file.bytes);
	}
	mkdirSync(path.join(workspace, 'pictures'));
	writeFileSync(path.join(workspace, PICTURE), await distinctPicture(160, 931));
	// Written the way many people write JSON, with two spaces: the editor has to keep that.
	writeFileSync(path.join(workspace, SCENE), `${JSON.stringify(emptyScene('yard'), null, 2)}\n`);
	vs = await startVsCode({
		workspace,
		vsix,
		artifacts: ARTIFACTS,
		// VS Code in a browser saves after a second by default; the desktop default (off) makes Ctrl+S what saves.
		settings: { ...daemonSettings(home), 'files.autoSave': 'off' },
	});
}, 300_000);

afterAll(() => finishVsCodeRun(vs, ARTIFACTS, { workspace, home }));

describe('composing a scene in VS Code', () => {
	it('opens a .orfeas-scene.json in the scene editor', async () => {
		await openFile(vs, SCENE);
		view = await webviewFrame(vs, { selector: 'body[data-orfeas="scene"]' }, 60_000);
		await view.locator('#hint').waitFor({ timeout: 30_000 });
		expect(await view.locator('#objects li').count()).toBe(0);
		await vs.screenshot('opened');
	});

	it('adds both models with Add to Scene from the Explorer, as unsaved edits of the file', async () => {
		for (const file of [MODELS.crate, MODELS.ball]) await explorerContextMenu(vs, file, 'Add to Scene');
		await until('both objects in the list', async () => (await view.locator('#objects li').count()) === 2, { timeoutMs: 30_000, intervalMs: 100 });
		expect(await view.locator('#objects li').evaluateAll((items) => items.map((li) => li.getAttribute('data-id')))).toEqual(['crate', 'ball']);
		await until('both models drawn', async () => (await viewState()).objects.every((o) => o.drawn === 'model'), { timeoutMs: 30_000, intervalMs: 100 });
		const state = await viewState();
		expect(state.crate?.position).toEqual([0, 0, 0]);
		expect(state.ball?.position).toEqual([0, 0, 0]);
		// Edits of the TextDocument: the tab shows unsaved changes and nothing is on disk yet.
		await until('the tab marked dirty', () => activeTab().evaluate((tab) => tab.classList.contains('dirty')), { timeoutMs: 10_000 });
		expect(sceneOnDisk().objects).toEqual([]);
		await vs.screenshot('added');
	});

	it('lays the objects out in a grid through the daemon from the Auto layout button', async () => {
		await view.locator('[data-action="layout-mode"]').selectOption('grid');
		await view.locator('[data-action="layout"]').click();
		// The first daemon request starts the bundled daemon, which takes a few seconds.
		await until(
			'both objects moved by the layout',
			async () => {
				const state = await viewState();
				return state.crate && state.ball && state.crate.position.some((v) => v !== 0) && state.ball.position.some((v) => v !== 0);
			},
			{ timeoutMs: 90_000, intervalMs: 200 },
		);
		expect(await view.locator('#status').innerText()).toBe('');
		await vs.screenshot('laid-out');
		await view.locator('#viewport').screenshot({ path: path.join(ARTIFACTS, 'laid-out-canvas.png') });
	});

	it('saves with Ctrl+S: both objects by relative path, on the ground, apart, in the file’s own indentation', async () => {
		await view.locator('#viewport').click({ position: { x: 5, y: 5 } });
		await vs.page.keyboard.press('Control+S');
		await until('the file saved', () => (readJsonIfWhole(path.join(workspace, SCENE)) as SceneDocumentView | undefined)?.objects.length === 2, { timeoutMs: 15_000, intervalMs: 100 });
		await until('the tab clean', async () => !(await activeTab().evaluate((tab) => tab.classList.contains('dirty'))), { timeoutMs: 10_000 });
		await vs.screenshot('saved');

		const text = readFileSync(path.join(workspace, SCENE), 'utf8');
		expect(text.endsWith('}\n')).toBe(true);
		expect(text).toMatch(/^\{\n {2}"format": "orfeas-scene",\n/);
		expect(text).toMatch(/\n {8}"position": \[[-\d.e, ]+\],\n/);
		const scene = sceneOnDisk();
		expect(scene.objects.map((o) => [o.id, o.name, o.source, o.parent])).toEqual([
			['crate', 'crate', { model: MODELS.crate }, undefined],
			['ball', 'ball', { model: MODELS.ball }, undefined],
		]);
		const boxes: Box[] = [];
		for (const object of scene.objects) {
			expect(object.transform.position, object.id).not.toEqual([0, 0, 0]);
			expect(object.transform.rotation).toEqual([0, 0, 0]);
			expect(object.transform.scale).toEqual([1, 1, 1]);
			const file = (object.source as { model: string }).model;
			const model = await loadGlb(readFileSync(path.join(workspace, file)), { name: object.name });
			const box = transformBox(localMatrix(object.transform), modelBox(model));
			// Resting on the ground: its lowest point at ground.y.
			expect(box.min[1], object.id).toBeCloseTo(scene.ground.y, 6);
			boxes.push(box);
		}
		const [a, b] = boxes;
		const overlap = a.min[0] < b.max[0] && b.min[0] < a.max[0] && a.min[2] < b.max[2] && b.min[2] < a.max[2];
		expect(overlap, JSON.stringify(boxes)).toBe(false);
	});

	it('sends the saved scene to an editor listening as Blender from the Send to Blender button', async () => {
		const discovery = (await readDiscovery(path.join(home, 'daemon.json')))!;
		const blender = await DaemonClient.connect({ port: discovery.port, token: discovery.token, client: { name: 'blender', version: 'e2e' }, roles: ['import-target'] });
		try {
			const received = new Promise<DaemonEvent>((resolve) => blender.onEvent((e) => e.type === 'import' && resolve(e)));
			await view.locator('[data-action="send-blender"]').click();
			const event = (await received) as DaemonEvent & { sceneId?: string; files: { name: string; format: string; url: string }[]; from: string };
			expect(event.from).toBe('vscode');
			expect(event.sceneId).toMatch(/^sc_[a-z0-9]{20}$/);
			expect(event.files.map((f) => f.format)).toEqual(['glb', 'fbx']);
			// The pushed GLB is the saved document: a node per object at its position.
			const glb = await blender.download(assetOf(event.files[0]), event.files[0].name);
			const view32 = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
			const gltf = JSON.parse(Buffer.from(glb.subarray(20, 20 + view32.getUint32(12, true))).toString('utf8')) as { nodes: { name: string; translation?: number[] }[] };
			const scene = sceneOnDisk();
			for (const object of scene.objects) {
				const node = gltf.nodes.find((n) => n.name === object.name);
				expect(node?.translation, object.id).toEqual(object.transform.position);
			}
		} finally {
			blender.close();
		}
	});

	it('shows a change made to the file outside the view', async () => {
		const scene = sceneOnDisk();
		scene.objects[0].transform.position = [3, 0, 3];
		writeFileSync(path.join(workspace, SCENE), `${JSON.stringify(scene, null, 2)}\n`);
		await until('the view to follow the file', async () => (await viewState()).crate?.position.join() === '3,0,3', { timeoutMs: 30_000, intervalMs: 200 });
		await vs.screenshot('changed-outside');
		// The webview's console is part of the page's: a CSP violation would have been reported there.
		expect(vs.consoleLogs().filter((line) => /Content Security Policy|Refused to/i.test(line))).toEqual([]);
	});

	it('makes a new scene, asks which open scene to add to, and undoes the addition with Ctrl+Z', async () => {
		await runCommand(vs, 'Orfeas: New Scene');
		const untitled = path.join(workspace, 'Untitled.orfeas-scene.json');
		expect(await until('Untitled.orfeas-scene.json', () => readJsonIfWhole(untitled), { timeoutMs: 10_000, intervalMs: 100 })).toEqual(emptyScene('Untitled'));
		const fresh = await webviewFrame(vs, { title: 'Untitled.orfeas-scene.json', selector: 'body[data-orfeas="scene"]' }, 30_000);

		await explorerContextMenu(vs, MODELS.crate, 'Add to Scene');
		await quickPick(vs, 'Untitled.orfeas-scene.json');
		await until('the crate in the new scene', async () => (await fresh.locator('#objects li').count()) === 1, { timeoutMs: 15_000, intervalMs: 100 });
		await vs.screenshot('new-scene');

		await fresh.locator('#viewport').click({ position: { x: 5, y: 5 } });
		await vs.page.keyboard.press('Control+Z');
		await until('the addition undone', async () => (await fresh.locator('#objects li').count()) === 0, { timeoutMs: 10_000, intervalMs: 100 });
		// The yard on disk is untouched by all this.
		expect(sceneOnDisk().objects.map((o) => o.id)).toEqual(['crate', 'ball']);
	});

	it('builds a picture added to a scene and then draws its generated model', async () => {
		const fresh = await webviewFrame(vs, { title: 'Untitled.orfeas-scene.json', selector: 'body[data-orfeas="scene"]' }, 30_000);
		await explorerContextMenu(vs, PICTURE, 'Add to Scene');
		await quickPick(vs, 'Untitled.orfeas-scene.json');
		const drawn = () => fresh.evaluate(() => (globalThis as unknown as { orfeasScene: { objects: { id: string; drawn: string }[] } }).orfeasScene.objects);
		await until('the picture as a placeholder', async () => (await drawn()).some((o) => o.drawn === 'picture'), { timeoutMs: 15_000, intervalMs: 100 });
		await fresh.locator('[data-action="build"]').click();
		await until('the generated model drawn', async () => (await drawn()).some((o) => o.drawn === 'model'), { timeoutMs: 120_000, intervalMs: 250 });
		await vs.screenshot('built');
		await fresh.locator('#viewport').click({ position: { x: 5, y: 5 } });
		await vs.page.keyboard.press('Control+S');
		const untitled = path.join(workspace, 'Untitled.orfeas-scene.json');
		const saved = await until('the built scene saved', () => {
			const document = readJsonIfWhole(untitled) as SceneDocumentView | undefined;
			return document?.objects.length === 1 && document;
		}, { timeoutMs: 15_000, intervalMs: 100 });
		const [object] = SceneDocument.parse(saved).objects;
		expect(object.source).toEqual({ image: PICTURE, assetId: expect.stringMatching(/^[a-f0-9]{64}$/) });
	});
});

/** The asset a pushed file belongs to, from its url (/v1/assets/<assetId>/<file>). */
function assetOf(file: { url?: string }): string {
	const match = /\/assets\/([a-f0-9]{64})\//.exec(file.url ?? '');
	if (!match) throw new Error(`no asset in ${file.url}`);
	return match[1];
}
