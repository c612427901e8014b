// Colour bleeding by push-pull: known pixels are averaged down an image pyramid, then every unknown pixel takes
// the colour interpolated from the first coarser level that knows it. The result has no background colour left
// near the subject, so texture mip levels and bilinear filtering show no halo at the silhouette.
import { bilinear } from './bilinear';

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
		const above = levels[l + 1];
		for (let y = 0; y < h; y++) {
			for (let x = 0; x < w; x++) {
				const p = y * w + x;
				if (count[p] > 0) {
					const inv = 1 / count[p];
					rgb[p * 3] *= inv;
					rgb[p * 3 + 1] *= inv;
					rgb[p * 3 + 2] *= inv;
				} else if (above) {
					sample(above, (x + 0.5) / 2 - 0.5, (y + 0.5) / 2 - 0.5, rgb, p * 3);
				}
			}
		}
	}
	const first = levels[0];
	const tmp = new Float32Array(3);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const p = y * width + x;
			if (weight[p] >= threshold) {
				out[p * 4] = rgba[p * 4];
				out[p * 4 + 1] = rgba[p * 4 + 1];
				out[p * 4 + 2] = rgba[p * 4 + 2];
			} else {
				sample(first, (x + 0.5) / 2 - 0.5, (y + 0.5) / 2 - 0.5, tmp, 0);
				out[p * 4] = Math.round(tmp[0]);
				out[p * 4 + 1] = Math.round(tmp[1]);
				out[p * 4 + 2] = Math.round(tmp[2]);
			}
			out[p * 4 + 3] = 255;
		}
	}
	return out;
}

function makeLevel(w: number, h: number): Level {
	return { w, h, rgb: new Float32Array(w * h * 3), count: new Float32Array(w * h) };
}

/** Bilinear sample of a level's colours at continuous pixel coordinates (clamped to the edge). */
function sample(level: Level, x: number, y: number, out: Float32Array, o: number): void {
	bilinear(level.rgb, level.w, level.h, 3, x, y, out, o);
}
