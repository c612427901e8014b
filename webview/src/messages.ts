// Messages between the extension host and the model previewer webview, declared once with zod and checked on
// both sides: the webview never reaches the network or the disk, every byte it shows arrives in a `load`.
import * as z from 'zod';

/** Viewer settings the user toggles; persisted by the host (globalState) and restored on every open. */
export const ViewerSettings = z.object({
	wireframe: z.boolean(),
	grid: z.boolean(),
	environment: z.boolean(),
	autoRotate: z.boolean(),
});
export type ViewerSettings = z.infer<typeof ViewerSettings>;

export const VIEWER_DEFAULTS: ViewerSettings = { wireframe: false, grid: true, environment: true, autoRotate: false };

const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes (a Uint8Array)');

/** Host → webview. */
export const HostMessage = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('load'),
		/** File name shown in the stats, e.g. `cat.glb`. */
		name: z.string().min(1).max(512),
		format: z.enum(['glb', 'gltf']),
		bytes: Bytes,
		/** For `.gltf`: the external buffers and images it names, by their relative uri. */
		resources: z.record(z.string().max(1024), Bytes).optional(),
		/** Size on disk of the file and its resources, for the stats. */
		fileBytes: z.number().int().nonnegative(),
		/** True when this replaces a model already shown (the file changed): keep the camera. */
		refresh: z.boolean().optional(),
	}),
	z.object({ type: z.literal('settings'), settings: ViewerSettings }),
	z.object({ type: z.literal('screenshot') }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const ModelStats = z.object({
	vertices: z.number().int().nonnegative(),
	triangles: z.number().int().nonnegative(),
	materials: z.number().int().nonnegative(),
	textures: z.array(z.object({ width: z.number().int(), height: z.number().int() })),
	fileBytes: z.number().int().nonnegative(),
	lods: z.number().int().positive(),
	/** Size of the bounding box in metres: x, y, z. */
	size: z.tuple([z.number(), z.number(), z.number()]),
});
export type ModelStats = z.infer<typeof ModelStats>;

/** Webview → host. */
export const ViewMessage = z.discriminatedUnion('type', [
	z.object({ type: z.literal('ready') }),
	/** The model is on screen: its stats and how long from `load` to the first rendered frame. */
	z.object({ type: z.literal('shown'), stats: ModelStats, firstFrameMs: z.number().nonnegative() }),
	z.object({ type: z.literal('settings'), settings: ViewerSettings }),
	z.object({ type: z.literal('screenshot'), png: Bytes }),
	z.object({ type: z.literal('error'), message: z.string().max(2000) }),
]);
export type ViewMessage = z.infer<typeof ViewMessage>;
