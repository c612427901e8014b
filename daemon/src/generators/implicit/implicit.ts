// The `implicit` model kind (TripoSR-style): the picture is encoded once, the field decoder is sampled on a
// grid in chunks, marching tetrahedra (geometry/marching-cubes.ts) turns the field into a closed surface, and
// the decoder's colours at the vertices are baked into a UV atlas (geometry/bake.ts) for the base colour.
import type { ImplicitField } from '../../engine/engine';
import { sampleGrid } from '../../geometry/grid';
import { marchingCubes } from '../../geometry/marching-cubes';
import { OrfeasError } from '../../protocol/errors';
import type { DecodedImage, RgbaImage, SegmentResult, StageContext, TriMesh } from '../../pipeline/types';

/** Grid samples per axis for a generate resolution: half of it, within what a CPU samples in seconds. */
export function implicitGrid(resolution: number): number {
	return Math.min(192, Math.max(32, Math.round(resolution / 2)));
}

export interface SampledField {
	values: Float32Array;
	dims: [number, number, number];
	origin: [number, number, number];
	spacing: number;
	field: ImplicitField;
}

/** The shape stage for implicit models: the decoder on an n³ grid over [-bound, bound]³. */
export async function sampleImplicit(field: ImplicitField, n: number, ctx: StageContext): Promise<SampledField> {
	const origin: [number, number, number] = [-field.bound, -field.bound, -field.bound];
	const spacing = (2 * field.bound) / (n - 1);
	const total = n * n * n;
	let done = 0;
	const values = await sampleGrid(
		async (points) => {
			ctx.signal.throwIfAborted();
			const { values: out } = await field.evaluate(points);
			done += points.length / 3;
			ctx.progress(done / total);
			return out;
		},
		[n, n, n],
		origin,
		spacing,
	);
	// Marching works on "inside below the level"; a density is inside above it.
	if (field.field === 'density') for (let i = 0; i < values.length; i++) values[i] = -values[i];
	return { values, dims: [n, n, n], origin, spacing, field };
}

/** The mesh stage for implicit models: the closed surface of the sampled field, with the decoder's colours. */
export async function meshImplicit(sampled: SampledField, ctx: StageContext): Promise<TriMesh & { colors?: Float32Array }> {
	const level = sampled.field.field === 'density' ? -sampled.field.level : sampled.field.level;
	const surface = marchingCubes(sampled.values, sampled.dims, { level, origin: sampled.origin, spacing: sampled.spacing });
	ctx.progress(0.7);
	if (surface.indices.length === 0) {
		throw new OrfeasError('E_INFERENCE', 'The model described no surface for this picture (its field never crosses the level).');
	}
	ctx.signal.throwIfAborted();
	const { colors } = await sampled.field.evaluate(surface.positions);
	ctx.progress(1);
	return { positions: surface.positions, indices: surface.indices, ...(colors ? { colors: clampColors(colors) } : {}) };
}

function clampColors(colors: Float32Array): Float32Array {
	const out = new Float32Array(colors.length);
	for (let i = 0; i < colors.length; i++) out[i] = Math.min(1, Math.max(0, colors[i]));
	return out;
}

/**
 * What the encoder sees: the subject cut out over neutral grey, centred in a square with a margin, the way
 * image-to-3D models are trained.
 */
export function subjectCutout(decoded: DecodedImage, segmented: SegmentResult, margin = 0.1): RgbaImage {
	const { image } = decoded;
	const { mask, bbox } = segmented;
	const side = Math.ceil(Math.max(bbox.x1 - bbox.x0, bbox.y1 - bbox.y0) * (1 + 2 * margin));
	const x0 = Math.round((bbox.x0 + bbox.x1 - side) / 2);
	const y0 = Math.round((bbox.y0 + bbox.y1 - side) / 2);
	const data = new Uint8Array(side * side * 4);
	for (let y = 0; y < side; y++) {
		for (let x = 0; x < side; x++) {
			const sx = x + x0;
			const sy = y + y0;
			const o = (y * side + x) * 4;
			const inside = sx >= 0 && sy >= 0 && sx < image.width && sy < image.height;
			const a = inside ? mask.data[sy * image.width + sx] / 255 : 0;
			for (let c = 0; c < 3; c++) data[o + c] = Math.round(a * (inside ? image.data[(sy * image.width + sx) * 4 + c] : 0) + (1 - a) * 128);
			data[o + 3] = 255;
		}
	}
	return { data, width: side, height: side };
}
