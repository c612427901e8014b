// The FBX writer read back three independent ways: test/helpers/fbx-reader (what records the file holds),
// assimp (counts, materials, node tree) and Blender 3.4 (names, hierarchy, real size in every profile, UVs,
// the embedded texture, and vertex positions against Blender's import of the same scene written as GLB,
// whose import is checked here too).
// Scenes come from test/helpers/export-scenes.ts; Blender runs once for every file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boolArray, encodeFbx, f32, f64, i16, i32, i64, node } from '../../daemon/src/export/fbx/binary';
import { writeFbx } from '../../daemon/src/export/fbx/writer';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { PROFILES } from '../../daemon/src/export/profiles';
import type { ExportMesh, ExportScene } from '../../daemon/src/export/scene';
import { OrfeasError } from '../../daemon/src/protocol/errors';
import type { ExportProfile } from '../../daemon/src/protocol/options';
import { VERSION } from '../../daemon/src/version';
import { assimpInfo } from '../helpers/assimp';
import { blenderImportAll, blenderObject, boundingDiagonal, pointSetDistance, uniquePoints, type BlenderReport } from '../helpers/blender';
import { boxMesh, sphereMesh, texturedBoxScene, texturedSphereScene, twoMaterialBoxScene } from '../helpers/export-scenes';
import { child, children, objectName, property70, readFbx, type FbxFile, type FbxRecord } from '../helpers/fbx-reader';

const PROFILE_IDS = Object.keys(PROFILES) as ExportProfile[];
/** The footer constants Blender's exporter (and the FBX SDK) end every binary file with. */
const FOOTER_ID = Buffer.from('fabcab09d0c8d466b176fb831cf7267e', 'hex');
const FOOTER_MAGIC = Buffer.from('f85a8c6adef5d97eece90ce3758f290b', 'hex');

function fbxBytes(scene: ExportScene, profile: ExportProfile, compress = false): Uint8Array {
	return writeFbx(scene, { profile: PROFILES[profile], createdAt: new Date(0), compress });
}

/** Unreal and Godot files are written with deflated arrays, so both array encodings go through every reader. */
const compressedFor = (profile: ExportProfile) => profile === 'unreal' || profile === 'godot';

/** The textured sphere as three LOD levels with a box hull collider around it (1 m tall, 1 m across). */
async function lodScene(): Promise<ExportScene> {
	const scene = await texturedSphereScene('Ball');
	const lods = [sphereMesh(48, 96), sphereMesh(24, 48), sphereMesh(12, 24)];
	const box = boxMesh(1, 1, 1);
	const hull: ExportMesh = { positions: box.positions, indices: box.indices, groups: box.groups };
	return { ...scene, lods, lodRatios: lods.map((m) => m.indices.length / lods[0].indices.length), collider: { kind: 'hull', mesh: hull } };
}

const triangles = (mesh: ExportMesh) => mesh.indices.length / 3;

/** Objects by id, and connections as [kind, child, parent, property?]. */
function graph(file: FbxFile) {
	const objects = new Map<bigint, FbxRecord>(child(file, 'Objects').children.map((r) => [r.props[0] as bigint, r]));
	const links = children(child(file, 'Connections'), 'C').map((c) => c.props as [string, bigint, bigint, string?]);
	const parentsOf = (id: bigint) => links.filter(([, from]) => from === id);
	const childrenOf = (id: bigint) => links.filter(([, , to]) => to === id).map(([kind, from, , property]) => ({ kind, record: objects.get(from), property }));
	const find = (type: string, name: string) => {
		const found = [...objects.values()].find((r) => r.name === type && objectName(r) === name);
		if (!found) throw new Error(`no ${type} named ${name}`);
		return found;
	};
	return { objects, links, parentsOf, childrenOf, find };
}

/** A by-polygon-vertex view of a layer element's data, whatever mapping and reference the file uses. */
function perCorner(element: FbxRecord, data: string, size: number, corners: Int32Array): number[][] {
	const mapping = child(element, 'MappingInformationType').props[0];
	const reference = child(element, 'ReferenceInformationType').props[0];
	const values = child(element, data).props[0] as Float64Array;
	const index = reference === 'IndexToDirect' ? (child(element, `${data}Index`).props[0] as Int32Array) : null;
	const vertexOf = (c: number) => (corners[c] < 0 ? ~corners[c] : corners[c]);
	return Array.from(corners, (_, c) => {
		const slot = mapping === 'ByPolygonVertex' ? c : mapping === 'ByVertice' ? vertexOf(c) : NaN;
		const at = index ? index[slot] : slot;
		return Array.from(values.subarray(at * size, at * size + size));
	});
}

describe('FBX binary encoding, read back', () => {
	it('keeps every property type, the nesting and the declared offsets', () => {
		const doubles = Float64Array.from({ length: 40 }, (_, i) => i / 3);
		const tree = [
			node('Scalars', [i16(-2), true, i32(-7), f32(0.5), f64(Math.PI), i64(2n ** 40n + 3n), 'Name\0\x01Class', new Uint8Array([1, 2, 3])]),
			node('Parent', [], [node('Child', [Int32Array.of(1, -2, 3)]), node('Empty')]),
			node('Arrays', [doubles, Float32Array.of(1.5), BigInt64Array.of(-1n), boolArray([true, false, true])]),
		];
		const file = readFbx(encodeFbx(tree));
		expect(file.version).toBe(7400);
		const [scalars, parent, arrays] = file.records;
		expect(scalars.types.join('')).toBe('YCIFDLSR');
		expect(scalars.props).toEqual([-2, true, -7, 0.5, Math.PI, 2n ** 40n + 3n, 'Name\0\x01Class', new Uint8Array([1, 2, 3])]);
		expect(scalars.nullRecord).toBe(false);
		expect(parent.children.map((c) => c.name)).toEqual(['Child', 'Empty']);
		expect(parent.nullRecord).toBe(true);
		expect(Array.from(parent.children[0].props[0] as Int32Array)).toEqual([1, -2, 3]);
		// Records follow each other: each starts where the previous one's declared end is.
		expect(file.records.map((r) => r.start)).toEqual([27, scalars.end, parent.end]);
		expect(parent.children[0].start).toBe(parent.start + 13 + 'Parent'.length);
		expect(arrays.types.join('')).toBe('dflb');
		expect(Array.from(arrays.props[0] as Float64Array)).toEqual(Array.from(doubles));
		expect(Array.from(arrays.props[3] as Uint8Array)).toEqual([1, 0, 1]);
		// 320 bytes of doubles are deflated; the 4- and 8-byte arrays are not.
		expect(arrays.encodings).toEqual([1, 0, 0, 0]);
		// The top level closes with a null record, then the footer.
		expect(file.footer.offset).toBe(arrays.end + 13);
		expect(file.footer.id.equals(FOOTER_ID)).toBe(true);
		expect(file.footer.magic.equals(FOOTER_MAGIC)).toBe(true);
		expect(file.footer.version).toBe(7400);
	});
});

describe('FBX records', () => {
	let box: ExportScene;
	let boxFile: FbxFile;

	beforeAll(async () => {
		box = await texturedBoxScene();
		boxFile = readFbx(fbxBytes(box, 'unity'));
	});

	it('parse as FBX 7.4 with the standard sections, creator and footer', () => {
		expect(boxFile.version).toBe(7400);
		expect(boxFile.records.map((r) => r.name)).toEqual([
			'FBXHeaderExtension',
			'FileId',
			'CreationTime',
			'Creator',
			'GlobalSettings',
			'Documents',
			'References',
			'Definitions',
			'Objects',
			'Connections',
			'Takes',
		]);
		expect(child(boxFile, 'Creator').props).toEqual([`Orfeas ${VERSION}`]);
		expect(child(child(boxFile, 'FBXHeaderExtension'), 'FBXVersion').props).toEqual([7400]);
		expect(boxFile.footer.id.equals(FOOTER_ID)).toBe(true);
		expect(boxFile.footer.magic.equals(FOOTER_MAGIC)).toBe(true);
		expect(boxFile.footer.version).toBe(7400);
	});

	it('leave arrays plain by default; with compress, deflate the large ones and leave the small ones plain', () => {
		const plain = child(child(boxFile, 'Objects'), 'Geometry');
		expect(child(plain, 'Vertices').encodings).toEqual([0]);
		const geometry = child(child(readFbx(fbxBytes(box, 'unity', true)), 'Objects'), 'Geometry');
		// 24 vertices × 3 doubles = 576 bytes; 12 per-triangle material indices = 48 bytes.
		expect(child(geometry, 'Vertices').encodings).toEqual([1]);
		expect(child(child(geometry, 'LayerElementMaterial'), 'Materials').encodings).toEqual([0]);
		expect(child(geometry, 'Vertices').props[0]).toEqual(child(plain, 'Vertices').props[0]);
	});

	it('count each object class in Definitions', () => {
		const definitions = child(boxFile, 'Definitions');
		const counts = Object.fromEntries(children(definitions, 'ObjectType').map((t) => [t.props[0], child(t, 'Count').props[0]]));
		expect(counts).toMatchObject({ Model: 1, Geometry: 1, Material: 1, Texture: 1, Video: 1 });
		expect(child(definitions, 'Count').props[0]).toBe(Object.values(counts).reduce((a, b) => Number(a) + Number(b), 0));
	});

	it.each(PROFILE_IDS)('carry the %s profile’s axes and units, with the vertices in them', (id) => {
		const file = readFbx(fbxBytes(box, id));
		const settings = child(file, 'GlobalSettings');
		const get = (name: string) => property70(settings, name)?.[0];
		const zUp = PROFILES[id].up === 'Z';
		expect([get('UpAxis'), get('UpAxisSign'), get('FrontAxis'), get('FrontAxisSign'), get('CoordAxis'), get('CoordAxisSign')]).toEqual(
			zUp ? [2, 1, 1, -1, 0, 1] : [1, 1, 2, 1, 0, 1],
		);
		expect(get('UnitScaleFactor')).toBe(zUp ? 1 : 100);
		expect(get('OriginalUnitScaleFactor')).toBe(zUp ? 1 : 100);

		const vertices = child(child(child(file, 'Objects'), 'Geometry'), 'Vertices').props[0] as Float64Array;
		const p = box.lods[0].positions;
		const expected = Array.from({ length: p.length / 3 }, (_, v) => (zUp ? [p[3 * v] * 100, -p[3 * v + 2] * 100, p[3 * v + 1] * 100] : [p[3 * v], p[3 * v + 1], p[3 * v + 2]]));
		expect(Array.from(vertices)).toEqual(expected.flat().map((x) => expect.closeTo(x, 9)));
	});

	it('write triangles, normals, UVs with v flipped, and materials per polygon', async () => {
		const two = await twoMaterialBoxScene();
		const mesh = two.lods[0];
		const geometry = child(child(readFbx(fbxBytes(two, 'generic')), 'Objects'), 'Geometry');
		const corners = child(geometry, 'PolygonVertexIndex').props[0] as Int32Array;
		// The last corner of every polygon is stored as ~index: every polygon is a triangle.
		expect(Array.from(corners)).toEqual(Array.from(mesh.indices, (v, c) => (c % 3 === 2 ? ~v : v)));

		const normals = perCorner(child(geometry, 'LayerElementNormal'), 'Normals', 3, corners);
		normals.forEach((n, c) => expect(n).toEqual(Array.from(mesh.normals!.subarray(3 * mesh.indices[c], 3 * mesh.indices[c] + 3))));

		const uvLayer = child(geometry, 'LayerElementUV');
		expect(child(uvLayer, 'Name').props[0]).toBe('UVMap');
		const uvs = perCorner(uvLayer, 'UV', 2, corners);
		uvs.forEach(([u, v], c) => {
			const vertex = mesh.indices[c];
			expect(u).toBeCloseTo(mesh.uvs![2 * vertex], 6);
			expect(v).toBeCloseTo(1 - mesh.uvs![2 * vertex + 1], 6);
		});

		const materialLayer = child(geometry, 'LayerElementMaterial');
		expect(child(materialLayer, 'MappingInformationType').props[0]).toBe('ByPolygon');
		expect(Array.from(child(materialLayer, 'Materials').props[0] as Int32Array)).toEqual([...Array(8).fill(0), ...Array(4).fill(1)]);

		const layer = child(geometry, 'Layer');
		expect(children(layer, 'LayerElement').map((e) => child(e, 'Type').props[0]).sort()).toEqual(['LayerElementMaterial', 'LayerElementNormal', 'LayerElementUV']);
	});

	it('embed the texture in a Video linked through a Texture to the material’s DiffuseColor', () => {
		const g = graph(boxFile);
		const model = g.find('Model', 'Crate');
		const material = g.find('Material', 'Crate');
		const texture = g.childrenOf(material.props[0] as bigint).find((c) => c.kind === 'OP');
		expect(texture?.property).toBe('DiffuseColor');
		expect(texture?.record?.name).toBe('Texture');
		const video = g.childrenOf(texture!.record!.props[0] as bigint).map((c) => c.record);
		expect(video.map((v) => v?.name)).toEqual(['Video']);
		expect(Buffer.from(child(video[0]!, 'Content').props[0] as Uint8Array).equals(Buffer.from(box.materials[0].texture!.bytes))).toBe(true);
		expect(child(video[0]!, 'RelativeFilename').props[0]).toBe(box.materials[0].texture!.name);
		expect(child(texture!.record!, 'RelativeFilename').props[0]).toBe(box.materials[0].texture!.name);
		expect(g.parentsOf(material.props[0] as bigint).map(([, , to]) => to)).toEqual([model.props[0]]);
		expect(g.parentsOf(model.props[0] as bigint).map(([kind, , to]) => [kind, to])).toEqual([['OO', 0n]]);
	});

	it.each(PROFILE_IDS)('hang the %s LOD levels under a LodGroup and the collider beside it', async (id) => {
		const scene = await lodScene();
		const profile = PROFILES[id];
		const g = graph(readFbx(fbxBytes(scene, id)));
		const root = g.find('Model', 'Ball');
		expect(root.props[2]).toBe('LodGroup');
		expect(g.parentsOf(root.props[0] as bigint).map(([, , to]) => to)).toEqual([0n]);
		const under = g.childrenOf(root.props[0] as bigint).map((c) => c.record!);
		const attribute = under.find((r) => r.name === 'NodeAttribute')!;
		expect(attribute.props[2]).toBe('LodGroup');
		// One switch distance between each pair of neighbouring levels.
		expect(property70(attribute, 'Thresholds|Level1')).toBeDefined();
		expect(property70(attribute, 'Thresholds|Level2')).toBeUndefined();
		expect(under.filter((r) => r.name === 'Model').map(objectName)).toEqual([0, 1, 2].map((level) => profile.lodName('Ball', level)));

		const material = g.find('Material', 'Ball').props[0] as bigint;
		scene.lods.forEach((mesh, level) => {
			const lod = g.find('Model', profile.lodName('Ball', level));
			const linked = g.childrenOf(lod.props[0] as bigint).map((c) => c.record!);
			const geometry = linked.find((r) => r.name === 'Geometry')!;
			expect((child(geometry, 'PolygonVertexIndex').props[0] as Int32Array).length).toBe(3 * triangles(mesh));
			expect(linked.filter((r) => r.name === 'Material').map((r) => r.props[0])).toEqual([material]);
		});

		const collider = g.find('Model', profile.colliderName('Ball', 'hull'));
		expect(g.parentsOf(collider.props[0] as bigint).map(([, , to]) => to)).toEqual([0n]);
		expect(g.childrenOf(collider.props[0] as bigint).map((c) => c.record!.name)).toEqual(['Geometry']);
	});

	it('are the same bytes for the same scene', async () => {
		const scene = await lodScene();
		for (const id of PROFILE_IDS) expect(Buffer.from(fbxBytes(scene, id)).equals(Buffer.from(fbxBytes(await lodScene(), id)))).toBe(true);
	});

	it('are not written for a broken scene: E_EXPORT', async () => {
		const scene = await texturedBoxScene();
		const nan = boxMesh();
		nan.positions[4] = Number.NaN;
		const notTriangles = boxMesh();
		notTriangles.indices = notTriangles.indices.subarray(0, 35);
		const empty: ExportMesh = { positions: new Float32Array(0), indices: new Uint32Array(0), groups: [] };
		for (const mesh of [empty, nan, notTriangles]) {
			const broken = { ...scene, lods: [mesh] };
			expect(() => fbxBytes(broken, 'unity')).toThrow(OrfeasError);
			expect(() => fbxBytes(broken, 'unity')).toThrow(expect.objectContaining({ code: 'E_EXPORT' }));
		}
	});
});

describe('FBX read by assimp', () => {
	let dir: string;
	const write = (name: string, bytes: Uint8Array) => {
		const file = path.join(dir, name);
		writeFileSync(file, bytes);
		return file;
	};

	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'orfeas-fbx-assimp-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('reads the textured box: 12 triangles, a vertex per corner, its material and texture', async () => {
		const info = await assimpInfo(write('Crate.fbx', fbxBytes(await texturedBoxScene(), 'unity')), { raw: true });
		// assimp's FBX reader unrolls the by-corner layers, so a raw import has three vertices per triangle.
		expect(info.meshList).toEqual([{ name: 'Crate', vertices: 36, faces: 12, primitives: 'triangle' }]);
		expect(info.materialNames).toEqual(['Crate']);
		expect(info.embeddedTextures).toBe(1);
		expect(info.nodeNames).toEqual(['RootNode', 'Crate']);
		expect(info.min.map((x) => Math.round(x * 1e6) / 1e6)).toEqual([-0.3, 0, -0.2]);
		expect(info.max.map((x) => Math.round(x * 1e6) / 1e6)).toEqual([0.3, 1, 0.2]);
	});

	it('splits the two-material box into one mesh per material', async () => {
		const info = await assimpInfo(write('Tile.fbx', fbxBytes(await twoMaterialBoxScene(), 'unity')), { raw: true });
		expect(info.materialNames).toEqual(['Tile', 'Tile_Trim']);
		expect(info.meshList.map((m) => [m.faces, m.vertices])).toEqual([
			[8, 24],
			[4, 12],
		]);
		expect(info.embeddedTextures).toBe(1);
	});

	it.each(PROFILE_IDS)('reads the %s LOD chain and collider as named nodes with their triangles', async (id) => {
		const scene = await lodScene();
		const profile = PROFILES[id];
		const info = await assimpInfo(write(`Ball-${id}.fbx`, fbxBytes(scene, id, compressedFor(id))), { raw: true });
		const names = [...[0, 1, 2].map((level) => profile.lodName('Ball', level)), profile.colliderName('Ball', 'hull')];
		expect(info.nodeNames).toEqual(['RootNode', 'Ball', ...names]);
		expect(info.meshList.map((m) => [m.name, m.faces, m.vertices])).toEqual(
			[...scene.lods, scene.collider!.mesh].map((mesh, i) => [names[i], triangles(mesh), 3 * triangles(mesh)]),
		);
		// The collider has no material, so assimp gives it its default one.
		expect(info.materialNames).toEqual(['Ball', 'DefaultMaterial']);
		expect(info.embeddedTextures).toBe(1);
	});
});

describe('FBX imported by Blender 3.4', () => {
	let dir: string;
	let scene: ExportScene;
	const reports = new Map<string, BlenderReport>();
	const key = (format: 'fbx' | 'glb' | 'box.fbx', id: ExportProfile) => `${id}.${format}`;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'orfeas-fbx-blender-'));
		scene = await lodScene();
		// The box moved off-centre (+X, and +Z toward the viewer) so a mirrored or turned import shows.
		const box = await texturedBoxScene();
		const shifted = box.lods[0].positions;
		for (let i = 0; i < shifted.length; i += 3) {
			shifted[i] += 0.2;
			shifted[i + 2] += 0.3;
		}
		const files: string[] = [];
		const write = (name: string, bytes: Uint8Array) => {
			files.push(path.join(dir, name));
			writeFileSync(files.at(-1)!, bytes);
		};
		for (const id of PROFILE_IDS) {
			write(key('fbx', id), fbxBytes(scene, id, compressedFor(id)));
			write(key('glb', id), (await writeSceneGlb(scene, { profile: id }))[0].bytes);
			write(key('box.fbx', id), fbxBytes(box, id));
		}
		for (const report of await blenderImportAll(files)) reports.set(path.basename(report.file), report);
	}, 120_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it.each(PROFILE_IDS)('brings the %s profile in as a LOD group of 1 m tall textured levels and a collider', (id) => {
		const profile = PROFILES[id];
		const report = reports.get(key('fbx', id))!;
		const colliderName = profile.colliderName('Ball', 'hull');
		expect(report.objects.map((o) => o.name).sort()).toEqual(['Ball', ...[0, 1, 2].map((level) => profile.lodName('Ball', level)), colliderName].sort());
		expect(blenderObject(report, 'Ball')).toMatchObject({ type: 'EMPTY', parent: null });

		scene.lods.forEach((mesh, level) => {
			const lod = blenderObject(report, profile.lodName('Ball', level));
			expect(lod).toMatchObject({ type: 'MESH', parent: 'Ball', polygons: triangles(mesh), uvLayers: ['UVMap'] });
			// UnitScaleFactor and the axis system applied: 1 m tall along Blender's Z, 1 m across, in every profile.
			const [x, y, z] = lod.dimensions;
			expect(Math.abs(z - 1)).toBeLessThan(0.01);
			expect(Math.abs(x - 1)).toBeLessThan(0.01);
			expect(Math.abs(y - 1)).toBeLessThan(0.01);
			expect(lod.min[2]).toBeCloseTo(0, 5);
			expect(lod.materials).toHaveLength(1);
			expect(lod.materials[0]).toMatchObject({
				name: 'Ball',
				baseColorTexture: { width: 128, height: 128, packed: true, direct: true },
			});
		});

		const collider = blenderObject(report, colliderName);
		expect(collider).toMatchObject({ type: 'MESH', parent: null, polygons: 12, materials: [] });
		collider.dimensions.forEach((extent) => expect(Math.abs(extent - 1)).toBeLessThan(0.01));
	});

	it.each(PROFILE_IDS)('brings the %s single-level box in as one mesh object, standing upright and facing −Y', (id) => {
		const report = reports.get(key('box.fbx', id))!;
		expect(report.objects.map((o) => o.name)).toEqual(['Crate']);
		const crate = report.objects[0];
		expect(crate).toMatchObject({ type: 'MESH', parent: null, polygons: 12, uvLayers: ['UVMap'] });
		// x −0.1…0.5, glTF z 0.1…0.5 toward the viewer becomes Blender y −0.5…−0.1, y 0…1 becomes Blender z.
		crate.min.forEach((value, axis) => expect(value).toBeCloseTo([-0.1, -0.5, 0][axis], 5));
		crate.max.forEach((value, axis) => expect(value).toBeCloseTo([0.5, -0.1, 1][axis], 5));
		expect(crate.materials[0]?.baseColorTexture).toMatchObject({ name: 'checker.png', width: 64, height: 64, packed: true });
	});

	it.each(PROFILE_IDS)('brings our %s GLB in with the LOD levels and collider under the root, 1 m tall and textured', (id) => {
		const profile = PROFILES[id];
		const report = reports.get(key('glb', id))!;
		const colliderName = profile.colliderName('Ball', 'hull');
		expect(blenderObject(report, 'Ball')).toMatchObject({ type: 'EMPTY', parent: null });
		expect(blenderObject(report, colliderName)).toMatchObject({ type: 'MESH', parent: 'Ball' });
		scene.lods.forEach((mesh, level) => {
			const lod = blenderObject(report, profile.lodName('Ball', level));
			expect(lod).toMatchObject({ type: 'MESH', parent: 'Ball', polygons: triangles(mesh), uvLayers: ['UVMap'] });
			expect(Math.abs(lod.dimensions[2] - 1)).toBeLessThan(0.01);
			expect(lod.min[2]).toBeCloseTo(0, 5);
			expect(lod.materials[0]).toMatchObject({ name: 'Ball', baseColorTexture: { width: 128, height: 128 } });
		});
	});

	it.each(PROFILE_IDS)('puts every %s vertex where Blender puts it from the same scene as GLB', (id) => {
		const fbx = reports.get(key('fbx', id))!;
		const glb = reports.get(key('glb', id))!;
		const meshes = fbx.objects.filter((o) => o.type === 'MESH');
		expect(meshes).toHaveLength(4);
		for (const object of meshes) {
			const reference = blenderObject(glb, object.name).vertices;
			const size = boundingDiagonal(reference);
			const tolerance = 1e-5 * size;
			const a = uniquePoints(object.vertices, tolerance / 10);
			const b = uniquePoints(reference, tolerance / 10);
			expect(a.length, object.name).toBe(b.length);
			expect(pointSetDistance(a, b, tolerance) / size, object.name).toBeLessThan(1e-5);
		}
	});
});
