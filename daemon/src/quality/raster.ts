// CPU rasteriser for an orthographic front view (camera on +Z looking down −Z, mesh Y-up) and the scores built on
// it: silhouette IoU against the input mask and colour error against the photo. Used by the tests and `eval`.
import { bilinear } from '../imaging/bilinear';
import type { GrayImage, RgbaImage } from '../pipeline/types';

const EDGE_EPSILON = 1e-9;

/** The triangles to draw; `uvs` are (u, v) pairs in glTF convention, (0, 0) at the texture's top-left corner. */
export interface RasterMesh {
	positions: Float32Array;
	indices: ArrayLike<number>;
	uvs?: Float32Array;
}

/** The rectangle [x0, x1] × [y0, y1] of the XY plane, in mesh units, drawn onto a width × height raster. */
export interface FrontView {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
	width: number;
	height: number;
}

export interface FrontRender {
	/** 1 where a triangle of either winding covers the pixel centre. */
	coverage: Uint8Array;
	/** The textured front-most surface (alpha 255 where covered, 0 elsewhere); only with a texture and uvs. */
	color?: RgbaImage;
}

/**
 * Draws the mesh seen from the front. Raster row 0 is the top (largest Y); pixel (col, row) samples the point at
 * its centre (col + 0.5, row + 0.5). With `texture` and `mesh.uvs`, the largest-z triangle wins each pixel, its
 * UV is interpolated linearly (orthographic, so no perspective correction) and the texture sampled bilinearly.
 *
 * @example
 * const { coverage } = renderFront(mesh, { x0: -1, y0: -1, x1: 1, y1: 1, width: 256, height: 256 });
 */
export function renderFront(mesh: RasterMesh, view: FrontView, texture?: RgbaImage): FrontRender {
	const { width, height } = view;
	const coverage = new Uint8Array(width * height);
	const uvs = texture ? mesh.uvs : undefined;
	const color = uvs ? new Uint8Array(width * height * 4) : undefined;
	const depth = uvs ? new Float32Array(width * height).fill(-Infinity) : undefined;
	const sx = width / (view.x1 - view.x0);
	const sy = height / (view.y1 - view.y0);
	const { positions, indices } = mesh;
	const px = [0, 0, 0];
	const py = [0, 0, 0];
	const pz = [0, 0, 0];
	const texel = [0, 0, 0, 0];

	for (let t = 0; t + 2 < indices.length; t += 3) {
		for (let k = 0; k < 3; k++) {
			const v = indices[t + k];
			px[k] = (positions[3 * v] - view.x0) * sx;
			py[k] = (view.y1 - positions[3 * v + 1]) * sy;
			pz[k] = positions[3 * v + 2];
		}
		const area = (px[1] - px[0]) * (py[2] - py[0]) - (px[2] - px[0]) * (py[1] - py[0]);
		if (area === 0 || !Number.isFinite(area)) continue;
		const col0 = Math.max(0, Math.ceil(Math.min(px[0], px[1], px[2]) - 0.5));
		const col1 = Math.min(width - 1, Math.floor(Math.max(px[0], px[1], px[2]) - 0.5));
		const row0 = Math.max(0, Math.ceil(Math.min(py[0], py[1], py[2]) - 0.5));
		const row1 = Math.min(height - 1, Math.floor(Math.max(py[0], py[1], py[2]) - 0.5));
		for (let row = row0; row <= row1; row++) {
			const y = row + 0.5;
			for (let col = col0; col <= col1; col++) {
				const x = col + 0.5;
				// Barycentric weights; dividing by the signed area makes both windings come out non-negative inside.
				const w0 = ((px[1] - x) * (py[2] - y) - (px[2] - x) * (py[1] - y)) / area;
				const w1 = ((px[2] - x) * (py[0] - y) - (px[0] - x) * (py[2] - y)) / area;
				const w2 = 1 - w0 - w1;
				// A hair of tolerance so a centre exactly on a shared edge is not lost to rounding on both sides.
				if (w0 < -EDGE_EPSILON || w1 < -EDGE_EPSILON || w2 < -EDGE_EPSILON) continue;
				const p = row * width + col;
				coverage[p] = 1;
				if (!uvs || !depth || !color || !texture) continue;
				const z = w0 * pz[0] + w1 * pz[1] + w2 * pz[2];
				if (z <= depth[p]) continue;
				depth[p] = z;
				const a = indices[t], b = indices[t + 1], c = indices[t + 2];
				const u = w0 * uvs[2 * a] + w1 * uvs[2 * b] + w2 * uvs[2 * c];
				const v = w0 * uvs[2 * a + 1] + w1 * uvs[2 * b + 1] + w2 * uvs[2 * c + 1];
				sampleBilinear(texture, u, v, texel);
				color[4 * p] = texel[0];
				color[4 * p + 1] = texel[1];
				color[4 * p + 2] = texel[2];
				color[4 * p + 3] = 255;
			}
		}
	}
	return color ? { coverage, color: { data: color, width, height } } : { coverage };
}

/** Bilinear lookup at UV (u, v), (0, 0) being the top-left corner of the top-left texel; clamps to the edge. */
function sampleBilinear(texture: RgbaImage, u: number, v: number, out: number[]): void {
	bilinear(texture.data, texture.width, texture.height, 4, u * texture.width - 0.5, v * texture.height - 0.5, out);
	for (let k = 0; k < 4; k++) out[k] = Math.round(out[k]);
}

/** Intersection over union of the nonzero pixels of two equally sized masks; 1 when both are empty. */
export function iou(a: Uint8Array, b: Uint8Array): number {
	if (a.length !== b.length) throw new RangeError(`iou: masks differ in size (${a.length} vs ${b.length})`);
	let inter = 0;
	let union = 0;
	for (let i = 0; i < a.length; i++) {
		const x = a[i] !== 0;
		const y = b[i] !== 0;
		if (x && y) inter++;
		if (x || y) union++;
	}
	return union === 0 ? 1 : inter / union;
}

/**
 * How well the mesh's front silhouette matches the subject mask (value ≥ 128). The mesh is drawn over its own XY
 * bounding box at the pixel size of the mask's bounding box, so placement, scale and overall aspect drop out and
 * the score measures shape (holes, arms, separate parts). 0 for an empty mask.
 */
export function silhouetteIoU(mesh: RasterMesh, mask: GrayImage): number {
	let mx0 = mask.width, my0 = mask.height, mx1 = -1, my1 = -1;
	for (let y = 0; y < mask.height; y++) {
		for (let x = 0; x < mask.width; x++) {
			if (mask.data[y * mask.width + x] < 128) continue;
			if (x < mx0) mx0 = x;
			if (x > mx1) mx1 = x;
			if (y < my0) my0 = y;
			if (y > my1) my1 = y;
		}
	}
	if (mx1 < 0) return 0;
	const width = mx1 - mx0 + 1;
	const height = my1 - my0 + 1;
	const crop = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) crop[y * width + x] = mask.data[(y + my0) * mask.width + x + mx0] >= 128 ? 1 : 0;
	}
	const bounds = xyBounds(mesh);
	if (!bounds) return 0;
	const { coverage } = renderFront(mesh, { ...bounds, width, height });
	return iou(crop, coverage);
}

function xyBounds(mesh: RasterMesh): { x0: number; y0: number; x1: number; y1: number } | undefined {
	let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
	for (let i = 0; i < mesh.indices.length; i++) {
		const v = mesh.indices[i];
		const x = mesh.positions[3 * v];
		const y = mesh.positions[3 * v + 1];
		if (x < x0) x0 = x;
		if (x > x1) x1 = x;
		if (y < y0) y0 = y;
		if (y > y1) y1 = y;
	}
	return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : undefined;
}

/**
 * Mean absolute RGB difference (0–255) between a render and a same-size reference, over the pixels where both
 * `coverage` and `region` are nonzero. NaN when no pixel qualifies, so a missed subject never scores as perfect.
 */
export function meanColorError(render: RgbaImage, coverage: Uint8Array, reference: RgbaImage, region: Uint8Array): number {
	if (render.width !== reference.width || render.height !== reference.height) {
		throw new RangeError('meanColorError: render and reference differ in size');
	}
	let sum = 0;
	let count = 0;
	for (let p = 0; p < coverage.length; p++) {
		if (!coverage[p] || !region[p]) continue;
		const i = 4 * p;
		sum +=
			Math.abs(render.data[i] - reference.data[i]) +
			Math.abs(render.data[i + 1] - reference.data[i + 1]) +
			Math.abs(render.data[i + 2] - reference.data[i + 2]);
		count++;
	}
	return count === 0 ? NaN : sum / (3 * count);
}
