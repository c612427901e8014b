// Inside/outside of a closed mesh on a regular grid by ray parity: one ray along +Z per (x, y) column of voxel
// centres, crossings counted below each centre. Used for the volume IoU of metrics.ts; only meaningful for closed
// meshes, which the caller checks first (an open mesh leaks, a column through a hole flips parity).

export interface VoxelGrid {
	/** Voxels per axis. */
	n: number;
	/** Corner of the grid (not a voxel centre). */
	min: [number, number, number];
	/** Voxel size per axis; the grid need not be cubic. */
	cell: [number, number, number];
}

/** A grid of n³ voxels spanning [min, max] exactly. */
export function gridOver(min: readonly number[], max: readonly number[], n: number): VoxelGrid {
	const cell: [number, number, number] = [0, 1, 2].map((k) => Math.max(max[k] - min[k], 1e-9) / n) as [number, number, number];
	return { n, min: [min[0], min[1], min[2]], cell };
}

/**
 * 1 for every voxel whose centre is inside the mesh, x fastest: occupancy[(k·n + j)·n + i].
 *
 * Columns through a shared edge or vertex must meet exactly one of the triangles there, or the parity of the
 * whole column flips. The rasterisers' top-left rule does that: every triangle is turned counter-clockwise in
 * the XY projection, a column exactly on an edge belongs to it only when the edge is a "top-left" one, and each
 * edge function is computed from its two end points in one fixed order, so the triangles on either side of an
 * edge get bit-identical values of opposite sign.
 */
export function voxelize(positions: Float32Array, indices: ArrayLike<number>, grid: VoxelGrid): Uint8Array {
	const { n, min, cell } = grid;
	const columns = n * n;
	// Two passes over the triangles: count the crossings per column, then fill them into one flat array.
	const counts = new Uint32Array(columns + 1);
	forEachCrossing(positions, indices, grid, (column) => counts[column + 1]++);
	for (let c = 0; c < columns; c++) counts[c + 1] += counts[c];
	const crossings = new Float64Array(counts[columns]);
	const filled = counts.slice(0, columns);
	forEachCrossing(positions, indices, grid, (column, z) => (crossings[filled[column]++] = z));

	const occupancy = new Uint8Array(columns * n);
	for (let column = 0; column < columns; column++) {
		const list = crossings.subarray(counts[column], counts[column + 1]);
		if (list.length < 2) continue;
		list.sort();
		let below = 0;
		for (let k = 0; k < n; k++) {
			const z = min[2] + (k + 0.5) * cell[2];
			while (below < list.length && list[below] < z) below++;
			if (below % 2 === 1) occupancy[k * columns + column] = 1;
		}
	}
	return occupancy;
}

/** Calls `hit(column, z)` for each (triangle, column) pair where the column's +Z ray crosses the triangle. */
function forEachCrossing(positions: Float32Array, indices: ArrayLike<number>, grid: VoxelGrid, hit: (column: number, z: number) => void): void {
	const { n, min, cell } = grid;
	for (let t = 0; t + 2 < indices.length; t += 3) {
		let a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
		const area = cross2(positions, a, b, c);
		if (area === 0 || !Number.isFinite(area)) continue;
		if (area < 0) [b, c] = [c, b];
		const x0 = Math.min(positions[a], positions[b], positions[c]);
		const x1 = Math.max(positions[a], positions[b], positions[c]);
		const y0 = Math.min(positions[a + 1], positions[b + 1], positions[c + 1]);
		const y1 = Math.max(positions[a + 1], positions[b + 1], positions[c + 1]);
		const i0 = Math.max(0, Math.ceil((x0 - min[0]) / cell[0] - 0.5));
		const i1 = Math.min(n - 1, Math.floor((x1 - min[0]) / cell[0] - 0.5));
		const j0 = Math.max(0, Math.ceil((y0 - min[1]) / cell[1] - 0.5));
		const j1 = Math.min(n - 1, Math.floor((y1 - min[1]) / cell[1] - 0.5));
		const leftA = topLeft(positions, b, c), leftB = topLeft(positions, c, a), leftC = topLeft(positions, a, b);
		for (let j = j0; j <= j1; j++) {
			const y = min[1] + (j + 0.5) * cell[1];
			for (let i = i0; i <= i1; i++) {
				const x = min[0] + (i + 0.5) * cell[0];
				// Weight of each corner: the edge function of the opposite edge, positive inside.
				const wa = edge(positions, b, c, x, y);
				const wb = edge(positions, c, a, x, y);
				const wc = edge(positions, a, b, x, y);
				if (wa < 0 || wb < 0 || wc < 0) continue;
				if ((wa === 0 && !leftA) || (wb === 0 && !leftB) || (wc === 0 && !leftC)) continue;
				const sum = wa + wb + wc;
				if (!(sum > 0)) continue;
				hit(j * n + i, (wa * positions[a + 2] + wb * positions[b + 2] + wc * positions[c + 2]) / sum);
			}
		}
	}
}

/** Twice the signed XY area of (a, b, c); positive when counter-clockwise seen from +Z. */
function cross2(p: Float32Array, a: number, b: number, c: number): number {
	return (p[b] - p[a]) * (p[c + 1] - p[a + 1]) - (p[c] - p[a]) * (p[b + 1] - p[a + 1]);
}

/** Whether `p` precedes `q`: by x, then y, then index; the order the edge function is evaluated in. */
function before(p: Float32Array, a: number, b: number): boolean {
	return p[a] < p[b] || (p[a] === p[b] && (p[a + 1] < p[b + 1] || (p[a + 1] === p[b + 1] && a < b)));
}

/** Edge function of the directed edge a → b at (x, y): positive on its left. Exactly antisymmetric in a, b. */
function edge(p: Float32Array, a: number, b: number, x: number, y: number): number {
	if (before(p, b, a)) return -edge(p, b, a, x, y);
	return (p[b] - p[a]) * (y - p[a + 1]) - (p[b + 1] - p[a + 1]) * (x - p[a]);
}

/**
 * Whether points exactly on the directed edge a → b of a counter-clockwise triangle count as inside: of the two
 * directions an edge can have, exactly one qualifies, so two triangles sharing it never both take the point.
 */
function topLeft(p: Float32Array, a: number, b: number): boolean {
	const dx = p[b] - p[a];
	const dy = p[b + 1] - p[a + 1];
	return dy < 0 || (dy === 0 && dx > 0);
}

/** Intersection over union of two occupancy grids of the same size; 1 when both are empty. */
export function occupancyIoU(a: Uint8Array, b: Uint8Array): number {
	if (a.length !== b.length) throw new RangeError('occupancyIoU: grids differ in size');
	let inter = 0;
	let union = 0;
	for (let i = 0; i < a.length; i++) {
		if (a[i] && b[i]) inter++;
		if (a[i] || b[i]) union++;
	}
	return union === 0 ? 1 : inter / union;
}
