import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
	convNetParameters,
	modelFiles,
	radialBumpDepth,
	sphereImplicit,
	syntheticConvNet,
	thresholdSegmentation,
	type GraphDescription,
} from '../../models/testing/models';
import { mulberry32 } from '../helpers/random';

const load = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });

/** NCHW float image of one colour with an optional axis-aligned rectangle of another. */
function picture(width: number, height: number, background: number[], rect?: { x0: number; y0: number; x1: number; y1: number; rgb: number[] }): ort.Tensor {
	const data = new Float32Array(3 * width * height);
	for (let c = 0; c < 3; c++) {
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) {
				const inside = rect && x >= rect.x0 && x < rect.x1 && y >= rect.y0 && y < rect.y1;
				data[(c * height + y) * width + x] = inside ? rect.rgb[c] : background[c];
			}
		}
	}
	return new ort.Tensor('float32', data, [1, 3, height, width]);
}

function randomPicture(size: number, seed: number): ort.Tensor {
	const rand = mulberry32(seed);
	return new ort.Tensor('float32', Float32Array.from({ length: 3 * size * size }, rand), [1, 3, size, size]);
}

/** The session's view of its inputs and outputs is what the description says. */
function expectSignature(session: ort.InferenceSession, graph: GraphDescription): void {
	const asMetadata = (t: GraphDescription['inputs'][number]) => ({ name: t.name, isTensor: true, type: t.type, shape: t.shape });
	expect(session.inputMetadata).toEqual(graph.inputs.map(asMetadata));
	expect(session.outputMetadata).toEqual(graph.outputs.map(asMetadata));
}

describe('thresholdSegmentation', () => {
	it('gives alpha ~1 on a red square and ~0 on the white background, at any size', async () => {
		const model = thresholdSegmentation();
		expect(model.description.kind).toBe('segmentation');
		const session = await load(model.bytes.model);
		expectSignature(session, model.description.graphs.model);
		for (const [w, h] of [
			[40, 30],
			[17, 9],
		]) {
			const rect = { x0: 4, y0: 2, x1: 12, y1: 7, rgb: [1, 0, 0] };
			const { alpha } = await session.run({ image: picture(w, h, [1, 1, 1], rect) });
			expect(alpha.dims).toEqual([1, 1, h, w]);
			const a = alpha.data as Float32Array;
			for (let y = 0; y < h; y++) {
				for (let x = 0; x < w; x++) {
					const inside = x >= rect.x0 && x < rect.x1 && y >= rect.y0 && y < rect.y1;
					if (inside) expect(a[y * w + x]).toBeGreaterThan(0.99);
					else expect(a[y * w + x]).toBeLessThan(0.01);
				}
			}
		}
	});

	it('keys out the background colour it was built with', async () => {
		const session = await load(thresholdSegmentation({ background: [0, 1, 0] }).bytes.model);
		const { alpha } = await session.run({ image: picture(8, 8, [0, 1, 0], { x0: 0, y0: 0, x1: 4, y1: 8, rgb: [1, 1, 1] }) });
		const a = alpha.data as Float32Array;
		expect(a[0]).toBeGreaterThan(0.99);
		expect(a[7]).toBeLessThan(0.01);
	});
});

describe('radialBumpDepth', () => {
	it('is largest at the centre and ~0 at the corners, whatever the picture', async () => {
		const size = 64;
		const model = radialBumpDepth();
		expect(model.description.output.semantics).toBe('disparity');
		const session = await load(model.bytes.model);
		expectSignature(session, model.description.graphs.model);
		const first = (await session.run({ image: randomPicture(size, 1) })).depth;
		const second = (await session.run({ image: randomPicture(size, 2) })).depth;
		expect(first.dims).toEqual([1, 1, size, size]);
		const d = first.data as Float32Array;
		expect(Array.from(second.data as Float32Array)).toEqual(Array.from(d));
		const max = Math.max(...d);
		const centre = [size / 2 - 1, size / 2].flatMap((y) => [size / 2 - 1, size / 2].map((x) => d[y * size + x]));
		for (const v of centre) expect(v).toBe(max);
		expect(max).toBeGreaterThan(0.99);
		for (const corner of [0, size - 1, size * (size - 1), size * size - 1]) expect(Math.abs(d[corner])).toBeLessThan(1e-6);
		// Falls monotonically along the diagonal from the centre out.
		for (let i = size / 2; i < size - 1; i++) expect(d[(i + 1) * size + i + 1]).toBeLessThan(d[i * size + i]);
	});
});

describe('sphereImplicit', () => {
	it('encodes a picture into a [1, 8] latent', async () => {
		const model = sphereImplicit();
		const session = await load(model.bytes.encoder);
		expectSignature(session, model.description.graphs.encoder);
		const { latent } = await session.run({ image: randomPicture(64, 3) });
		expect(latent.dims).toEqual([1, 8]);
		expect(Array.from(latent.data as Float32Array).every(Number.isFinite)).toBe(true);
	});

	it('decodes sdf = |p| − 0.5 and rgb = (p + 1) / 2 at random points', async () => {
		const model = sphereImplicit();
		expect(model.description.output).toMatchObject({ field: 'sdf', rgb: 'rgb', latentName: 'latent', pointsName: 'points' });
		const session = await load(model.bytes.decoder);
		expectSignature(session, model.description.graphs.decoder);
		const rand = mulberry32(4);
		const n = 1000;
		const points = Float32Array.from({ length: n * 3 }, () => rand() * 2 - 1);
		const latent = Float32Array.from({ length: 8 }, () => rand() * 10 - 5);
		const out = await session.run({ latent: new ort.Tensor('float32', latent, [1, 8]), points: new ort.Tensor('float32', points, [n, 3]) });
		expect(out.sdf.dims).toEqual([n, 1]);
		expect(out.rgb.dims).toEqual([n, 3]);
		const sdf = out.sdf.data as Float32Array;
		const rgb = out.rgb.data as Float32Array;
		for (let i = 0; i < n; i++) {
			const [x, y, z] = points.subarray(i * 3, i * 3 + 3);
			expect(Math.abs(sdf[i] - (Math.hypot(x, y, z) - 0.5))).toBeLessThan(1e-5);
			for (let c = 0; c < 3; c++) expect(Math.abs(rgb[i * 3 + c] - (points[i * 3 + c] + 1) / 2)).toBeLessThan(1e-6);
		}
	});

	it('leaves rgb out when asked, and takes another radius', async () => {
		const model = sphereImplicit({ color: false, radius: 0.8 });
		expect(model.description.output.rgb).toBeUndefined();
		expect(modelFiles(model).map((f) => f.name)).toEqual(['testing-sphere-implicit.encoder.onnx', 'testing-sphere-implicit.decoder.onnx']);
		const session = await load(model.bytes.decoder);
		expect(session.outputNames).toEqual(['sdf']);
		const out = await session.run({
			latent: new ort.Tensor('float32', new Float32Array(8), [1, 8]),
			points: new ort.Tensor('float32', Float32Array.of(0, 0, 0, 1, 0, 0), [2, 3]),
		});
		const [centre, onAxis] = out.sdf.data as Float32Array;
		expect(centre).toBeCloseTo(-0.8, 6);
		expect(onAxis).toBeCloseTo(0.2, 6);
	});
});

describe('syntheticConvNet', () => {
	it('has 24–26 M parameters and gives a finite map', { timeout: 120_000 }, async () => {
		const model = syntheticConvNet();
		const graph = model.description.graphs.model;
		expect(graph.parameters).toBe(convNetParameters());
		expect(graph.parameters).toBeGreaterThan(24e6);
		expect(graph.parameters).toBeLessThan(26e6);
		const session = await load(model.bytes.model);
		expectSignature(session, graph);
		const { depth } = await session.run({ image: randomPicture(256, 5) });
		expect(depth.dims).toEqual([1, 1, 256, 256]);
		const d = depth.data as Float32Array;
		expect(d.every(Number.isFinite)).toBe(true);
		expect(d.reduce((a, v) => Math.max(a, v))).toBeGreaterThan(d.reduce((a, v) => Math.min(a, v)));
	});
});
