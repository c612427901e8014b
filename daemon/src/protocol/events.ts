// Daemon → client messages of protocol v1: replies (carry `re`) and events (PROTOCOL.md § Events). Clients
// validate what they receive with these; the daemon's tests check every frame it sends against them.
import { z } from 'zod';
import { VIEW_NAMES, type ViewName } from './views';
import { ERROR_CODES } from './errors';
import { FILE_FORMATS, GenerateOptionsSchema } from './options';
import { AssetId, JOB_STATES, JobId, ModelId, PRIORITIES, Placement, RequestId, SceneId } from './messages';
import { STAGES } from '../pipeline/stages';
import { SceneDocument } from './scene';

const reply = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
	z.object({ type: z.literal(type), re: RequestId, ...shape });
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]);
export const StageSchema = z.enum(STAGES);

export const AssetFile = z.object({
	name: z.string(),
	format: z.enum(FILE_FORMATS),
	bytes: z.number().int().nonnegative(),
	sha256: z.string().regex(/^[a-f0-9]{64}$/),
	url: z.string(),
});

export const Stats = z.object({
	vertices: z.number().int(),
	triangles: z.number().int(),
	textureSize: z.number().int(),
	lods: z.number().int(),
	ms: z.record(z.string(), z.number()),
	/** Generated from several views: how well each agrees with the model (IoU of its outline with the model's, 0–1). */
	views: z.object(Object.fromEntries(VIEW_NAMES.map((view) => [view, z.number().min(0).max(1).optional()])) as Record<ViewName, z.ZodOptional<z.ZodNumber>>).optional(),
});

export const ModelInfo = z.object({
	id: ModelId,
	kind: z.enum(['segmentation', 'shape', 'depth', 'implicit', 'triplane', 'remote']),
	builtin: z.boolean(),
	installed: z.boolean(),
	loaded: z.boolean(),
	description: z.string(),
	name: z.string().optional(),
	licence: z.string().optional(),
	bytes: z.number().int().nonnegative().optional(),
	/** What running it takes (download, memory, GPU), in a sentence. */
	needs: z.string().optional(),
	/** remote: the generation server's address, whether it answered its last health check, and when that was. */
	url: z.string().optional(),
	reachable: z.boolean().optional(),
	checkedAt: z.string().optional(),
});

/** A job as clients see it (job.get, job.list, HTTP). */
export const Job = z.object({
	jobId: JobId,
	kind: z.enum(['generate', 'export', 'pull']),
	/** pull jobs: the model being installed. */
	modelId: ModelId.optional(),
	state: z.enum(JOB_STATES),
	priority: z.enum(PRIORITIES),
	name: z.string(),
	createdAt: z.string(),
	updatedAt: z.string(),
	attempt: z.number().int().nonnegative(),
	position: z.number().int().nonnegative().optional(),
	options: GenerateOptionsSchema.partial(),
	assetId: AssetId.optional(),
	files: z.array(AssetFile).optional(),
	stats: Stats.optional(),
	error: z.object({ code: ErrorCodeSchema, message: z.string(), stage: z.string().optional() }).optional(),
});

export const DaemonMessages = {
	welcome: reply('welcome', {
		protocol: z.number().int(),
		session: z.string(),
		daemon: z.object({ version: z.string() }),
		engine: z.object({
			providers: z.array(z.string()),
			active: z.string(),
			/** Providers asked for but not usable, with why. */
			fallbacks: z.array(z.object({ provider: z.string(), reason: z.string() })).optional(),
		}),
		models: z.array(ModelInfo),
		limits: z.object({
			maxPayload: z.number().int(),
			maxImageBytes: z.number().int(),
			maxImagePixels: z.number().int(),
			maxQueue: z.number().int(),
			maxMessagesPerSecond: z.number().int(),
		}),
		defaults: GenerateOptionsSchema,
		keepAliveMs: z.number().int(),
	}),
	accepted: reply('accepted', { jobId: JobId, position: z.number().int().nonnegative(), cached: z.boolean() }),
	ok: reply('ok', { delivered: z.number().int().nonnegative().optional() }),
	job: reply('job', { job: Job }),
	jobs: reply('jobs', { jobs: z.array(Job) }),
	/** One binary frame of a file: `bytes` is the whole file, this frame's payload starts at `offset`. */
	asset: reply('asset', {
		assetId: AssetId,
		file: z.string(),
		mime: z.string(),
		bytes: z.number().int().nonnegative(),
		sha256: z.string(),
		offset: z.number().int().nonnegative(),
		last: z.boolean(),
	}),
	models: reply('models', { models: z.array(ModelInfo) }),
	pong: reply('pong', {}),
	/** A scene as the daemon holds it: the document and its revision (scene.create, scene.get, scene.update, scene.layout). */
	scene: reply('scene', { sceneId: SceneId, revision: z.number().int().nonnegative(), document: SceneDocument }),
	error: z.object({
		type: z.literal('error'),
		re: RequestId.optional(),
		code: ErrorCodeSchema,
		message: z.string().min(1),
		details: z.record(z.string(), z.unknown()).optional(),
	}),
	'job.state': event('job.state', { jobId: JobId, state: z.enum(JOB_STATES), position: z.number().int().nonnegative().optional() }),
	'job.progress': event('job.progress', {
		jobId: JobId,
		stage: z.union([StageSchema, z.literal('download')]),
		stageIndex: z.number().int().nonnegative(),
		stageCount: z.number().int().positive(),
		progress: z.number().min(0).max(1),
		stageProgress: z.number().min(0).max(1),
		etaMs: z.number().nonnegative(),
		message: z.string().optional(),
	}),
	/** A generation or export: assetId, files and stats. A model pull: modelId, and no files. */
	'job.done': event('job.done', { jobId: JobId, assetId: AssetId.optional(), modelId: ModelId.optional(), files: z.array(AssetFile), stats: Stats.optional() }),
	'job.failed': event('job.failed', { jobId: JobId, code: ErrorCodeSchema, message: z.string(), stage: z.string() }),
	'job.cancelled': event('job.cancelled', { jobId: JobId }),
	import: event('import', {
		assetId: AssetId.optional(),
		sceneId: SceneId.optional(),
		files: z.array(AssetFile),
		placement: Placement.optional(),
		from: z.string(),
	}),
	'scene.changed': event('scene.changed', { sceneId: SceneId, revision: z.number().int() }),
} as const;

export type DaemonType = keyof typeof DaemonMessages;
export type DaemonMessageOf<K extends DaemonType> = z.infer<(typeof DaemonMessages)[K]>;
export type DaemonMessage = { [K in DaemonType]: DaemonMessageOf<K> }[DaemonType];
export type JobView = z.infer<typeof Job>;
export type AssetFileView = z.infer<typeof AssetFile>;
export type StatsView = z.infer<typeof Stats>;
export type ModelView = z.infer<typeof ModelInfo>;
