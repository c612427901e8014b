// Generator for triplane/implicit models (TripoSR-style): the encoder and field decoder run in the engine, the field
// is sampled and marched into a closed surface, simplified, and the decoder's colours baked into a texture.
import { bakeVertexColors } from '../../geometry/bake';
import { simplifyClosed } from '../../geometry/simplify';
import { implicitGrid, meshImplicit, sampleImplicit, subjectCutout } from './implicit';
import { OPTIMIZE_DEFAULTS } from '../../pipeline/optimize';
import type { Generator } from '../generator';

export const implicitGenerator: Generator = {
	name: 'implicit',
	stages: ['shape', 'mesh', 'texture'],
	async generate({ front, options, runtime }, stage) {
		const engine = runtime.engine;
		if (!engine) throw new Error('implicit: the inference engine is required');
		const sampled = await stage('shape', async (ctx) =>
			sampleImplicit(await engine.implicit(options.model, subjectCutout(front.decoded, front.segmented), ctx.signal), implicitGrid(options.resolution), ctx),
		);
		const surface = await stage('mesh', async (ctx) => {
			const raw = await meshImplicit(sampled, ctx);
			const colors = raw.colors ?? new Float32Array(raw.positions.length).fill(0.8);
			const simple = simplifyClosed(
				{ positions: raw.positions, indices: raw.indices, attributes: colors, stride: 3 },
				{ maxTriangles: options.maxTriangles, error: OPTIMIZE_DEFAULTS.error, simplifier: runtime.simplifier, lockRim: false },
			);
			return { positions: simple.positions, indices: simple.indices, colors: simple.attributes };
		});
		const baked = await stage('texture', () => bakeVertexColors(surface, options.textureSize));
		return { mesh: { positions: baked.positions, indices: baked.indices, uvs: baked.uvs }, baseColor: baked.image, lockRim: false };
	},
};
