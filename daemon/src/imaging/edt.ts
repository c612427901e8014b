// Exact Euclidean distance transform (Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled
// Functions"): two passes of the 1-D lower-envelope algorithm, O(n) per row and column.

/** The value of a cell that is not a feature (squaredTransform2d skips them). */
export const FAR = 1e20;

/**
 * Distance from every pixel where `inside[p]` is nonzero to the nearest pixel where it is zero (0 on those).
 * Pixels beyond the image border do not count as outside: a region touching the border is not eroded by it.
 */
export function distanceToOutside(inside: Uint8Array, width: number, height: number): Float32Array {
	const sq = new Float64Array(width * height);
	for (let p = 0; p < sq.length; p++) sq[p] = inside[p] ? FAR : 0;
	squaredTransform2d(sq, width, height);
	const out = new Float32Array(sq.length);
	for (let p = 0; p < sq.length; p++) out[p] = sq[p] >= FAR ? Infinity : Math.sqrt(sq[p]);
	return out;
}

/** In-place squared EDT of a grid whose zero cells are the features and FAR cells are not. */
export function squaredTransform2d(grid: Float64Array, width: number, height: number): void {
	const n = Math.max(width, height);
	const f = new Float64Array(n);
	const d = new Float64Array(n);
	const v = new Int32Array(n);
	const z = new Float64Array(n + 1);
	for (let x = 0; x < width; x++) {
		for (let y = 0; y < height; y++) f[y] = grid[y * width + x];
		transform1d(f, height, d, v, z);
		for (let y = 0; y < height; y++) grid[y * width + x] = d[y];
	}
	for (let y = 0; y < height; y++) {
		const row = y * width;
		for (let x = 0; x < width; x++) f[x] = grid[row + x];
		transform1d(f, width, d, v, z);
		for (let x = 0; x < width; x++) grid[row + x] = d[x];
	}
}

/** Lower envelope of the parabolas rooted at f: d[q] = min_p (q − p)² + f[p]. */
function transform1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
	let k = 0;
	let first = 0;
	// Skip leading FAR samples: parabolas rooted at FAR never win while a finite one exists.
	while (first < n && f[first] >= FAR) first++;
	if (first === n) {
		for (let q = 0; q < n; q++) d[q] = FAR;
		return;
	}
	v[0] = first;
	z[0] = -Infinity;
	z[1] = Infinity;
	for (let q = first + 1; q < n; q++) {
		if (f[q] >= FAR) continue;
		let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
		while (s <= z[k]) {
			k--;
			s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
		}
		k++;
		v[k] = q;
		z[k] = s;
		z[k + 1] = Infinity;
	}
	k = 0;
	for (let q = 0; q < n; q++) {
		while (z[k + 1] < q) k++;
		const dq = q - v[k];
		d[q] = dq * dq + f[v[k]];
	}
}
