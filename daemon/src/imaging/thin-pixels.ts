// The pixels of a mask in parts thinner than a disc: what an opening by that disc removes, kept where it sticks
// out of the rest rather than rounding a corner. generators/inflate/thin-parts.ts gives these parts vertices of their own.
// The mask is handled as runs of set pixels per row and the disc as one half-width per row, so erosion and
// dilation are interval arithmetic: the cost follows the length of the outline, not the area.
import type { GrayImage, Rect } from '../pipeline/types';

/** Set pixels of one row as [start, end, start, end, …]: sorted, disjoint, each end exclusive. */
type Runs = number[];

/**
 * Pixels of `mask` (in where ≥ 128) that a disc of `radius` cannot reach from inside (the mask minus its opening
 * by that disc, the disc being the pixels whose centres lie within `radius`), in 8-connected pieces that stick out
 * more than half the radius past what the disc reaches: the rounding of a corner and the stair-steps of an edge do
 * not. Only the part of the picture in `box` is looked at, and the answer has its size. Pixels past the box count
 * as inside, so a subject cut by the frame is not thin there.
 *
 * ```ts
 * const antennae = thinPixels(mask, 1.5, { x0: 0, y0: 0, x1: mask.width, y1: mask.height });
 * ```
 */
export function thinPixels(mask: GrayImage, radius: number, box: Rect): Uint8Array {
	const [width, height] = [box.x1 - box.x0, box.y1 - box.y0];
	const rows = rowRuns(mask, box);
	const disc = discRows(radius);
	// Eroded: the disc round the pixel lies in the mask; opened: within the disc of an eroded pixel.
	const eroded = rows.map((_, y) => sweep(rows, y, disc, (runs, k) => shrink(runs, k, width), intersect));
	const opened = rows.map((_, y) => sweep(eroded, y, disc, (runs, k) => grow(runs, k, width), union));
	const thinRows = rows.map((runs, y) => subtract(runs, opened[y]));
	const thin = paint(thinRows, width, height);
	if (!thin.includes(1)) return thin;
	const half = discRows(radius / 2);
	const far = paint(
		thinRows.map((runs, y) => subtract(runs, sweep(opened, y, half, (r, k) => grow(r, k, width), union))),
		width,
		height,
	);
	return piecesWhere(thin, width, height, (p) => far[p] === 1);
}

/** Half-widths of a disc's rows: offset (dx, dy) is in it when |dx| ≤ rows[|dy|]. */
function discRows(radius: number): Int32Array {
	return Int32Array.from({ length: Math.floor(radius) + 1 }, (_, dy) => Math.floor(Math.sqrt(radius * radius - dy * dy)));
}

/** The runs of each row of the box, in box coordinates. */
function rowRuns({ data, width }: GrayImage, box: Rect): Runs[] {
	const rows: Runs[] = [];
	for (let y = box.y0; y < box.y1; y++) {
		const runs: Runs = [];
		const row = y * width;
		for (let x = box.x0; x < box.x1; x++) {
			if (data[row + x] < 128) continue;
			const start = x;
			while (x < box.x1 && data[row + x] >= 128) x++;
			runs.push(start - box.x0, x - box.x0);
		}
		rows.push(runs);
	}
	return rows;
}

/** Row y combined with `join` over the rows the disc spans, each row first moved by `by` its half-width. */
function sweep(rows: Runs[], y: number, disc: Int32Array, by: (runs: Runs, k: number) => Runs, join: (a: Runs, b: Runs) => Runs): Runs {
	let out = by(rows[y], disc[0]);
	for (let dy = 1; dy < disc.length; dy++) {
		// Rows past the border are left out: they neither hold background nor add to the mask.
		if (y - dy >= 0) out = join(out, by(rows[y - dy], disc[dy]));
		if (y + dy < rows.length) out = join(out, by(rows[y + dy], disc[dy]));
	}
	return out;
}

/** Every run narrowed by k at each end, except ends on the border (past it counts as inside). */
function shrink(runs: Runs, k: number, width: number): Runs {
	const out: Runs = [];
	for (let i = 0; i < runs.length; i += 2) {
		const start = runs[i] === 0 ? 0 : runs[i] + k;
		const end = runs[i + 1] === width ? width : runs[i + 1] - k;
		if (start < end) out.push(start, end);
	}
	return out;
}

/** Every run widened by k at each end, within the row, overlaps merged. */
function grow(runs: Runs, k: number, width: number): Runs {
	const out: Runs = [];
	for (let i = 0; i < runs.length; i += 2) {
		const start = Math.max(0, runs[i] - k);
		const end = Math.min(width, runs[i + 1] + k);
		if (out.length > 0 && start <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], end);
		else out.push(start, end);
	}
	return out;
}

function intersect(a: Runs, b: Runs): Runs {
	const out: Runs = [];
	for (let i = 0, j = 0; i < a.length && j < b.length; ) {
		const start = Math.max(a[i], b[j]);
		const end = Math.min(a[i + 1], b[j + 1]);
		if (start < end) out.push(start, end);
		if (a[i + 1] < b[j + 1]) i += 2;
		else j += 2;
	}
	return out;
}

function union(a: Runs, b: Runs): Runs {
	const out: Runs = [];
	for (let i = 0, j = 0; i < a.length || j < b.length; ) {
		const fromA = j >= b.length || (i < a.length && a[i] <= b[j]);
		const [start, end] = fromA ? [a[i], a[i + 1]] : [b[j], b[j + 1]];
		if (fromA) i += 2;
		else j += 2;
		if (out.length > 0 && start <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], end);
		else out.push(start, end);
	}
	return out;
}

/** The pixels of a not in b. */
function subtract(a: Runs, b: Runs): Runs {
	const out: Runs = [];
	let j = 0;
	for (let i = 0; i < a.length; i += 2) {
		let start = a[i];
		const end = a[i + 1];
		while (j < b.length && b[j + 1] <= start) j += 2;
		for (let k = j; k < b.length && b[k] < end; k += 2) {
			if (b[k] > start) out.push(start, b[k]);
			start = Math.max(start, b[k + 1]);
		}
		if (start < end) out.push(start, end);
	}
	return out;
}

function paint(rows: Runs[], width: number, height: number): Uint8Array {
	const out = new Uint8Array(width * height);
	rows.forEach((runs, y) => {
		for (let i = 0; i < runs.length; i += 2) out.fill(1, y * width + runs[i], y * width + runs[i + 1]);
	});
	return out;
}

/** The 8-connected pieces of `pixels` that hold at least one pixel where `test` holds. */
function piecesWhere(pixels: Uint8Array, width: number, height: number, test: (p: number) => boolean): Uint8Array {
	const kept = new Uint8Array(pixels.length);
	const seen = new Uint8Array(pixels.length);
	const stack: number[] = [];
	const members: number[] = [];
	for (let start = 0; start < pixels.length; start++) {
		if (!pixels[start] || seen[start]) continue;
		members.length = 0;
		let passes = false;
		seen[start] = 1;
		stack.push(start);
		while (stack.length > 0) {
			const p = stack.pop()!;
			members.push(p);
			passes ||= test(p);
			const [x, y] = [p % width, Math.floor(p / width)];
			for (let dy = -1; dy <= 1; dy++) {
				for (let dx = -1; dx <= 1; dx++) {
					const q = p + dy * width + dx;
					if (x + dx < 0 || y + dy < 0 || x + dx >= width || y + dy >= height || !pixels[q] || seen[q]) continue;
					seen[q] = 1;
					stack.push(q);
				}
			}
		}
		if (passes) for (const p of members) kept[p] = 1;
	}
	return kept;
}
