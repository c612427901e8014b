// The built-in generator for several pictures of one object (a front plus any of back, left, right and top, or a
// turnaround sheet split into them): the outlines aligned and carved into one rounded solid (carve.ts), simplified
// to the budget, and every picture projected where its view sees the surface (project.ts).
import { simplifyClosed } from '../../geometry/simplify';
import { OPTIMIZE_DEFAULTS } from '../../pipeline/optimize';
import type { Generator, Picture } from '../generator';
import { carveViews } from './carve';
import type { ViewName } from './frame';
import { projectViews } from './project';

/**
 * Carving grid samples along the longest side for a generate resolution: 3/8 of it (96 at the default 256). The
 * carved field is smooth, so 96 scores as 128 does on the carving's test shapes with about half the triangles.
 */
export function carveResolution(resolution: number): number {
	return Math.min(256, Math.max(32, Math.round((resolution * 3) / 8)));
}

export const viewsGenerator: Generator = {
	name: 'views',
	stages: ['shape', 'mesh', 'texture'],
	async generate({ front, views, options, runtime }, stage) {
		const pictures: ({ view: ViewName } & Picture)[] = [{ view: 'front', ...front }, ...views];
		const silhouettes = pictures.map(({ view, segmented }) => ({ view, mask: segmented.mask, bbox: segmented.bbox }));
		const carved = await stage('shape', (ctx) => carveViews(silhouettes, { resolution: carveResolution(options.resolution), thickness: Math.max(options.thickness, 0.02) }, ctx));
		const surface = await stage('mesh', (ctx) => {
			ctx.signal.throwIfAborted();
			// Simplified before texturing: the atlas's seams would otherwise hold the simplifier back.
			const { positions, indices } = carved.mesh;
			const simple = simplifyClosed(
				{ positions, indices, attributes: new Float32Array((positions.length / 3) * 2), stride: 2 },
				{ maxTriangles: options.maxTriangles, error: OPTIMIZE_DEFAULTS.error, simplifier: runtime.simplifier, lockRim: false },
			);
			return { positions: simple.positions, indices: simple.indices };
		});
		const baked = await stage('texture', (ctx) =>
			projectViews(surface, pictures.map(({ view, decoded, segmented }) => ({ frame: carved.frames[view]!, decoded, segmented })), { textureSize: options.textureSize }, ctx),
		);
		const agreement = Object.fromEntries(Object.entries(carved.agreement).map(([view, iou]) => [view, Math.round(iou * 1000) / 1000]));
		return { mesh: { positions: baked.positions, indices: baked.indices, uvs: baked.uvs }, baseColor: baked.image, lockRim: false, agreement };
	},
};
