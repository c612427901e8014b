// Auto layout as the scene editor does it, against real daemons: the editor's document goes to a daemon-held
// scene (made once per document, replaced on later layouts, made again when the daemon no longer has it), the
// positions come back into the document, and a picture that has no model yet is refused with the daemon's sentence.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { emptyScene, type SceneDocumentView } from '../../daemon/src/protocol/scene';
import { modelBox } from '../../daemon/src/scene/models';
import { localMatrix, transformBox, type Box } from '../../daemon/src/scene/transform';
import { loadGlb } from '../../daemon/src/export/load-glb';
import { DaemonClient, DaemonError } from '../../extension/src/daemon/client';
import { addObjects, withLayout } from '../../extension/src/scene/edits';
import { DaemonScenes } from '../../extension/src/scene/layout';
import { newObjects } from '../../extension/src/scene/sources';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';

const folder = mkdtempSync(path.join(tmpdir(), 'orfeas-scene-editor-'));
const sceneFile = path.join(folder, 'yard.orfeas-scene.json');
const KEY = 'file:///yard.orfeas-scene.json';
const files: Record<string, Uint8Array> = {};
const daemons: TestDaemon[] = [];
const clients: DaemonClient[] = [];

async function connect(daemon: TestDaemon): Promise<DaemonClient> {
	const client = await DaemonClient.connect({ port: daemon.port, token: daemon.token, client: { name: 'vscode', version: '0.0.0-test' } });
	clients.push(client);
	return client;
}

/** Each object's world box from the model files, as a reader of the scene computes it. */
async function worldBoxes(document: SceneDocumentView): Promise<Box[]> {
	return Promise.all(
		document.objects.map(async (o) => {
			const model = await loadGlb(files[(o.source as { model: string }).model], { name: o.name });
			return transformBox(localMatrix(o.transform), modelBox(model));
		}),
	);
}

const apart = (a: Box, b: Box) => a.max[0] <= b.min[0] || b.max[0] <= a.min[0] || a.max[2] <= b.min[2] || b.max[2] <= a.min[2];

beforeAll(async () => {
	mkdirSync(path.join(folder, 'models'));
	for (const model of [await texturedBoxScene('crate'), await texturedSphereScene('ball')]) {
		const [file] = await writeSceneGlb(model);
		files[`models/${file.name}`] = file.bytes;
		writeFileSync(path.join(folder, 'models', file.name), file.bytes);
	}
	daemons.push(await startDaemon());
}, 60_000);

afterAll(async () => {
	for (const client of clients) client.close();
	for (const daemon of daemons) {
		await daemon.stop();
		removeHome(daemon.home);
	}
	rmSync(folder, { recursive: true, force: true });
});

describe('auto layout from the scene editor', () => {
	it('places added models on the ground apart, keeping one daemon scene per document', async () => {
		const client = await connect(daemons[0]);
		const scenes = new DaemonScenes(async () => client);
		const { objects } = newObjects(sceneFile, [path.join(folder, 'models', 'crate.glb'), path.join(folder, 'models', 'ball.glb')], []);
		const document = addObjects(emptyScene('yard'), objects);
		expect(document.objects.map((o) => [o.id, o.source])).toEqual([
			['crate', { model: 'models/crate.glb' }],
			['ball', { model: 'models/ball.glb' }],
		]);

		const grid = withLayout(document, await scenes.layout(KEY, document, folder, 'grid'));
		const first = scenes.sceneId(KEY);
		expect(first).toMatch(/^sc_/);
		for (const object of grid.objects) expect(object.transform.position).not.toEqual([0, 0, 0]);
		const boxes = await worldBoxes(grid);
		for (const box of boxes) expect(box.min[1]).toBeCloseTo(0, 9);
		expect(apart(boxes[0], boxes[1])).toBe(true);

		// A second layout replaces the same daemon scene rather than making another.
		const row = withLayout(grid, await scenes.layout(KEY, grid, folder, 'row'));
		expect(scenes.sceneId(KEY)).toBe(first);
		const rowBoxes = await worldBoxes(row);
		expect(rowBoxes[0].max[0]).toBeLessThanOrEqual(rowBoxes[1].min[0]);
		const held = (await client.request({ type: 'scene.get', sceneId: first! })) as { revision: number };
		expect(held.revision).toBe(3);
	});

	it('makes the scene again when the daemon no longer has it (another home), and says why a picture cannot be placed', async () => {
		const document = addObjects(emptyScene('yard'), newObjects(sceneFile, [path.join(folder, 'models', 'crate.glb')], []).objects);
		let client = await connect(daemons[0]);
		const scenes = new DaemonScenes(async () => client);
		await scenes.layout(KEY, document, folder, 'grid');
		const before = scenes.sceneId(KEY);

		daemons.push(await startDaemon());
		client = await connect(daemons[1]);
		const laidOut = await scenes.layout(KEY, document, folder, 'circle');
		expect(scenes.sceneId(KEY)).not.toBe(before);
		expect(laidOut.objects).toHaveLength(1);

		const withPicture = addObjects(document, newObjects(sceneFile, [path.join(folder, 'cat.png')], ['crate']).objects);
		const refused = await scenes.layout(KEY, withPicture, folder, 'grid').catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(DaemonError);
		expect(refused).toMatchObject({ code: 'E_CONFLICT', message: expect.stringMatching(/Object "cat" has no model yet/) });
	});
});
