// Scene documents (`*.orfeas-scene.json`): several models placed together, versioned and diffable, with paths
// relative to the document so a scene moves with its folder and reads well in git. Declared once here; the
// daemon's scene.* requests, the VS Code scene editor and the bridges' scene import read these.
import { z } from 'zod';
import { AssetId } from './ids';
import { GenerateOptionsOverrides } from './options';

export const SCENE_FORMAT = 'orfeas-scene';
export const SCENE_VERSION = 1;
/** File names of scene documents end with this. */
export const SCENE_SUFFIX = '.orfeas-scene.json';
/** Most objects one scene may hold. */
export const MAX_SCENE_OBJECTS = 1000;

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** Object ids: short, stable, readable in diffs. */
export const SceneObjectId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an object id of letters, digits, _ and - (at most 64)');

/**
 * A relative path with forward slashes, inside the scene's folder or below a parent of it (`../pictures/cat.png`);
 * never absolute, never empty. The daemon resolves it against the document's folder.
 */
export const ScenePath = z
	.string()
	.min(1)
	.max(1024)
	// A pattern rather than a refinement, so the bridges' JSON Schema validators check it too.
	.regex(/^(?!\/)(?![A-Za-z]:)[^\\\x00]+$/, 'a relative path with forward slashes, e.g. models/cat.glb');

/**
 * Where the object's model comes from: a model file (`.glb`), or a picture to generate from with options. A
 * picture's generated model is remembered as `assetId` (the daemon's content-addressed result) once built.
 */
export const SceneSource = z.union([
	z.object({ model: ScenePath }).strict(),
	z.object({ image: ScenePath, options: GenerateOptionsOverrides.optional(), assetId: AssetId.optional() }).strict(),
]);

/**
 * Placement relative to the parent (or the scene): metres, Y up (glTF's axes); rotation as Euler angles in degrees
 * with the matrix Rx·Ry·Rz (three.js's order 'XYZ'); scale factors. The model's own origin (bottom centre) is the
 * point that `position` places.
 */
export const SceneTransform = z.object({
	position: Vec3,
	rotation: Vec3,
	scale: Vec3,
});

export const SceneObject = z.object({
	id: SceneObjectId,
	name: z.string().min(1).max(128),
	source: SceneSource,
	transform: SceneTransform,
	/** The id of another object this one moves with. */
	parent: SceneObjectId.optional(),
});

export const SceneDocument = z
	.object({
		format: z.literal(SCENE_FORMAT),
		version: z.literal(SCENE_VERSION),
		name: z.string().min(1).max(128),
		/** Always metres and Y up in version 1; written so a reader never has to guess. */
		units: z.literal('m'),
		up: z.literal('Y'),
		/** The ground plane everything rests on (height in metres). */
		ground: z.object({ y: z.number() }),
		objects: z.array(SceneObject).max(MAX_SCENE_OBJECTS),
	})
	.superRefine((scene, ctx) => {
		const ids = new Set<string>();
		scene.objects.forEach((object, i) => {
			if (ids.has(object.id)) ctx.addIssue({ code: 'custom', message: `object id "${object.id}" is used twice`, path: ['objects', i, 'id'] });
			ids.add(object.id);
		});
		scene.objects.forEach((object, i) => {
			if (object.parent === undefined) return;
			if (!ids.has(object.parent)) ctx.addIssue({ code: 'custom', message: `parent "${object.parent}" is not an object of this scene`, path: ['objects', i, 'parent'] });
			else if (parentCycle(scene.objects, object.id)) ctx.addIssue({ code: 'custom', message: `object "${object.id}" is its own ancestor`, path: ['objects', i, 'parent'] });
		});
	});

/** One edit of a scene (`scene.update.ops`), applied in order; a failing op leaves the scene as it was. A plain union (not
 * a discriminated one) so that its JSON Schema is an anyOf, which the bridges judge as zod does. */
export const SceneOp = z.union([
	z.object({ op: z.literal('add'), object: SceneObject }),
	z.object({ op: z.literal('remove'), id: SceneObjectId }),
	z.object({
		op: z.literal('set'),
		id: SceneObjectId,
		name: z.string().min(1).max(128).optional(),
		source: SceneSource.optional(),
		transform: SceneTransform.optional(),
		/** Another object's id, or null to make it a top-level object. */
		parent: SceneObjectId.nullable().optional(),
	}),
	z.object({ op: z.literal('replace'), document: SceneDocument }),
]);

export const LAYOUT_MODES = ['row', 'grid', 'circle', 'scatter'] as const;
export type LayoutMode = (typeof LAYOUT_MODES)[number];

export type SceneOpView = z.infer<typeof SceneOp>;
export type SceneDocumentView = z.infer<typeof SceneDocument>;
export type SceneObjectView = z.infer<typeof SceneObject>;
export type SceneTransformView = z.infer<typeof SceneTransform>;
export type SceneSourceView = z.infer<typeof SceneSource>;

/** A transform that leaves an object where its model puts it. */
export const IDENTITY_TRANSFORM: Readonly<SceneTransformView> = Object.freeze({ position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] });

/** An empty scene document. */
export function emptyScene(name: string): SceneDocumentView {
	return { format: SCENE_FORMAT, version: SCENE_VERSION, name, units: 'm', up: 'Y', ground: { y: 0 }, objects: [] };
}

function parentCycle(objects: readonly SceneObjectView[], id: string): boolean {
	const parentOf = new Map(objects.map((o) => [o.id, o.parent]));
	const seen = new Set<string>();
	for (let at: string | undefined = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
		if (at === id || seen.has(at)) return true;
		seen.add(at);
	}
	return false;
}
