// Generate options and input limits, declared once. The CLI flags, the protocol's `generate.options`,
// `welcome.defaults` and every editor's settings read these values; nothing else spells a default.
import path from 'node:path';
import { z } from 'zod';
import { OrfeasError } from './errors';

/** Caps on untrusted input, enforced before any pixel is decoded. */
export const LIMITS = {
	/** Largest accepted image file. */
	maxImageBytes: 64 * 1024 * 1024,
	/** Largest accepted image area (width × height), checked from the header before decoding. */
	maxImagePixels: 50_000_000,
	/** Largest WebSocket frame (PROTOCOL.md § Frames). */
	maxPayload: 32 * 1024 * 1024,
	/** Jobs waiting to run; one more is refused with E_QUEUE_FULL. */
	maxQueue: 100,
	/** Sustained messages per second one connection may send (bursts of twice that are allowed). */
	maxMessagesPerSecond: 200,
} as const;

/** Picture files Orfeas reads, by extension (the decoder checks the bytes, not the name). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif'] as const;

/** Whether `file` ends in one of IMAGE_EXTENSIONS, whatever the case. */
export function hasImageExtension(file: string): boolean {
	return (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

export const SEGMENTATION_MODES = ['auto', 'alpha', 'chroma'] as const;
export const EXPORT_FORMATS = ['glb', 'fbx', 'obj', 'stl', 'ply'] as const;
export const EXPORT_PROFILES = ['generic', 'unity', 'unreal', 'godot'] as const;
export const COLLIDERS = ['none', 'hull', 'mesh'] as const;
/** What an output file is: a model format, or a file an OBJ or PLY names beside itself (material, texture). */
export const FILE_FORMATS = [...EXPORT_FORMATS, 'mtl', 'png', 'jpeg'] as const;

export type SegmentationMode = (typeof SEGMENTATION_MODES)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportProfile = (typeof EXPORT_PROFILES)[number];
export type Collider = (typeof COLLIDERS)[number];
export type FileFormat = (typeof FILE_FORMATS)[number];

/** Options of one generation. */
export interface GenerateOptions {
	/** Shape model: `builtin:inflate` or the id of a pulled model. */
	model: string;
	/** How the subject is separated from the background: `auto`, `alpha`, `chroma`, or a segmentation model id. */
	segmentation: string;
	/** Geometry grid: cells along the longer side of the subject. */
	resolution: number;
	/** Depth of the inflated shape: 1 makes a disc a sphere, smaller values flatten it. */
	thickness: number;
	/** Edge of the square base-colour texture, in pixels. */
	textureSize: number;
	/** Height of the model in metres (its bounding box, standing on the ground). */
	height: number;
	/** Triangle budget of the final mesh. */
	maxTriangles: number;
	formats: ExportFormat[];
	/** LOD ratios, e.g. [1, 0.5, 0.25]; empty for a single level. */
	lods: number[];
	collider: Collider;
	profile: ExportProfile;
}

export const GENERATE_DEFAULTS: Readonly<GenerateOptions> = Object.freeze<GenerateOptions>({
	model: 'builtin:inflate',
	segmentation: 'auto',
	resolution: 256,
	// Measured with `npm run eval:shape` on real and made meshes rendered from the front: real objects are about as
	// deep as they are wide, so a disc becoming a sphere (1) scores F@0.05 0.615 against 0.413 at 0.5; a thinner
	// union-of-balls profile (0.559), squarer profiles (0.594–0.625) and deeper ones (0.550–0.593) did not beat it.
	thickness: 1,
	textureSize: 1024,
	height: 1,
	maxTriangles: 20_000,
	formats: ['glb'],
	lods: [],
	collider: 'none',
	profile: 'generic',
});

/** Largest deviation of an LOD level from the full mesh, as a fraction of the model's size (meshoptimizer's error). */
export const LOD_ERROR_DEFAULT = 0.01;

/** Inclusive bounds of the numeric options; the schema, the CLI help and editors' settings use them. */
export const GENERATE_BOUNDS = {
	resolution: { min: 32, max: 1024 },
	thickness: { min: 0, max: 1 },
	textureSize: { min: 512, max: 4096 },
	height: { min: 0.001, max: 1000 },
	maxTriangles: { min: 100, max: 2_000_000 },
} as const;

/** LOD ratios: up to 8, each in (0, 1], strictly decreasing. */
export const LodRatios = z
	.array(z.number().gt(0).max(1))
	.max(8)
	.refine((ratios) => ratios.every((r, i) => i === 0 || r < ratios[i - 1]), 'LOD ratios must decrease, e.g. [1, 0.5, 0.25]')
	// JSON Schema cannot say "decreasing": this keyword carries the refinement to the clients that validate with
	// protocol_v1.json (json-schema.ts).
	.meta({ 'x-orfeas-decreasing': true });

const b = GENERATE_BOUNDS;
const d = GENERATE_DEFAULTS;

/** Schema of `generate.options`: every field optional on the wire, filled from GENERATE_DEFAULTS. */
export const GenerateOptionsSchema = z.object({
	model: z.string().min(1).max(200).default(d.model),
	segmentation: z.string().min(1).max(200).default(d.segmentation),
	resolution: z.number().int().min(b.resolution.min).max(b.resolution.max).default(d.resolution),
	thickness: z.number().min(b.thickness.min).max(b.thickness.max).default(d.thickness),
	textureSize: z.number().int().min(b.textureSize.min).max(b.textureSize.max).default(d.textureSize),
	height: z.number().min(b.height.min).max(b.height.max).default(d.height),
	maxTriangles: z.number().int().min(b.maxTriangles.min).max(b.maxTriangles.max).default(d.maxTriangles),
	formats: z.array(z.enum(EXPORT_FORMATS)).min(1).max(EXPORT_FORMATS.length).default([...d.formats]),
	lods: LodRatios.default([...d.lods]),
	collider: z.enum(COLLIDERS).default(d.collider),
	profile: z.enum(EXPORT_PROFILES).default(d.profile),
});

export type GenerateOptionsInput = z.input<typeof GenerateOptionsSchema>;

/**
 * The same options, each optional and without its default: what a document stores (a scene object's picture
 * source) must read back as written, not grow every default on the way through a parse.
 */
export const GenerateOptionsOverrides = z.object({
	model: GenerateOptionsSchema.shape.model.unwrap().optional(),
	segmentation: GenerateOptionsSchema.shape.segmentation.unwrap().optional(),
	resolution: GenerateOptionsSchema.shape.resolution.unwrap().optional(),
	thickness: GenerateOptionsSchema.shape.thickness.unwrap().optional(),
	textureSize: GenerateOptionsSchema.shape.textureSize.unwrap().optional(),
	height: GenerateOptionsSchema.shape.height.unwrap().optional(),
	maxTriangles: GenerateOptionsSchema.shape.maxTriangles.unwrap().optional(),
	formats: GenerateOptionsSchema.shape.formats.unwrap().optional(),
	lods: GenerateOptionsSchema.shape.lods.unwrap().optional(),
	collider: GenerateOptionsSchema.shape.collider.unwrap().optional(),
	profile: GenerateOptionsSchema.shape.profile.unwrap().optional(),
});

/**
 * Validates and completes options from any edge (CLI flags, a protocol message). Throws `E_BAD_MESSAGE` naming
 * the first bad field and its allowed range.
 */
export function parseGenerateOptions(input: unknown = {}): GenerateOptions {
	const result = GenerateOptionsSchema.safeParse(input ?? {});
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const field = issue.path.join('.') || 'options';
	throw new OrfeasError('E_BAD_MESSAGE', `Invalid option "${field}": ${issue.message}.`, { field });
}
