// Solids carved from rendered silhouettes, for the oracle rows of methods.ts: a visual hull (the intersection of
// the silhouettes' extrusions) and a single silhouette extruded to a known depth. The field sampled on the grid
// is the largest of the per-view signed 2-D distances to the silhouette outlines, so its zero set is exactly the
// carved solid and marching cubes places the surface between samples instead of on a voxel staircase.
import { marchingCubes } from '../../../daemon/src/geometry/marching-cubes';
import type { Bounds } from '../../../daemon/src/geometry/place';
import { distanceToOutside } from '../../../daemon/src/imaging/edt';
import type { RgbaImage } from '../../../daemon/src/pipeline/types';
import type { TriangleMesh } from './mesh';
import { project, VIEW_AXES, type ViewFrame, type ViewName } from './views';

/** One view's silhouette as a signed distance field, in pixels: negative inside, positive outside. */
export interface Silhouette {
	view: ViewName;
	size: number;
	distance: Float32Array;
}

/** Alpha at or above this is the subject, as the pipeline's own alpha segmentation reads it. */
const ALPHA_INSIDE = 128;
/** Samples kept outside the box on each side, so a solid touching the box is capped by the field, not the grid. */
const PAD = 2;

/** The signed distance of the picture's alpha silhouette; the outline lies halfway between pixel centres. */
export function silhouetteOf(view: ViewName, image: RgbaImage): Silhouette {
	if (image.width !== image.height) throw new RangeError(`silhouetteOf: ${view} is not square`);
	const count = image.width * image.height;
	const inside = new Uint8Array(count);
	const outside = new Uint8Array(count);
	for (let p = 0; p < count; p++) {
		inside[p] = image.data[4 * p + 3] >= ALPHA_INSIDE ? 1 : 0;
		outside[p] = 1 - inside[p];
	}
	const depthIn = distanceToOutside(inside, image.width, image.height);
	const depthOut = distanceToOutside(outside, image.width, image.height);
	const distance = new Float32Array(count);
	for (let p = 0; p < count; p++) distance[p] = inside[p] ? 0.5 - depthIn[p] : depthOut[p] - 0.5;
	return { view, size: image.width, distance };
}

export interface CarveOptions {
	/** The region carved: usually the ground truth's bounding box, which the silhouettes fill. */
	box: Bounds;
	/** Grid cells along each axis of the box (the grid is as anisotropic as the box). */
	cells: number;
	/** A further constraint as a signed distance in world units, negative inside (e.g. a depth slab). */
	limit?: (x: number, y: number, z: number) => number;
}

/** The solid every silhouette sees as inside (and inside `limit`), as a closed mesh in the frame's world units. */
export function carve(silhouettes: readonly Silhouette[], frame: ViewFrame, options: CarveOptions): TriangleMesh {
	const { box, cells, limit } = options;
	const spacing = [0, 1, 2].map((k) => Math.max(box.max[k] - box.min[k], 1e-6) / cells) as [number, number, number];
	const origin = [0, 1, 2].map((k) => box.min[k] - PAD * spacing[k]) as [number, number, number];
	const dims: [number, number, number] = [cells + 1 + 2 * PAD, cells + 1 + 2 * PAD, cells + 1 + 2 * PAD];
	const [nx, ny, nz] = dims;
	const field = new Float32Array(nx * ny * nz);
	const p = [0, 0, 0];
	for (let k = 0, s = 0; k < nz; k++) {
		const z = origin[2] + k * spacing[2];
		for (let j = 0; j < ny; j++) {
			const y = origin[1] + j * spacing[1];
			for (let i = 0; i < nx; i++, s++) {
				const x = origin[0] + i * spacing[0];
				let value = limit ? limit(x, y, z) : -Infinity;
				for (const silhouette of silhouettes) {
					project(frame, VIEW_AXES[silhouette.view], x, y, z, p);
					const d = sampleDistance(silhouette, p[0] - 0.5, p[1] - 0.5) / frame.pixelsPerUnit;
					if (d > value) value = d;
				}
				field[s] = value;
			}
		}
	}
	const surface = marchingCubes(field, dims, { origin, spacing });
	return { positions: surface.positions, indices: surface.indices };
}

/** Bilinear lookup at (x, y) in pixel-index units (pixel centres at integers); far outside beyond the picture. */
function sampleDistance(silhouette: Silhouette, x: number, y: number): number {
	const size = silhouette.size;
	if (!(x >= 0 && y >= 0 && x <= size - 1 && y <= size - 1)) return size;
	const x0 = Math.min(Math.floor(x), size - 2);
	const y0 = Math.min(Math.floor(y), size - 2);
	const fx = x - x0;
	const fy = y - y0;
	const d = silhouette.distance;
	const row = y0 * size + x0;
	const top = d[row] + (d[row + 1] - d[row]) * fx;
	const bottom = d[row + size] + (d[row + size + 1] - d[row + size]) * fx;
	return top + (bottom - top) * fy;
}
