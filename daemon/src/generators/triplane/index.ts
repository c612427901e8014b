// Generator for triplane models (TripoSR and its exports): the subject framed the model's way is encoded once
// (encode), the decoder's density is sampled coarse-to-fine and its level set extracted (isosurface), then its
// colour is asked at every texel of a UV atlas (texture). The engine runs the graphs; this folder frames the
// picture and turns the model's world into ours.
import type { TriplaneField } from '../../engine/triplane-model';
import { bakeField } from '../../geometry/bake';
import { dropFloaters } from '../../geometry/floaters';
import { extractIsosurface } from '../../geometry/isosurface';
import { simplifyClosed } from '../../geometry/simplify';
import { SPECK_FRACTION } from '../../pipeline/mask-cleanup';
import { OPTIMIZE_DEFAULTS } from '../../pipeline/optimize';
import { OrfeasError } from '../../protocol/errors';
import type { Generator } from '../generator';
import { axisMap, frameSubject, toModel, toOurs } from './frame';

/** Effective isosurface grid for a generate resolution: TripoSR's 256 at the default, within what fits a worker's memory. */
export function isosurfaceResolution(resolution: number): number {
	return Math.min(320, Math.max(64, Math.round(resolution / 16) * 16));
}

/** Decoder points per call: small enough that a cancel is seen within a fraction of a second on a CPU. */
const DECODER_CHUNK = 16384;

export const triplaneGenerator: Generator = {
	name: 'triplane',
	stages: ['encode', 'isosurface', 'texture'],
	async generate({ front, options, runtime }, stage) {
		const engine = runtime.engine;
		if (!engine) throw new Error('triplane: the inference engine is required');
		const spec = engine.triplaneSpec(options.model);
		const map = axisMap(spec.frame);
		const field: TriplaneField = await stage('encode', (ctx) => engine.triplane(options.model, frameSubject(front.decoded, front.segmented, spec), ctx.signal));
		const surface = await stage('isosurface', async (ctx) => {
			const resolution = isosurfaceResolution(options.resolution);
			const raw = await extractIsosurface(async (points) => (await field.evaluate(points)).density, {
				bound: spec.radius,
				resolution,
				level: spec.level,
				inside: 'above',
				chunk: DECODER_CHUNK,
				signal: ctx.signal,
				progress: (f) => ctx.progress(f * 0.9),
			}).catch((error: unknown) => {
				throw outOfMemory(error, resolution) ?? error;
			});
			if (raw.indices.length === 0) {
				throw new OrfeasError('E_INFERENCE', `The model described no surface for this picture (its density never reaches ${spec.level}). Try a picture with one clear subject.`);
			}
			const kept = dropFloaters(raw, SPECK_FRACTION);
			const positions = toOurs(kept.positions, map);
			const indices = map.mirrors ? reverseWinding(kept.indices) : kept.indices;
			ctx.signal.throwIfAborted();
			const simple = simplifyClosed(
				{ positions, indices, attributes: positions.slice(), stride: 3 },
				{ maxTriangles: options.maxTriangles, error: OPTIMIZE_DEFAULTS.error, simplifier: runtime.simplifier, lockRim: false },
			);
			return { positions: simple.positions, indices: simple.indices };
		});
		const baked = await stage('texture', (ctx) =>
			bakeField(surface, options.textureSize, async (points) => (await field.evaluate(toModel(points, map))).color, ctx, DECODER_CHUNK),
		);
		return { mesh: { positions: baked.positions, indices: baked.indices, uvs: baked.uvs }, baseColor: baked.image, lockRim: false };
	},
};

/** A grid too large for this process's memory, as the coded error that says what to try. */
function outOfMemory(error: unknown, resolution: number): OrfeasError | undefined {
	if (!(error instanceof RangeError) || !/allocation failed|invalid (typed )?array length/i.test(error.message)) return undefined;
	return new OrfeasError(
		'E_OUT_OF_MEMORY',
		`The ${resolution}³ isosurface grid does not fit in memory (${error.message}). Try a lower resolution, e.g. --resolution 128.`,
	);
}

function reverseWinding(indices: Uint32Array): Uint32Array {
	const out = Uint32Array.from(indices);
	for (let t = 0; t < out.length; t += 3) [out[t + 1], out[t + 2]] = [out[t + 2], out[t + 1]];
	return out;
}
