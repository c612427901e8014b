// Nearest-point distances between two point sets with a static k-d tree: 20 000 × 20 000 queries, several per
// mesh, take tens of milliseconds instead of the seconds a brute-force scan would. A uniform grid would be as
// fast for points on one surface but degrades when the two sets are far apart (a badly wrong shape); the tree
// does not care.

/** Ranges this small are scanned instead of split further. */
const LEAF_SIZE = 8;

/**
 * A balanced k-d tree stored implicitly: the points are reordered so that the node of a range [lo, hi) is its
 * middle element, split on the axis of largest spread, with the smaller coordinates to its left.
 */
export class KdTree {
	private readonly points: Float64Array;
	private readonly axes: Uint8Array;
	private best = Infinity;

	constructor(points: Float32Array) {
		const count = Math.floor(points.length / 3);
		const order = new Uint32Array(count);
		for (let i = 0; i < count; i++) order[i] = i;
		this.axes = new Uint8Array(count);
		build(points, order, this.axes, 0, count);
		this.points = new Float64Array(count * 3);
		for (let i = 0; i < count; i++) for (let k = 0; k < 3; k++) this.points[3 * i + k] = points[3 * order[i] + k];
	}

	get size(): number {
		return this.points.length / 3;
	}

	/** Euclidean distance from (x, y, z) to the nearest point of the tree; Infinity when it is empty. */
	nearest(x: number, y: number, z: number): number {
		this.best = Infinity;
		this.search(0, this.size, x, y, z);
		return Math.sqrt(this.best);
	}

	private search(lo: number, hi: number, x: number, y: number, z: number): void {
		const p = this.points;
		if (hi - lo <= LEAF_SIZE) {
			for (let i = lo; i < hi; i++) {
				const dx = p[3 * i] - x, dy = p[3 * i + 1] - y, dz = p[3 * i + 2] - z;
				const d = dx * dx + dy * dy + dz * dz;
				if (d < this.best) this.best = d;
			}
			return;
		}
		const mid = (lo + hi) >> 1;
		const dx = p[3 * mid] - x, dy = p[3 * mid + 1] - y, dz = p[3 * mid + 2] - z;
		const d = dx * dx + dy * dy + dz * dz;
		if (d < this.best) this.best = d;
		const axis = this.axes[mid];
		const diff = (axis === 0 ? x : axis === 1 ? y : z) - p[3 * mid + axis];
		// Nearer side first, so the far side is usually pruned by the distance found there.
		if (diff < 0) {
			this.search(lo, mid, x, y, z);
			if (diff * diff < this.best) this.search(mid + 1, hi, x, y, z);
		} else {
			this.search(mid + 1, hi, x, y, z);
			if (diff * diff < this.best) this.search(lo, mid, x, y, z);
		}
	}
}

function build(points: Float32Array, order: Uint32Array, axes: Uint8Array, lo: number, hi: number): void {
	if (hi - lo <= LEAF_SIZE) return;
	const min = [Infinity, Infinity, Infinity];
	const max = [-Infinity, -Infinity, -Infinity];
	for (let i = lo; i < hi; i++) {
		for (let k = 0; k < 3; k++) {
			const v = points[3 * order[i] + k];
			if (v < min[k]) min[k] = v;
			if (v > max[k]) max[k] = v;
		}
	}
	const spread = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
	const axis = spread[0] >= spread[1] && spread[0] >= spread[2] ? 0 : spread[1] >= spread[2] ? 1 : 2;
	const mid = (lo + hi) >> 1;
	select(points, order, axis, lo, hi - 1, mid);
	axes[mid] = axis;
	build(points, order, axes, lo, mid);
	build(points, order, axes, mid + 1, hi);
}

/** Quickselect (Hoare partition): afterwards order[k] holds the k-th smallest on `axis` within [left, right]. */
function select(points: Float32Array, order: Uint32Array, axis: number, left: number, right: number, k: number): void {
	while (left < right) {
		const pivot = points[3 * order[(left + right) >> 1] + axis];
		let i = left;
		let j = right;
		while (i <= j) {
			while (points[3 * order[i] + axis] < pivot) i++;
			while (points[3 * order[j] + axis] > pivot) j--;
			if (i <= j) {
				const t = order[i];
				order[i] = order[j];
				order[j] = t;
				i++;
				j--;
			}
		}
		if (k <= j) right = j;
		else if (k >= i) left = i;
		else return;
	}
}

/** For every point of `from`, the distance to its nearest point in `to`. */
export function nearestDistances(from: Float32Array, to: KdTree): Float64Array {
	const count = Math.floor(from.length / 3);
	const out = new Float64Array(count);
	for (let i = 0; i < count; i++) out[i] = to.nearest(from[3 * i], from[3 * i + 1], from[3 * i + 2]);
	return out;
}
