// The silhouette polygon mesh.ts builds in one grid cell: its inside corners and the crossings on its edges, in
// order round the cell, split in two where a saddle is resolved apart. thin-parts.ts asks it which pixels the
// mesh will cover before the mesh exists.
import { centreInside, crossing } from './mesh';
import type { EdgeCrossings } from '../../pipeline/types';

/**
 * One cell's polygon, rebuilt in place for each cell asked about; points are fractions of the cell from its
 * top-left vertex, x to the right and y down.
 *
 * ```ts
 * const cell = new CellPolygon(nx, coverage, crossings);
 * const covered = cell.build(j * nx + i).holds(0.3, 0.8);
 * ```
 */
export class CellPolygon {
	private readonly xs = new Float64Array(8);
	private readonly ys = new Float64Array(8);
	private count = 0;
	/** Positions of the two inside corners among the points when the cell is a saddle resolved apart, else -1. */
	private apart: [number, number] = [-1, -1];

	constructor(
		readonly nx: number,
		private readonly coverage: Float32Array,
		private readonly crossings: EdgeCrossings,
	) {}

	/** Rebuilds the polygon for the cell whose top-left vertex is p0. */
	build(p0: number): this {
		const { nx, crossings } = this;
		const [p1, p2, p3] = [p0 + 1, p0 + nx + 1, p0 + nx];
		this.count = 0;
		this.corner(p0, 0, 0);
		this.cut(p0, p1, crossings.h, 0, 0, 1, 0);
		this.corner(p1, 1, 0);
		this.cut(p1, p2, crossings.v, 1, 0, 0, 1);
		this.corner(p2, 1, 1);
		this.cut(p3, p2, crossings.h, 0, 1, 1, 0);
		this.corner(p3, 0, 1);
		this.cut(p0, p3, crossings.v, 0, 0, 0, 1);
		// Six points are two diagonal inside corners and four crossings: a saddle.
		const saddle = this.count === 6 && !centreInside(this.coverage, p0, p1, p2, p3);
		this.apart = !saddle ? [-1, -1] : this.inside(p0) ? [0, 3] : [1, 4];
		return this;
	}

	/** Whether the polygon holds the point (x, y) of the cell. */
	holds(x: number, y: number): boolean {
		if (this.apart[0] < 0) return this.within(x, y, 0, this.count);
		// A saddle resolved apart: a triangle at each inside corner, from the crossing before it to the one after.
		return this.apart.some((k) => this.triangle(x, y, (k + 5) % 6, k, (k + 1) % 6));
	}

	private inside(q: number): boolean {
		return this.coverage[q] > 0.5;
	}

	private corner(q: number, x: number, y: number): void {
		if (this.inside(q)) this.push(x, y);
	}

	/** The crossing on the edge from vertex a at (x, y) to b, one cell along (dx, dy), when it is a silhouette edge. */
	private cut(a: number, b: number, along: Float32Array, x: number, y: number, dx: number, dy: number): void {
		if (this.inside(a) === this.inside(b)) return;
		const t = crossing(this.coverage[a], this.coverage[b], along[a]);
		this.push(x + t * dx, y + t * dy);
	}

	private push(x: number, y: number): void {
		this.xs[this.count] = x;
		this.ys[this.count] = y;
		this.count++;
	}

	/** Even-odd test against the points from `start`, `count` of them. */
	private within(x: number, y: number, start: number, count: number): boolean {
		const { xs, ys } = this;
		let inside = false;
		for (let i = start, j = start + count - 1; i < start + count; j = i++) {
			if (ys[i] > y !== ys[j] > y && x < ((xs[j] - xs[i]) * (y - ys[i])) / (ys[j] - ys[i]) + xs[i]) inside = !inside;
		}
		return inside;
	}

	private triangle(x: number, y: number, a: number, b: number, c: number): boolean {
		const { xs, ys } = this;
		const side = (i: number, j: number) => (xs[j] - xs[i]) * (y - ys[i]) - (ys[j] - ys[i]) * (x - xs[i]);
		const [d1, d2, d3] = [side(a, b), side(b, c), side(c, a)];
		return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
	}
}
