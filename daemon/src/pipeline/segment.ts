// Stage 2: separate the subject from the background. `alpha` uses a real cut-out; `chroma` estimates the
// background colour from the border and flood-fills it in Lab. Both end in the same clean-up (mask-cleanup.ts).
import { rgbaToLab } from '../imaging/lab';
import { OrfeasError } from '../protocol/errors';
import { cleanMask, subjectBounds } from './mask-cleanup';
import type { DecodedImage, GrayImage, SegmentResult, StageContext } from './types';

export const NAME = 'segment';

export interface SegmentOptions {
	/** `auto` takes `alpha` when the image has real transparency, `chroma` otherwise. */
	mode: 'auto' | 'alpha' | 'chroma';
	/** Smallest Lab distance (ΔE76) that separates subject from background; raised for noisy backgrounds. */
	minTolerance: number;
	maxTolerance: number;
}

/** Below this share of background pixels the border colour does not surround anything. */
const MIN_BACKGROUND_FRACTION = 0.01;

export const SEGMENT_DEFAULTS: Readonly<SegmentOptions> = { mode: 'auto', minTolerance: 10, maxTolerance: 40 };

/**
 * Finds the subject.
 *
 * ```ts
 * const { mask, bbox } = segment(decoded, { mode: 'auto' }, ctx);
 * ```
 */
export function segment(decoded: DecodedImage, options: Partial<SegmentOptions>, ctx: StageContext): SegmentResult {
	const opts = { ...SEGMENT_DEFAULTS, ...options };
	const method = opts.mode === 'auto' ? (decoded.hasTransparency ? 'alpha' : 'chroma') : opts.mode;
	if (method === 'alpha' && !decoded.hasTransparency) {
		throw new OrfeasError(
			'E_IMAGE_NO_SUBJECT',
			'The image has no transparent background, so alpha segmentation finds no subject. Use segmentation "auto" or "chroma", or export the image with transparency.',
		);
	}
	const { width, height } = decoded.image;
	const raw = method === 'alpha' ? alphaChannel(decoded) : chromaMask(decoded, opts, ctx);
	ctx.signal.throwIfAborted();
	ctx.progress(0.6);
	const { mask, components } = cleanMask(raw, width, height, method === 'chroma');
	const bbox = subjectBounds(mask);
	if (!bbox || components === 0) throw noSubject(method);
	ctx.progress(1);
	return { mask, bbox, method, components };
}

/** The same clean-up for a mask a segmentation model made (already at the geometry image's size). */
export function segmentWithMask(decoded: DecodedImage, raw: GrayImage, ctx: StageContext): SegmentResult {
	const { width, height } = decoded.image;
	ctx.progress(0.6);
	const { mask, components } = cleanMask(raw, width, height, false);
	const bbox = subjectBounds(mask);
	if (!bbox || components === 0) {
		throw new OrfeasError('E_IMAGE_NO_SUBJECT', 'The segmentation model found no subject in the picture. Try another model, or segmentation "auto".');
	}
	ctx.progress(1);
	return { mask, bbox, method: 'model', components };
}

function alphaChannel(decoded: DecodedImage): GrayImage {
	const { data, width, height } = decoded.image;
	const alpha = new Uint8Array(width * height);
	for (let p = 0; p < alpha.length; p++) alpha[p] = data[p * 4 + 3];
	return { data: alpha, width, height };
}

/**
 * Background = the median border colour; everything reachable from the border through pixels within the
 * tolerance of it is background, and so are enclosed background-coloured regions (the hole of a ring).
 */
function chromaMask(decoded: DecodedImage, opts: SegmentOptions, ctx: StageContext): GrayImage {
	const { data, width, height } = decoded.image;
	const pixels = width * height;
	const lab = rgbaToLab(data, pixels);
	ctx.signal.throwIfAborted();
	ctx.progress(0.2);

	const band = Math.max(1, Math.round(Math.min(width, height) * 0.01));
	const border = borderPixels(width, height, band);
	const background = medianLab(lab, border);
	const distance = new Float32Array(pixels);
	for (let p = 0; p < pixels; p++) {
		const dl = lab[p * 3] - background[0];
		const da = lab[p * 3 + 1] - background[1];
		const db = lab[p * 3 + 2] - background[2];
		distance[p] = Math.sqrt(dl * dl + da * da + db * db);
	}
	// The tolerance adapts to how much the border itself varies (noise, gradients, JPEG artefacts).
	const spread = percentile(border.map((p) => distance[p]), 0.75);
	const tolerance = Math.min(opts.maxTolerance, Math.max(opts.minTolerance, 8 + 3 * spread));

	const background01 = new Uint8Array(pixels);
	const stack = new Int32Array(pixels);
	let top = 0;
	for (const p of border) {
		if (distance[p] < tolerance && !background01[p]) {
			background01[p] = 1;
			stack[top++] = p;
		}
	}
	while (top > 0) {
		const p = stack[--top];
		const x = p % width;
		if (x > 0) push(p - 1);
		if (x < width - 1) push(p + 1);
		if (p >= width) push(p - width);
		if (p < pixels - width) push(p + width);
	}
	ctx.signal.throwIfAborted();
	ctx.progress(0.4);
	let backgroundArea = 0;
	for (let p = 0; p < pixels; p++) backgroundArea += background01[p];
	if (backgroundArea < pixels * MIN_BACKGROUND_FRACTION) throw noSubject('chroma');

	// Enclosed regions that look like the background are holes through the subject; cleanMask fills the small ones.
	const mask = new Uint8Array(pixels);
	for (let p = 0; p < pixels; p++) mask[p] = background01[p] || distance[p] < tolerance ? 0 : 255;
	return { data: mask, width, height };

	function push(q: number): void {
		if (!background01[q] && distance[q] < tolerance) {
			background01[q] = 1;
			stack[top++] = q;
		}
	}
}

function borderPixels(width: number, height: number, band: number): number[] {
	const out: number[] = [];
	for (let y = 0; y < height; y++) {
		const edgeRow = y < band || y >= height - band;
		for (let x = 0; x < width; x++) {
			if (edgeRow || x < band || x >= width - band) out.push(y * width + x);
		}
	}
	return out;
}

function medianLab(lab: Float32Array, pixels: number[]): [number, number, number] {
	const channel = (k: number) => percentile(pixels.map((p) => lab[p * 3 + k]), 0.5);
	return [channel(0), channel(1), channel(2)];
}

function percentile(values: number[], q: number): number {
	if (values.length === 0) return 0;
	const sorted = Float64Array.from(values).sort();
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function noSubject(method: 'alpha' | 'chroma'): OrfeasError {
	const hint =
		method === 'alpha'
			? 'Every pixel is transparent, or the visible parts are only specks.'
			: 'The picture looks like one uniform background, or the subject fills the whole frame.';
	return new OrfeasError(
		'E_IMAGE_NO_SUBJECT',
		`No subject found in the image. ${hint} Use a picture of one object on a plain or transparent background.`,
		{ method },
	);
}
