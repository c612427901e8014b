// Scene documents held by a real daemon: create from a document with a base folder, get, update with revisions
// (a stale revision is E_CONFLICT and changes nothing), other sessions told with scene.changed, bad edits refused
// with their codes, auto layout on the ground without overlaps (deterministic), and the scene surviving a restart.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import type { SceneDocumentView } from '../../daemon/src/protocol/scene';
import { modelBox } from '../../daemon/src/scene/models';
import { localMatrix, multiply, transformBox, type Box } from '../../daemon/src/scene/transform';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';
import { distinctPicture } from '../helpers/pictures';
import { validateGlb } from '../helpers/validate';
import { TestClient } from '../helpers/ws-client';

let daemon: TestDaemon;
let client: TestClient;
let other: TestClient;
let folder: string;

const at = (position: [number, number, number], rotation: [number, number, number] = [0, 0, 0], scale: [number, number, number] = [1, 1, 1]) => ({ position, rotation, scale });

/** Two crates sharing one model, a ball, and a ball on top of the first crate (a child). */
function yard(): SceneDocumentView {
	return {
		format: 'orfeas-scene',
		version: 1,
		name: 'Yard',
		units: 'm',
		up: 'Y',
		ground: { y: 0.5 },
		objects: [
			{ id: 'crate-1', name: 'Crate', source: { model: 'models/Crate.glb' }, transform: at([0, 0, 0], [0, 30, 0]) },
			{ id: 'crate-2', name: 'Crate', source: { model: 'models/Crate.glb' }, transform: at([0.1, 0, 0], [0, 0, 0], [2, 1, 1]) },
			{ id: 'ball', name: 'Ball', source: { model: 'models/Ball.glb' }, transform: at([0, 0, 0.2]) },
			{ id: 'ball-on-crate', name: 'Ball', source: { model: 'models/Ball.glb' }, transform: at([0, 1, 0], [0, 0, 0], [0.3, 0.3, 0.3]), parent: 'crate-1' },
		],
	};
}

beforeAll(async () => {
	folder = mkdtempSync(path.join(tmpdir(), 'orfeas-scene-'));
	mkdirSync(path.join(folder, 'models'));
	for (const model of [await texturedBoxScene('Crate'), await texturedSphereScene('Ball')]) {
		const [file] = await writeSceneGlb(model);
		writeFileSync(path.join(folder, 'models', file.name), file.bytes);
	}
	daemon = await startDaemon();
	client = await TestClient.connect(daemon);
	other = await TestClient.connect(daemon);
});

afterAll(async () => {
	await client?.close();
	await other?.close();
	await daemon?.stop();
	removeHome(daemon.home);
	removeHome(folder);
});

async function create(document: SceneDocumentView = yard()) {
	return client.request({ type: 'scene.create', document, base: folder });
}

describe('scene documents in the daemon', () => {
	it('creates a scene from a document and gives it back by id', async () => {
		const created = await create();
		expect(created).toMatchObject({ type: 'scene', revision: 0, document: yard() });
		expect(created.sceneId).toMatch(/^sc_[a-z0-9]{20}$/);
		const got = await other.request({ type: 'scene.get', sceneId: created.sceneId });
		expect(got).toMatchObject({ type: 'scene', sceneId: created.sceneId, revision: 0, document: yard() });
		const empty = await client.request({ type: 'scene.create' });
		expect(empty).toMatchObject({ type: 'scene', revision: 0, document: { format: 'orfeas-scene', objects: [] } });
	});

	it('applies edits against the current revision, refuses a stale one and tells the other sessions', async () => {
		const { sceneId } = await create();
		await other.request({ type: 'scene.get', sceneId });
		const changed = other.waitFor((m) => m.type === 'scene.changed' && m.sceneId === sceneId);
		const moved = await client.request({ type: 'scene.update', sceneId, revision: 0, ops: [{ op: 'set', id: 'ball', transform: at([3, 0, 0]) }, { op: 'remove', id: 'crate-2' }] });
		expect(moved.revision).toBe(1);
		const doc = moved.document as SceneDocumentView;
		expect(doc.objects.map((o) => o.id)).toEqual(['crate-1', 'ball', 'ball-on-crate']);
		expect(doc.objects[1].transform.position).toEqual([3, 0, 0]);
		expect(await changed).toMatchObject({ sceneId, revision: 1 });

		const stale = await other.request({ type: 'scene.update', sceneId, revision: 0, ops: [{ op: 'remove', id: 'ball' }] });
		expect(stale).toMatchObject({ type: 'error', code: 'E_CONFLICT', details: { revision: 1 } });
		expect(stale.message).toMatch(/revision 1, not 0/);
		expect((await client.request({ type: 'scene.get', sceneId })).revision).toBe(1);
	});

	it('removes an object with its children and refuses edits that break the scene, changing nothing', async () => {
		const { sceneId } = await create();
		const cases: [Record<string, unknown>, string][] = [
			[{ op: 'remove', id: 'nobody' }, 'E_NOT_FOUND'],
			[{ op: 'add', object: { ...yard().objects[0] } }, 'E_CONFLICT'],
			[{ op: 'set', id: 'crate-1', parent: 'ball-on-crate' }, 'E_BAD_MESSAGE'],
			[{ op: 'set', id: 'crate-1', parent: 'ghost' }, 'E_BAD_MESSAGE'],
		];
		for (const [op, code] of cases) {
			const reply = await client.request({ type: 'scene.update', sceneId, ops: [{ op: 'set', id: 'ball', name: 'Moved' }, op] });
			expect(reply, JSON.stringify(op)).toMatchObject({ type: 'error', code });
		}
		const unchanged = await client.request({ type: 'scene.get', sceneId });
		expect(unchanged).toMatchObject({ revision: 0, document: yard() });
		const removed = await client.request({ type: 'scene.update', sceneId, ops: [{ op: 'remove', id: 'crate-1' }] });
		expect((removed.document as SceneDocumentView).objects.map((o) => o.id)).toEqual(['crate-2', 'ball']);
	});

	it('refuses absolute paths in documents and a relative base folder', async () => {
		const absolute = yard();
		absolute.objects[0].source = { model: path.join(folder, 'models', 'Crate.glb') };
		expect(await create(absolute)).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE', details: { field: 'document.objects.0.source.model' } });
		expect(await client.request({ type: 'scene.create', document: yard(), base: 'relative/folder' })).toMatchObject({ type: 'error', code: 'E_PATH' });
	});

	it('lays the top-level objects out on the ground without overlaps, the same way for the same seed', async () => {
		for (const mode of ['row', 'grid', 'circle', 'scatter'] as const) {
			const { sceneId } = await create();
			const first = await client.request({ type: 'scene.layout', sceneId, mode, seed: 7 });
			expect(first, mode).toMatchObject({ type: 'scene', revision: 1 });
			const doc = first.document as SceneDocumentView;
			const boxes = await worldBoxes(doc);
			for (const box of boxes.values()) expect(box.min[1]).toBeCloseTo(0.5, 6);
			const list = [...boxes.values()];
			for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) expect(overlap(list[i], list[j]), `${mode} ${i} ${j}`).toBe(false);
			// The child stays where it was relative to its parent; rotations and scales are kept.
			expect(doc.objects[3].transform).toEqual(yard().objects[3].transform);
			expect(doc.objects.map((o) => [o.transform.rotation, o.transform.scale])).toEqual(yard().objects.map((o) => [o.transform.rotation, o.transform.scale]));
			const again = await client.request({ type: 'scene.layout', sceneId, mode, seed: 7 });
			expect(again.revision).toBe(2);
			expect((again.document as SceneDocumentView).objects).toEqual(doc.objects);
		}
	});

	it('says which object cannot be laid out and why', async () => {
		const missing = yard();
		missing.objects[2].source = { model: 'models/Nothing.glb' };
		const { sceneId } = await create(missing);
		const reply = await client.request({ type: 'scene.layout', sceneId });
		expect(reply).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
		expect(reply.message).toMatch(/Object "ball": .*Nothing\.glb does not exist/);

		const unbuilt = yard();
		unbuilt.objects[2].source = { image: 'pictures/ball.png' };
		const second = await create(unbuilt);
		const refused = await client.request({ type: 'scene.layout', sceneId: second.sceneId });
		expect(refused).toMatchObject({ type: 'error', code: 'E_CONFLICT' });
		expect(refused.message).toMatch(/Object "ball" has no model yet: generate it from pictures\/ball\.png first/);
		expect(await client.request({ type: 'scene.get', sceneId: 'sc_00000000000000000000' })).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
	});

	it('exports the scene as a job whose GLB has a node per object and one mesh per model', async () => {
		const { sceneId } = await create();
		const accepted = await client.request({ type: 'scene.export', sceneId, format: 'glb' });
		expect(accepted).toMatchObject({ type: 'accepted', cached: false });
		const done = await client.finished(accepted.jobId as string);
		expect(done).toMatchObject({ type: 'job.done', files: [{ name: 'Yard.glb', format: 'glb' }] });
		const { bytes } = await client.download(done.assetId as string, 'Yard.glb');
		const report = await validateGlb(bytes);
		expect(report.errors, JSON.stringify(report.messages)).toBe(0);
		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const gltf = JSON.parse(Buffer.from(bytes.subarray(20, 20 + view.getUint32(12, true))).toString('utf8')) as { nodes: { name: string }[]; meshes: unknown[] };
		expect(gltf.nodes.map((n) => n.name).sort()).toEqual(['Ball', 'Ball', 'Crate', 'Crate']);
		expect(gltf.meshes).toHaveLength(2);
		const fbx = await client.request({ type: 'scene.export', sceneId, format: 'fbx', profile: 'unity' });
		expect(await client.finished(fbx.jobId as string)).toMatchObject({ type: 'job.done', files: [{ name: 'Yard.fbx', format: 'fbx' }] });
	});

	it('pushes a scene to an editor as one GLB and one Unity FBX', async () => {
		const { sceneId } = await create();
		const blender = await TestClient.connect(daemon, { client: 'blender', roles: ['import-target'] });
		try {
			const received = blender.waitFor((m) => m.type === 'import');
			const ok = await client.request({ type: 'push', target: 'blender', sceneId, placement: { position: [1, 0, 0] } });
			expect(ok).toMatchObject({ type: 'ok', delivered: 1 });
			const event = await received;
			expect(event).toMatchObject({ sceneId, placement: { position: [1, 0, 0] } });
			expect((event.files as { name: string }[]).map((f) => f.name)).toEqual(['Yard.glb', 'Yard.fbx']);
			expect(event.assetId).toBeUndefined();
		} finally {
			await blender.close();
		}
		const missing = yard();
		missing.objects[0].source = { model: 'models/Nothing.glb' };
		const broken = await create(missing);
		expect(await client.request({ type: 'push', target: 'blender', sceneId: broken.sceneId })).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
	});

	it('builds the objects made from pictures, records their models and then lays them out', async () => {
		mkdirSync(path.join(folder, 'pictures'), { recursive: true });
		writeFileSync(path.join(folder, 'pictures', 'red.png'), await distinctPicture(128, 811));
		writeFileSync(path.join(folder, 'pictures', 'blue.png'), await distinctPicture(128, 812));
		const doc = yard();
		doc.objects = [
			{ id: 'red', name: 'Red', source: { image: 'pictures/red.png', options: { resolution: 48 } }, transform: at([0, 0, 0]) },
			{ id: 'blue', name: 'Blue', source: { image: 'pictures/blue.png', options: { resolution: 48 } }, transform: at([0, 0, 0]) },
			{ id: 'crate', name: 'Crate', source: { model: 'models/Crate.glb' }, transform: at([0, 0, 0]) },
		];
		const { sceneId } = await create(doc);
		await other.request({ type: 'scene.get', sceneId });
		const jobs = await client.request({ type: 'scene.build', sceneId, revision: 0 });
		expect(jobs).toMatchObject({ type: 'jobs' });
		const started = jobs.jobs as { jobId: string; name: string }[];
		expect(started.map((j) => j.name).sort()).toEqual(['Blue', 'Red']);
		for (const job of started) expect(await client.finished(job.jobId)).toMatchObject({ type: 'job.done' });
		// Both models recorded: two new revisions, heard by the other session.
		await other.waitFor((m) => m.type === 'scene.changed' && m.sceneId === sceneId && m.revision === 2);
		const built = (await client.request({ type: 'scene.get', sceneId })).document as SceneDocumentView;
		for (const object of built.objects.slice(0, 2)) expect((object.source as { assetId?: string }).assetId).toMatch(/^[a-f0-9]{64}$/);
		expect(await client.request({ type: 'scene.build', sceneId })).toMatchObject({ type: 'jobs', jobs: [] });
		expect(await client.request({ type: 'scene.layout', sceneId, mode: 'row' })).toMatchObject({ type: 'scene', revision: 3 });
		const exported = await client.request({ type: 'scene.export', sceneId });
		expect(await client.finished(exported.jobId as string)).toMatchObject({ type: 'job.done' });
	});

	it('keeps scenes across a daemon restart', async () => {
		const { sceneId } = await create();
		await client.request({ type: 'scene.update', sceneId, ops: [{ op: 'set', id: 'ball', name: 'Kept' }] });
		await client.close();
		await other.close();
		await daemon.stop();
		daemon = await startDaemon({ home: daemon.home });
		client = await TestClient.connect(daemon);
		other = await TestClient.connect(daemon);
		const got = await client.request({ type: 'scene.get', sceneId });
		expect(got).toMatchObject({ revision: 1 });
		expect((got.document as SceneDocumentView).objects[2].name).toBe('Kept');
	});
});

/** Each top-level object's world box with its descendants, from the models written in beforeAll. */
async function worldBoxes(doc: SceneDocumentView): Promise<Map<string, Box>> {
	const boxOf: Record<string, Box> = {
		'models/Crate.glb': modelBox(await texturedBoxScene('Crate')),
		'models/Ball.glb': modelBox(await texturedSphereScene('Ball')),
	};
	const boxes = new Map<string, Box>();
	for (const root of doc.objects.filter((o) => o.parent === undefined)) {
		const matrix = localMatrix(root.transform);
		let box = transformBox(matrix, boxOf[(root.source as { model: string }).model]);
		for (const child of doc.objects.filter((o) => o.parent === root.id)) {
			const childBox = transformBox(multiply(matrix, localMatrix(child.transform)), boxOf[(child.source as { model: string }).model]);
			box = { min: box.min.map((v, k) => Math.min(v, childBox.min[k])) as Box['min'], max: box.max.map((v, k) => Math.max(v, childBox.max[k])) as Box['max'] };
		}
		boxes.set(root.id, box);
	}
	return boxes;
}

function overlap(a: Box, b: Box): boolean {
	return [0, 1, 2].every((k) => a.min[k] < b.max[k] - 1e-9 && b.min[k] < a.max[k] - 1e-9);
}
