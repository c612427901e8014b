// Stage 3 (built-in `inflate`): the silhouette becomes a rounded solid. Coverage is sampled on a vertex grid
// over the subject; an exact Euclidean distance transform gives each inside vertex its distance to the
// silhouette, and a circular profile turns distance into height — a disc becomes a sphere at thickness 1.
// Parts thinner than a cell get vertices of their own and exact crossings (thin-parts.ts).
import { distanceToOutside } from '../../imaging/edt';
import { IntegralImage } from '../../imaging/integral';
import { keepThinParts } from './thin-parts';
import type { HeightField, SegmentResult, StageContext } from '../../pipeline/types';

export const NAME = 'shape';

export interface ShapeOptions {
	/** Grid cells along the longer side of the subject. */
	resolution: number;
	/** 0–1: peak height of each side as a share of the largest inscribed radius. */
	thickness: number;
	/** Passes of a 3×3 mean over the distance field, rounding the ridges along the medial axis. */
	smoothing: number;
}

export const SHAPE_DEFAULTS: Readonly<ShapeOptions> = { resolution: 256, thickness: 0.5, smoothing: 2 };

/** Outside vertices kept around the subject, so every contour is closed inside the grid. */
const MARGIN = 2;
/** Thinnest allowed shape: a thickness of 0 would make front and back coincide. */
const MIN_THICKNESS = 0.02;
/** Height floor for inside vertices, in cells, so no triangle next to the silhouette is flat. */
const MIN_DISTANCE = 0.2;

/**
 * Builds the height field of the subject.
 *
 * ```ts
 * const field = shape(segmented, { resolution: 256, thickness: 0.5 }, ctx);
 * ```
 */
export function shape(segmented: SegmentResult, options: Partial<ShapeOptions>, ctx: StageContext): HeightField {
	const { resolution, thickness, smoothing } = { ...SHAPE_DEFAULTS, ...options };
	const { mask, bbox } = segmented;
	const spanX = bbox.x1 - bbox.x0;
	const spanY = bbox.y1 - bbox.y0;
	const cell = Math.max(spanX, spanY) / resolution;
	const cols = Math.ceil(spanX / cell) + 2 * MARGIN;
	const rows = Math.ceil(spanY / cell) + 2 * MARGIN;
	const originX = (bbox.x0 + bbox.x1) / 2 - (cols * cell) / 2;
	const originY = (bbox.y0 + bbox.y1) / 2 - (rows * cell) / 2;
	const nx = cols + 1;
	const ny = rows + 1;

	// Coverage at each vertex = mean of the mask over the cell-sized box centred on it (area sampling: the
	// 0.5 contour follows the true edge to a fraction of a pixel, whatever the cell size).
	const integral = new IntegralImage(mask.data, mask.width, mask.height);
	const half = Math.max(cell, 1) / 2;
	const coverage = new Float32Array(nx * ny);
	for (let j = 0; j < ny; j++) {
		const y = originY + j * cell;
		for (let i = 0; i < nx; i++) {
			const x = originX + i * cell;
			coverage[j * nx + i] = integral.mean(x - half, y - half, x + half, y + half) / 255;
		}
	}
	const crossings = keepThinParts(mask, bbox, { nx, ny, originX, originY, cell }, coverage);
	const inside = new Uint8Array(nx * ny);
	for (let p = 0; p < inside.length; p++) inside[p] = coverage[p] > 0.5 ? 1 : 0;
	for (let i = 0; i < nx; i++) inside[i] = inside[(ny - 1) * nx + i] = 0;
	for (let j = 0; j < ny; j++) inside[j * nx] = inside[j * nx + nx - 1] = 0;
	ctx.signal.throwIfAborted();
	ctx.progress(0.4);

	const distance = distanceToOutside(inside, nx, ny);
	// The nearest outside vertex is past the silhouette by about half a cell.
	for (let p = 0; p < distance.length; p++) distance[p] = inside[p] ? Math.max(distance[p] - 0.5, MIN_DISTANCE) : 0;
	const smooth = smoothInside(distance, inside, nx, ny, smoothing);
	ctx.signal.throwIfAborted();
	ctx.progress(0.8);

	let peak = 0;
	for (let p = 0; p < smooth.length; p++) peak = Math.max(peak, smooth[p]);
	const t = Math.max(thickness, MIN_THICKNESS);
	const front = new Float32Array(nx * ny);
	for (let p = 0; p < front.length; p++) {
		if (!inside[p]) continue;
		const d = Math.min(smooth[p], peak);
		front[p] = t * Math.sqrt(d * (2 * peak - d));
	}
	ctx.progress(1);
	return { cols, rows, originX, originY, cell, coverage, distance: smooth, front, back: front.slice(), ...(crossings ? { crossings } : {}) };
}

/** Mean over the inside 3×3 neighbourhood, repeated; outside vertices stay 0 and do not pull values down. */
function smoothInside(values: Float32Array, inside: Uint8Array, nx: number, ny: number, passes: number): Float32Array {
	let src = values;
	for (let pass = 0; pass < passes; pass++) {
		const dst = new Float32Array(src.length);
		for (let j = 1; j < ny - 1; j++) {
			for (let i = 1; i < nx - 1; i++) {
				const p = j * nx + i;
				if (!inside[p]) continue;
				let sum = 0;
				let n = 0;
				for (let dj = -nx; dj <= nx; dj += nx) {
					for (let di = -1; di <= 1; di++) {
						if (inside[p + dj + di]) {
							sum += src[p + dj + di];
							n++;
						}
					}
				}
				dst[p] = Math.max(sum / n, MIN_DISTANCE);
			}
		}
		src = dst;
	}
	return src;
}
