// Chooses how round the carved object may be, per coordinate plane (field.ts applies it through round.ts): rounding
// in a plane rounds the object's slices parallel to it, and the views lying in that plane are the witnesses. Two
// tests must pass: the witness's own outline must look round (a rectangle or an L is no evidence for round slices,
// a disc is), and the rounded solid must still reach the witness's outline (rounding a cube's slices cuts the
// corners of its square views at any strength; a sphere's keep its circles whole).
import type { StageContext } from '../../pipeline/types';
import type { AlignedViews } from './align';
import type { ViewName } from './frame';
import type { MaskSampler } from './plane';
import { carveGrid, GRID_PLANES, planeBounds, planeOfView, sampleField, sampleSilhouettes, type PlaneRounding } from './field';

export interface JudgeOptions {
	/** The strongest rounding allowed (0–1). */
	rounding: number;
	/** Share of its outline band (outlineBand; relative to the pure hull) a witness view must keep under a rounding. */
	minOutlineSupport: number;
	/**
	 * Rounding of a plane no view lies in, as a share of `rounding`, further capped by how round the least round view
	 * looks: nothing can test it.
	 */
	unseenRounding: number;
	/** Grid samples along the longest side of the probing grid. */
	probeResolution: number;
}

/** Strengths tried per plane, strongest first, as shares of the plane's cap. */
const LEVELS = [1, 0.75, 0.5, 0.25];
/**
 * The cap on a plane's rounding rises linearly from 0 to 1 between these roundness values (outlineRoundness).
 * Measured on rendered solids at 64 and 128 samples: rectilinear outlines (cube, L, cylinder sides) 0.02–0.16, the
 * corners weighing more on a coarse grid; discs 0.84–0.88; a flat torus from the front (straight top and bottom,
 * round ends) 0.26–0.29; a quadruped 0.39–0.67.
 */
const SQUARE_ROUNDNESS = 0.15;
const ROUND_ROUNDNESS = 0.3;

/**
 * Rounding per coordinate plane (XY, XZ, YZ). Each plane with witnesses is probed alone (the others unrounded) on a
 * coarse grid, from its cap down, and keeps the first strength its witnesses support; 0 when none is.
 *
 * @example
 * const rounding = judgeRounding(samplers, aligned, { rounding: 1, minOutlineSupport: 0.97, unseenRounding: 1, probeResolution: 64 }, ctx);
 */
export function judgeRounding(samplers: readonly MaskSampler[], aligned: AlignedViews, options: JudgeOptions, ctx: StageContext): PlaneRounding {
	const { rounding, minOutlineSupport, unseenRounding, probeResolution } = options;
	const chosen: PlaneRounding = [0, 0, 0];
	if (rounding === 0) return chosen;
	const grid = carveGrid(aligned.box, probeResolution);
	// Probes report no progress of their own: they are a small share of the work and run an unknown number of times.
	const quiet: StageContext = { signal: ctx.signal, progress: () => {} };
	const silhouettes = sampleSilhouettes(samplers, aligned, grid, ctx, false);
	const bounds = planeBounds(silhouettes, grid, aligned.box, false);
	const outlines = new Map<ViewName, Uint8Array>();
	const roundness = new Map<ViewName, number>();
	for (const [name, silhouette] of silhouettes) {
		const na = grid.dims[GRID_PLANES[planeOfView(name)].axisA];
		outlines.set(name, outlineBand(silhouette.signed, grid.spacing));
		const value = outlineRoundness(silhouette.signed, outlineSamples(silhouette.inside, na), na);
		roundness.set(name, Math.min(Math.max((value - SQUARE_ROUNDNESS) / (ROUND_ROUNDNESS - SQUARE_ROUNDNESS), 0), 1));
	}
	// A plane's cap is how round its witnesses look; a plane no view lies in borrows the least round view's look
	// (boxes tend to be boxy from every side, and round things round), scaled by `unseenRounding`.
	const least = (names: Iterable<ViewName>) => Math.min(...[...names].map((name) => roundness.get(name)!));
	const caps = GRID_PLANES.map((plane) => {
		const witnesses = plane.views.filter((v) => silhouettes.has(v));
		return witnesses.length > 0 ? rounding * least(witnesses) : rounding * unseenRounding * least(silhouettes.keys());
	});
	GRID_PLANES.forEach((plane, index) => {
		const witnesses = plane.views.filter((v) => outlines.has(v));
		if (witnesses.length === 0) {
			chosen[index] = caps[index];
			return;
		}
		if (caps[index] <= 0) return;
		for (const level of LEVELS) {
			const trial: PlaneRounding = [0, 0, 0];
			trial[index] = level * caps[index];
			const sampled = sampleField(bounds, grid, aligned.box, trial, false, quiet);
			const supported = witnesses.every((name) => {
				const outline = outlines.get(name)!;
				return share(outline, sampled.solid[planeOfView(name)]) >= minOutlineSupport * share(outline, sampled.hull[planeOfView(name)]);
			});
			if (supported) {
				chosen[index] = trial[index];
				return;
			}
		}
	});
	return chosen;
}

/**
 * How round an outline looks, 0–1: twice the mean of sin²(2θ) over its samples, θ the outline normal's angle to
 * the axes. Rectilinear outlines (boxes, L shapes) face along the axes (0); a circle's normals are spread evenly (1).
 */
export function outlineRoundness(signed: Float32Array, outline: Uint8Array, na: number): number {
	let sum = 0;
	let count = 0;
	for (let p = na + 1; p < outline.length - na - 1; p++) {
		if (!outline[p]) continue;
		const ga = signed[p + 1] - signed[p - 1];
		const gb = signed[p + na] - signed[p - na];
		const g2 = ga * ga + gb * gb;
		if (g2 === 0) continue;
		sum += (4 * ga * ga * gb * gb) / (g2 * g2);
		count++;
	}
	return count === 0 ? 0 : (2 * sum) / count;
}

/**
 * Inside samples between half a sample and a sample and a half from the outline. The samples right at the outline
 * are no test: a round solid touches its outline there only within the grid's error.
 */
export function outlineBand(signed: Float32Array, spacing: number): Uint8Array {
	const band = new Uint8Array(signed.length);
	for (let p = 0; p < signed.length; p++) band[p] = signed[p] <= -0.5 * spacing && signed[p] > -1.5 * spacing ? 1 : 0;
	return band;
}

/** Inside samples with an outside 4-neighbour. */
export function outlineSamples(inside: Uint8Array, na: number): Uint8Array {
	const nb = inside.length / na;
	const out = new Uint8Array(inside.length);
	for (let ib = 1; ib < nb - 1; ib++) {
		for (let ia = 1; ia < na - 1; ia++) {
			const p = ib * na + ia;
			if (inside[p] && !(inside[p - 1] && inside[p + 1] && inside[p - na] && inside[p + na])) out[p] = 1;
		}
	}
	return out;
}

/** Share of the set samples of `of` that are set in `by`. */
function share(of: Uint8Array, by: Uint8Array): number {
	let total = 0;
	let hit = 0;
	for (let p = 0; p < of.length; p++) {
		total += of[p];
		hit += of[p] & by[p];
	}
	return total === 0 ? 1 : hit / total;
}
