// The texture of a carved model: every view's picture projected where that view sees the surface. Visibility comes
// from a depth map of the model rendered in each view; views are blended by how squarely they face the surface
// (so seams between views fade over the turn of the surface instead of cutting), and a point no picture sees takes
// the colour of the view facing it best (the front seen through the object when nothing was drawn of the back).
import { bakeSurface, type BakedMesh } from '../../geometry/bake';
import type { DecodedImage, SegmentResult, StageContext } from '../../pipeline/types';
import { projectToView, type ViewFrame } from './frame';

export const NAME = 'projectViews';

export interface ProjectOptions {
	/** Edge of the square texture in pixels. */
	textureSize: number;
	/** Blend weight = facing^sharpness: higher gives crisper seams, lower wider feathering. */
	sharpness: number;
	/** How far (in mask pixels) a point may lie behind the nearest surface of a view and still count as seen. */
	depthTolerance: number;
}

export const PROJECT_DEFAULTS: Readonly<ProjectOptions> = { textureSize: 1024, sharpness: 4, depthTolerance: 1.5 };

/** One view's picture, where its camera stands, and its subject mask. */
export interface ProjectedView {
	frame: ViewFrame;
	decoded: DecodedImage;
	segmented: SegmentResult;
}

/**
 * Bakes the views' pictures onto a closed mesh in object units and gives it a UV atlas.
 *
 * ```ts
 * const baked = projectViews(carved, [{ frame: frames.front, decoded, segmented }, …], { textureSize: 1024 }, ctx);
 * ```
 */
export function projectViews(
	mesh: { positions: Float32Array; indices: Uint32Array },
	views: readonly ProjectedView[],
	options: Partial<ProjectOptions>,
	ctx: StageContext,
): BakedMesh {
	const { textureSize, sharpness, depthTolerance } = { ...PROJECT_DEFAULTS, ...options };
	const prepared = views.map((view) => prepare(view, mesh));
	ctx.signal.throwIfAborted();
	ctx.progress(0.3);
	const sample = new Float32Array(4);
	const mix = new Float64Array(3);
	const at = new Float64Array(2);
	const baked = bakeSurface(mesh, textureSize, (point, normal, rgb) => {
		let total = 0;
		mix.fill(0);
		let fallback: Prepared | undefined;
		let fallbackFacing = -Infinity;
		for (const view of prepared) {
			const { toCamera } = view.frame;
			const facing = normal[0] * toCamera[0] + normal[1] * toCamera[1] + normal[2] * toCamera[2];
			if (facing > fallbackFacing) {
				fallbackFacing = facing;
				fallback = view;
			}
			if (facing <= 0) continue;
			view.project(point, at);
			const depth = point[0] * toCamera[0] + point[1] * toCamera[1] + point[2] * toCamera[2];
			if (depth * view.frame.scale < view.nearest(at[0], at[1]) - depthTolerance) continue;
			if (!view.color(at[0], at[1], sample)) continue;
			const weight = sharpness === 4 ? facing * facing * facing * facing : facing ** sharpness;
			for (let c = 0; c < 3; c++) mix[c] += weight * sample[c];
			total += weight;
		}
		if (total === 0) {
			if (!fallback) return false;
			fallback.project(point, at);
			if (!fallback.color(at[0], at[1], sample)) return false;
			for (let c = 0; c < 3; c++) rgb[c] = sample[c] / 255;
			return true;
		}
		for (let c = 0; c < 3; c++) rgb[c] = mix[c] / total / 255;
		return true;
	});
	ctx.progress(1);
	return baked;
}

interface Prepared {
	frame: ViewFrame;
	/** Writes the mask position of an object point into `out` (projectToView without an array per call). */
	project: (point: Float32Array, out: Float64Array) => void;
	/** Depth toward the camera of the surface nearest to it at a mask position, in mask pixels. */
	nearest: (u: number, v: number) => number;
	/**
	 * The picture's colour at a mask position (RGB 0–255), from the subject's pixels only: false where none of the
	 * pixels around it is subject (the point lies outside this view's outline).
	 */
	color: (u: number, v: number, out: Float32Array) => boolean;
}

function prepare(view: ProjectedView, mesh: { positions: Float32Array; indices: Uint32Array }): Prepared {
	const { frame, decoded, segmented } = view;
	const photo = decoded.texture;
	const { width, height } = decoded.image;
	const sx = photo.width / width;
	const sy = photo.height / height;
	const mask = segmented.mask.data;
	// Which mask pixel each texture column and row falls in, so a texel's subject weight is one look-up.
	const maskColumn = Int32Array.from({ length: photo.width }, (_, x) => Math.min(width - 1, Math.floor((x + 0.5) / sx)));
	const maskRow = Int32Array.from({ length: photo.height }, (_, y) => Math.min(height - 1, Math.floor((y + 0.5) / sy)));
	const depth = depthMap(mesh, frame, width, height);
	const { uAxis, vAxis, centreU, centreV } = frame;
	const uScale = frame.scale * frame.uSign;
	const vScale = frame.scale * frame.vSign;
	return {
		frame,
		project: (point, out) => {
			out[0] = centreU + uScale * point[uAxis];
			out[1] = centreV + vScale * point[vAxis];
		},
		nearest: (u, v) => {
			// The largest depth within a pixel of the point, so a point on a silhouette edge is not hidden by rounding.
			let best = -Infinity;
			const i0 = Math.floor(u - 0.5);
			const j0 = Math.floor(v - 0.5);
			for (let j = j0; j <= j0 + 1; j++) {
				if (j < 0 || j >= height) continue;
				for (let i = i0; i <= i0 + 1; i++) if (i >= 0 && i < width) best = Math.max(best, depth[j * width + i]);
			}
			return best;
		},
		color: (u, v, out) => {
			// Bilinear over the four texels around the point, each weighted by how much of it is subject, so colours
			// at the outline never take in the background.
			const x = Math.min(Math.max(u * sx - 0.5, 0), photo.width - 1);
			const y = Math.min(Math.max(v * sy - 0.5, 0), photo.height - 1);
			const x0 = Math.floor(x);
			const y0 = Math.floor(y);
			const fx = x - x0;
			const fy = y - y0;
			let total = 0;
			out[0] = out[1] = out[2] = 0;
			for (let k = 0; k < 4; k++) {
				const tx = Math.min(x0 + (k & 1), photo.width - 1);
				const ty = Math.min(y0 + (k >> 1), photo.height - 1);
				const w = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy) * mask[maskRow[ty] * width + maskColumn[tx]];
				if (w === 0) continue;
				const p = (ty * photo.width + tx) * 4;
				out[0] += w * photo.data[p];
				out[1] += w * photo.data[p + 1];
				out[2] += w * photo.data[p + 2];
				total += w;
			}
			if (total < 1) return false;
			out[0] /= total;
			out[1] /= total;
			out[2] /= total;
			return true;
		},
	};
}

/**
 * The mesh rendered orthographically into a view's mask grid: per pixel, the largest depth toward the camera (in
 * mask pixels) of the triangles covering the pixel centre; −Infinity where none does.
 */
export function depthMap(mesh: { positions: Float32Array; indices: Uint32Array }, frame: ViewFrame, width: number, height: number): Float32Array {
	const { positions, indices } = mesh;
	const depth = new Float32Array(width * height).fill(-Infinity);
	const vertices = positions.length / 3;
	const us = new Float32Array(vertices);
	const vs = new Float32Array(vertices);
	const ds = new Float32Array(vertices);
	const [tx, ty, tz] = frame.toCamera;
	for (let k = 0; k < vertices; k++) {
		const x = positions[k * 3], y = positions[k * 3 + 1], z = positions[k * 3 + 2];
		[us[k], vs[k]] = projectToView(frame, x, y, z);
		ds[k] = (x * tx + y * ty + z * tz) * frame.scale;
	}
	for (let t = 0; t < indices.length; t += 3) {
		const a = indices[t], b = indices[t + 1], c = indices[t + 2];
		const ax = us[a], ay = vs[a], bx = us[b], by = vs[b], cx = us[c], cy = vs[c];
		const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
		if (area === 0) continue;
		const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx)));
		const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx, cx)));
		const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy)));
		const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by, cy)));
		for (let j = y0; j <= y1; j++) {
			const py = j + 0.5;
			for (let i = x0; i <= x1; i++) {
				const px = i + 0.5;
				const w0 = ((bx - px) * (cy - py) - (cx - px) * (by - py)) / area;
				const w1 = ((cx - px) * (ay - py) - (ax - px) * (cy - py)) / area;
				const w2 = 1 - w0 - w1;
				if (w0 < 0 || w1 < 0 || w2 < 0) continue;
				const d = w0 * ds[a] + w1 * ds[b] + w2 * ds[c];
				const p = j * width + i;
				if (d > depth[p]) depth[p] = d;
			}
		}
	}
	return depth;
}
