// Clean-up shared by every segmentation method: drop specks, fill small holes (large holes stay: a ring keeps
// its hole), keep every real subject component; for estimated masks also open/close away ragged edges.
import { labelComponents } from '../imaging/components';
import { close, open } from '../imaging/morphology';
import type { GrayImage, Rect } from './types';

/** A part smaller than this share of the largest part is a speck. */
const SPECK_FRACTION = 0.01;
/** A hole smaller than this share of the subject's area is noise, not a tunnel. */
const HOLE_FRACTION = 0.002;

export interface CleanMask {
	mask: GrayImage;
	components: number;
}

/**
 * Cleans a coverage mask (0–255). Pixels the clean-up keeps as they were keep their soft value, so anti-aliased
 * edges survive; pixels it flips become fully in or out. `smooth` opens and closes the mask first: right for an
 * estimated mask (a flood fill leaves ragged edges), wrong for an artist's cut-out, whose thin tips it would eat.
 */
export function cleanMask(raw: GrayImage, width: number, height: number, smooth: boolean): CleanMask {
	const pixels = width * height;
	const scale = Math.max(1, Math.round(Math.min(width, height) / 512));
	let bin: Uint8Array = new Uint8Array(pixels);
	for (let p = 0; p < pixels; p++) bin[p] = raw.data[p] >= 128 ? 1 : 0;
	if (smooth) bin = close(open(bin, width, height, scale), width, height, scale);

	const parts = labelComponents(bin, width, height, 1);
	let largest = 0;
	let subjectArea = 0;
	for (let k = 1; k <= parts.count; k++) largest = Math.max(largest, parts.areas[k]);
	const minPart = Math.max(16 * scale * scale, largest * SPECK_FRACTION);
	const keep = new Uint8Array(parts.count + 1);
	let components = 0;
	for (let k = 1; k <= parts.count; k++) {
		if (parts.areas[k] >= minPart) {
			keep[k] = 1;
			components++;
			subjectArea += parts.areas[k];
		}
	}
	for (let p = 0; p < pixels; p++) bin[p] = keep[parts.labels[p]];

	const holes = labelComponents(bin, width, height, 0);
	const minHole = Math.max(16 * scale * scale, subjectArea * HOLE_FRACTION);
	for (let p = 0; p < pixels; p++) {
		const h = holes.labels[p];
		if (h !== 0 && !holes.touchesBorder[h] && holes.areas[h] < minHole) bin[p] = 1;
	}

	const out = new Uint8Array(pixels);
	for (let p = 0; p < pixels; p++) {
		const was = raw.data[p] >= 128 ? 1 : 0;
		out[p] = bin[p] === was ? raw.data[p] : bin[p] ? 255 : 0;
	}
	return { mask: { data: out, width, height }, components };
}

/** Bounding box of the pixels at or above half coverage, or null when there are none. */
export function subjectBounds(mask: GrayImage): Rect | null {
	const { data, width, height } = mask;
	let x0 = width;
	let y0 = height;
	let x1 = -1;
	let y1 = -1;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			if (data[y * width + x] < 128) continue;
			if (x < x0) x0 = x;
			if (x > x1) x1 = x;
			if (y < y0) y0 = y;
			if (y > y1) y1 = y;
		}
	}
	return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}
