// One view's silhouette resampled onto the carving grid's plane (field.ts): coverage and a signed distance to the
// outline in object units. The 3-D field is then a few lookups per sample, since an orthographic view sees a whole
// grid line at one plane sample.
import { distanceToOutside } from '../../imaging/edt';
import { IntegralImage } from '../../imaging/integral';
import { open } from '../../imaging/morphology';
import type { Axis, ViewFrame, ViewSilhouette } from './frame';

/** Samples of a plane of the carving grid: sample (ia, ib) sits at object coordinates originA + ia·spacing on axisA, … */
export interface PlaneGrid {
	axisA: Axis;
	axisB: Axis;
	na: number;
	nb: number;
	originA: number;
	originB: number;
	/** Distance between samples, object units. */
	spacing: number;
}

/** A view's silhouette on a plane grid; arrays are indexed ib·na + ia. */
export interface SilhouettePlane {
	/** The view shows subject there: coverage over one half, or a rescued thin part. */
	inside: Uint8Array;
	/** Box-filtered coverage of a cell around each sample, 0–1. */
	coverage: Float32Array;
	/** Signed distance to the outline, object units, negative inside; its zero set is the 0.5 coverage contour. */
	signed: Float32Array;
}

/** Smallest depth of a rescued thin sample, in cells: keeps it inside without moving the surface much. */
const MIN_THIN_DEPTH = 0.02;
/** Thin pixels a sample's cell must hold before it is rescued, in pixels: a stray corner pixel is not a part. */
const MIN_THIN_AREA = 0.5;

/**
 * Samples a view's mask on a plane of the carving grid.
 *
 * Coverage is the mask's mean over a cell-sized box around each sample, so the 0.5 contour follows the true edge
 * to a fraction of a pixel. A part thinner than a cell never reaches half coverage and would vanish; pixels that
 * an opening by a cell-wide square removes are such parts, and a sample whose cell holds some of them is kept
 * inside, one cell thick, instead (unless `rescueThin` is false: the rounding probe has no use for them).
 *
 * @example
 * const plane = silhouettePlane(new MaskSampler(front), frames.front!, { axisA: 0, axisB: 1, na: nx, nb: ny, originA: ox, originB: oy, spacing: h });
 */
export function silhouettePlane(sampler: MaskSampler, frame: ViewFrame, grid: PlaneGrid, rescueThin = true): SilhouettePlane {
	const { na, nb, spacing: h } = grid;
	const { view } = sampler;
	const aIsU = frame.uAxis === grid.axisA;
	if (!aIsU && frame.vAxis !== grid.axisA) throw new RangeError(`silhouettePlane: the ${view.view} view does not show axis ${grid.axisA}`);
	// Pixel coordinate of each sample index along A and along B.
	const pixelA = axisPixels(frame, grid.axisA, aIsU, grid.originA, h, na);
	const pixelB = axisPixels(frame, grid.axisB, !aIsU, grid.originB, h, nb);
	const cellPixels = h * frame.scale;
	const half = Math.max(cellPixels, 1) / 2;
	const { x0, y0 } = sampler;
	const integral = sampler.coverage;
	const thin = rescueThin && cellPixels >= 1.5 ? sampler.thinParts(Math.ceil(cellPixels / 2)) : null;

	const count = na * nb;
	const coverage = new Float32Array(count);
	const inside = new Uint8Array(count);
	const rescued = new Uint8Array(count);
	for (let ib = 0; ib < nb; ib++) {
		for (let ia = 0; ia < na; ia++) {
			// In the sampler's crop.
			const u = (aIsU ? pixelA[ia] : pixelB[ib]) - x0;
			const v = (aIsU ? pixelB[ib] : pixelA[ia]) - y0;
			const p = ib * na + ia;
			const c = integral.mean(u - half, v - half, u + half, v + half) / 255;
			coverage[p] = c;
			if (c > 0.5) inside[p] = 1;
			else if (thin && thin.mean(u - half, v - half, u + half, v + half) * 4 * half * half >= MIN_THIN_AREA) {
				inside[p] = 1;
				rescued[p] = 1;
			}
		}
	}
	// The grid has a margin of outside samples, so no part of the outline touches the plane's border.
	for (let ia = 0; ia < na; ia++) inside[ia] = inside[(nb - 1) * na + ia] = 0;
	for (let ib = 0; ib < nb; ib++) inside[ib * na] = inside[ib * na + na - 1] = 0;

	const toOutside = distanceToOutside(inside, na, nb);
	const outside = new Uint8Array(count);
	for (let p = 0; p < count; p++) outside[p] = 1 - inside[p];
	const toInside = distanceToOutside(outside, na, nb);
	const signed = new Float32Array(count);
	for (let ib = 0; ib < nb; ib++) {
		for (let ia = 0; ia < na; ia++) {
			const p = ib * na + ia;
			const s = inside[p];
			const edge =
				(ia > 0 && inside[p - 1] !== s) ||
				(ia < na - 1 && inside[p + 1] !== s) ||
				(ib > 0 && inside[p - na] !== s) ||
				(ib < nb - 1 && inside[p + na] !== s);
			if (rescued[p]) {
				// A line w cells wide through the sample puts its surface w/2 out; the outside neighbour sits at about
				// +h/2, so depth d makes the linear crossing land there when d = (h/2)·(w/2)/(1 − w/2).
				const w = Math.min(coverage[p], 0.5);
				signed[p] = -h * Math.max(MIN_THIN_DEPTH, (0.5 * (w / 2)) / (1 - w / 2));
			} else if (edge) {
				// Next to the outline the box coverage is linear in the edge's offset: exactly so for a straight edge.
				signed[p] = s ? Math.min((0.5 - coverage[p]) * h, -1e-6 * h) : Math.max((0.5 - coverage[p]) * h, 0);
			} else {
				signed[p] = s ? -(toOutside[p] - 0.5) * h : (toInside[p] - 0.5) * h;
			}
		}
	}
	return { inside, coverage, signed };
}

function axisPixels(frame: ViewFrame, axis: Axis, isU: boolean, origin: number, h: number, n: number): Float64Array {
	const centre = isU ? frame.centreU : frame.centreV;
	const sign = isU ? frame.uSign : frame.vSign;
	if ((isU ? frame.uAxis : frame.vAxis) !== axis) throw new RangeError(`silhouettePlane: the ${frame.view} view does not show axis ${axis}`);
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = centre + frame.scale * sign * (origin + i * h);
	return out;
}

/**
 * A view's mask prepared for sampling at any grid spacing (carve.ts probes a coarse grid, then the final one): the
 * summed-area table of the subject's box (with a margin; faint pixels elsewhere are ignored) and, per opening
 * radius, the table of its thin parts.
 */
export class MaskSampler {
	/** Top-left pixel of the crop in the mask. */
	readonly x0: number;
	readonly y0: number;
	readonly width: number;
	readonly height: number;
	readonly coverage: IntegralImage;
	private readonly binary: Uint8Array;
	private readonly thin = new Map<number, IntegralImage>();

	constructor(readonly view: ViewSilhouette) {
		const { mask, bbox } = view;
		const pad = 16;
		this.x0 = Math.max(0, bbox.x0 - pad);
		this.y0 = Math.max(0, bbox.y0 - pad);
		this.width = Math.min(mask.width, bbox.x1 + pad) - this.x0;
		this.height = Math.min(mask.height, bbox.y1 + pad) - this.y0;
		const crop = new Uint8Array(this.width * this.height);
		this.binary = new Uint8Array(crop.length);
		for (let y = 0; y < this.height; y++) {
			for (let x = 0; x < this.width; x++) {
				const c = mask.data[(y + this.y0) * mask.width + x + this.x0];
				crop[y * this.width + x] = c;
				this.binary[y * this.width + x] = c >= 128 ? 1 : 0;
			}
		}
		this.coverage = new IntegralImage(crop, this.width, this.height);
	}

	/**
	 * Subject pixels (coverage ≥ half) that an opening by a (2r+1)-pixel square removes: parts narrower than a
	 * cell, and the tips of sharp corners.
	 */
	thinParts(r: number): IntegralImage {
		let table = this.thin.get(r);
		if (!table) {
			const opened = open(this.binary, this.width, this.height, r);
			const thin = new Uint8Array(opened.length);
			for (let p = 0; p < thin.length; p++) thin[p] = this.binary[p] & (1 - opened[p]);
			table = new IntegralImage(thin, this.width, this.height);
			this.thin.set(r, table);
		}
		return table;
	}
}
