// The built-in one-picture generator: the silhouette inflated into a rounded solid (with a depth model's relief on
// the front when one is chosen), two sheets stitched at the outline, the picture projected front to back.
import { applyRelief } from './relief';
import { mesh } from './mesh';
import { shape } from './shape';
import { texture } from './texture';
import type { Generator } from '../generator';

export const inflateGenerator: Generator = {
	name: 'inflate',
	stages: ['shape', 'mesh', 'texture'],
	async generate({ front, options, runtime }, stage) {
		const engine = runtime.engine;
		const field = await stage('shape', async (ctx) => {
			const inflated = shape(front.segmented, { resolution: options.resolution, thickness: options.thickness }, ctx);
			if (engine && engine.registry.installedKind(options.model) === 'depth') {
				const nearness = await engine.depth(options.model, front.decoded.image, ctx.signal);
				applyRelief(inflated, nearness, front.decoded.image.width, front.decoded.image.height);
			}
			return inflated;
		});
		const solid = await stage('mesh', (ctx) => mesh(field, ctx));
		const baked = await stage('texture', (ctx) => texture(front.decoded, front.segmented, solid, { textureSize: options.textureSize }, ctx));
		return { mesh: { ...solid, uvs: baked.uvs }, baseColor: baked.image, lockRim: true };
	},
};
