// Bilinear interpolation. `bilinear` samples one point of any buffer (the quality rasterizer); the resamplers
// on hot paths (colour bleed, mask resampling) precompute per-axis taps with `axisTaps` and run monomorphic
// loops over one typed array each, which is several times faster than a call per pixel.

/**
 * Samples `channels` values at (x, y), where pixel (i, j)'s centre is at (i, j); positions past the edge take
 * the edge value. Writes to `out` from `offset`.
 */
export function bilinear(
	data: ArrayLike<number>,
	width: number,
	height: number,
	channels: number,
	x: number,
	y: number,
	out: { [k: number]: number },
	offset = 0,
): void {
	const cx = Math.min(Math.max(x, 0), width - 1);
	const cy = Math.min(Math.max(y, 0), height - 1);
	const x0 = Math.floor(cx);
	const y0 = Math.floor(cy);
	const x1 = Math.min(x0 + 1, width - 1);
	const y1 = Math.min(y0 + 1, height - 1);
	const fx = cx - x0;
	const fy = cy - y0;
	const a = (y0 * width + x0) * channels;
	const b = (y0 * width + x1) * channels;
	const c = (y1 * width + x0) * channels;
	const d = (y1 * width + x1) * channels;
	for (let k = 0; k < channels; k++) {
		const top = data[a + k] + (data[b + k] - data[a + k]) * fx;
		const bottom = data[c + k] + (data[d + k] - data[c + k]) * fx;
		out[offset + k] = top + (bottom - top) * fy;
	}
}

/** Per output index along one axis: the two source indices and the weight of the second. */
export interface AxisTaps {
	lo: Int32Array;
	hi: Int32Array;
	t: Float32Array;
}

/**
 * Taps for sampling a source axis of `size` pixels at positions `start + (i + 0.5) · step − 0.5` for
 * i in [0, count): pixel centres to pixel centres, clamped to the edge.
 */
export function axisTaps(count: number, size: number, start: number, step: number): AxisTaps {
	const lo = new Int32Array(count);
	const hi = new Int32Array(count);
	const t = new Float32Array(count);
	for (let i = 0; i < count; i++) {
		const p = Math.min(Math.max(start + (i + 0.5) * step - 0.5, 0), size - 1);
		lo[i] = Math.floor(p);
		hi[i] = Math.min(lo[i] + 1, size - 1);
		t[i] = p - lo[i];
	}
	return { lo, hi, t };
}
