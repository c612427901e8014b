// Adaptive cell sizes for the height-field mesh: cells far from the silhouette, where the surface is smooth,
// merge into square blocks of 2, 4, 8… cells (aligned quadtree leaves); cells near the silhouette stay single.
// Neighbouring leaves differ by at most one level (2:1 balance), so a coarse leaf only ever meets finer
// neighbours at its edge midpoints and can be stitched without T-junctions (generators/inflate/mesh.ts).

export interface QuadtreeOptions {
	/** Largest leaf is 2^maxLevel cells wide. */
	maxLevel: number;
	/** A leaf of width w needs every vertex at least `clearance × w` cells from the silhouette. */
	clearance: number;
}

export const QUADTREE_DEFAULTS: Readonly<QuadtreeOptions> = { maxLevel: 3, clearance: 2 };

export interface Leaves {
	/** Level of the leaf containing each cell (cols × rows, row-major); 0 for single cells. */
	cellLevel: Int8Array;
	/** Coarse leaves (level ≥ 1) as (x0, y0, level) triples, in cells. */
	coarse: number[];
}

/**
 * Chooses the leaves. `distance` is per grid vertex ((cols + 1) × (rows + 1)), 0 outside the subject.
 */
export function buildLeaves(cols: number, rows: number, distance: Float32Array, options: Partial<QuadtreeOptions> = {}): Leaves {
	const { maxLevel, clearance } = { ...QUADTREE_DEFAULTS, ...options };
	const nx = cols + 1;
	// Per level: the minimum vertex distance over each block, and whether the block is currently a leaf.
	const minimum: Float32Array[] = [];
	const leaf: Uint8Array[] = [];
	const widths: number[] = [];
	const base = new Float32Array(cols * rows);
	for (let y = 0; y < rows; y++) {
		for (let x = 0; x < cols; x++) {
			const p = y * nx + x;
			base[y * cols + x] = Math.min(distance[p], distance[p + 1], distance[p + nx], distance[p + nx + 1]);
		}
	}
	minimum.push(base);
	leaf.push(new Uint8Array(cols * rows).fill(1));
	widths.push(cols);
	for (let level = 1; level <= maxLevel; level++) {
		const size = 1 << level;
		const bw = Math.floor(cols / size);
		const bh = Math.floor(rows / size);
		const cw = widths[level - 1];
		const below = minimum[level - 1];
		const belowLeaf = leaf[level - 1];
		const min = new Float32Array(bw * bh);
		const isLeaf = new Uint8Array(bw * bh);
		for (let by = 0; by < bh; by++) {
			for (let bx = 0; bx < bw; bx++) {
				const c = 2 * by * cw + 2 * bx;
				const children = [c, c + 1, c + cw, c + cw + 1];
				const m = Math.min(below[c], below[c + 1], below[c + cw], below[c + cw + 1]);
				min[by * bw + bx] = m;
				if (m >= clearance * size && children.every((k) => belowLeaf[k])) {
					isLeaf[by * bw + bx] = 1;
					for (const k of children) belowLeaf[k] = 0;
				}
			}
		}
		minimum.push(min);
		leaf.push(isLeaf);
		widths.push(bw);
	}

	const cellLevel = new Int8Array(cols * rows);
	const paint = (x0: number, y0: number, size: number, level: number) => {
		for (let y = y0; y < y0 + size; y++) cellLevel.fill(level, y * cols + x0, y * cols + x0 + size);
	};
	for (let level = 1; level <= maxLevel; level++) {
		const bw = widths[level];
		const size = 1 << level;
		leaf[level].forEach((isLeaf, b) => {
			if (isLeaf) paint((b % bw) * size, Math.floor(b / bw) * size, size, level);
		});
	}

	// Balance: split any leaf that touches a cell more than one level finer, until none does.
	let changed = true;
	while (changed) {
		changed = false;
		for (let level = maxLevel; level >= 2; level--) {
			const bw = widths[level];
			const size = 1 << level;
			for (let b = 0; b < leaf[level].length; b++) {
				if (!leaf[level][b]) continue;
				const x0 = (b % bw) * size;
				const y0 = Math.floor(b / bw) * size;
				if (!touchesFiner(cellLevel, cols, rows, x0, y0, size, level - 1)) continue;
				leaf[level][b] = 0;
				const half = size >> 1;
				const cw = widths[level - 1];
				const cx = x0 / half;
				const cy = y0 / half;
				for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) leaf[level - 1][(cy + dy) * cw + cx + dx] = 1;
				paint(x0, y0, size, level - 1);
				changed = true;
			}
		}
	}

	const coarse: number[] = [];
	for (let level = 1; level <= maxLevel; level++) {
		const bw = widths[level];
		const size = 1 << level;
		leaf[level].forEach((isLeaf, b) => {
			if (isLeaf) coarse.push((b % bw) * size, Math.floor(b / bw) * size, level);
		});
	}
	return { cellLevel, coarse };
}

/** Whether any cell just outside the block's four edges has a level below `floor`. */
function touchesFiner(cellLevel: Int8Array, cols: number, rows: number, x0: number, y0: number, size: number, floor: number): boolean {
	for (let k = 0; k < size; k++) {
		if (y0 > 0 && cellLevel[(y0 - 1) * cols + x0 + k] < floor) return true;
		if (y0 + size < rows && cellLevel[(y0 + size) * cols + x0 + k] < floor) return true;
		if (x0 > 0 && cellLevel[(y0 + k) * cols + x0 - 1] < floor) return true;
		if (x0 + size < cols && cellLevel[(y0 + k) * cols + x0 + size] < floor) return true;
	}
	return false;
}
