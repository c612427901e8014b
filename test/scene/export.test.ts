// Scene export (daemon/src/scene/export.ts), the acceptance "Scene export: node count, names and world
// transforms match the document": the GLB through glTF-Transform and the Khronos validator, the FBX through
// test/helpers/fbx-reader (records and instancing), assimp (node tree, world matrices) and Blender 3.4
// (world-space vertices) in every FBX profile. Models are generated in test/helpers; Blender runs once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeIO, type Node } from '@gltf-transform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axisMap, PROFILES } from '../../daemon/src/export/profiles';
import type { ExportScene } from '../../daemon/src/export/scene';
import { emptyScene, type SceneDocumentView, type SceneObjectView } from '../../daemon/src/protocol/scene';
import { exportSceneFbx, exportSceneGlb, type SceneExportInput, type SceneModel } from '../../daemon/src/scene/export';
import { multiply, transformPoint, worldMatrices, type Mat4, type Vec3 } from '../../daemon/src/scene/transform';
import { assimpInfo } from '../helpers/assimp';
import { assimpNodes, type AssimpScene } from '../helpers/assimp-nodes';
import { blenderImportAll, pointSetDistance, uniquePoints, type BlenderObject, type BlenderReport } from '../helpers/blender';
import { checkerPng, material, sphereMesh, texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';
import { child, children, objectName, property70, readFbx, type FbxFile, type FbxRecord } from '../helpers/fbx-reader';
import { validateGlb } from '../helpers/validate';

const FBX_PROFILES = ['generic', 'unity', 'unreal'] as const;
type FbxProfile = (typeof FBX_PROFILES)[number];
/** Metres: world matrices and world-space vertices must agree to this. */
const TOLERANCE = 1e-5;

interface Models {
	crate: ExportScene;
	ball: ExportScene;
}

/** A textured box (24 vertices) and a small textured sphere (13 × 25 vertices). */
async function makeModels(): Promise<Models> {
	const ball: ExportScene = { name: 'Ball', materials: [material('Ball', await checkerPng(32, 'Ball_baseColor.png'))], lods: [sphereMesh(12, 24)], lodRatios: [1] };
	return { crate: await texturedBoxScene('Crate'), ball };
}

function object(id: string, name: string, [position, rotation, scale]: [Vec3, Vec3, Vec3], parent?: string): SceneObjectView {
	return { id, name, source: { model: `models/${id}.glb` }, transform: { position, rotation, scale }, ...(parent ? { parent } : {}) };
}

/**
 * The yard: seven objects of two models on a ground at −0.25 m. Rotations about all three axes, non-uniform
 * scales under turned children (the parent's scale shears them), a chain three deep listed child first, two
 * root objects with the same name, and the angles where FBX's Euler decomposition locks (±90° about the
 * file's Y: Y in Y-up files, −Z of the document in Z-up ones).
 */
function yard(models: Models): SceneExportInput {
	const document: SceneDocumentView = { ...emptyScene('Yard'), ground: { y: -0.25 } };
	const placed: [SceneObjectView, keyof Models][] = [
		[object('tag', 'Tag', [[0, 1.2, 0], [0, 0, 45], [0.3, 0.3, 0.3]], 'box'), 'ball'],
		[object('shelf', 'Shelf', [[1, -0.25, 0], [30, 45, 60], [1, 2, 0.5]]), 'crate'],
		[object('box', 'Box', [[0.5, 1, -2], [0, 90, 0], [0.5, 0.5, 0.5]], 'shelf'), 'crate'],
		[object('ball', 'Ball', [[-1, 0.2, 0.7], [-20, 100, 15], [0.7, 0.7, 1.3]]), 'ball'],
		[object('pebble', 'Pebble', [[0.2, 1.5, 0.1], [10, -35, 170], [1.5, 0.5, 1]], 'ball'), 'ball'],
		[object('crate-a', 'Crate', [[2, -0.25, 3], [0, 0, -90], [1, 1.5, 1]]), 'crate'],
		[object('crate-b', 'Crate', [[-2, -0.25, 3], [-90, 0, 0], [1, 1, 1]]), 'crate'],
	];
	document.objects = placed.map(([o]) => o);
	const entries = placed.map(([o, key]): [string, SceneModel] => [o.id, { key: `asset:${key}`, model: models[key] }]);
	return { document, models: new Map(entries) };
}

/** Objects depth-first, roots then children each in document order: the order FBX readers list the tree in. */
function depthFirst(document: SceneDocumentView): SceneObjectView[] {
	const order: SceneObjectView[] = [];
	const visit = (parent: string | undefined) => {
		for (const o of document.objects) {
			if (o.parent !== parent) continue;
			order.push(o);
			visit(o.id);
		}
	};
	visit(undefined);
	return order;
}

/** A world matrix in the profile's file axes and units: A·W·Aᵀ, the translation in file units. */
function inProfile(world: Mat4, profile: FbxProfile): Mat4 {
	const { from, sign } = axisMap(PROFILES[profile]);
	const out = new Float64Array(16);
	for (let i = 0; i < 3; i++) {
		for (let j = 0; j < 3; j++) out[j * 4 + i] = sign[i] * sign[j] * world[from[j] * 4 + from[i]];
		out[12 + i] = sign[i] * world[12 + from[i]] * PROFILES[profile].unitsPerMetre;
	}
	out[15] = 1;
	return out;
}

function expectMatrix(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = TOLERANCE): void {
	const worst = Math.max(...Array.from(expected, (e, k) => Math.abs(actual[k] - e)));
	expect(worst, `${what}: ${Array.from(actual).map((v) => v.toFixed(6))} vs ${Array.from(expected).map((v) => v.toFixed(6))}`).toBeLessThan(tolerance);
}

/** A node's world matrix from the TRS of it and its ancestors, composed here rather than by glTF-Transform. */
function nodeWorld(node: Node): Mat4 {
	const [x, y, z, w] = node.getRotation();
	const [sx, sy, sz] = node.getScale();
	const [tx, ty, tz] = node.getTranslation();
	const local = Float64Array.from([
		(1 - 2 * (y * y + z * z)) * sx, 2 * (x * y + z * w) * sx, 2 * (x * z - y * w) * sx, 0,
		2 * (x * y - z * w) * sy, (1 - 2 * (x * x + z * z)) * sy, 2 * (y * z + x * w) * sy, 0,
		2 * (x * z + y * w) * sz, 2 * (y * z - x * w) * sz, (1 - 2 * (x * x + y * y)) * sz, 0,
		tx, ty, tz, 1,
	]);
	const parent = node.getParentNode();
	return parent ? multiply(nodeWorld(parent), local) : local;
}

/** The model's vertices through a world matrix, in Blender's axes: Blender (x, y, z) = glTF (x, −z, y). */
function expectedBlenderVertices(model: ExportScene, world: Mat4): number[] {
	const p = model.lods[0].positions;
	const out: number[] = [];
	for (let i = 0; i < p.length; i += 3) {
		const [x, y, z] = transformPoint(world, [p[i], p[i + 1], p[i + 2]]);
		out.push(x, -z, y);
	}
	return out;
}

/**
 * Matches each document object to the Blender object of its name (Blender appends .001 to a repeated one) whose
 * world-space vertices are where the document puts the object's model; fails when one is missing or off.
 */
function expectBlenderPlacement(report: BlenderReport, input: SceneExportInput): void {
	const world = worldMatrices(input.document);
	const pool = new Set(report.objects);
	const base = (o: BlenderObject) => o.name.replace(/\.\d{3}$/, '');
	expect(report.objects).toHaveLength(input.document.objects.length);
	for (const o of input.document.objects) {
		const model = input.models.get(o.id)!.model;
		const expected = uniquePoints(expectedBlenderVertices(model, world.get(o.id)!), TOLERANCE / 10);
		const candidates = [...pool].filter((b) => base(b) === o.name);
		expect(candidates.length, `${path.basename(report.file)} has no object for ${o.name}`).toBeGreaterThan(0);
		const scored = candidates.map((b) => ({ b, distance: pointSetDistance(uniquePoints(b.vertices, TOLERANCE / 10), expected, 0.05) }));
		const best = scored.reduce((a, b) => (b.distance < a.distance ? b : a));
		expect(best.distance, `${path.basename(report.file)}: ${o.name} (${o.id})`).toBeLessThan(TOLERANCE);
		expect(best.b).toMatchObject({ type: 'MESH', polygons: model.lods[0].indices.length / 3 });
		const parent = o.parent === undefined ? null : input.document.objects.find((p) => p.id === o.parent)!.name;
		expect(best.b.parent && best.b.parent.replace(/\.\d{3}$/, '')).toBe(parent);
		pool.delete(best.b);
	}
}

/** Objects by id, and connections as [kind, child, parent]. */
function graph(file: FbxFile) {
	const objects = new Map<bigint, FbxRecord>(child(file, 'Objects').children.map((r) => [r.props[0] as bigint, r]));
	const links = children(child(file, 'Connections'), 'C').map((c) => c.props as [string, bigint, bigint, string?]);
	const linkedTo = (id: bigint, type: string) => links.filter(([, from, to]) => to === id && objects.get(from)?.name === type).map(([, from]) => objects.get(from)!);
	const parentOf = (id: bigint) => links.find(([kind, from, to]) => kind === 'OO' && from === id && (to === 0n || objects.get(to)?.name === 'Model'))?.[2];
	const ofType = (type: string) => [...objects.values()].filter((r) => r.name === type);
	return { objects, linkedTo, parentOf, ofType };
}

describe('exportSceneGlb', () => {
	let models: Models;
	let input: SceneExportInput;
	let bytes: Uint8Array;
	let nodes: Node[];

	beforeAll(async () => {
		models = await makeModels();
		input = yard(models);
		bytes = await exportSceneGlb(input);
		nodes = (await new NodeIO().readBinary(bytes)).getRoot().listNodes();
	});

	it('passes the Khronos validator with zero errors', async () => {
		const report = await validateGlb(bytes);
		expect(report.errors, JSON.stringify(report.messages)).toBe(0);
	});

	it('has one node per object, named after it (repeats kept), with its id and its parent', async () => {
		const { objects } = input.document;
		expect(nodes.map((n) => n.getName())).toEqual(objects.map((o) => o.name));
		expect(nodes.map((n) => n.getExtras().orfeasId)).toEqual(objects.map((o) => o.id));
		const idOf = (n: Node | null) => (n ? n.getExtras().orfeasId : undefined);
		expect(nodes.map((n) => idOf(n.getParentNode()))).toEqual(objects.map((o) => o.parent));
		const scene = (await new NodeIO().readBinary(bytes)).getRoot().getDefaultScene()!;
		expect(scene.getName()).toBe('Yard');
		expect(scene.listChildren().map(idOf)).toEqual(objects.filter((o) => o.parent === undefined).map((o) => o.id));
		expect(scene.getExtras()).toEqual({ orfeasGround: { y: -0.25 } });
	});

	it('puts every node at the document’s world matrix', () => {
		const world = worldMatrices(input.document);
		for (const node of nodes) expectMatrix(nodeWorld(node), world.get(node.getExtras().orfeasId as string)!, node.getName());
	});

	it('instances: one mesh, with its materials and texture, per distinct model, shared by every node of it', async () => {
		const root = (await new NodeIO().readBinary(bytes)).getRoot();
		expect(root.listMeshes().map((m) => m.getName())).toEqual(['Ball', 'Crate']);
		expect(root.listMaterials()).toHaveLength(2);
		expect(root.listTextures()).toHaveLength(2);
		const meshOf = new Map<string, unknown>();
		for (const node of nodes) {
			const key = input.models.get(node.getExtras().orfeasId as string)!.key;
			if (!meshOf.has(key)) meshOf.set(key, node.getMesh());
			expect(node.getMesh(), node.getName()).toBe(meshOf.get(key));
		}
		expect(new Set(meshOf.values()).size).toBe(2);
	});

	it('grows by a few hundred bytes per instance, not by a copy of the model', async () => {
		const ball = await texturedSphereScene('Ball');
		const scene = (count: number) => balls(count, ball);
		const one = (await exportSceneGlb(scene(1))).length;
		const fifty = (await exportSceneGlb(scene(50))).length;
		expect(one).toBeGreaterThan(100_000);
		// A node costs about 150 bytes of JSON; a copy of the ball would be over 100 kB.
		expect(fifty - one).toBeLessThan(49 * 250);
		expect(fifty).toBeLessThan(1.1 * one);
	});

	it('leaves Orfeas’s extras out when asked', async () => {
		const root = (await new NodeIO().readBinary(await exportSceneGlb(input, { extras: false }))).getRoot();
		expect(root.listNodes().map((n) => n.getExtras())).toEqual(input.document.objects.map(() => ({})));
		expect(root.getDefaultScene()!.getExtras()).toEqual({});
	});
});

describe('exportSceneFbx', () => {
	let dir: string;
	let models: Models;
	let input: SceneExportInput;
	const files = new Map<FbxProfile, string>();
	const blender = new Map<string, BlenderReport>();
	const assimp = new Map<FbxProfile, AssimpScene>();

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'orfeas-scene-export-'));
		models = await makeModels();
		input = yard(models);
		for (const profile of FBX_PROFILES) {
			const file = path.join(dir, `Yard-${profile}.fbx`);
			// Unreal's file with deflated arrays, so both encodings go through the readers.
			writeFileSync(file, exportSceneFbx(input, { profile, createdAt: new Date(0), compress: profile === 'unreal' }));
			files.set(profile, file);
		}
		const glb = path.join(dir, 'Yard.glb');
		writeFileSync(glb, await exportSceneGlb(input));
		const [reports, scenes] = await Promise.all([
			blenderImportAll([...files.values(), glb]),
			Promise.all(FBX_PROFILES.map((profile) => assimpNodes(files.get(profile)!))),
		]);
		for (const report of reports) blender.set(path.basename(report.file), report);
		FBX_PROFILES.forEach((profile, i) => assimp.set(profile, scenes[i]));
	}, 120_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it.each(FBX_PROFILES)('%s: one Model per object, linked to its parent, and one Geometry per model shared by its instances', (profile) => {
		const file = readFbx(exportSceneFbx(input, { profile, createdAt: new Date(0) }));
		const g = graph(file);
		const { objects } = input.document;
		const modelRecords = g.ofType('Model');
		expect(modelRecords.map(objectName)).toEqual(objects.map((o) => o.name));
		expect(modelRecords.map((m) => m.props[2])).toEqual(objects.map(() => 'Mesh'));
		expect(g.ofType('Geometry').map(objectName)).toEqual(['Ball', 'Crate']);
		expect(g.ofType('Material').map(objectName)).toEqual(['Ball', 'Crate']);
		expect(g.ofType('Texture')).toHaveLength(2);
		expect(g.ofType('Video')).toHaveLength(2);
		const counts = Object.fromEntries(children(child(file, 'Definitions'), 'ObjectType').map((t) => [t.props[0], child(t, 'Count').props[0]]));
		expect(counts).toEqual({ GlobalSettings: 1, Model: 7, Geometry: 2, Material: 2, Texture: 2, Video: 2 });

		const idOfModel = new Map(objects.map((o, i) => [o.id, modelRecords[i].props[0] as bigint]));
		objects.forEach((o, i) => {
			const id = modelRecords[i].props[0] as bigint;
			expect(g.parentOf(id), o.id).toBe(o.parent === undefined ? 0n : idOfModel.get(o.parent));
			const [geometry] = g.linkedTo(id, 'Geometry');
			expect(g.linkedTo(id, 'Geometry')).toHaveLength(1);
			expect(objectName(geometry)).toBe(input.models.get(o.id)!.model.name);
			expect(g.linkedTo(id, 'Material').map(objectName)).toEqual([input.models.get(o.id)!.model.name]);
			// The default rotation order: the angles are written for it.
			expect(property70(modelRecords[i], 'RotationOrder')).toBeUndefined();
			expect(property70(modelRecords[i], 'InheritType')).toEqual([1]);
		});
	});

	it.each(FBX_PROFILES)('%s: assimp reads the tree of named nodes, one per object, and one mesh per model', async (profile) => {
		const info = await assimpInfo(files.get(profile)!);
		expect(info.nodeNames).toEqual(['RootNode', ...depthFirst(input.document).map((o) => o.name)]);
		expect(info.nodes).toBe(input.document.objects.length + 1);
		expect(info.meshes).toBe(2);
		const { nodes, meshes } = assimp.get(profile)!;
		expect(meshes).toBe(2);
		// Nodes of one model point at one assimp mesh.
		const order = depthFirst(input.document);
		const meshOf = new Map<string, number | undefined>();
		order.forEach((o, i) => {
			const key = input.models.get(o.id)!.key;
			if (!meshOf.has(key)) meshOf.set(key, nodes[i + 1].mesh);
			expect(nodes[i + 1].mesh, o.name).toBe(meshOf.get(key));
		});
		expect(new Set(meshOf.values()).size).toBe(2);
	});

	it.each(FBX_PROFILES)('%s: assimp places every node at the document’s world matrix, in the file’s axes and units', (profile) => {
		const world = worldMatrices(input.document);
		const { nodes } = assimp.get(profile)!;
		const order = depthFirst(input.document);
		expect(nodes).toHaveLength(order.length + 1);
		expectMatrix(nodes[0].world, inProfile(new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), profile), 'RootNode');
		order.forEach((o, i) => {
			const node = nodes[i + 1];
			expect(node.depth).toBe(depthOf(input.document, o) + 1);
			// assimp keeps the file's units: centimetres for Unreal, so the tolerance scales with them.
			expectMatrix(node.world, inProfile(world.get(o.id)!, profile), `${profile} ${o.name}`, TOLERANCE * PROFILES[profile].unitsPerMetre);
		});
	});

	it.each(FBX_PROFILES)('%s: Blender puts every object’s vertices where the document’s world matrix puts its model', (profile) => {
		expectBlenderPlacement(blender.get(`Yard-${profile}.fbx`)!, input);
	});

	it('Blender places the GLB the same way', () => {
		expectBlenderPlacement(blender.get('Yard.glb')!, input);
	});

	it('grows by a few hundred bytes per instance, not by a copy of the model', async () => {
		const ball = await texturedSphereScene('Ball');
		const scene = (count: number) => balls(count, ball);
		const one = exportSceneFbx(scene(1), { createdAt: new Date(0) }).length;
		const fifty = exportSceneFbx(scene(50), { createdAt: new Date(0) }).length;
		expect(one).toBeGreaterThan(100_000);
		// A Model record with its three connections is about 750 bytes; a copy of the ball would be over 100 kB.
		expect(fifty - one).toBeLessThan(49 * 1000);
		expect(fifty).toBeLessThan(1.1 * one);
	});

	it('writes the same bytes for the same scene and time', async () => {
		const again = yard(await makeModels());
		for (const profile of FBX_PROFILES) {
			const a = exportSceneFbx(input, { profile, createdAt: new Date(0) });
			expect(Buffer.from(a).equals(Buffer.from(exportSceneFbx(again, { profile, createdAt: new Date(0) })))).toBe(true);
		}
	});
});

describe('scene export refuses', () => {
	let input: SceneExportInput;
	beforeAll(async () => {
		input = yard(await makeModels());
	});

	const both = async (broken: SceneExportInput, message: RegExp) => {
		await expect(exportSceneGlb(broken)).rejects.toMatchObject({ code: 'E_EXPORT', message: expect.stringMatching(message) });
		expect(() => exportSceneFbx(broken)).toThrow(expect.objectContaining({ code: 'E_EXPORT', message: expect.stringMatching(message) }));
	};

	it('an object without a model', async () => {
		const models = new Map(input.models);
		models.delete('pebble');
		await both({ ...input, models }, /Object "Pebble" \(pebble\) has no model/);
	});

	it('a document whose parents form a cycle', async () => {
		const objects = input.document.objects.map((o) => (o.id === 'shelf' ? { ...o, parent: 'tag' } : o));
		await both({ ...input, document: { ...input.document, objects } }, /not a valid scene document: object "\w+" is its own ancestor/);
	});

	it('a broken model', async () => {
		const crate = await texturedBoxScene('Crate');
		crate.lods[0].positions[1] = Number.NaN;
		const models = new Map([...input.models].map(([id, entry]) => [id, entry.key === 'asset:crate' ? { ...entry, model: crate } : entry]));
		await both({ ...input, models }, /non-finite/);
	});
});

function depthOf(document: SceneDocumentView, o: SceneObjectView): number {
	let depth = 0;
	for (let at = o.parent; at !== undefined; at = document.objects.find((p) => p.id === at)!.parent) depth++;
	return depth;
}

/** `count` instances of one ball in a row, each turned a little more. */
function balls(count: number, ball: ExportScene): SceneExportInput {
	const document = emptyScene('Balls');
	document.objects = Array.from({ length: count }, (_, i) => object(`ball-${i}`, `Ball ${i}`, [[i, 0, 0], [0, 10 * i, 0], [1, 1, 1]]));
	return { document, models: new Map(document.objects.map((o) => [o.id, { key: 'ball', model: ball }])) };
}
