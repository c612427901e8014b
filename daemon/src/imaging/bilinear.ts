// Bilinear interpolation in an interleaved pixel buffer, shared by the colour bleed, the mask resampler and
// the quality rasterizer.

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
