// Parts of the subject thinner than a grid cell (antennae, legs, twigs, cables, blade tips), for shape.ts. The
// coverage sampled at grid vertices misses them, so each gets a 4-connected chain of vertices forced inside and
// tied to the body, and the silhouette around that chain is placed where the part's own edges cross the grid
// edges (mesh.ts reads those crossings): the part keeps its own width instead of growing to a whole cell.
// imaging/thin-pixels.ts finds the parts; cell-polygon.ts says which of their pixels the mesh will cover.
import { bilinear } from '../../imaging/bilinear';
import { thinPixels } from '../../imaging/thin-pixels';
import { CellPolygon } from './cell-polygon';
import { crossing } from './mesh';
import type { EdgeCrossings, GrayImage, Rect } from '../../pipeline/types';

/** Where the vertex grid lies on the mask: vertex (i, j) is at pixel (originX + i·cell, originY + j·cell). */
export interface VertexGrid {
	nx: number;
	ny: number;
	originX: number;
	originY: number;
	cell: number;
}

/** Parts narrower than this many cells are thin: sampled coverage cannot be trusted to keep them whole. */
const THIN_WIDTH = 2;
/** Coverage given to a forced vertex: just inside, so saddles beside it still follow the true coverage. */
const FORCED = 0.51;
/** Steps, in pixels, at which the mask is read along a grid edge to find where a thin part ends. */
const STEP = 0.25;
/** Largest climb, in vertices, from where a thin part meets the body to the body's own inside vertices. */
const MAX_CLIMB = 4;
/** Rounds of making sure every thin pixel's centre is inside the silhouette. */
const COVER_PASSES = 2;
/** How far, in pixels, round a thin pixel's centre the silhouette should reach when it is pushed out to cover it. */
const REACH = 0.4;
/** Halvings when finding how far to push crossings out. */
const PUSH_STEPS = 6;
/** Farthest, in pixels, a vertex forced to cover a thin pixel may lie past that pixel's square. */
const MAX_OVERSHOOT = 0.5;

type Point = [number, number];

/**
 * Forces vertices inside along the subject's thin parts (raising their `coverage` in place) and returns where the
 * silhouette crosses the grid edges around them; undefined when the subject has no thin part.
 *
 * ```ts
 * const crossings = keepThinParts(mask, bbox, { nx, ny, originX, originY, cell }, coverage);
 * ```
 */
export function keepThinParts(mask: GrayImage, bbox: Rect, grid: VertexGrid, coverage: Float32Array): EdgeCrossings | undefined {
	// At least a pixel, so lines 1 px wide count as thin however fine the grid.
	const radius = Math.max((THIN_WIDTH * grid.cell) / 2, 1);
	// Thin pixels are found in a box round the subject; pixel (x, y) of it is (box.x0 + x, box.y0 + y).
	const box = around(bbox, Math.ceil(radius) + 1, mask);
	const thin = thinPixels(mask, radius, box);
	if (!thin.includes(1)) return undefined;
	const carriers = carryingVertices(mask, thin, box, grid, coverage);
	for (let p = 0; p < carriers.length; p++) if (carriers[p]) coverage[p] = Math.max(coverage[p], FORCED);
	const crossings = { h: new Float32Array(coverage.length).fill(NaN), v: new Float32Array(coverage.length).fill(NaN) };
	measureAround(carriers, mask, grid, coverage, crossings);
	// A forced corner changes its cells again, so a round that forced any is followed by another.
	for (let pass = 0; pass < COVER_PASSES; pass++) if (!coverCentres(thin, box, mask, grid, coverage, crossings)) break;
	return crossings;
}

/** The subject's box grown by `margin` pixels, within the picture: every disc round a subject pixel fits. */
function around(bbox: Rect, margin: number, mask: GrayImage): Rect {
	const [x0, y0] = [Math.max(0, bbox.x0 - margin), Math.max(0, bbox.y0 - margin)];
	return { x0, y0, x1: Math.min(mask.width, bbox.x1 + margin), y1: Math.min(mask.height, bbox.y1 + margin) };
}

/**
 * The vertices that carry the thin parts: one per thin pixel (carrierOf), joined to that of each 8-neighbour in
 * the mask by a 4-connected path, and, where a thin part meets the rest of the subject, a climb up the coverage to
 * vertices that are inside on their own.
 */
function carryingVertices(
	mask: GrayImage,
	thin: Uint8Array,
	box: Rect,
	grid: VertexGrid,
	coverage: Float32Array,
): Uint8Array {
	const [width, height] = [box.x1 - box.x0, box.y1 - box.y0];
	const carriers = new Uint8Array(grid.nx * grid.ny);
	const mark = (p: number) => {
		if (!onBorder(p, grid)) carriers[p] = 1;
	};
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			if (!thin[y * width + x]) continue;
			const a: Point = [box.x0 + x + 0.5, box.y0 + y + 0.5];
			const here = carrierOf(a, grid, mask);
			mark(here);
			for (let dy = -1; dy <= 1; dy++) {
				for (let dx = -1; dx <= 1; dx++) {
					const [xx, yy] = [x + dx, y + dy];
					if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
					if (mask.data[(box.y0 + yy) * mask.width + box.x0 + xx] < 128) continue;
					// Each pair of thin pixels once; every pair of a thin pixel and a body pixel.
					const q = yy * width + xx;
					if (thin[q] && q < y * width + x) continue;
					const b: Point = [a[0] + dx, a[1] + dy];
					const there = carrierOf(b, grid, mask);
					walk(here, there, grid, coverage, a, b, mark);
					if (!thin[q]) climb(there, grid, coverage, mark);
				}
			}
		}
	}
	return carriers;
}

function onBorder(p: number, grid: VertexGrid): boolean {
	const [i, j] = [p % grid.nx, Math.floor(p / grid.nx)];
	return i === 0 || j === 0 || i === grid.nx - 1 || j === grid.ny - 1;
}

/**
 * The vertex standing for the pixel centred at (x, y): the nearest corner of its cell that lies in the subject,
 * or, for a part that passes between vertices, the nearest corner.
 */
function carrierOf([x, y]: Point, grid: VertexGrid, mask: GrayImage): number {
	const u = (x - grid.originX) / grid.cell;
	const v = (y - grid.originY) / grid.cell;
	const [i, j] = [Math.floor(u), Math.floor(v)];
	let best = Math.round(v) * grid.nx + Math.round(u);
	let nearest = Infinity;
	for (const [ci, cj] of [[i, j], [i + 1, j], [i, j + 1], [i + 1, j + 1]]) {
		const d = (ci - u) ** 2 + (cj - v) ** 2;
		if (d < nearest && maskAt(mask, grid.originX + ci * grid.cell, grid.originY + cj * grid.cell) >= 0.5) {
			nearest = d;
			best = cj * grid.nx + ci;
		}
	}
	return best;
}

/**
 * Marks a 4-connected path of vertices from u to w. At each diagonal move it steps to the side already inside if
 * only one is, else to the side nearer the segment between the two pixel centres (a, b) the vertices stand for.
 */
function walk(u: number, w: number, grid: VertexGrid, coverage: Float32Array, a: Point, b: Point, mark: (p: number) => void): void {
	const { nx } = grid;
	const [wi, wj] = [w % nx, Math.floor(w / nx)];
	let p = u;
	mark(p);
	while (p !== w) {
		const si = Math.sign(wi - (p % nx));
		const sj = Math.sign(wj - Math.floor(p / nx)) * nx;
		if (si !== 0 && sj !== 0) {
			const [inI, inJ] = [coverage[p + si] > 0.5, coverage[p + sj] > 0.5];
			const across = inI !== inJ ? inI : segmentDistance(p + si, grid, a, b) <= segmentDistance(p + sj, grid, a, b);
			p += across ? si : sj;
		} else p += si + sj;
		mark(p);
	}
}

function segmentDistance(p: number, grid: VertexGrid, [ax, ay]: Point, [bx, by]: Point): number {
	const [px, py] = vertexAt(p, grid);
	const [dx, dy] = [bx - ax, by - ay];
	const t = Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
	return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function vertexAt(p: number, grid: VertexGrid): Point {
	return [grid.originX + (p % grid.nx) * grid.cell, grid.originY + Math.floor(p / grid.nx) * grid.cell];
}

/** From a vertex where a thin part meets the body, up the coverage until a vertex that is inside on its own. */
function climb(from: number, grid: VertexGrid, coverage: Float32Array, mark: (p: number) => void): void {
	const { nx } = grid;
	let p = from;
	for (let step = 0; step < MAX_CLIMB && coverage[p] <= 0.5; step++) {
		let best = p;
		for (const q of [p - 1, p + 1, p - nx, p + nx]) if (coverage[q] > coverage[best]) best = q;
		if (best === p || onBorder(best, grid)) return;
		mark(best);
		p = best;
	}
}

/**
 * Makes the silhouette hold the centre of every thin pixel it still leaves out (a one-pixel tip, a pixel beside
 * the carrying vertices): first by pushing the crossings of the pixel's cell outward, else by forcing a corner of
 * the cell that stays close to the pixel. Returns whether a corner was forced (its cells then change again).
 */
function coverCentres(
	thin: Uint8Array,
	box: Rect,
	mask: GrayImage,
	grid: VertexGrid,
	coverage: Float32Array,
	crossings: EdgeCrossings,
): boolean {
	const { nx } = grid;
	const width = box.x1 - box.x0;
	const cell = new CellPolygon(nx, coverage, crossings);
	const forced = new Uint8Array(coverage.length);
	let any = false;
	for (let p = 0; p < thin.length; p++) {
		if (!thin[p]) continue;
		const u = (box.x0 + (p % width) + 0.5 - grid.originX) / grid.cell;
		const v = (box.y0 + Math.floor(p / width) + 0.5 - grid.originY) / grid.cell;
		const [i, j] = [Math.floor(u), Math.floor(v)];
		const [fx, fy] = [u - i, v - j];
		const p0 = j * nx + i;
		if (cell.build(p0).holds(fx, fy)) continue;
		// Most of the pixel's square if the crossings can reach it, else at least its centre.
		const d = REACH / grid.cell;
		const square: Point[] = [[fx, fy], [fx - d, fy], [fx + d, fy], [fx, fy - d], [fx, fy + d]].map(([x, y]) => [clamp01(x), clamp01(y)]);
		if (pushCrossings(p0, square, cell, coverage, crossings) || pushCrossings(p0, [[fx, fy]], cell, coverage, crossings)) continue;
		const corner = closeCorner(i, j, u, v, grid, coverage);
		if (corner < 0) continue;
		coverage[corner] = FORCED;
		forced[corner] = 1;
		any = true;
	}
	if (any) measureAround(forced, mask, grid, coverage, crossings);
	return any;
}

/**
 * Moves the crossings on the silhouette edges of the cell with top-left vertex p0 outward together, as little as
 * makes its polygon hold the points (fractions of the cell); leaves them and returns false when even the farthest
 * crossings would not.
 */
function pushCrossings(p0: number, points: Point[], cell: CellPolygon, coverage: Float32Array, crossings: EdgeCrossings): boolean {
	const edges: Array<{ along: Float32Array; at: number; from: number; to: number }> = [];
	for (const [a, b, along] of cellEdges(p0, cell.nx, crossings)) {
		if (coverage[a] > 0.5 === coverage[b] > 0.5) continue;
		// Outward is toward the outside end: up from the current crossing when a is inside, down when b is.
		edges.push({ along, at: a, from: crossing(coverage[a], coverage[b], along[a]), to: coverage[a] > 0.5 ? 1 : 0 });
	}
	const set = (s: number) => {
		for (const e of edges) e.along[e.at] = e.from + s * (e.to - e.from);
	};
	const holds = (s: number) => {
		set(s);
		cell.build(p0);
		return points.every(([x, y]) => cell.holds(x, y));
	};
	if (!holds(1)) {
		set(0);
		return false;
	}
	let [lo, hi] = [0, 1];
	for (let step = 0; step < PUSH_STEPS; step++) {
		const mid = (lo + hi) / 2;
		if (holds(mid)) hi = mid;
		else lo = mid;
	}
	set(hi);
	return true;
}

/** The cell's four edges as (lower vertex, upper vertex, the crossings array they are stored in). */
function cellEdges(p0: number, nx: number, { h, v }: EdgeCrossings): Array<[number, number, Float32Array]> {
	return [
		[p0, p0 + 1, h],
		[p0 + 1, p0 + nx + 1, v],
		[p0 + nx, p0 + nx + 1, h],
		[p0, p0 + nx, v],
	];
}

/**
 * Of the outside corners of cell (i, j) beside an inside vertex (so forcing one adds to a part and never starts
 * one), the one that sticks out least past the pixel centred at (u, v) in cells; -1 when all stick out too far.
 */
function closeCorner(i: number, j: number, u: number, v: number, grid: VertexGrid, coverage: Float32Array): number {
	const { nx } = grid;
	let best = -1;
	let least = MAX_OVERSHOOT / grid.cell;
	for (const [ci, cj] of [[i, j], [i + 1, j], [i, j + 1], [i + 1, j + 1]]) {
		const q = cj * nx + ci;
		if (coverage[q] > 0.5 || onBorder(q, grid) || ![q - 1, q + 1, q - nx, q + nx].some((r) => coverage[r] > 0.5)) continue;
		const past = Math.max(Math.abs(ci - u), Math.abs(cj - v)) - 0.5 / grid.cell;
		if (past <= least) [best, least] = [q, past];
	}
	return best;
}

function clamp01(value: number): number {
	return Math.min(1, Math.max(0, value));
}

/**
 * On every silhouette edge at a marked vertex, measures where the mask, read along the edge from its inside end,
 * leaves the subject: the far side of a thin part, wherever the vertex stands. Writes into `crossings`.
 */
function measureAround(marked: Uint8Array, mask: GrayImage, grid: VertexGrid, coverage: Float32Array, crossings: EdgeCrossings): void {
	const { nx } = grid;
	const measure = (a: number, b: number, along: Float32Array) => {
		const aIn = coverage[a] > 0.5;
		if (aIn !== coverage[b] > 0.5) along[a] = aIn ? edgeExit(mask, grid, a, b) : 1 - edgeExit(mask, grid, b, a);
	};
	for (let p = 0; p < marked.length; p++) {
		if (!marked[p]) continue;
		measure(p, p + 1, crossings.h);
		measure(p - 1, p, crossings.h);
		measure(p, p + nx, crossings.v);
		measure(p - nx, p, crossings.v);
	}
}

/**
 * How far (0–1) along the edge from vertex a to its neighbour b the subject ends: where the mask, read along the
 * edge, drops below half after first reaching it; 0 when the edge never meets the subject.
 */
function edgeExit(mask: GrayImage, grid: VertexGrid, a: number, b: number): number {
	const [x0, y0] = vertexAt(a, grid);
	const [x1, y1] = vertexAt(b, grid);
	const steps = Math.max(4, Math.ceil(grid.cell / STEP));
	let entered = false;
	let previous = 0;
	for (let k = 0; k <= steps; k++) {
		const value = maskAt(mask, x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps);
		if (value >= 0.5) entered = true;
		else if (entered) return (k - 1 + (previous - 0.5) / (previous - value)) / steps;
		previous = value;
	}
	return entered ? 1 : 0;
}

/** maskAt's one-value result, reused: it runs for every probe along every thin part. */
const sample = new Float64Array(1);

/** The mask's coverage (0–1) at pixel position (x, y), bilinear between pixel centres; 0 past the picture's edge. */
function maskAt(mask: GrayImage, x: number, y: number): number {
	if (x < 0 || y < 0 || x > mask.width || y > mask.height) return 0;
	bilinear(mask.data, mask.width, mask.height, 1, x - 0.5, y - 0.5, sample);
	return sample[0] / 255;
}
