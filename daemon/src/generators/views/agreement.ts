// Checks that the views can show one object: the pure visual hull carved from all of them, projected back into each
// view, should fill that view's outline. A picture of another object, or one given under the wrong side's name,
// carves away what the others show. carve.ts measures it on the carving grid; align.ts already refused extents that
// cannot agree, so what is left here is shape.
import type { CarveGrid } from './frame';
import { GRID_PLANES, planeOfView } from './field';
import { viewsError } from './errors';
import { VIEW_HINTS, type ViewName } from './frame';
import type { SilhouettePlane } from './plane';

/** IoU of two sample sets (1 when both are empty). */
export function iou(a: Uint8Array, b: Uint8Array): number {
	let both = 0;
	let either = 0;
	for (let p = 0; p < a.length; p++) {
		both += a[p] & b[p];
		either += a[p] | b[p];
	}
	return either === 0 ? 1 : both / either;
}

/** Agreements closer than this are a tie when naming the picture to blame. */
const TIE = 0.02;

/**
 * Throws `E_VIEWS` when a view's agreement is under `minAgreement`. The view to blame is found by leaving each other
 * view out in turn: the one whose absence restores the worst view's outline is named; when several would (two
 * pictures can contradict each other with no third to settle it), the worst view is named with those suspects.
 */
export function checkAgreement(agreement: Partial<Record<ViewName, number>>, minAgreement: number, silhouettes: Map<ViewName, SilhouettePlane>, grid: CarveGrid): void {
	let worst: ViewName | null = null;
	for (const [name, value] of Object.entries(agreement) as [ViewName, number][]) {
		if (value < minAgreement && (worst === null || value < agreement[worst]!)) worst = name;
	}
	if (worst === null) return;
	const outline = silhouettes.get(worst)!.inside;
	const without = new Map<ViewName, number>();
	for (const name of silhouettes.keys()) {
		if (name !== worst) without.set(name, iou(outline, hullShadow(silhouettes, grid, name, planeOfView(worst))));
	}
	const best = Math.max(...without.values());
	const suspects = [...without].filter(([, value]) => value >= best - TIE).map(([name]) => name);
	const had = Math.round(agreement[worst]! * 100);
	const needed = Math.round(minAgreement * 100);
	if (suspects.length === 1 && best >= minAgreement) {
		const culprit = suspects[0];
		throw viewsError(
			culprit,
			`The ${culprit} picture does not agree with the others: with it, the object carved from all of them matches the ${worst} outline by only ${had} % (${needed} % needed); without it, by ${Math.round(best * 100)} %. Check that the ${culprit} picture shows this object ${VIEW_HINTS[culprit]}.`,
			{ agreement: agreement[worst], outline: worst, without: best },
		);
	}
	const named = suspects.length > 0 && best > agreement[worst]! + TIE ? ` Without the ${suspects.join(' or the ')} picture the others would agree better.` : '';
	throw viewsError(
		worst,
		`The ${worst} picture does not agree with the other views: the object carved from all of them matches its outline by only ${had} % (${needed} % needed).${named} Check that every picture shows this object, the ${worst} one ${VIEW_HINTS[worst]}.`,
		{ agreement: agreement[worst], suspects },
	);
}

/** Projection onto grid plane `onto` of the pure hull carved without view `exclude`. */
export function hullShadow(silhouettes: Map<ViewName, SilhouettePlane>, grid: CarveGrid, exclude: ViewName | null, onto: 0 | 1 | 2): Uint8Array {
	const [nx, ny, nz] = grid.dims;
	const merged = GRID_PLANES.map((plane) => {
		const size = grid.dims[plane.axisA] * grid.dims[plane.axisB];
		const signed = new Float32Array(size).fill(-Infinity);
		for (const name of plane.views) {
			const silhouette = silhouettes.get(name);
			if (!silhouette || name === exclude) continue;
			for (let p = 0; p < size; p++) if (silhouette.signed[p] > signed[p]) signed[p] = silhouette.signed[p];
		}
		return signed;
	});
	const [xy, xz, yz] = merged;
	const shadow = new Uint8Array(grid.dims[GRID_PLANES[onto].axisA] * grid.dims[GRID_PLANES[onto].axisB]);
	for (let k = 0; k < nz; k++) {
		for (let j = 0; j < ny; j++) {
			const line = k * ny + j;
			if (!(yz[line] < 0)) continue;
			for (let i = 0; i < nx; i++) {
				if (xy[j * nx + i] < 0 && xz[k * nx + i] < 0) shadow[onto === 0 ? j * nx + i : onto === 1 ? k * nx + i : line] = 1;
			}
		}
	}
	return shadow;
}
