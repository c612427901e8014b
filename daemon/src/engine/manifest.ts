// Model manifests (models/*.json, and installed copies under $ORFEAS_HOME/models/<id>/manifest.json): what a
// learned model is, where its files come from, and how to feed it and read it. The schema is declared once here.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { OrfeasError } from '../protocol/errors';

export const MODEL_KINDS = ['segmentation', 'depth', 'implicit', 'triplane'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const Rgb = z.tuple([z.number(), z.number(), z.number()]);

export const ModelFileSchema = z.object({
	/**
	 * `model` for single-file models; `encoder` and `decoder` for implicit and triplane ones; `data` for a graph's
	 * external-data file, kept beside the graphs under the exact name the graph refers to.
	 */
	role: z.enum(['model', 'encoder', 'decoder', 'data']),
	/** File name under models/<id>/. */
	name: z.string().regex(/^[\w.-]+$/, 'a plain file name'),
	url: z.string().url(),
	bytes: z.number().int().positive().optional(),
	/** Only when actually known: the download is refused (E_MODEL_CHECKSUM) when it differs. */
	sha256: z.string().regex(/^[a-f0-9]{64}$/).optional(),
});

export const InputSpecSchema = z.object({
	name: z.string().optional(),
	/** Width and height the model takes; a multiple constraint applies when `multipleOf` is set. */
	size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
	resize: z.enum(['stretch', 'letterbox', 'cover']).default('stretch'),
	multipleOf: z.number().int().positive().optional(),
	mean: Rgb.default([0, 0, 0]),
	std: Rgb.default([1, 1, 1]),
	layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
	colorOrder: z.enum(['RGB', 'BGR']).default('RGB'),
	/** Pixel values before mean/std: [0, 1] or [0, 255]. */
	range: z.tuple([z.number(), z.number()]).default([0, 1]),
});

export const OutputSpecSchema = z.object({
	name: z.string().optional(),
	/** Which output, when the model has several and no name is given. */
	index: z.number().int().nonnegative().default(0),
	activation: z.enum(['none', 'sigmoid']).default('none'),
	normalize: z.enum(['none', 'minmax']).default('none'),
	/** depth: whether larger values are nearer (disparity) or farther (depth). */
	semantics: z.enum(['depth', 'disparity']).optional(),
	/** implicit: signed distance (inside < level) or density (inside > level). */
	field: z.enum(['sdf', 'density']).optional(),
	level: z.number().default(0),
	/** implicit: the cube [-bound, bound]³ the field is sampled in. */
	bound: z.number().positive().default(1),
	/** implicit: name of the optional per-point colour output. */
	rgb: z.string().optional(),
	/** implicit: names of the decoder's inputs. */
	latentName: z.string().optional(),
	pointsName: z.string().optional(),
});

const Axis = z.enum(['+x', '-x', '+y', '-y', '+z', '-z']);
const Coordinate = z.enum(['x', 'y', 'z']);

/** How a triplane model is fed, sampled and read (kind `triplane`; TripoSR and its exports). */
export const TriplaneSpecSchema = z.object({
	/** The subject's larger side as a share of the square picture the encoder sees. */
	foregroundRatio: z.number().gt(0).max(1),
	/** Grey (0–1 RGB) the cut-out subject is composited on. */
	background: Rgb,
	/** The encoder's triplane output; left out → its first output. */
	output: z.string().optional(),
	/** Planes, channels, height, width of the triplane (the encoder's output without its batch axis). */
	shape: z.tuple([z.literal(3), z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
	/** Per plane, the point coordinate that indexes its width, then the one that indexes its height. */
	planes: z.tuple([z.tuple([Coordinate, Coordinate]), z.tuple([Coordinate, Coordinate]), z.tuple([Coordinate, Coordinate])]),
	/** The triplane covers the cube [-radius, radius]³ of the model's world. */
	radius: z.number().positive(),
	decoder: z.discriminatedUnion('input', [
		/** The decoder takes the features sampled at each point: [N, planes × channels], plane by plane. */
		z.object({ input: z.literal('features'), features: z.string().optional() }),
		/** The decoder samples the triplane itself: the triplane and the points. */
		z.object({
			input: z.literal('points'),
			triplane: z.string().optional(),
			points: z.string().optional(),
			/** [N, 3] (2) or [1, N, 3] (3). */
			pointsRank: z.union([z.literal(2), z.literal(3)]).default(2),
			/** Points in [-1, 1] (`normalized`) or in [-radius, radius] (`radius`). */
			pointsScale: z.enum(['normalized', 'radius']).default('normalized'),
		}),
	]),
	/** The density output: activation(raw + bias) is the density; `none` when the export applies it already. */
	density: z.object({
		name: z.string(),
		channel: z.number().int().nonnegative().optional(),
		activation: z.enum(['trunc_exp', 'exp', 'none']),
		bias: z.number().default(0),
	}),
	/** The colour output (three channels from `channel`, default 0): activation(raw) is RGB in 0–1. */
	color: z.object({ name: z.string(), channel: z.number().int().nonnegative().optional(), activation: z.enum(['sigmoid', 'none']) }),
	/** The surface is where the density crosses this level. */
	level: z.number(),
	/** The model axis pointing to the picture's right, its up, and toward the camera. */
	frame: z.object({ right: Axis, up: Axis, front: Axis }),
});

export const ManifestSchema = z.object({
	id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, 'lower-case letters, digits, dot, dash or underscore'),
	name: z.string().min(1),
	kind: z.enum(MODEL_KINDS),
	version: z.string().default('1'),
	description: z.string().default(''),
	/** What running it takes, for lists: download size, memory, whether a GPU is wanted. */
	needs: z.string().optional(),
	files: z.array(ModelFileSchema).min(1),
	input: InputSpecSchema,
	output: OutputSpecSchema.default({ index: 0, activation: 'none', normalize: 'none', level: 0, bound: 1 }),
	triplane: TriplaneSpecSchema.optional(),
	licence: z.object({ id: z.string(), url: z.string().url().optional(), permissive: z.boolean() }),
	source: z.object({ url: z.string().url(), paper: z.string().optional() }).optional(),
	notes: z.array(z.string()).optional(),
});

export type ModelManifest = z.infer<typeof ManifestSchema>;
export type InputSpec = z.infer<typeof InputSpecSchema>;
export type OutputSpec = z.infer<typeof OutputSpecSchema>;
export type TriplaneSpec = z.infer<typeof TriplaneSpecSchema>;

/** The files each kind needs, by role (external `data` files come on top). */
const ROLES: Record<ModelKind, string> = { segmentation: 'model', depth: 'model', implicit: 'decoder,encoder', triplane: 'decoder,encoder' };

export function parseManifest(value: unknown, origin: string): ModelManifest {
	const result = ManifestSchema.safeParse(value);
	if (result.success) {
		const m = result.data;
		const roles = m.files.filter((f) => f.role !== 'data').map((f) => f.role).sort().join(',');
		const wanted = ROLES[m.kind];
		if (roles !== wanted) throw new OrfeasError('E_MODEL_LOAD', `${origin}: a ${m.kind} model needs files with roles ${wanted}, not ${roles}.`);
		if ((m.kind === 'triplane') !== Boolean(m.triplane)) {
			throw new OrfeasError('E_MODEL_LOAD', `${origin}: the "triplane" section belongs to triplane models, and every triplane model needs one.`);
		}
		if (m.triplane) checkFrame(m.triplane.frame, origin);
		return m;
	}
	const issue = result.error.issues[0];
	throw new OrfeasError('E_MODEL_LOAD', `${origin}: invalid manifest field "${issue.path.join('.')}": ${issue.message}.`);
}

/** The three axes must be the model's x, y and z, each once. */
function checkFrame(frame: TriplaneSpec['frame'], origin: string): void {
	const axes = new Set([frame.right[1], frame.up[1], frame.front[1]]);
	if (axes.size !== 3) throw new OrfeasError('E_MODEL_LOAD', `${origin}: triplane.frame must name each of x, y and z once (right ${frame.right}, up ${frame.up}, front ${frame.front}).`);
}

/** Every `*.json` manifest in a folder (not recursive); a broken one is reported through `onError` and skipped. */
export async function loadManifestDir(dir: string, onError: (error: OrfeasError) => void = () => {}): Promise<ModelManifest[]> {
	const names = await readdir(dir).catch(() => [] as string[]);
	const manifests: ModelManifest[] = [];
	for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
		const file = path.join(dir, name);
		try {
			manifests.push(parseManifest(JSON.parse(await readFile(file, 'utf8')), file));
		} catch (error) {
			onError(error instanceof OrfeasError ? error : new OrfeasError('E_MODEL_LOAD', `${file}: ${String(error)}`));
		}
	}
	return manifests;
}
