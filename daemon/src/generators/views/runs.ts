// Runs: for every inside sample of a grid plane, where the stretch of inside samples through it begins and ends
// along each of the plane's two axes, in object units at the outline's zero crossing. field.ts reads them as the
// local extent of the object across a slice, the box round.ts rounds.
import type { CarveGrid } from './frame';

/**
 * Per sample (ib·na + ia): the run's ends along the plane's A axis and along its B axis. An outside sample holds the
 * nearest run on its line, so a slice's rounded distance continues past the outline and the surface between an
 * inside and an outside sample is interpolated from two values of the same function; a line with no run holds NaN,
 * which no comparison picks (there the hull's own distance stands).
 */
export interface Runs {
	loA: Float32Array;
	hiA: Float32Array;
	loB: Float32Array;
	hiB: Float32Array;
}

/**
 * Runs of the samples where `signed` < 0 on a plane with axes (axisA, axisB) of the grid. The ends are interpolated
 * between the last inside and the first outside sample, so they sit on the 0.5 coverage contour.
 */
export function planeRuns(signed: Float32Array, grid: CarveGrid, axisA: number, axisB: number): Runs {
	const na = grid.dims[axisA];
	const nb = grid.dims[axisB];
	const runs: Runs = {
		loA: new Float32Array(na * nb),
		hiA: new Float32Array(na * nb),
		loB: new Float32Array(na * nb),
		hiB: new Float32Array(na * nb),
	};
	scan(signed, runs.loA, runs.hiA, nb, na, na, 1, grid.origin[axisA], grid.spacing);
	scan(signed, runs.loB, runs.hiB, na, nb, 1, na, grid.origin[axisB], grid.spacing);
	return runs;
}

/** Walks `lines` lines of `n` samples (line l starts at l·lineStep, samples `step` apart) and fills the run ends. */
function scan(signed: Float32Array, lo: Float32Array, hi: Float32Array, lines: number, n: number, lineStep: number, step: number, origin: number, h: number): void {
	for (let l = 0; l < lines; l++) {
		const base = l * lineStep;
		// End of the previous run (sample index) and its ends, for the outside samples since it.
		let previousEnd = -1;
		let s = 0;
		while (s < n) {
			if (!(signed[base + s * step] < 0)) {
				s++;
				continue;
			}
			let e = s;
			while (e + 1 < n && signed[base + (e + 1) * step] < 0) e++;
			const start = origin + (s - crossing(signed, base, s, -1, step, n)) * h;
			const end = origin + (e + crossing(signed, base, e, 1, step, n)) * h;
			for (let q = s; q <= e; q++) {
				lo[base + q * step] = start;
				hi[base + q * step] = end;
			}
			// The gap since the previous run: each outside sample takes the nearer of the two runs.
			for (let q = previousEnd + 1; q < s; q++) {
				if (previousEnd >= 0 && q - previousEnd <= s - q) continue;
				lo[base + q * step] = start;
				hi[base + q * step] = end;
			}
			if (previousEnd >= 0) {
				const pLo = lo[base + previousEnd * step];
				const pHi = hi[base + previousEnd * step];
				for (let q = previousEnd + 1; q < s && q - previousEnd <= s - q; q++) {
					lo[base + q * step] = pLo;
					hi[base + q * step] = pHi;
				}
			}
			previousEnd = e;
			s = e + 1;
		}
		const pLo = previousEnd >= 0 ? lo[base + previousEnd * step] : NaN;
		const pHi = previousEnd >= 0 ? hi[base + previousEnd * step] : NaN;
		for (let q = previousEnd + 1; q < n; q++) {
			lo[base + q * step] = pLo;
			hi[base + q * step] = pHi;
		}
	}
}

/** Fraction of a sample step from inside sample q toward its outside neighbour in `direction` where signed is 0. */
function crossing(signed: Float32Array, base: number, q: number, direction: 1 | -1, step: number, n: number): number {
	const next = q + direction;
	if (next < 0 || next >= n) return 0.5;
	const a = signed[base + q * step];
	const b = signed[base + next * step];
	return b > a ? -a / (b - a) : 0.5;
}
