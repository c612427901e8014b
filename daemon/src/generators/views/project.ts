// The texture of a carved model: every view's picture projected where that view sees the surface. Visibility comes
// from a depth map of the model rendered in each view; views are blended by how squarely they face the surface
// (so seams between views fade over the turn of the surface instead of cutting), and a point no picture sees takes
// the colour of the view facing it best (the front seen through the object when nothing was drawn of the back).
import { bakeSurface, type BakedMesh } from '../../geometry/bake';
import { bilinear } from '../../imaging/bilinear';
import { bleed } from '../../imaging/bleed';
import { resampleRegion } from '../../imaging/resample';
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
			const [u, v] = projectToView(view.frame, point[0], point[1], point[2]);
			const depth = point[0] * toCamera[0] + point[1] * toCamera[1] + point[2] * toCamera[2];
			if (depth * view.frame.scale < view.nearest(u, v) - depthTolerance) continue;
			const weight = facing ** sharpness;
			view.color(u, v, sample);
			for (let c = 0; c < 3; c++) mix[c] += weight * sample[c];
			total += weight;
		}
		if (total === 0) {
			if (!fallback) return false;
			const [u, v] = projectToView(fallback.frame, point[0], point[1], point[2]);
			fallback.color(u, v, sample);
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
	/** Depth toward the camera of the surface nearest to it at a mask position, in mask pixels. */
	nearest: (u: number, v: number) => number;
	/** The picture's colour at a mask position, subject colours bled past the outline (RGBA 0–255). */
	color: (u: number, v: number, out: Float32Array) => void;
}

function prepare(view: ProjectedView, mesh: { positions: Float32Array; indices: Uint32Array }): Prepared {
	const { frame, decoded, segmented } = view;
	const photo = decoded.texture;
	const sx = photo.width / decoded.image.width;
	const sy = photo.height / decoded.image.height;
	// Colours near the outline mix subject and background: bleed the subject's colours over everything outside it.
	const weight = resampleRegion(segmented.mask, 1, 0, 0, decoded.image.width, decoded.image.height, photo.width, photo.height);
	const bled = bleed(photo.data, weight, photo.width, photo.height);
	const depth = depthMap(mesh, frame, decoded.image.width, decoded.image.height);
	const { width, height } = decoded.image;
	return {
		frame,
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
		color: (u, v, out) => bilinear(bled, photo.width, photo.height, 4, u * sx - 0.5, v * sy - 0.5, out),
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
