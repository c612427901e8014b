// A turnaround sheet — several views of one object drawn side by side on one background — split into its views:
// the subject's columns are found in the sheet's mask, neighbouring figures separated by the widest empty gaps,
// and each view cut out of the geometry and texture images as a picture of its own, to be segmented again.
import { OrfeasError } from '../protocol/errors';
import type { ViewName } from '../protocol/views';
import type { DecodedImage, RgbaImage, SegmentResult } from './types';

export const NAME = 'sheet';

/** A column counts as part of a figure when at least this many of its mask pixels are subject. */
const MIN_COLUMN_PIXELS = 1;

/**
 * Splits a segmented sheet into one picture per named view, left to right.
 *
 * ```ts
 * const [front, right, back] = splitSheet(decoded, segment(decoded, {}, ctx), ['front', 'right', 'back']);
 * ```
 */
export function splitSheet(decoded: DecodedImage, segmented: SegmentResult, names: readonly ViewName[]): { view: ViewName; decoded: DecodedImage }[] {
	const runs = figureColumns(segmented);
	if (runs.length < names.length) {
		throw new OrfeasError(
			'E_SHEET',
			`The sheet should hold ${names.length} views (${names.join(', ')}) side by side, but ${runs.length === 1 ? 'one figure was' : `${runs.length} figures were`} found. ` +
				'Leave a strip of plain background between the views, or name only the views the sheet holds.',
			{ found: runs.length, expected: names.length },
		);
	}
	// Gaps inside a figure (between a character's legs) are narrower than the spacing of a sheet's views: close the
	// narrowest until as many figures are left as views were named.
	while (runs.length > names.length) {
		let narrowest = 0;
		for (let g = 1; g < runs.length - 1; g++) if (runs[g + 1][0] - runs[g][1] < runs[narrowest + 1][0] - runs[narrowest][1]) narrowest = g;
		runs.splice(narrowest, 2, [runs[narrowest][0], runs[narrowest + 1][1]]);
	}
	const width = decoded.image.width;
	return names.map((view, k) => {
		// Each view takes its figure and half the background on either side.
		const x0 = k === 0 ? 0 : Math.floor((runs[k - 1][1] + runs[k][0]) / 2);
		const x1 = k === runs.length - 1 ? width : Math.ceil((runs[k][1] + runs[k + 1][0]) / 2);
		return { view, decoded: cropColumns(decoded, x0, x1) };
	});
}

/** Column ranges [x0, x1) of the figures in the mask, left to right. */
function figureColumns(segmented: SegmentResult): [number, number][] {
	const { data, width, height } = segmented.mask;
	const runs: [number, number][] = [];
	let start = -1;
	for (let x = 0; x <= width; x++) {
		let count = 0;
		if (x < width) for (let y = 0; y < height && count < MIN_COLUMN_PIXELS; y++) if (data[y * width + x] >= 128) count++;
		const occupied = count >= MIN_COLUMN_PIXELS;
		if (occupied && start < 0) start = x;
		if (!occupied && start >= 0) {
			runs.push([start, x]);
			start = -1;
		}
	}
	return runs;
}

/** The decoded picture's columns [x0, x1) of the geometry image, and the same share of the texture image. */
function cropColumns(decoded: DecodedImage, x0: number, x1: number): DecodedImage {
	const scale = decoded.texture.width / decoded.image.width;
	return {
		...decoded,
		image: crop(decoded.image, x0, x1),
		texture: crop(decoded.texture, Math.floor(x0 * scale), Math.min(decoded.texture.width, Math.ceil(x1 * scale))),
		sourceWidth: Math.round((decoded.sourceWidth * (x1 - x0)) / decoded.image.width),
	};
}

function crop(image: RgbaImage, x0: number, x1: number): RgbaImage {
	const width = x1 - x0;
	const data = new Uint8Array(width * image.height * 4);
	for (let y = 0; y < image.height; y++) data.set(image.data.subarray((y * image.width + x0) * 4, (y * image.width + x1) * 4), y * width * 4);
	return { data, width, height: image.height };
}
