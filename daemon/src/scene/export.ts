// A whole scene document as one file: GLB or binary FBX, a node per object with the document's local transform
// and parent, and one mesh per distinct model shared by every object that places it. The single-model writers
// supply the pieces (export/glb-scene.ts: materials and meshes; export/fbx/: records and file layout);
// transform.ts supplies the maths.
import { Document, type Mesh } from '@gltf-transform/core';
import { writeGlb } from '../export/glb';
import { gltfMaterials, gltfMesh } from '../export/glb-scene';
import { encodeFbx, type FbxNode } from '../export/fbx/binary';
import { addMaterials, fbxObjects, fileRecords, modelNode } from '../export/fbx/document';
import { geometryNode } from '../export/fbx/geometry';
import { pLcl } from '../export/fbx/properties';
import { axisMap, PROFILES, type Profile } from '../export/profiles';
import { validateScene, type ExportScene } from '../export/scene';
import { safeName } from '../naming';
import { OrfeasError } from '../protocol/errors';
import type { ExportProfile } from '../protocol/options';
import { SceneDocument, type SceneDocumentView, type SceneObjectView, type SceneTransformView } from '../protocol/scene';
import { VERSION } from '../version';
import { localMatrix, rotationQuaternion, type Vec3 } from './transform';

export const NAME = 'scene-export';

/** The model one object places. */
export interface SceneModel {
	/**
	 * Identifies a distinct model: an asset id or a resolved file path. Objects with the same key are instances
	 * of one model and share its mesh in the file; the model of the first such object stands for all of them.
	 */
	key: string;
	model: ExportScene;
}

export interface SceneExportInput {
	document: SceneDocumentView;
	/** The model of every object, by object id. */
	models: ReadonlyMap<string, SceneModel>;
}

export interface SceneGlbOptions {
	/**
	 * Write each object's id as `node.extras.orfeasId` and the ground height as `scene.extras.orfeasGround`, so
	 * a reader can map nodes back to the document. Off for a file that should carry nothing of Orfeas's own.
	 */
	extras: boolean;
}

export const SCENE_GLB_DEFAULTS: Readonly<SceneGlbOptions> = { extras: true };

export interface SceneFbxOptions {
	/** Engine profile: the file's up axis and units (generic and Unity: Y up, metres; Unreal: Z up, centimetres). */
	profile: ExportProfile;
	/** Time stamped into the file; the time of writing when left out. Fix it for byte-identical output. */
	createdAt?: Date;
	/** Deflate large arrays, as the single-model writer's option of the same name does. */
	compress: boolean;
}

export const SCENE_FBX_DEFAULTS: Readonly<SceneFbxOptions> = { profile: 'generic', compress: false };

/**
 * The scene as one GLB. Every object is a node named after the object (names may repeat, as glTF allows) with
 * the object's local translation, rotation (quaternion) and scale, its children as child nodes, and the objects
 * without a parent as the scene's roots, so each node's world matrix is the document's. Objects whose models
 * share a key reference one glTF mesh, with one set of materials and textures: ten chairs cost one chair and
 * ten nodes. Only LOD0 of each model is written, and no collider: a scene file is for placing and viewing; the
 * single-model exports carry LOD chains and colliders. Throws E_EXPORT before writing when the document is
 * invalid, an object has no model, or a model is broken (validateScene).
 *
 * @example
 * const models = new Map([
 *   ['chair-1', { key: assetId, model: chair }],
 *   ['chair-2', { key: assetId, model: chair }],
 * ]);
 * await fs.writeFile('Kitchen.glb', await exportSceneGlb({ document, models }));
 */
export async function exportSceneGlb(input: SceneExportInput, options: Partial<SceneGlbOptions> = {}): Promise<Uint8Array> {
	const { extras } = { ...SCENE_GLB_DEFAULTS, ...options };
	const { document, byKey, keyOf } = prepare(input);
	const doc = new Document();
	doc.getRoot().getAsset().generator = `Orfeas ${VERSION}`;
	const buffer = doc.createBuffer();

	const meshes = new Map<string, Mesh>();
	for (const [key, model] of byKey) meshes.set(key, gltfMesh(doc, buffer, model.name, model.lods[0], gltfMaterials(doc, model.materials)));

	const scene = doc.createScene(document.name);
	if (extras) scene.setExtras({ orfeasGround: { y: document.ground.y } });
	const nodes = new Map(
		document.objects.map((object) => {
			const { position, rotation, scale } = object.transform;
			const node = doc
				.createNode(object.name)
				.setTranslation([...position])
				.setRotation(rotationQuaternion(rotation))
				.setScale([...scale])
				.setMesh(meshes.get(keyOf(object))!);
			if (extras) node.setExtras({ orfeasId: object.id });
			return [object.id, node] as const;
		}),
	);
	for (const object of document.objects) {
		const node = nodes.get(object.id)!;
		if (object.parent === undefined) scene.addChild(node);
		else nodes.get(object.parent)!.addChild(node);
	}
	doc.getRoot().setDefaultScene(scene);
	return writeGlb(doc);
}

/**
 * The scene as one binary FBX 7.4 file (textures embedded), in the axes and units of the profile. Every object
 * is a Mesh model named after the object whose Lcl Translation, Lcl Rotation and Lcl Scaling give the
 * document's local transform in the file's axes, linked under its parent's model (roots under the scene root).
 * Objects whose models share a key are instances: one Geometry, with one set of Materials, Textures and
 * Videos, is connected to every model of that key. Only LOD0 of each model is written, and no collider. Throws
 * E_EXPORT before writing, as {@link exportSceneGlb} does.
 *
 * @example
 * const bytes = exportSceneFbx({ document, models }, { profile: 'unreal' });
 * await fs.writeFile('Kitchen.fbx', bytes);
 *
 * Contributor notes. FBX's default rotation order, eEulerXYZ, turns about X first, then Y, then Z: the matrix
 * Rz·Ry·Rx, where the document's Euler angles mean Rx·Ry·Rz. The angles are therefore re-derived from the
 * rotation matrix (after the profile's axis change) for the default order. Writing the document's angles with
 * RotationOrder eEulerZYX was tried: assimp honours it, but Blender 3.4 reads RotationOrder only when
 * RotationActive is set and placed every turned object wrong; the default order needs neither, and an axis
 * change needs the matrix anyway.
 * InheritType stays eInheritRSrs, plain matrix composition as in glTF, so a non-uniformly scaled parent
 * shears a turned child the same way in both files. Checked with Blender 3.4's and assimp 5.2's importers
 * (test/scene/export.test.ts): world-space vertices agree with the document to 1e-5 in every profile.
 */
export function exportSceneFbx(input: SceneExportInput, options: Partial<SceneFbxOptions> = {}): Uint8Array {
	const { profile: profileId, createdAt, compress } = { ...SCENE_FBX_DEFAULTS, ...options };
	const profile = PROFILES[profileId];
	const { document, byKey, keyOf } = prepare(input);
	const out = fbxObjects();

	// Per model: its materials (with textures and videos) and one Geometry, which every instance links to.
	const shared = new Map<string, { geometryId: number; materialIds: number[] }>();
	for (const [key, model] of byKey) {
		const materialIds = addMaterials(out, model.materials);
		const geometryId = out.id();
		out.objects.push(geometryNode(geometryId, safeName(model.name), model.lods[0], profile, true));
		out.counts.Geometry++;
		shared.set(key, { geometryId, materialIds });
	}

	const modelIds = new Map(document.objects.map((object) => [object.id, out.id()]));
	for (const object of document.objects) {
		const modelId = modelIds.get(object.id)!;
		const { geometryId, materialIds } = shared.get(keyOf(object))!;
		out.objects.push(modelNode(modelId, object.name, 'Mesh', lclProperties(object.transform, profile)));
		out.counts.Model++;
		out.connections.push(['OO', modelId, object.parent === undefined ? 0 : modelIds.get(object.parent)!], ['OO', geometryId, modelId]);
		for (const materialId of materialIds) out.connections.push(['OO', materialId, modelId]);
	}

	const records = fileRecords(out, { title: safeName(document.name), profile, createdAt: createdAt ?? new Date() });
	return encodeFbx(records, { deflate: compress });
}

/**
 * Checks the input before any writing: the document against its schema (ids, parents, no cycles), a model for
 * every object, every distinct model valid. Returns the models by key in order of first use.
 */
function prepare({ document, models }: SceneExportInput) {
	const parsed = SceneDocument.safeParse(document);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new OrfeasError('E_EXPORT', `The scene "${document.name}" is not a valid scene document: ${issue.message} at ${issue.path.join('.')}. Fix the document and export again.`);
	}
	const byKey = new Map<string, ExportScene>();
	for (const object of document.objects) {
		const entry = models.get(object.id);
		if (!entry) {
			throw new OrfeasError('E_EXPORT', `Object "${object.name}" (${object.id}) has no model to export. Build or resolve its model, then export the scene again.`);
		}
		if (!byKey.has(entry.key)) {
			validateScene(entry.model);
			byKey.set(entry.key, entry.model);
		}
	}
	const keyOf = (object: SceneObjectView) => models.get(object.id)!.key;
	return { document, byKey, keyOf };
}

/**
 * Lcl Translation, Rotation and Scaling of a transform in the profile's axes and units. The axis change A is a
 * rotation, so A·T·R·S·Aᵀ splits into a translation A·t, a rotation A·R·Aᵀ and a diagonal scale (the factors
 * permuted), keeping the child's frame consistent with the geometry written in the same axes.
 */
export function lclProperties(transform: SceneTransformView, profile: Profile): FbxNode[] {
	const { from, sign } = axisMap(profile);
	const { position, rotation, scale } = transform;
	const m = localMatrix({ position: [0, 0, 0], rotation, scale: [1, 1, 1] });
	const r = (row: number, col: number) => m[col * 4 + row];
	// R' = A·R·Aᵀ: element (i, j) is sign_i · sign_j · R(from_i, from_j).
	const turned = (i: number, j: number) => sign[i] * sign[j] * r(from[i], from[j]);
	const axes = [0, 1, 2] as const;
	return [
		pLcl('Translation', axes.map((i) => sign[i] * position[from[i]] * profile.unitsPerMetre) as Vec3),
		pLcl('Rotation', eulerXyzDegrees(turned)),
		pLcl('Scaling', axes.map((i) => scale[from[i]]) as Vec3),
	];
}

/**
 * FBX eEulerXYZ angles (degrees) of a rotation matrix: R = Rz(γ)·Ry(β)·Rx(α). At β = ±90° only α ± γ is
 * defined; γ is set to 0 there.
 */
export function eulerXyzDegrees(r: (row: number, col: number) => number): Vec3 {
	const toDegrees = 180 / Math.PI;
	const sinBeta = Math.min(1, Math.max(-1, -r(2, 0)));
	const beta = Math.asin(sinBeta);
	if (Math.abs(sinBeta) < 1 - 1e-12) return [Math.atan2(r(2, 1), r(2, 2)) * toDegrees, beta * toDegrees, Math.atan2(r(1, 0), r(0, 0)) * toDegrees];
	return [Math.atan2(-r(1, 2), r(1, 1)) * toDegrees, beta * toDegrees, 0];
}
