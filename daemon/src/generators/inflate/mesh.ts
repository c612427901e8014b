// Stage 4: height field → one closed, 2-manifold, consistently oriented triangle mesh. Marching squares
// triangulates the inside of the 0.5 coverage contour cell by cell, with silhouette vertices placed on the
// contour itself (not on pixel corners). The front sheet is lifted by `front`, the back sheet lowered by
// `back`, and both share the silhouette vertices, so the seam is stitched by construction. Each boundary
// loop of the region is a simple closed curve, so the doubled surface is a closed manifold whose Euler
// characteristic is twice the region's: a disc gives a sphere (χ = 2), a ring a torus (χ = 0).
// Away from the silhouette, cells merge into quadtree leaves (geometry/quadtree.ts): far fewer triangles
// where the surface is smooth, with a centre fan stitching each coarse leaf to finer neighbours.
import { buildLeaves } from '../../geometry/quadtree';
import type { HeightField, StageContext, TriMesh } from '../../pipeline/types';

export const NAME = 'mesh';

/** Keeps silhouette vertices off the grid corners, so no triangle collapses to a sliver. */
const EDGE_CLAMP = 0.01;

/**
 * Triangulates the solid described by a height field. Output units are grid cells: x to the right, y up,
 * z toward the viewer; `source` holds each vertex's working-image pixel for texturing.
 *
 * ```ts
 * const solid = mesh(field, ctx);
 * ```
 */
export function mesh(field: HeightField, ctx: StageContext): TriMesh {
	const { cols, rows, coverage, distance, front, back, originX, originY, cell, crossings } = field;
	const nx = cols + 1;
	const ny = rows + 1;
	const inside = new Uint8Array(nx * ny);
	for (let p = 0; p < inside.length; p++) inside[p] = coverage[p] > 0.5 ? 1 : 0;
	const { cellLevel, coarse } = buildLeaves(cols, rows, distance);

	// Which grid vertices the triangles use: inside corners of single cells; corners of coarse leaves, plus the
	// midpoints of edges shared with finer leaves and then the centre that fans them.
	const used = new Uint8Array(nx * ny);
	for (let j = 0; j < rows; j++) {
		for (let i = 0; i < cols; i++) {
			if (cellLevel[j * cols + i] !== 0) continue;
			const p = j * nx + i;
			used[p] |= inside[p];
			used[p + 1] |= inside[p + 1];
			used[p + nx] |= inside[p + nx];
			used[p + nx + 1] |= inside[p + nx + 1];
		}
	}
	const leafPolygons: number[][] = [];
	for (let k = 0; k < coarse.length; k += 3) {
		const polygon = leafPerimeter(coarse[k], coarse[k + 1], coarse[k + 2]);
		for (const p of polygon) used[p] = 1;
		if (polygon.length > 4) used[leafCentre(k / 3)] = 1;
		leafPolygons.push(polygon);
	}

	// Vertex ids: two per used grid vertex (front, back), one per grid edge the contour crosses.
	const frontId = new Int32Array(nx * ny).fill(-1);
	const backId = new Int32Array(nx * ny).fill(-1);
	const hCross = new Int32Array(nx * ny).fill(-1);
	const vCross = new Int32Array(nx * ny).fill(-1);
	let count = 0;
	for (let p = 0; p < used.length; p++) {
		if (!used[p]) continue;
		frontId[p] = count++;
		backId[p] = count++;
	}
	for (let j = 0; j < ny; j++) {
		for (let i = 0; i < nx; i++) {
			const p = j * nx + i;
			if (i < cols && inside[p] !== inside[p + 1]) hCross[p] = count++;
			if (j < rows && inside[p] !== inside[p + nx]) vCross[p] = count++;
		}
	}

	const positions = new Float32Array(count * 3);
	const source = new Float32Array(count * 2);
	for (let j = 0; j < ny; j++) {
		for (let i = 0; i < nx; i++) {
			const p = j * nx + i;
			if (used[p]) {
				put(frontId[p], i, j, front[p]);
				put(backId[p], i, j, -back[p]);
			}
			if (hCross[p] >= 0) put(hCross[p], i + crossing(coverage[p], coverage[p + 1], crossings?.h[p]), j, 0);
			if (vCross[p] >= 0) put(vCross[p], i, j + crossing(coverage[p], coverage[p + nx], crossings?.v[p]), 0);
		}
	}
	ctx.signal.throwIfAborted();
	ctx.progress(0.3);

	// At most 4 triangles per sheet in a single cell, 8 in a coarse leaf (a fan over 8 perimeter vertices).
	const indices = new Uint32Array((cols * rows * 4 + leafPolygons.length * 8) * 6);
	let t = 0;
	const poly = new Int32Array(8);
	const isCorner = new Uint8Array(8);
	for (let j = 0; j < rows; j++) {
		if ((j & 63) === 0) {
			ctx.signal.throwIfAborted();
			ctx.progress(0.3 + (0.6 * j) / rows);
		}
		for (let i = 0; i < cols; i++) {
			if (cellLevel[j * cols + i] !== 0) continue;
			const p0 = j * nx + i;
			const p1 = p0 + 1;
			const p2 = p0 + nx + 1;
			const p3 = p0 + nx;
			const code = inside[p0] | (inside[p1] << 1) | (inside[p2] << 2) | (inside[p3] << 3);
			if (code === 0) continue;
			// Perimeter walk, clockwise on screen: corner 0, edge 0-1, corner 1, edge 1-2, corner 2, edge 2-3, …
			let n = 0;
			if (inside[p0]) (poly[n] = p0), (isCorner[n++] = 1);
			if (hCross[p0] >= 0) (poly[n] = hCross[p0]), (isCorner[n++] = 0);
			if (inside[p1]) (poly[n] = p1), (isCorner[n++] = 1);
			if (vCross[p1] >= 0) (poly[n] = vCross[p1]), (isCorner[n++] = 0);
			if (inside[p2]) (poly[n] = p2), (isCorner[n++] = 1);
			if (hCross[p3] >= 0) (poly[n] = hCross[p3]), (isCorner[n++] = 0);
			if (inside[p3]) (poly[n] = p3), (isCorner[n++] = 1);
			if (vCross[p0] >= 0) (poly[n] = vCross[p0]), (isCorner[n++] = 0);

			const saddle = code === 5 || code === 10;
			if (saddle && !centreInside(coverage, p0, p1, p2, p3)) {
				// Two separate corner triangles (the diagonal corners are not connected through this cell).
				for (let k = 0; k < n; k++) {
					if (!isCorner[k]) continue;
					const b = (k + 1) % n;
					const c = (k + n - 1) % n;
					emit(vertex(k, frontId), vertex(b, frontId), vertex(c, frontId), vertex(k, backId), vertex(b, backId), vertex(c, backId));
				}
				continue;
			}
			// Fan from an inside corner; full cells alternate the diagonal so the grid has no preferred direction.
			let start = 0;
			while (!isCorner[start]) start++;
			if (code === 15 && (i + j) & 1) start = 1;
			for (let k = 1; k < n - 1; k++) {
				const b = (start + k) % n;
				const c = (start + k + 1) % n;
				emit(vertex(start, frontId), vertex(b, frontId), vertex(c, frontId), vertex(start, backId), vertex(b, backId), vertex(c, backId));
			}
		}
	}
	for (let k = 0; k < leafPolygons.length; k++) {
		const polygon = leafPolygons[k];
		const x0 = coarse[k * 3];
		const y0 = coarse[k * 3 + 1];
		if (polygon.length === 4) {
			// No finer neighbour: two triangles, diagonals alternating like single cells.
			const s = ((x0 + y0) >> coarse[k * 3 + 2]) & 1;
			const [a, b, c, d] = s ? [polygon[1], polygon[2], polygon[3], polygon[0]] : polygon;
			emit(frontId[a], frontId[b], frontId[c], backId[a], backId[b], backId[c]);
			emit(frontId[a], frontId[c], frontId[d], backId[a], backId[c], backId[d]);
			continue;
		}
		const centre = leafCentre(k);
		for (let e = 0; e < polygon.length; e++) {
			const a = polygon[e];
			const b = polygon[(e + 1) % polygon.length];
			emit(frontId[centre], frontId[a], frontId[b], backId[centre], backId[a], backId[b]);
		}
	}
	ctx.progress(1);
	return { positions, indices: indices.slice(0, t), source };

	function put(id: number, x: number, y: number, z: number): void {
		positions[id * 3] = x;
		positions[id * 3 + 1] = -y;
		positions[id * 3 + 2] = z;
		source[id * 2] = originX + x * cell;
		source[id * 2 + 1] = originY + y * cell;
	}

	/** One triangle on each sheet, given clockwise-on-screen; the front one is reversed so both face outward. */
	function emit(fa: number, fb: number, fc: number, ba: number, bb: number, bc: number): void {
		indices[t++] = fa;
		indices[t++] = fc;
		indices[t++] = fb;
		indices[t++] = ba;
		indices[t++] = bb;
		indices[t++] = bc;
	}

	function vertex(k: number, sheet: Int32Array): number {
		return isCorner[k] ? sheet[poly[k]] : poly[k];
	}

	function leafCentre(k: number): number {
		const half = 1 << (coarse[k * 3 + 2] - 1);
		return (coarse[k * 3 + 1] + half) * nx + coarse[k * 3] + half;
	}

	/** Grid vertices around a coarse leaf, clockwise on screen, with midpoints where a finer leaf is beside it. */
	function leafPerimeter(x0: number, y0: number, level: number): number[] {
		const size = 1 << level;
		const half = size >> 1;
		const x1 = x0 + size;
		const y1 = y0 + size;
		const finer = (i: number, j: number) => i >= 0 && j >= 0 && i < cols && j < rows && cellLevel[j * cols + i] < level;
		const out = [y0 * nx + x0];
		if (finer(x0, y0 - 1)) out.push(y0 * nx + x0 + half);
		out.push(y0 * nx + x1);
		if (finer(x1, y0)) out.push((y0 + half) * nx + x1);
		out.push(y1 * nx + x1);
		if (finer(x0, y1)) out.push(y1 * nx + x0 + half);
		out.push(y1 * nx + x0);
		if (finer(x0 - 1, y0)) out.push((y0 + half) * nx + x0);
		return out;
	}
}

/**
 * Where along an edge from value `a` to value `b` (one inside, one outside) the 0.5 contour crosses, unless the
 * shape stage measured it (`known`, around thin parts).
 */
export function crossing(a: number, b: number, known = NaN): number {
	const t = Number.isNaN(known) ? (a > 0.5 ? (a - 0.5) / (a - b) : (0.5 - a) / (b - a)) : known;
	return Math.min(1 - EDGE_CLAMP, Math.max(EDGE_CLAMP, t));
}

/** How mesh resolves a saddle cell (diagonal corners inside): joined through the centre when this holds. */
export function centreInside(coverage: Float32Array, p0: number, p1: number, p2: number, p3: number): boolean {
	return (coverage[p0] + coverage[p1] + coverage[p2] + coverage[p3]) / 4 > 0.5;
}
