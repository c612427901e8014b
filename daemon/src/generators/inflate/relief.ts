// Depth relief for the `depth` model kind: the model's relative nearness lifts the front sheet of the inflated
// solid. The lift fades to zero at the silhouette, so front and back still meet there and the mesh stays one
// closed surface; the back keeps the plain inflation.
import type { HeightField } from '../../pipeline/types';

export interface ReliefOptions {
	/** Largest lift, as a share of the subject's largest inscribed radius. */
	strength: number;
	/** Distance (grid cells) over which the lift fades in from the silhouette. */
	ramp: number;
}

export const RELIEF_DEFAULTS: Readonly<ReliefOptions> = { strength: 0.6, ramp: 6 };

/**
 * Adds relief to a height field in place. `nearness` is per geometry-image pixel (`width` × `height`), larger
 * meaning nearer; it is normalised over the subject, so only its shape matters.
 */
export function applyRelief(field: HeightField, nearness: Float32Array, width: number, height: number, options: Partial<ReliefOptions> = {}): void {
	const { strength, ramp } = { ...RELIEF_DEFAULTS, ...options };
	const nx = field.cols + 1;
	const ny = field.rows + 1;
	const sampled = new Float32Array(nx * ny);
	let lo = Infinity;
	let hi = -Infinity;
	let peak = 0;
	for (let j = 0; j < ny; j++) {
		for (let i = 0; i < nx; i++) {
			const p = j * nx + i;
			if (field.coverage[p] <= 0.5) continue;
			const x = Math.min(width - 1, Math.max(0, Math.round(field.originX + i * field.cell - 0.5)));
			const y = Math.min(height - 1, Math.max(0, Math.round(field.originY + j * field.cell - 0.5)));
			const v = nearness[y * width + x];
			sampled[p] = v;
			if (v < lo) lo = v;
			if (v > hi) hi = v;
			peak = Math.max(peak, field.distance[p]);
		}
	}
	const span = hi - lo;
	if (!(span > 0)) return;
	const lift = strength * peak;
	for (let p = 0; p < sampled.length; p++) {
		if (field.coverage[p] <= 0.5) continue;
		const fade = Math.min(1, field.distance[p] / ramp);
		field.front[p] += lift * fade * ((sampled[p] - lo) / span);
	}
}
