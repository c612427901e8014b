// Binary morphology on 0/1 masks with a square structuring element. Dilation counts set pixels in a sliding
// window (rows, then columns with running column sums, row by row for cache locality), so the cost is
// O(pixels) whatever the radius; erosion is dilation of the complement. Used to clean segmentation masks.

/** Pixels set where any pixel within `radius` (Chebyshev) is set. */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	if (radius <= 0) return mask.slice();
	return columnPass(rowPass(mask, width, height, radius), width, height, radius);
}

/** Pixels kept where every pixel within `radius` (Chebyshev) is set; pixels past the border count as set. */
export function erode(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	// Erosion is the complement of dilating the complement; windows are clipped, so the border never erodes.
	return invert(dilate(invert(mask), width, height, radius));
}

/** Erode then dilate: removes specks and spurs thinner than 2·radius + 1. */
export function open(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	return dilate(erode(mask, width, height, radius), width, height, radius);
}

/** Dilate then erode: closes gaps and notches narrower than 2·radius + 1. */
export function close(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	return erode(dilate(mask, width, height, radius), width, height, radius);
}

function invert(mask: Uint8Array): Uint8Array {
	const out = new Uint8Array(mask.length);
	for (let p = 0; p < mask.length; p++) out[p] = 1 - mask[p];
	return out;
}

/** Horizontal dilation: a running count of set pixels in each clipped window. */
function rowPass(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	const out = new Uint8Array(mask.length);
	const r = Math.min(radius, width - 1);
	for (let y = 0; y < height; y++) {
		const row = y * width;
		let count = 0;
		for (let x = 0; x < r; x++) count += mask[row + x];
		let x = 0;
		// Left edge: nothing leaves the window yet.
		for (; x <= r && x < width; x++) {
			if (x + r < width) count += mask[row + x + r];
			out[row + x] = count > 0 ? 1 : 0;
		}
		// Middle: one pixel enters and one leaves.
		for (; x + r < width; x++) {
			count += mask[row + x + r] - mask[row + x - r - 1];
			out[row + x] = count > 0 ? 1 : 0;
		}
		// Right edge: nothing enters any more.
		for (; x < width; x++) {
			count -= mask[row + x - r - 1];
			out[row + x] = count > 0 ? 1 : 0;
		}
	}
	return out;
}

/** Vertical dilation with running per-column counts, row by row for cache locality. */
function columnPass(rows: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	const out = new Uint8Array(rows.length);
	const counts = new Int32Array(width);
	for (let y = 0; y < Math.min(radius, height); y++) {
		const o = y * width;
		for (let x = 0; x < width; x++) counts[x] += rows[o + x];
	}
	for (let y = 0; y < height; y++) {
		if (y + radius < height) {
			const o = (y + radius) * width;
			for (let x = 0; x < width; x++) counts[x] += rows[o + x];
		}
		if (y - radius - 1 >= 0) {
			const o = (y - radius - 1) * width;
			for (let x = 0; x < width; x++) counts[x] -= rows[o + x];
		}
		const row = y * width;
		for (let x = 0; x < width; x++) out[row + x] = counts[x] > 0 ? 1 : 0;
	}
	return out;
}
