// Messages between the extension host and the scene editor webview, declared once with zod and checked on both
// sides. The webview sees a view of the scene (what to draw), never the document itself: the host owns the
// `.orfeas-scene.json` text, turns every intent posted here into an edit of it, and hands out model bytes only
// for the `.glb` files the document names.
import * as z from 'zod';

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** An object's placement relative to its parent: metres, Euler degrees in three.js order 'XYZ', scale factors. */
export const ViewTransform = z.object({ position: Vec3, rotation: Vec3, scale: Vec3 });
export type ViewTransform = z.infer<typeof ViewTransform>;

/** The same id rule as the scene schema (daemon/src/protocol/scene.ts), repeated so the webview bundle stays Node-free. */
const ObjectId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const RelativePath = z.string().min(1).max(1024);

/** The arrangements of scene.layout (LAYOUT_MODES); the host checks at compile time that the lists agree. */
export const VIEW_LAYOUT_MODES = ['row', 'grid', 'circle', 'scatter'] as const;
export const ViewLayoutMode = z.enum(VIEW_LAYOUT_MODES);
export type ViewLayoutMode = z.infer<typeof ViewLayoutMode>;

export const SEND_TARGETS = ['blender', 'unity'] as const;

/** One object as drawn: a model file (whose bytes the webview asks for) or a picture (a labelled placeholder). */
export const ViewObject = z.object({
	id: ObjectId,
	name: z.string().min(1).max(128),
	source: z.discriminatedUnion('kind', [
		z.object({ kind: z.literal('model'), path: RelativePath }),
		/**
		 * `built`: the daemon has generated its model (the document holds an assetId); `model` is then the key
		 * (`asset:<assetId>`) under which the view asks for its bytes, like a model file's path.
		 */
		z.object({ kind: z.literal('image'), path: RelativePath, built: z.boolean(), model: RelativePath.optional() }),
	]),
	transform: ViewTransform,
	parent: ObjectId.optional(),
});
export type ViewObject = z.infer<typeof ViewObject>;

const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes (a Uint8Array)');
const Sentence = z.string().max(2000);

/** Host → webview. */
export const SceneHostMessage = z.discriminatedUnion('type', [
	/** The scene as the document says now; sent on open and after every change of the text, whoever made it. */
	z.object({ type: z.literal('scene'), name: z.string().max(128), groundY: z.number(), objects: z.array(ViewObject).max(1000) }),
	/** The text is not a valid scene: the view keeps the last good one and refuses edits until it is fixed. */
	z.object({ type: z.literal('invalid'), message: Sentence }),
	/** A model's bytes, for every object whose source is `path`. */
	z.object({ type: z.literal('model'), path: RelativePath, bytes: Bytes }),
	/** A model that could not be read: its objects are drawn as placeholders with this reason. */
	z.object({ type: z.literal('modelError'), path: RelativePath, message: Sentence }),
	/** Which toolbar commands exist in this VS Code (Build, Export and Send come from other commands). */
	z.object({ type: z.literal('commands'), build: z.boolean(), export: z.boolean(), send: z.boolean() }),
	/** A line for the status bar under the view; empty clears it. */
	z.object({ type: z.literal('status'), text: Sentence, kind: z.enum(['info', 'error']) }),
]);
export type SceneHostMessage = z.infer<typeof SceneHostMessage>;

/** Webview → host. */
export const SceneViewMessage = z.discriminatedUnion('type', [
	z.object({ type: z.literal('ready') }),
	/** Model files the view needs bytes for (paths exactly as the `scene` message gave them). */
	z.object({ type: z.literal('models'), paths: z.array(RelativePath).min(1).max(1000) }),
	/** A `scene` is on screen with every model it could load; how long from the message to that frame. */
	z.object({
		type: z.literal('shown'),
		objects: z.number().int().nonnegative(),
		models: z.number().int().nonnegative(),
		placeholders: z.number().int().nonnegative(),
		firstFrameMs: z.number().nonnegative(),
	}),
	/** A gizmo drag ended: the object's new transform relative to its parent. */
	z.object({ type: z.literal('transform'), id: ObjectId, transform: ViewTransform }),
	z.object({ type: z.literal('remove'), id: ObjectId }),
	z.object({ type: z.literal('layout'), mode: ViewLayoutMode }),
	/** Files dropped on the view, as the URIs of the drop's `text/uri-list`. */
	z.object({ type: z.literal('drop'), uris: z.array(z.string().min(1).max(4096)).min(1).max(200) }),
	z.object({ type: z.literal('run'), command: z.enum(['build', 'export', 'send']), target: z.enum(SEND_TARGETS).optional() }),
	z.object({ type: z.literal('error'), message: Sentence }),
]);
export type SceneViewMessage = z.infer<typeof SceneViewMessage>;
