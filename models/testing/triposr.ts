// TripoSR's file layout with known answers: a decoder with the published architecture and signature whose weights
// read a hand-made triplane, and that triplane, built from a real mesh's silhouettes. Graphs go through onnx-writer.ts.
import { FAR, squaredTransform2d } from '../../daemon/src/imaging/edt';
import type { GraphDescription } from './models';
import { GraphBuilder } from './onnx-writer';
import { mulberry32 } from './random';

// ---- TripoSR's conventions (VAST-AI-Research/TripoSR, stabilityai/TripoSR config.yaml) ----

/** Half-side of the cube the triplane covers in TripoSR's world (`renderer.radius`); it maps to [-1, 1]. */
export const TRIPOSR_RADIUS = 0.87;
/** Planes xy, xz, yz, in that order. */
export const TRIPLANE_PLANES = 3;
/** Channels per plane (`post_processor.out_channels`). */
export const TRIPLANE_CHANNELS = 40;
/** Width and height of each plane. */
export const TRIPLANE_SIZE = 64;
/** Added to the raw density before exp (`renderer.density_bias`): density_act = exp(density + bias). */
export const TRIPOSR_DENSITY_BIAS = -1;
/** The density_act TripoSR's mesh extraction takes as the surface (`extract_mesh(threshold=25.0)`, tsr/system.py). */
export const TRIPOSR_SURFACE_LEVEL = 25;
/** Features per point: the 40 channels of each plane, concatenated xy, xz, yz (`decoder.in_channels`). */
export const TRIPOSR_FEATURES = TRIPLANE_PLANES * TRIPLANE_CHANNELS;

/** One nn.Linear of NeRFMLP and the activation after it. */
export interface LinearLayer {
	inputs: number;
	outputs: number;
	activation: 'silu' | 'none';
}

/**
 * NeRFMLP with `in_channels: 120, n_neurons: 64, n_hidden_layers: 9, activation: silu`: Linear 120→64 and SiLU, eight
 * times Linear 64→64 and SiLU (`n_hidden_layers − 1`), then Linear 64→4 with no activation. Output channel 0 is
 * density, 1–3 colour (`features[..., 0:1]`, `features[..., 1:4]`).
 */
export const TRIPOSR_DECODER_LAYERS: readonly LinearLayer[] = [
	{ inputs: TRIPOSR_FEATURES, outputs: 64, activation: 'silu' },
	...Array.from({ length: 8 }, (): LinearLayer => ({ inputs: 64, outputs: 64, activation: 'silu' })),
	{ inputs: 64, outputs: 4, activation: 'none' },
];

/** Weights and biases of the layers: 41,284 for TRIPOSR_DECODER_LAYERS. */
export function linearParameters(layers: readonly LinearLayer[] = TRIPOSR_DECODER_LAYERS): number {
	return layers.reduce((sum, l) => sum + l.inputs * l.outputs + l.outputs, 0);
}

// ---- the silhouette triplane ----

/**
 * Channel 0 holds the signed distance plus this many texels, so the zero padding of grid_sample beyond the planes
 * reads as 4 texels outside rather than on the surface. The decoder takes it off again.
 */
export const DISTANCE_OFFSET = 4;

/** A triangle mesh; `ExportMesh` from daemon/src/export/scene.ts fits. */
export interface TriangleMesh {
	positions: ArrayLike<number>;
	indices: ArrayLike<number>;
}

/** Mesh coordinates to TripoSR's world: world = (p − center) · scale. */
export interface MeshFit {
	center: [number, number, number];
	scale: number;
}

export interface SilhouetteTriplaneOptions {
	/** Half-side, in TripoSR's world, of the cube the mesh's bounding box is fitted into (centred, longest side). */
	extent?: number;
	/** Each texel is rasterised as supersample² samples (odd, so one sample sits on the texel centre). */
	supersample?: number;
	/** Amplitude of the uniform noise in channels 4–39. */
	noise?: number;
	/** PRNG seed of the noise. */
	seed?: number;
}

export const SILHOUETTE_TRIPLANE_DEFAULTS: Required<SilhouetteTriplaneOptions> = { extent: 0.6, supersample: 5, noise: 0.05, seed: 40 };

/** Centres the bounding box of the mesh and scales its longest half-side to `extent`. */
export function fitMesh(mesh: TriangleMesh, extent = SILHOUETTE_TRIPLANE_DEFAULTS.extent): MeshFit {
	const lo = [Infinity, Infinity, Infinity];
	const hi = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < mesh.positions.length; i++) {
		lo[i % 3] = Math.min(lo[i % 3], mesh.positions[i]);
		hi[i % 3] = Math.max(hi[i % 3], mesh.positions[i]);
	}
	const half = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2;
	if (!(half > 0)) throw new Error('fitMesh: the mesh has no extent; it needs at least two distinct vertices.');
	return { center: [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2], scale: extent / half };
}

/** The axes each plane sees: its first axis indexes width, its second height (grid_sample's x and y). */
const PLANE_AXES: readonly (readonly [number, number])[] = [
	[0, 1],
	[0, 2],
	[1, 2],
];

/**
 * A triplane [3, 40, 64, 64] (planes xy, xz, yz; rows are the second axis, columns the first) holding the mesh's
 * silhouettes, for tripoSRDecoder to read as a soft visual hull. The mesh is fitted with fitMesh and divided by
 * TRIPOSR_RADIUS into grid coordinates; texel (i, j) is centred at ((2i + 1)/64 − 1, (2j + 1)/64 − 1). Channels:
 * - 0: d + DISTANCE_OFFSET, d the 2-D signed distance in texels from the texel centre to the plane's silhouette
 *   outline, positive inside (a distance transform of the silhouette rasterised supersample× finer);
 * - 1–3: the texel's two grid coordinates in the channels of their axes (x → 1, y → 2, z → 3), 0 in the third, so
 *   the three planes sum to 2 · (x, y, z) and colour follows position;
 * - 4–39: seeded uniform noise of amplitude `noise`.
 *
 * @example
 * const mesh = (await loadObj(await readFile('spot.obj', 'utf8'))).lods[0];
 * const triplane = silhouetteTriplane(mesh);
 * const encoder = constantTriplaneEncoder(triplane);
 */
export function silhouetteTriplane(mesh: TriangleMesh, options: SilhouetteTriplaneOptions = {}): Float32Array {
	const o = { ...SILHOUETTE_TRIPLANE_DEFAULTS, ...options };
	if (!Number.isInteger(o.supersample) || o.supersample < 1 || o.supersample % 2 === 0) {
		throw new RangeError(`silhouetteTriplane: supersample must be an odd whole number, not ${o.supersample}.`);
	}
	const fit = fitMesh(mesh, o.extent);
	const grid = new Float64Array(mesh.positions.length);
	for (let i = 0; i < grid.length; i++) grid[i] = ((mesh.positions[i] - fit.center[i % 3]) * fit.scale) / TRIPOSR_RADIUS;

	const size = TRIPLANE_SIZE;
	const fine = size * o.supersample;
	const centre = (o.supersample - 1) / 2;
	const plane = size * size;
	const out = new Float32Array(TRIPLANE_PLANES * TRIPLANE_CHANNELS * plane);
	const rand = mulberry32(o.seed);
	PLANE_AXES.forEach(([a, b], p) => {
		const distance = signedDistance(rasterise(grid, mesh.indices, a, b, fine), fine);
		const at = (c: number) => (p * TRIPLANE_CHANNELS + c) * plane;
		for (let j = 0; j < size; j++) {
			for (let i = 0; i < size; i++) {
				const t = j * size + i;
				out[at(0) + t] = distance[(j * o.supersample + centre) * fine + i * o.supersample + centre] / o.supersample + DISTANCE_OFFSET;
				out[at(1 + a) + t] = (2 * i + 1) / size - 1;
				out[at(1 + b) + t] = (2 * j + 1) / size - 1;
			}
		}
		for (let c = 4; c < TRIPLANE_CHANNELS; c++) {
			for (let t = 0; t < plane; t++) out[at(c) + t] = (rand() * 2 - 1) * o.noise;
		}
	});
	return out;
}

/** 1 where a sample centre of the fine × fine grid lies in a triangle projected onto axes (a, b), edges included. */
function rasterise(grid: Float64Array, indices: ArrayLike<number>, a: number, b: number, fine: number): Uint8Array {
	const mask = new Uint8Array(fine * fine);
	// Sample k is centred at grid coordinate (2k + 1)/fine − 1, i.e. at pixel coordinate k.
	const px = (g: number) => ((g + 1) * fine) / 2 - 0.5;
	for (let t = 0; t + 2 < indices.length; t += 3) {
		const x0 = px(grid[indices[t] * 3 + a]);
		const y0 = px(grid[indices[t] * 3 + b]);
		const x1 = px(grid[indices[t + 1] * 3 + a]);
		const y1 = px(grid[indices[t + 1] * 3 + b]);
		const x2 = px(grid[indices[t + 2] * 3 + a]);
		const y2 = px(grid[indices[t + 2] * 3 + b]);
		const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
		if (area === 0) continue; // seen edge-on; its neighbours cover the silhouette
		const s = Math.sign(area);
		const iMin = Math.max(0, Math.ceil(Math.min(x0, x1, x2)));
		const iMax = Math.min(fine - 1, Math.floor(Math.max(x0, x1, x2)));
		const jMin = Math.max(0, Math.ceil(Math.min(y0, y1, y2)));
		const jMax = Math.min(fine - 1, Math.floor(Math.max(y0, y1, y2)));
		for (let j = jMin; j <= jMax; j++) {
			for (let i = iMin; i <= iMax; i++) {
				const e0 = s * ((x1 - x0) * (j - y0) - (i - x0) * (y1 - y0));
				const e1 = s * ((x2 - x1) * (j - y1) - (i - x1) * (y2 - y1));
				const e2 = s * ((x0 - x2) * (j - y2) - (i - x2) * (y0 - y2));
				if (e0 >= 0 && e1 >= 0 && e2 >= 0) mask[j * fine + i] = 1;
			}
		}
	}
	return mask;
}

/** Signed distance in samples from each sample centre to the mask's outline (half a sample beyond the last one in). */
function signedDistance(mask: Uint8Array, n: number): Float64Array {
	const toInside = squaredDistanceTo(mask, n, 1);
	const toOutside = squaredDistanceTo(mask, n, 0);
	const out = new Float64Array(n * n);
	for (let k = 0; k < out.length; k++) {
		// An empty or full plane has no outline; a distance beyond the plane's diagonal says as much.
		const d = mask[k] ? Math.sqrt(toOutside[k]) - 0.5 : 0.5 - Math.sqrt(toInside[k]);
		out[k] = Math.max(-2 * n, Math.min(2 * n, d));
	}
	return out;
}

/** Squared Euclidean distance to the nearest sample whose mask value is `target` (the daemon's exact transform). */
function squaredDistanceTo(mask: Uint8Array, n: number, target: number): Float64Array {
	const d = Float64Array.from(mask, (m) => (m === target ? 0 : FAR));
	squaredTransform2d(d, n, n);
	return d;
}

// ---- graphs ----

export interface TripoSRDecoderOptions {
	/** Input [N, 120]. */
	featuresName?: string;
	/** Output [N, 1], raw: TripoSR's renderer takes exp(density − 1). */
	densityName?: string;
	/** Output [N, 3], raw: TripoSR's renderer takes sigmoid(color). */
	colorName?: string;
	/** density_act at the surface. */
	level?: number;
	/** Raw density per texel of signed distance. */
	slope?: number;
	/** k of the soft minimum: min(a, b) ≈ a − SiLU(k (a − b)) / k, off by at most 0.28 / k texels. */
	sharpness?: number;
	/** Raw colour per unit of grid coordinate. */
	colorGain?: number;
	/** PRNG seed of the weights that do not reach the outputs. */
	seed?: number;
}

/** Tensor names as the Hugging Face card cgb/triposr-onnx-webgpu gives decoder.onnx: features [N, 120] → density, color. */
export const TRIPOSR_DECODER_DEFAULTS: Required<TripoSRDecoderOptions> = {
	featuresName: 'features',
	densityName: 'density',
	colorName: 'color',
	level: TRIPOSR_SURFACE_LEVEL,
	slope: 1,
	sharpness: 8,
	colorGain: 3,
	seed: 9,
};

export interface TripoSRGraph {
	/** ONNX ModelProto bytes. */
	bytes: Uint8Array;
	graph: GraphDescription;
}

/**
 * Keeps carried values far on SiLU's linear side: SiLU(B + x) = B + x within 1e-9 for B + x ≥ 21, and distances
 * are clamped to ±128 texels (twice the plane) and colours to ±1.
 */
const CARRY = 256;
/** Neurons 0–5 carry the field; the rest are seeded noise. */
const LANE = { density: 0, relu: 1, third: 2, color: 3 } as const;

/**
 * TripoSR's decoder (TRIPOSR_DECODER_LAYERS as Gemm with PyTorch's [out, in] weights, SiLU as x · sigmoid(x), the
 * four outputs split 1 + 3) with weights that make it read a silhouetteTriplane. With a, b, c the channel-0 distances
 * of planes xy, xz, yz less DISTANCE_OFFSET, neurons 0–5 compute
 *
 *   density = ln(level) + 1 + slope · m,   m = softmin(a, b, c)   (exactly min where the three differ by ≫ 1/k)
 *   color   = colorGain · (x, y, z)        (half the sum of channels 1–3 over the planes)
 *
 * so TripoSR's density_act = exp(density − 1) = level · exp(slope · m): above `level` exactly where the point is
 * inside all three silhouettes (a visual hull), `level` on its surface. The min is built from SiLU(k·Δ)/k ≈ relu(Δ)
 * over the first two layers; values carried across a layer ride on a bias of 256, where SiLU is the identity. The
 * other 58 neurons hold seeded random weights and biases and never reach the outputs, so the arithmetic is the real
 * decoder's and the field is exact.
 *
 * @example
 * const { bytes } = tripoSRDecoder();
 * const session = await ort.InferenceSession.create(bytes);
 * const { density, color } = await session.run({ features: new ort.Tensor('float32', sampled, [n, 120]) });
 */
export function tripoSRDecoder(options: TripoSRDecoderOptions = {}): TripoSRGraph {
	const o = { ...TRIPOSR_DECODER_DEFAULTS, ...options };
	const k = o.sharpness;
	const rand = mulberry32(o.seed);
	const layers = TRIPOSR_DECODER_LAYERS;
	const lanes = LANE.color + 3;
	const g = new GraphBuilder('triposr_decoder');
	let x = g.input(o.featuresName, ['N', TRIPOSR_FEATURES]);

	layers.forEach((layer, index) => {
		const w = new Float32Array(layer.outputs * layer.inputs);
		const bias = new Float32Array(layer.outputs);
		const set = (row: number, column: number, value: number) => (w[row * layer.inputs + column] = value);
		const last = index === layers.length - 1;
		if (!last) {
			// Seeded neurons: kaiming-uniform weights a tenth the size, reading every input, read by nothing but themselves.
			const limit = 0.1 * Math.sqrt(6 / layer.inputs);
			for (let row = lanes; row < layer.outputs; row++) {
				for (let column = 0; column < layer.inputs; column++) set(row, column, (rand() * 2 - 1) * limit);
				bias[row] = (rand() * 2 - 1) * 0.1;
			}
		}
		const keep = (lane: number) => set(lane, lane, 1);
		if (index === 0) {
			const distance = (p: number) => p * TRIPLANE_CHANNELS;
			set(LANE.density, distance(0), 1); // B + a
			bias[LANE.density] = CARRY - DISTANCE_OFFSET;
			set(LANE.relu, distance(0), k); // SiLU(k (a − b))
			set(LANE.relu, distance(1), -k);
			set(LANE.third, distance(2), 1); // B + c
			bias[LANE.third] = CARRY - DISTANCE_OFFSET;
			for (let c = 0; c < 3; c++) {
				for (let p = 0; p < TRIPLANE_PLANES; p++) set(LANE.color + c, p * TRIPLANE_CHANNELS + 1 + c, 0.5);
				bias[LANE.color + c] = CARRY;
			}
		} else if (index === 1) {
			set(LANE.density, LANE.density, 1); // B + min(a, b)
			set(LANE.density, LANE.relu, -1 / k);
			set(LANE.relu, LANE.density, k); // SiLU(k (min(a, b) − c))
			set(LANE.relu, LANE.relu, -1);
			set(LANE.relu, LANE.third, -k);
		} else if (index === 2) {
			set(LANE.density, LANE.density, 1); // B + min(a, b, c)
			set(LANE.density, LANE.relu, -1 / k);
		} else if (!last) {
			keep(LANE.density);
		}
		if (index > 0 && !last) for (let c = 0; c < 3; c++) keep(LANE.color + c);
		if (last) {
			set(0, LANE.density, o.slope);
			bias[0] = Math.log(o.level) - TRIPOSR_DENSITY_BIAS - o.slope * CARRY;
			for (let c = 0; c < 3; c++) {
				set(1 + c, LANE.color + c, o.colorGain);
				bias[1 + c] = -o.colorGain * CARRY;
			}
		}

		// nn.Sequential numbers Linear and SiLU alike: the Linears are layers.0, layers.2, …, layers.18.
		const name = `layers.${2 * index}`;
		g.initializer(`${name}.weight`, [layer.outputs, layer.inputs], w);
		g.initializer(`${name}.bias`, [layer.outputs], bias);
		x = g.node('Gemm', [x, `${name}.weight`, `${name}.bias`], [`${name}.out`], { transB: 1 });
		if (layer.activation === 'silu') {
			g.node('Sigmoid', [x], [`${name}.gate`]);
			x = g.node('Mul', [x, `${name}.gate`], [`layers.${2 * index + 1}.out`]);
		}
	});

	g.initializer('split_sizes', [2], BigInt64Array.of(1n, 3n));
	g.node('Split', [x, 'split_sizes'], [o.densityName, o.colorName], { axis: 1 });
	g.output(o.densityName, ['N', 1]);
	g.output(o.colorName, ['N', 3]);
	return { bytes: g.toBytes(), graph: { ...g.signature(), parameters: g.parameters } };
}

export interface ConstantTriplaneEncoderOptions {
	imageName?: string;
	triplaneName?: string;
	/** Side of the square input picture. */
	size?: number;
}

/** Names and size as the same card gives its encoder: image [1, 3, 512, 512] → triplane [1, 3, 40, 64, 64]. */
export const CONSTANT_TRIPLANE_ENCODER_DEFAULTS: Required<ConstantTriplaneEncoderOptions> = { imageName: 'image', triplaneName: 'triplane', size: 512 };

/**
 * TripoSR's encoder signature, image [1, 3, 512, 512] → triplane [1, 3, 40, 64, 64], answering `triplane` whatever
 * the picture: triplane + 0 · mean(image), so the picture is still a real input.
 */
export function constantTriplaneEncoder(triplane: Float32Array, options: ConstantTriplaneEncoderOptions = {}): TripoSRGraph {
	const o = { ...CONSTANT_TRIPLANE_ENCODER_DEFAULTS, ...options };
	const shape = [1, TRIPLANE_PLANES, TRIPLANE_CHANNELS, TRIPLANE_SIZE, TRIPLANE_SIZE];
	const g = new GraphBuilder('triposr_constant_encoder');
	g.input(o.imageName, [1, 3, o.size, o.size]);
	g.initializer('planes', shape, triplane);
	g.initializer('all_axes', [3], BigInt64Array.of(1n, 2n, 3n));
	g.initializer('zero', [], Float32Array.of(0));
	g.node('ReduceMean', [o.imageName, 'all_axes'], ['mean'], { keepdims: 1 });
	g.node('Mul', ['mean', 'zero'], ['nothing']);
	g.node('Add', ['planes', 'nothing'], [o.triplaneName]);
	g.output(o.triplaneName, shape);
	return { bytes: g.toBytes(), graph: { ...g.signature(), parameters: g.parameters } };
}
