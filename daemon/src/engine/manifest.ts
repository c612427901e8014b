// Model manifests (models/*.json, and installed copies under $ORFEAS_HOME/models/<id>/manifest.json): what a
// learned model is, where its files come from, and how to feed it and read it. The schema is declared once here.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { OrfeasError } from '../protocol/errors';

export const MODEL_KINDS = ['segmentation', 'depth', 'implicit'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const Rgb = z.tuple([z.number(), z.number(), z.number()]);

export const ModelFileSchema = z.object({
	/** `model` for single-file models; `encoder` and `decoder` for implicit ones. */
	role: z.enum(['model', 'encoder', 'decoder']),
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

export const ManifestSchema = z.object({
	id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, 'lower-case letters, digits, dot, dash or underscore'),
	name: z.string().min(1),
	kind: z.enum(MODEL_KINDS),
	version: z.string().default('1'),
	description: z.string().default(''),
	files: z.array(ModelFileSchema).min(1),
	input: InputSpecSchema,
	output: OutputSpecSchema.default({ index: 0, activation: 'none', normalize: 'none', level: 0, bound: 1 }),
	licence: z.object({ id: z.string(), url: z.string().url().optional(), permissive: z.boolean() }),
	source: z.object({ url: z.string().url(), paper: z.string().optional() }).optional(),
	notes: z.array(z.string()).optional(),
});

export type ModelManifest = z.infer<typeof ManifestSchema>;
export type InputSpec = z.infer<typeof InputSpecSchema>;
export type OutputSpec = z.infer<typeof OutputSpecSchema>;

export function parseManifest(value: unknown, origin: string): ModelManifest {
	const result = ManifestSchema.safeParse(value);
	if (result.success) {
		const m = result.data;
		const roles = m.files.map((f) => f.role).sort().join(',');
		const wanted = m.kind === 'implicit' ? 'decoder,encoder' : 'model';
		if (roles !== wanted) throw new OrfeasError('E_MODEL_LOAD', `${origin}: a ${m.kind} model needs files with roles ${wanted}, not ${roles}.`);
		return m;
	}
	const issue = result.error.issues[0];
	throw new OrfeasError('E_MODEL_LOAD', `${origin}: invalid manifest field "${issue.path.join('.')}": ${issue.message}.`);
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
