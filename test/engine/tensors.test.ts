import { describe, expect, it } from 'vitest';
import { InputSpecSchema, OutputSpecSchema } from '../../daemon/src/engine/manifest';
import { inputSize, mapToImage, outputMap, prepareImage } from '../../daemon/src/engine/tensors';
import type { RgbaImage } from '../../daemon/src/pipeline/types';

/** A w × h picture: left half pure red, right half pure blue. */
function halves(w: number, h: number): RgbaImage {
	const data = new Uint8Array(w * h * 4);
	for (let p = 0; p < w * h; p++) data.set((p % w) < w / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], p * 4);
	return { data, width: w, height: h };
}

describe('prepareImage', () => {
	it('normalises with range, mean and std in NCHW, RGB order', async () => {
		const spec = InputSpecSchema.parse({ size: [8, 8], mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
		const { data, dims } = await prepareImage(halves(16, 16), spec);
		expect(dims).toEqual([1, 3, 8, 8]);
		// Red plane: 1 on the left ((1 − 0.5) / 0.5), −1 on the right.
		expect(data[0]).toBeCloseTo(1, 1);
		expect(data[7]).toBeCloseTo(-1, 1);
		// Blue plane (index 2): the opposite.
		expect(data[2 * 64]).toBeCloseTo(-1, 1);
		expect(data[2 * 64 + 7]).toBeCloseTo(1, 1);
	});

	it('honours BGR, NHWC and a 0–255 range', async () => {
		const spec = InputSpecSchema.parse({ size: [4, 4], colorOrder: 'BGR', layout: 'NHWC', range: [0, 255] });
		const { data, dims } = await prepareImage(halves(4, 4), spec);
		expect(dims).toEqual([1, 4, 4, 3]);
		// First pixel is red: in BGR order that is [0, 0, 255].
		expect(Array.from(data.subarray(0, 3)).map(Math.round)).toEqual([0, 0, 255]);
	});

	it('letterboxes keeping the aspect and maps the model map back onto the picture', async () => {
		const spec = InputSpecSchema.parse({ size: [64, 64], resize: 'letterbox' });
		const prepared = await prepareImage(halves(200, 100), spec);
		expect(prepared.frame).toMatchObject({ x0: 0, x1: 64, y0: 16, y1: 48 });
		// A map that is 1 inside the picture's frame and 0 in the padding comes back as all ones.
		const map = new Float32Array(64 * 64);
		for (let y = 16; y < 48; y++) map.fill(1, y * 64, y * 64 + 64);
		const back = mapToImage(outputMap(map, [1, 1, 64, 64]), prepared, OutputSpecSchema.parse({}), 200, 100);
		expect(back.length).toBe(200 * 100);
		expect(Math.min(...back.subarray(200 * 10, 200 * 90))).toBeGreaterThan(0.95);
	});

	it('applies the sigmoid and min-max the manifest asks for', () => {
		const prepared = { data: new Float32Array(), dims: [], frame: { x0: 0, y0: 0, x1: 2, y1: 1 }, width: 2, height: 1 };
		const sig = mapToImage({ data: Float32Array.of(0, 100), width: 2, height: 1 }, prepared, OutputSpecSchema.parse({ activation: 'sigmoid' }), 2, 1);
		expect(sig[0]).toBeCloseTo(0.5, 5);
		expect(sig[1]).toBeCloseTo(1, 5);
		const mm = mapToImage({ data: Float32Array.of(5, 9), width: 2, height: 1 }, prepared, OutputSpecSchema.parse({ normalize: 'minmax' }), 2, 1);
		expect(Array.from(mm)).toEqual([0, 1]);
		expect(inputSize(InputSpecSchema.parse({ size: [518, 518], multipleOf: 14 }))).toEqual([518, 518]);
		expect(inputSize(InputSpecSchema.parse({ size: [520, 300], multipleOf: 14 }))).toEqual([518, 294]);
	});
});
