// The carving grid and its field (carve.ts runs them): every view's silhouette is sampled once on the grid plane
// it sees (plane.ts), the views of one plane are merged, and a sample's value is the largest of the planes' signed
// distances (the visual hull: negative inside every view's extrusion) and of the rounded-slice distances of the
// planes being rounded (round.ts, with slice extents from runs.ts). Sampling the field also projects the pure hull
// and the rounded solid back onto the planes, which is how views and roundings are checked.
import type { StageContext } from '../../pipeline/types';
import type { AlignedViews, ObjectBox } from './align';
import type { Axis, CarveGrid, ViewName } from './frame';

export type { CarveGrid };
import { silhouettePlane, type MaskSampler, type SilhouettePlane } from './plane';
import { inflationHalfDepths, roundedSlice } from './round';
import { planeRuns, type Runs } from './runs';


/** The grid's coordinate planes, the axis each leaves out, and the views that lie in it: XY, XZ, YZ. */
export const GRID_PLANES = [
	{ axisA: 0, axisB: 1, depthAxis: 2, views: ['front', 'back'] },
	{ axisA: 0, axisB: 2, depthAxis: 1, views: ['top'] },
	{ axisA: 1, axisB: 2, depthAxis: 0, views: ['left', 'right'] },
] as const satisfies readonly { axisA: Axis; axisB: Axis; depthAxis: Axis; views: readonly ViewName[] }[];

/** Rounding per coordinate plane, the plane its slices lie in (round.ts): XY, XZ, YZ. */
export type PlaneRounding = [number, number, number];

/** Index in GRID_PLANES of the coordinate plane holding two different axes. */
export function planeOfAxes(p: Axis, q: Axis): 0 | 1 | 2 {
	return (p + q - 1) as 0 | 1 | 2;
}

/** Index in GRID_PLANES of the plane a view lies in. */
export function planeOfView(view: ViewName): 0 | 1 | 2 {
	return view === 'front' || view === 'back' ? 0 : view === 'top' ? 1 : 2;
}

/** "No limit": large and finite, so sums and differences with it stay far from any distance. */
export const NO_LIMIT = 1e30;

/** Outside samples around the object's box on every side, so every surface crossing has an outside sample. */
const MARGIN = 2;

/** A grid over the box with `resolution` samples along its longest side, margin included. */
export function carveGrid(box: ObjectBox, resolution: number): CarveGrid {
	const extents = [box.width, box.height, box.depth];
	const spacing = Math.max(...extents) / (resolution - 1 - 2 * MARGIN);
	const dims = extents.map((e) => Math.ceil(e / spacing) + 1 + 2 * MARGIN) as [number, number, number];
	const origin = dims.map((n) => (-(n - 1) * spacing) / 2) as [number, number, number];
	return { dims, origin, spacing };
}

/** Every view's silhouette on its plane of the grid; `rescueThin` as in silhouettePlane. */
export function sampleSilhouettes(
	samplers: readonly MaskSampler[],
	aligned: AlignedViews,
	grid: CarveGrid,
	ctx: StageContext,
	rescueThin = true,
): Map<ViewName, SilhouettePlane> {
	const planes = new Map<ViewName, SilhouettePlane>();
	for (const sampler of samplers) {
		ctx.signal.throwIfAborted();
		const { view } = sampler;
		const { axisA, axisB } = GRID_PLANES[planeOfView(view.view)];
		planes.set(
			view.view,
			silhouettePlane(sampler, aligned.frames[view.view]!, {
				axisA,
				axisB,
				na: grid.dims[axisA],
				nb: grid.dims[axisB],
				originA: grid.origin[axisA],
				originB: grid.origin[axisB],
				spacing: grid.spacing,
			}, rescueThin),
		);
	}
	return planes;
}

/** What one grid plane demands of the samples on its lines. */
export interface PlaneBounds {
	/** The largest signed distance of the plane's views (−NO_LIMIT where it has none). */
	signed: Float32Array;
	/** Half-depth along the plane's axis: the one-view inflation on XY, NO_LIMIT otherwise. */
	half: Float32Array;
	/** Runs of the plane's inside samples (runs.ts), or null when no view lies in the plane. */
	runs: Runs | null;
}

/**
 * Merges the views of each plane (largest signed distance) and finds their runs; with `inflate` (no view shows the
 * depth) the XY plane also gets the one-view inflation's half-depths.
 */
export function planeBounds(silhouettes: Map<ViewName, SilhouettePlane>, grid: CarveGrid, box: ObjectBox, inflate: boolean): PlaneBounds[] {
	return GRID_PLANES.map((plane) => {
		const size = grid.dims[plane.axisA] * grid.dims[plane.axisB];
		const signed = new Float32Array(size).fill(-NO_LIMIT);
		const half = new Float32Array(size).fill(NO_LIMIT);
		let seen = false;
		for (const name of plane.views) {
			const silhouette = silhouettes.get(name);
			if (!silhouette) continue;
			seen = true;
			for (let p = 0; p < size; p++) if (silhouette.signed[p] > signed[p]) signed[p] = silhouette.signed[p];
		}
		if (inflate && plane.depthAxis === 2) {
			const inside = new Uint8Array(size);
			for (let p = 0; p < size; p++) inside[p] = signed[p] < 0 ? 1 : 0;
			half.set(inflationHalfDepths(inside, signed, box.depth / 2));
		}
		return { signed, half, runs: seen ? planeRuns(signed, grid, plane.axisA, plane.axisB) : null };
	});
}

/** Where a rounding plane reads one of its slice's extents: run ends per sample of a grid plane, and that plane. */
interface ExtentSource {
	lo: Float32Array;
	hi: Float32Array;
	plane: 0 | 1 | 2;
}

/**
 * The extents of the slice through a sample across rounding plane P (axes a, b; slice axis c): along a, the run of
 * the views seeing (a, c) in the sample's c row — the slice's own extent; without such a view, the box. (P's own
 * views also show a, but their run through the sample is the outline at the sample's own b: rounding that
 * rectangle would cut into the outline the hull already follows.)
 */
function extentSources(bounds: PlaneBounds[], grid: CarveGrid, box: ObjectBox, P: 0 | 1 | 2): [ExtentSource, ExtentSource] {
	const { axisA: a, axisB: b, depthAxis: c } = GRID_PLANES[P];
	const halves = [box.width / 2, box.height / 2, box.depth / 2];
	const source = (axis: Axis): ExtentSource => {
		const Q = planeOfAxes(axis, c);
		const runs = bounds[Q].runs;
		if (runs) {
			const alongA = GRID_PLANES[Q].axisA === axis;
			return { lo: alongA ? runs.loA : runs.loB, hi: alongA ? runs.hiA : runs.hiB, plane: Q };
		}
		const size = grid.dims[a] * grid.dims[b];
		return { lo: new Float32Array(size).fill(-halves[axis]), hi: new Float32Array(size).fill(halves[axis]), plane: P };
	};
	return [source(a), source(b)];
}

const EMPTY: ExtentSource = { lo: new Float32Array(0), hi: new Float32Array(0), plane: 0 };

/** The index of a sample's line in grid plane `plane`, given its indices in all three. */
function pick(plane: 0 | 1 | 2, iXY: number, iXZ: number, iYZ: number): number {
	return plane === 0 ? iXY : plane === 1 ? iXZ : iYZ;
}

export interface SampledField {
	/** The field, or null when only the projections were asked for. */
	field: Float32Array | null;
	/** Per plane (GRID_PLANES order): lines holding a sample of the pure hull (every signed distance negative). */
	hull: Uint8Array[];
	/** Per plane: lines holding a sample of the rounded solid (field negative). */
	solid: Uint8Array[];
}

/**
 * Samples the field: per sample the largest of each plane's signed distance, of |z| − the inflation's half-depth,
 * and, inside the hull, of each rounding plane's rounded-slice distance (round.ts). Checks for cancellation every
 * eight slices and reports progress from `from` to `to`.
 */
export function sampleField(
	bounds: PlaneBounds[],
	grid: CarveGrid,
	box: ObjectBox,
	rounding: PlaneRounding,
	keep: boolean,
	ctx: StageContext,
	from = 0,
	to = 1,
): SampledField {
	const [nx, ny, nz] = grid.dims;
	const { origin, spacing: h } = grid;
	const [xy, xz, yz] = bounds;
	const field = keep ? new Float32Array(nx * ny * nz) : null;
	const hull = [new Uint8Array(nx * ny), new Uint8Array(nx * nz), new Uint8Array(ny * nz)];
	const solid = [new Uint8Array(nx * ny), new Uint8Array(nx * nz), new Uint8Array(ny * nz)];
	// Per rounding plane (XY: a = x, b = y; XZ: x, z; YZ: y, z): its strength and where its two extents come from.
	const sources = ([0, 1, 2] as const).map((P) => (rounding[P] > 0 ? extentSources(bounds, grid, box, P) : null));
	const [r0, r1, r2] = rounding;
	const [xyA, xyB] = sources[0] ?? [EMPTY, EMPTY];
	const [xzA, xzB] = sources[1] ?? [EMPTY, EMPTY];
	const [yzA, yzB] = sources[2] ?? [EMPTY, EMPTY];
	const band = 2 * h;
	const xs = new Float64Array(nx);
	for (let i = 0; i < nx; i++) xs[i] = origin[0] + i * h;
	for (let k = 0; k < nz; k++) {
		if ((k & 7) === 0) {
			ctx.signal.throwIfAborted();
			ctx.progress(from + ((to - from) * k) / nz);
		}
		const z = origin[2] + k * h;
		const absZ = Math.abs(z);
		for (let j = 0; j < ny; j++) {
			const y = origin[1] + j * h;
			const line = k * ny + j;
			const gYZ = yz.signed[line];
			const out = line * nx;
			for (let i = 0; i < nx; i++) {
				const iXY = j * nx + i;
				const iXZ = k * nx + i;
				const gXY = xy.signed[iXY];
				const gXZ = xz.signed[iXZ];
				let value = gXY > gXZ ? gXY : gXZ;
				if (gYZ > value) value = gYZ;
				const w = absZ - xy.half[iXY];
				if (w > value) value = w;
				if (value < 0) {
					hull[0][iXY] = 1;
					hull[1][iXZ] = 1;
					hull[2][line] = 1;
				} else if (!field) continue;
				// Rounding only moves the surface inward, so samples more than a band outside the hull cannot
				// matter; those within it need the rounded value for the crossings between them and the inside.
				if (value < band) {
					if (r0 > 0) {
						const a = pick(xyA.plane, iXY, iXZ, line);
						const b = pick(xyB.plane, iXY, iXZ, line);
						const d = roundedSlice(xs[i], xyA.lo[a], xyA.hi[a], y, xyB.lo[b], xyB.hi[b], r0, h);
						if (d > value) value = d;
					}
					if (r1 > 0) {
						const a = pick(xzA.plane, iXY, iXZ, line);
						const b = pick(xzB.plane, iXY, iXZ, line);
						const d = roundedSlice(xs[i], xzA.lo[a], xzA.hi[a], z, xzB.lo[b], xzB.hi[b], r1, h);
						if (d > value) value = d;
					}
					if (r2 > 0) {
						const a = pick(yzA.plane, iXY, iXZ, line);
						const b = pick(yzB.plane, iXY, iXZ, line);
						const d = roundedSlice(y, yzA.lo[a], yzA.hi[a], z, yzB.lo[b], yzB.hi[b], r2, h);
						if (d > value) value = d;
					}
					if (value < 0) {
						solid[0][iXY] = 1;
						solid[1][iXZ] = 1;
						solid[2][line] = 1;
					}
				}
				if (!field) continue;
				field[out + i] = value;
			}
		}
	}
	return { field, hull, solid };
}
