// Bilinear resampling of a region of an interleaved 8-bit image: masks travel from the geometry working size to
// the texture working size, and a subject crop smaller than the texture is enlarged to it (bilinear is what a
// GPU would do with the smaller texture anyway, at a fraction of a Lanczos filter's cost).
import { axisTaps } from './bilinear';

export interface Pixels {
	data: ArrayLike<number>;
	width: number;
	height: number;
}

/**
 * Samples the region [x0, x1) × [y0, y1) of `src` (continuous pixel coordinates, `channels` interleaved values
 * per pixel) onto a `width` × `height` grid, pixel centres to pixel centres; samples past the edge clamp to it.
 */
export function resampleRegion<T extends Uint8Array | Float32Array = Uint8Array>(
	src: Pixels,
	channels: number,
	x0: number,
	y0: number,
	x1: number,
	y1: number,
	width: number,
	height: number,
	out: T = new Uint8Array(width * height * channels) as T,
): T {
	// Byte outputs round (typed-array stores truncate, so ½ is added); float outputs keep the exact value.
	const half = out instanceof Uint8Array ? 0.5 : 0;
	const cols = axisTaps(width, src.width, x0, (x1 - x0) / width);
	const rows = axisTaps(height, src.height, y0, (y1 - y0) / height);
	const data = src.data;
	const stride = src.width * channels;
	// Column taps as byte offsets, computed once for every row.
	const left = new Int32Array(width);
	const right = new Int32Array(width);
	for (let x = 0; x < width; x++) {
		left[x] = cols.lo[x] * channels;
		right[x] = cols.hi[x] * channels;
	}
	const tx = cols.t;
	let o = 0;
	for (let y = 0; y < height; y++) {
		const top = rows.lo[y] * stride;
		const bottom = rows.hi[y] * stride;
		const ty = rows.t[y];
		for (let x = 0; x < width; x++) {
			const a = top + left[x];
			const b = top + right[x];
			const c = bottom + left[x];
			const d = bottom + right[x];
			const fx = tx[x];
			for (let k = 0; k < channels; k++) {
				const upper = data[a + k] + (data[b + k] - data[a + k]) * fx;
				const lower = data[c + k] + (data[d + k] - data[c + k]) * fx;
				out[o++] = upper + (lower - upper) * ty + half;
			}
		}
	}
	return out;
}
