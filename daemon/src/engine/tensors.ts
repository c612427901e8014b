// Pre- and post-processing from a manifest: a picture becomes the model's input tensor (size, resize mode,
// value range, mean/std, colour order, layout), and a map the model returns comes back to the picture's own
// pixels (undoing the letterbox or crop, applying the activation and normalisation the manifest names).
import sharp from 'sharp';
import { resampleRegion } from '../imaging/resample';
import type { RgbaImage } from '../pipeline/types';
import type { InputSpec, OutputSpec } from './manifest';

export interface PreparedInput {
	data: Float32Array;
	dims: number[];
	/** Where the picture sits inside the model's input, in input pixels (letterbox pads around it). */
	frame: { x0: number; y0: number; x1: number; y1: number };
	width: number;
	height: number;
}

/** The model's input size for a picture: the manifest's, rounded to `multipleOf` when it sets one. */
export function inputSize(spec: InputSpec): [number, number] {
	const m = spec.multipleOf ?? 1;
	return [Math.max(m, Math.round(spec.size[0] / m) * m), Math.max(m, Math.round(spec.size[1] / m) * m)];
}

export async function prepareImage(image: RgbaImage, spec: InputSpec): Promise<PreparedInput> {
	const [width, height] = inputSize(spec);
	const scale =
		spec.resize === 'letterbox'
			? Math.min(width / image.width, height / image.height)
			: spec.resize === 'cover'
				? Math.max(width / image.width, height / image.height)
				: NaN;
	// Padding takes the mean colour, so it normalises to zero.
	const [lo, hi] = spec.range;
	const background = { r: toByte(spec.mean[0], lo, hi), g: toByte(spec.mean[1], lo, hi), b: toByte(spec.mean[2], lo, hi), alpha: 1 };
	const fit = spec.resize === 'letterbox' ? 'contain' : spec.resize === 'cover' ? 'cover' : 'fill';
	const rgb = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
		.flatten({ background })
		.resize(width, height, { fit, background, kernel: 'lanczos3' })
		.removeAlpha()
		.raw()
		.toBuffer();

	let frame = { x0: 0, y0: 0, x1: width, y1: height };
	if (spec.resize === 'letterbox' || spec.resize === 'cover') {
		const w = image.width * scale;
		const h = image.height * scale;
		frame = { x0: (width - w) / 2, y0: (height - h) / 2, x1: (width + w) / 2, y1: (height + h) / 2 };
	}

	const plane = width * height;
	const data = new Float32Array(3 * plane);
	const order = spec.colorOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
	for (let p = 0; p < plane; p++) {
		for (let c = 0; c < 3; c++) {
			const value = ((lo + (rgb[p * 3 + order[c]] / 255) * (hi - lo)) - spec.mean[c]) / spec.std[c];
			data[spec.layout === 'NCHW' ? c * plane + p : p * 3 + c] = value;
		}
	}
	const dims = spec.layout === 'NCHW' ? [1, 3, height, width] : [1, height, width, 3];
	return { data, dims, frame, width, height };
}

/** A single-channel output map: its values and size, whatever leading dimensions of 1 it carries. */
export function outputMap(data: Float32Array, dims: readonly number[]): { data: Float32Array; width: number; height: number } {
	const spatial = dims.filter((d, i) => i >= dims.length - 2 || d !== 1);
	if (spatial.length !== 2) throw new Error(`expected a single-channel 2-D map, got dims [${dims.join(', ')}]`);
	return { data, width: spatial[1], height: spatial[0] };
}

/**
 * Brings a model's map back to the picture: activation, normalisation, and the region of the input that held
 * the picture resampled to `width` × `height`. Values end in [0, 1] when normalised or squashed.
 */
export function mapToImage(
	map: { data: Float32Array; width: number; height: number },
	prepared: PreparedInput,
	output: OutputSpec,
	width: number,
	height: number,
): Float32Array {
	const values = Float32Array.from(map.data);
	if (output.activation === 'sigmoid') for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
	if (output.normalize === 'minmax') {
		let min = Infinity;
		let max = -Infinity;
		for (const v of values) {
			if (v < min) min = v;
			if (v > max) max = v;
		}
		const span = max - min || 1;
		for (let i = 0; i < values.length; i++) values[i] = (values[i] - min) / span;
	}
	// The map may be smaller than the input (a stride); scale the picture's frame to it.
	const sx = map.width / prepared.width;
	const sy = map.height / prepared.height;
	const { frame } = prepared;
	return resampleRegion({ data: values, width: map.width, height: map.height }, 1, frame.x0 * sx, frame.y0 * sy, frame.x1 * sx, frame.y1 * sy, width, height, new Float32Array(width * height));
}

function toByte(mean: number, lo: number, hi: number): number {
	return Math.round(Math.min(255, Math.max(0, ((mean - lo) / (hi - lo || 1)) * 255)));
}
