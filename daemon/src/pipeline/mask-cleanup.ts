// Clean-up shared by every segmentation method: drop specks, fill small holes (large holes stay: a ring keeps
// its hole), keep every real subject component; for estimated masks also open/close away ragged edges. Thin
// parts survive for shape.ts to keep: a 1 px diagonal line (pixels touching at corners) is not taken for
// specks, and what the opening cuts off in one long piece (an antenna, a cable) is put back.
import { labelComponents, type Components } from '../imaging/components';
import { close, open } from '../imaging/morphology';
import type { GrayImage, Rect } from './types';

/** A part smaller than this share of the largest part is a speck. */
export const SPECK_FRACTION = 0.01;
/** A hole smaller than this share of the subject's area is noise, not a tunnel. */
const HOLE_FRACTION = 0.002;

export interface CleanMask {
	mask: GrayImage;
	components: number;
}

/**
 * Cleans a coverage mask (0–255). Pixels the clean-up keeps as they were keep their soft value, so anti-aliased
 * edges survive; pixels it flips become fully in or out. `smooth` opens and closes the mask first: right for an
 * estimated mask (a flood fill leaves ragged edges), wrong for an artist's cut-out, whose thin tips it would eat;
 * long thin parts the opening cuts off are put back.
 */
export function cleanMask(raw: GrayImage, width: number, height: number, smooth: boolean): CleanMask {
	const pixels = width * height;
	const scale = Math.max(1, Math.round(Math.min(width, height) / 512));
	let bin: Uint8Array = new Uint8Array(pixels);
	for (let p = 0; p < pixels; p++) bin[p] = raw.data[p] >= 128 ? 1 : 0;
	if (smooth) bin = close(openKeepingThinParts(bin, width, height, scale), width, height, scale);

	const floor = 16 * scale * scale;
	let parts = labelComponents(bin, width, height, 1);
	// A 1 px diagonal line is a chain of 4-connected specks: when there are specks, label again 8-connected.
	if (smallestArea(parts) < Math.max(floor, largestArea(parts) * SPECK_FRACTION)) parts = labelComponents(bridgeCorners(bin, width, height), width, height, 1);
	let subjectArea = 0;
	const minPart = Math.max(floor, largestArea(parts) * SPECK_FRACTION);
	const keep = new Uint8Array(parts.count + 1);
	let components = 0;
	for (let k = 1; k <= parts.count; k++) {
		if (parts.areas[k] >= minPart) {
			keep[k] = 1;
			components++;
			subjectArea += parts.areas[k];
		}
	}
	for (let p = 0; p < pixels; p++) bin[p] = bin[p] && keep[parts.labels[p]];

	const holes = labelComponents(bin, width, height, 0);
	const minHole = Math.max(floor, subjectArea * HOLE_FRACTION);
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

function largestArea({ areas, count }: Components): number {
	let largest = 0;
	for (let k = 1; k <= count; k++) largest = Math.max(largest, areas[k]);
	return largest;
}

function smallestArea({ areas, count }: Components): number {
	let smallest = Infinity;
	for (let k = 1; k <= count; k++) smallest = Math.min(smallest, areas[k]);
	return smallest;
}

/**
 * The opening of `bin` by a (2·radius + 1)² square, with the pieces it removed put back where they are real thin
 * parts: as large as the smallest part kept, where ragged edges and noise shed a few pixels at a time.
 */
function openKeepingThinParts(bin: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	const opened = open(bin, width, height, radius);
	const removed = new Uint8Array(bin.length);
	for (let p = 0; p < bin.length; p++) removed[p] = bin[p] & (1 - opened[p]);
	const pieces = labelComponents(bridgeCorners(removed, width, height), width, height, 1);
	const minPiece = 16 * radius * radius;
	for (let p = 0; p < bin.length; p++) if (removed[p] && pieces.areas[pieces.labels[p]] >= minPiece) opened[p] = 1;
	return opened;
}

/**
 * The 0/1 mask with one of the two pixels beside every pair of set pixels touching only at a corner set (in a
 * copy; the mask itself when there is no such pair), so 4-connected labelling finds its 8-connected parts. Only
 * the labels are used: the added pixels never reach the cleaned mask.
 */
function bridgeCorners(bin: Uint8Array, width: number, height: number): Uint8Array {
	let out = bin;
	for (let y = 0; y + 1 < height; y++) {
		for (let p = y * width, end = p + width - 1; p < end; p++) {
			// Diagonal pairs only: a 2 × 2 block holding exactly two set pixels, on one diagonal.
			const diagonal = bin[p] + bin[p + width + 1];
			const anti = bin[p + 1] + bin[p + width];
			if (diagonal + anti !== 2 || (diagonal !== 2 && anti !== 2)) continue;
			if (out === bin) out = bin.slice();
			out[diagonal === 2 ? p + 1 : p] = 1;
		}
	}
	return out;
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
