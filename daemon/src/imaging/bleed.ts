// Colour bleeding by push-pull: known pixels are averaged down an image pyramid, then every unknown pixel takes
// the colour interpolated from the first coarser level that knows it. The result has no background colour left
// near the subject, so texture mip levels and bilinear filtering show no halo at the silhouette.
import { axisTaps } from './bilinear';

interface Level {
	w: number;
	h: number;
	/** Colour sums per pixel (3 channels), normalised to colours in the pull phase. */
	rgb: Float32Array;
	/** Number of known full-resolution pixels summed into each pixel. */
	count: Float32Array;
}

/**
 * Returns an opaque RGBA copy where pixels with `weight < threshold` are replaced by colours pulled from the
 * surrounding known pixels; known pixels keep their colour exactly.
 */
export function bleed(rgba: Uint8Array, weight: Uint8Array, width: number, height: number, threshold = 128): Uint8Array {
	const out = new Uint8Array(width * height * 4);
	if (width === 1 && height === 1) {
		out.set(rgba.subarray(0, 4));
		out[3] = 255;
		return out;
	}
	// Push: the full-resolution image is summed straight into level 1, then 2×2 blocks into each coarser level.
	const levels: Level[] = [];
	let level = makeLevel(Math.ceil(width / 2), Math.ceil(height / 2));
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const p = y * width + x;
			if (weight[p] < threshold) continue;
			const q = (y >> 1) * level.w + (x >> 1);
			level.count[q]++;
			level.rgb[q * 3] += rgba[p * 4];
			level.rgb[q * 3 + 1] += rgba[p * 4 + 1];
			level.rgb[q * 3 + 2] += rgba[p * 4 + 2];
		}
	}
	levels.push(level);
	while (level.w > 1 || level.h > 1) {
		const coarse = makeLevel(Math.ceil(level.w / 2), Math.ceil(level.h / 2));
		for (let y = 0; y < level.h; y++) {
			for (let x = 0; x < level.w; x++) {
				const p = y * level.w + x;
				if (level.count[p] === 0) continue;
				const q = (y >> 1) * coarse.w + (x >> 1);
				coarse.count[q] += level.count[p];
				coarse.rgb[q * 3] += level.rgb[p * 3];
				coarse.rgb[q * 3 + 1] += level.rgb[p * 3 + 1];
				coarse.rgb[q * 3 + 2] += level.rgb[p * 3 + 2];
			}
		}
		levels.push(coarse);
		level = coarse;
	}
	// Pull, coarsest first: known pixels become their mean colour, unknown ones are interpolated from above.
	for (let l = levels.length - 1; l >= 0; l--) {
		const { w, h, rgb, count } = levels[l];
		for (let p = 0; p < w * h; p++) {
			if (count[p] === 0) continue;
			const inv = 1 / count[p];
			rgb[p * 3] *= inv;
			rgb[p * 3 + 1] *= inv;
			rgb[p * 3 + 2] *= inv;
		}
		if (l + 1 < levels.length) pull(levels[l + 1], levels[l]);
	}
	// Full resolution: known pixels keep their colour; the rest interpolate level 1 (written out directly, as bytes).
	const cols = axisTaps(width, levels[0].w, 0, 0.5);
	const rows = axisTaps(height, levels[0].h, 0, 0.5);
	const src = levels[0].rgb;
	const cw = levels[0].w;
	for (let y = 0; y < height; y++) {
		const top = rows.lo[y] * cw;
		const bottom = rows.hi[y] * cw;
		const ty = rows.t[y];
		for (let x = 0; x < width; x++) {
			const p = y * width + x;
			const o = p * 4;
			out[o + 3] = 255;
			if (weight[p] >= threshold) {
				out[o] = rgba[o];
				out[o + 1] = rgba[o + 1];
				out[o + 2] = rgba[o + 2];
				continue;
			}
			const a = (top + cols.lo[x]) * 3;
			const b = (top + cols.hi[x]) * 3;
			const c = (bottom + cols.lo[x]) * 3;
			const d = (bottom + cols.hi[x]) * 3;
			// Typed-array stores truncate, so adding ½ rounds.
			for (let k = 0; k < 3; k++) out[o + k] = quad(src, a + k, b + k, c + k, d + k, cols.t[x], ty) + 0.5;
		}
	}
	return out;
}

/**
 * Fills the unknown pixels (count 0) of a level with the bilinear upsampling of the next coarser level (half
 * the size, rounded up), pixel centres to pixel centres.
 */
function pull(coarse: Level, fine: Level): void {
	const { w, h, rgb, count } = fine;
	const cols = axisTaps(w, coarse.w, 0, 0.5);
	const rows = axisTaps(h, coarse.h, 0, 0.5);
	const src = coarse.rgb;
	const cw = coarse.w;
	for (let y = 0; y < h; y++) {
		const top = rows.lo[y] * cw;
		const bottom = rows.hi[y] * cw;
		const ty = rows.t[y];
		for (let x = 0; x < w; x++) {
			const p = y * w + x;
			if (count[p] !== 0) continue;
			const a = (top + cols.lo[x]) * 3;
			const b = (top + cols.hi[x]) * 3;
			const c = (bottom + cols.lo[x]) * 3;
			const d = (bottom + cols.hi[x]) * 3;
			for (let k = 0; k < 3; k++) rgb[p * 3 + k] = quad(src, a + k, b + k, c + k, d + k, cols.t[x], ty);
		}
	}
}

/** Bilinear blend of four samples of a level: a, b on the upper row, c, d on the lower. */
function quad(src: Float32Array, a: number, b: number, c: number, d: number, tx: number, ty: number): number {
	const upper = src[a] + (src[b] - src[a]) * tx;
	const lower = src[c] + (src[d] - src[c]) * tx;
	return upper + (lower - upper) * ty;
}

function makeLevel(w: number, h: number): Level {
	return { w, h, rgb: new Float32Array(w * h * 3), count: new Float32Array(w * h) };
}
