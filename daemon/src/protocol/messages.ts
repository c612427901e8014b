// Client → daemon messages of protocol v1 (PROTOCOL.md § Session, § Requests), declared once with zod. The
// daemon validates every frame with these; the extension and webview import them; the Python and C# bridges
// are held to the same rules through test/protocol-vectors/.
import { z } from 'zod';
import { AssetId, JobId, ModelId, RequestId, SceneId, UploadId } from './ids';
import { COLLIDERS, EXPORT_FORMATS, EXPORT_PROFILES, GenerateOptionsSchema, LodRatios } from './options';
import { LAYOUT_MODES, MAX_SCENE_OBJECTS, SceneDocument, SceneOp } from './scene';
import { EXTRA_VIEWS, VIEW_NAMES } from './views';

export const PROTOCOL_VERSION = 1;

export { AssetId, JobId, ModelId, RequestId, SceneId, UploadId } from './ids';

export const ROLES = ['import-target'] as const;
export const PRIORITIES = ['low', 'normal', 'high'] as const;
export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const PUSH_TARGETS = ['blender', 'unity', '*'] as const;

export type JobState = (typeof JOB_STATES)[number];
export type Priority = (typeof PRIORITIES)[number];

const request = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
	z.object({ type: z.literal(type), id: RequestId, ...shape });

export const Hello = request('hello', {
	protocol: z.number().int().positive(),
	token: z.string().max(256).optional(),
	client: z.object({ name: z.string().min(1).max(64), version: z.string().max(64) }),
	roles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
});

/** Where the picture comes from: a local file, an earlier HTTP upload, or the payload of this binary frame. */
export const ImageSource = z.union([
	z.object({ path: z.string().min(1).max(4096) }).strict(),
	z.object({ upload: UploadId }).strict(),
	z.object({ inline: z.literal(true) }).strict(),
]);

export const GenerateRequest = {
	/** The picture: the object's front, or with `sheet` a picture holding several views side by side. */
	image: ImageSource,
	/**
	 * More pictures of the same object, each from a named side (protocol/views.ts); each side once, checked by the
	 * daemon. Sent by path or upload: a binary frame carries one picture, the front.
	 */
	views: z.array(z.object({ view: z.enum(EXTRA_VIEWS), image: ImageSource }).strict()).min(1).max(EXTRA_VIEWS.length).optional(),
	/** `image` is a turnaround sheet holding these views side by side, left to right on one background. */
	sheet: z.array(z.enum(VIEW_NAMES)).min(2).max(VIEW_NAMES.length).optional(),
	options: GenerateOptionsSchema.partial().optional(),
	name: z.string().min(1).max(128).optional(),
	priority: z.enum(PRIORITIES).optional(),
};

const JobTarget = z.union([JobId, z.literal('*')]);
const Vector3 = z.tuple([z.number(), z.number(), z.number()]);

/** Where pushed content should land in the receiving editor; every field optional. */
export const Placement = z.object({
	position: Vector3.optional(),
	rotation: Vector3.optional(),
	scale: Vector3.optional(),
	atCursor: z.boolean().optional(),
});

export const ClientMessages = {
	hello: Hello,
	generate: request('generate', GenerateRequest),
	export: request('export', {
		assetId: AssetId,
		format: z.enum(EXPORT_FORMATS),
		profile: z.enum(EXPORT_PROFILES).optional(),
		lods: LodRatios.optional(),
		collider: z.enum(COLLIDERS).optional(),
	}),
	cancel: request('cancel', { jobId: JobId }),
	/**
	 * Follows a job ('*': every unfinished one). The reply `ok` is followed by a snapshot — the job's state, and its
	 * final event if it has ended — then live events. A subscription hears exactly one final event (job.done,
	 * job.failed or job.cancelled) per job, whether it comes from the snapshot or live; subscribing again starts a
	 * new subscription, with its own snapshot.
	 */
	subscribe: request('subscribe', { jobId: JobTarget }),
	unsubscribe: request('unsubscribe', { jobId: JobTarget }),
	'job.get': request('job.get', { jobId: JobId }),
	'job.list': request('job.list', { state: z.enum(JOB_STATES).optional(), limit: z.number().int().min(1).max(1000).optional() }),
	'asset.get': request('asset.get', { assetId: AssetId, file: z.string().min(1).max(128) }),
	'models.list': request('models.list', {}),
	'models.load': request('models.load', { modelId: ModelId }),
	'models.unload': request('models.unload', { modelId: ModelId }),
	'models.pull': request('models.pull', { modelId: ModelId, acceptLicence: z.boolean().optional() }),
	/** A daemon-held scene: from a document (empty when none), its relative paths resolved against `base`. */
	'scene.create': request('scene.create', { document: SceneDocument.optional(), base: z.string().min(1).max(4096).optional() }),
	'scene.get': request('scene.get', { sceneId: SceneId }),
	/** Edits made against `revision` (refused with E_CONFLICT when the scene has moved on; omitted: applied as is). */
	'scene.update': request('scene.update', {
		sceneId: SceneId,
		revision: z.number().int().nonnegative().optional(),
		ops: z.array(SceneOp).max(MAX_SCENE_OBJECTS).optional(),
	}),
	/** Places the top-level objects on the ground without overlaps (deterministic for a seed). */
	'scene.layout': request('scene.layout', {
		sceneId: SceneId,
		revision: z.number().int().nonnegative().optional(),
		mode: z.enum(LAYOUT_MODES).optional(),
		seed: z.number().int().optional(),
		spacing: z.number().min(0).max(100).optional(),
	}),
	/**
	 * Generates every picture-sourced object that has no model yet: one generate job each (answered with `jobs`);
	 * each finished model is recorded in the scene (a new revision, scene.changed).
	 */
	'scene.build': request('scene.build', { sceneId: SceneId, revision: z.number().int().nonnegative().optional() }),
	/** One GLB or FBX of the whole scene (a job; its files come with job.done). */
	'scene.export': request('scene.export', { sceneId: SceneId, format: z.enum(['glb', 'fbx']).optional(), profile: z.enum(EXPORT_PROFILES).optional() }),
	push: request('push', {
		target: z.enum(PUSH_TARGETS),
		assetId: AssetId.optional(),
		sceneId: SceneId.optional(),
		placement: Placement.optional(),
	})
		.refine((m) => (m.assetId === undefined) !== (m.sceneId === undefined), { message: 'give exactly one of assetId and sceneId', path: ['assetId'] })
		// JSON Schema cannot say "exactly one of": these keywords carry the refinement to the clients that validate
		// with protocol_v1.json (json-schema.ts).
		.meta({ 'x-orfeas-exactlyOne': ['assetId', 'sceneId'], 'x-orfeas-field': 'assetId' }),
	ping: request('ping', {}),
	/**
	 * Stops the daemon as SIGTERM does (no new work, running jobs finish or go back to the queue, daemon.json removed),
	 * on every system, Windows included. Only a client holding the daemon's own token on a loopback connection may
	 * ask; others get E_FORBIDDEN. The reply `ok` comes first, then the socket closes with 1001 as the daemon stops.
	 */
	'daemon.stop': request('daemon.stop', {}),
} as const;

export type ClientType = keyof typeof ClientMessages;
export type ClientMessage = { [K in ClientType]: z.infer<(typeof ClientMessages)[K]> }[ClientType];
export type ClientMessageOf<K extends ClientType> = z.infer<(typeof ClientMessages)[K]>;

export function isClientType(type: string): type is ClientType {
	return Object.prototype.hasOwnProperty.call(ClientMessages, type);
}
