// Tiny ONNX models with known answers, for tests and the benchmark: each function builds one model's bytes with
// onnx-writer.ts and describes it in the shape of a model manifest (daemon/src/engine/manifest.ts). None is learned.
import { GraphBuilder, type Dim, type TensorInfo } from './onnx-writer';
import { mulberry32 } from './random';

export type TestModelKind = 'segmentation' | 'depth' | 'implicit' | 'triplane';
export type FileRole = 'model' | 'encoder' | 'decoder';
export type Rgb = [number, number, number];

/** How a runner feeds the model: the same fields as a manifest's `input`. */
export interface InputDescription {
	name: string;
	/** Width and height to resize to; a graph with named (dynamic) sizes takes others too. */
	size: [number, number];
	resize: 'stretch';
	mean: Rgb;
	std: Rgb;
	layout: 'NCHW';
	colorOrder: 'RGB';
	range: [number, number];
}

/** How a runner reads the model: the fields of a manifest's `output` that apply to the model's kind. */
export interface OutputDescription {
	name: string;
	index: number;
	activation: 'none' | 'sigmoid';
	normalize: 'none' | 'minmax';
	semantics?: 'depth' | 'disparity';
	field?: 'sdf' | 'density';
	level?: number;
	bound?: number;
	rgb?: string;
	latentName?: string;
	pointsName?: string;
}

export interface GraphDescription {
	inputs: TensorInfo[];
	outputs: TensorInfo[];
	/** Float values held by the graph's initializers. */
	parameters: number;
}

/** A manifest without download URLs, plus each file's graph signature. */
export interface TestModelDescription<R extends FileRole> {
	id: string;
	name: string;
	kind: TestModelKind;
	version: string;
	description: string;
	files: { role: R; name: string }[];
	input: InputDescription;
	output: OutputDescription;
	licence: { id: 'MIT'; permissive: true };
	graphs: Record<R, GraphDescription>;
	/** Triplane models: the manifest's `triplane` section. */
	triplane?: TriplaneDescription;
	notes: string[];
}

/** A manifest's `triplane` section (daemon/src/engine/manifest.ts, TriplaneSpecSchema). */
export interface TriplaneDescription {
	foregroundRatio: number;
	background: Rgb;
	output: string;
	shape: [3, number, number, number];
	planes: [['x', 'y'], ['x', 'z'], ['y', 'z']];
	radius: number;
	decoder: { input: 'features'; features: string } | { input: 'points'; triplane: string; points: string; pointsRank: 2 | 3; pointsScale: 'normalized' | 'radius' };
	density: { name: string; activation: 'none' | 'exp'; bias: number };
	color: { name: string; activation: 'none' | 'sigmoid' };
	level: number;
	frame: { right: '+y'; up: '+z'; front: '+x' };
}

export interface TestModel<R extends FileRole = 'model'> {
	description: TestModelDescription<R>;
	/** ONNX ModelProto bytes by file role. */
	bytes: Record<R, Uint8Array>;
}

export type AnyTestModel = TestModel<'model'> | TestModel<'encoder' | 'decoder'>;

/** A model's files as `description.files` names them, with their bytes. */
export function modelFiles(model: AnyTestModel): { name: string; bytes: Uint8Array }[] {
	const bytes = model.bytes as Partial<Record<FileRole, Uint8Array>>;
	return model.description.files.map((f) => ({ name: f.name, bytes: bytes[f.role] as Uint8Array }));
}

// ---- shared pieces ----

const scalar = (v: number) => Float32Array.of(v);
const axes = (...a: number[]) => BigInt64Array.from(a, BigInt);

function inputDescription(size: number): InputDescription {
	return { name: 'image', size: [size, size], resize: 'stretch', mean: [0, 0, 0], std: [1, 1, 1], layout: 'NCHW', colorOrder: 'RGB', range: [0, 1] };
}

function graphDescription(g: GraphBuilder): GraphDescription {
	return { ...g.signature(), parameters: g.parameters };
}

function single(
	id: string,
	g: GraphBuilder,
	fields: { name: string; kind: TestModelKind; description: string; input: InputDescription; output: OutputDescription; notes?: string[] },
): TestModel {
	return {
		bytes: { model: g.toBytes() },
		description: {
			id,
			version: '1',
			files: [{ role: 'model', name: `${id}.onnx` }],
			licence: { id: 'MIT', permissive: true },
			graphs: { model: graphDescription(g) },
			notes: [],
			...fields,
		},
	};
}

// ---- segmentation ----

export interface ThresholdSegmentationOptions {
	/** Background colour in [0, 1] RGB; whatever differs from it is the subject. */
	background?: Rgb;
	/** Slope k of the sigmoid. */
	sharpness?: number;
	/** Summed per-channel difference t at which alpha is 0.5. */
	threshold?: number;
	/** The size written into `input.size`; the graph itself takes any H and W. */
	size?: number;
}

export const THRESHOLD_SEGMENTATION_DEFAULTS: Required<ThresholdSegmentationOptions> = { background: [1, 1, 1], sharpness: 40, threshold: 0.15, size: 256 };

/**
 * Segmentation by distance from a background colour: alpha = sigmoid(k · (Σ_c |x_c − bg_c| − t)).
 *
 * @example
 * const { bytes } = thresholdSegmentation({ background: [0, 1, 0] }); // a green screen
 * const session = await ort.InferenceSession.create(bytes.model);
 */
export function thresholdSegmentation(options: ThresholdSegmentationOptions = {}): TestModel {
	const o = { ...THRESHOLD_SEGMENTATION_DEFAULTS, ...options };
	const g = new GraphBuilder('threshold_segmentation');
	g.input('image', [1, 3, 'H', 'W']);
	g.initializer('background', [1, 3, 1, 1], Float32Array.from(o.background));
	g.initializer('channel_axis', [1], axes(1));
	g.initializer('threshold', [], scalar(o.threshold));
	g.initializer('sharpness', [], scalar(o.sharpness));
	g.node('Sub', ['image', 'background'], ['difference']);
	g.node('Abs', ['difference'], ['distance']);
	g.node('ReduceSum', ['distance', 'channel_axis'], ['total'], { keepdims: 1 });
	g.node('Sub', ['total', 'threshold'], ['margin']);
	g.node('Mul', ['margin', 'sharpness'], ['logit']);
	g.node('Sigmoid', ['logit'], ['alpha']);
	g.output('alpha', [1, 1, 'H', 'W']);
	return single('testing-threshold-segmentation', g, {
		name: 'Test: background-colour threshold',
		kind: 'segmentation',
		description: `alpha = sigmoid(${o.sharpness} · (Σ|rgb − [${o.background.join(', ')}]| − ${o.threshold})); not a learned model.`,
		input: inputDescription(o.size),
		output: { name: 'alpha', index: 0, activation: 'none', normalize: 'none' },
	});
}

// ---- depth ----

export interface RadialBumpDepthOptions {
	/** Side S of the square input and output. */
	size?: number;
}

export const RADIAL_BUMP_DEPTH_DEFAULTS: Required<RadialBumpDepthOptions> = { size: 64 };

/** (1 − r²)², r = 1 at the corner pixels' centres: 1 at the centre, exactly 0 at the corners, smooth between. */
export function radialBump(size: number): Float32Array {
	const c = (size - 1) / 2;
	const bump = new Float32Array(size * size);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const r2 = (((x - c) / c) ** 2 + ((y - c) / c) ** 2) / 2;
			bump[y * size + x] = (1 - r2) ** 2;
		}
	}
	return bump;
}

/**
 * Depth as disparity (larger is nearer): a radial bump nearest the camera at the image centre, 0 at the corners,
 * whatever the picture. The image still flows through the graph (0 · mean), so the input is a real dependency.
 */
export function radialBumpDepth(options: RadialBumpDepthOptions = {}): TestModel {
	const { size } = { ...RADIAL_BUMP_DEPTH_DEFAULTS, ...options };
	const g = new GraphBuilder('radial_bump_depth');
	g.input('image', [1, 3, size, size]);
	g.initializer('bump', [1, 1, size, size], radialBump(size));
	g.initializer('all_axes', [3], axes(1, 2, 3));
	g.initializer('zero', [], scalar(0));
	g.node('ReduceMean', ['image', 'all_axes'], ['mean'], { keepdims: 1 });
	g.node('Mul', ['mean', 'zero'], ['nothing']);
	g.node('Add', ['bump', 'nothing'], ['depth']);
	g.output('depth', [1, 1, size, size]);
	return single('testing-radial-bump-depth', g, {
		name: 'Test: radial bump depth',
		kind: 'depth',
		description: 'Disparity (larger is nearer): (1 − r²)², 1 at the centre, 0 at the corners, independent of the picture; not a learned model.',
		input: inputDescription(size),
		output: { name: 'depth', index: 0, activation: 'none', normalize: 'none', semantics: 'disparity' },
	});
}

// ---- implicit ----

export interface SphereImplicitOptions {
	/** Side S of the encoder's square input. */
	size?: number;
	radius?: number;
	/** Whether the decoder also outputs `rgb`. */
	color?: boolean;
}

export const SPHERE_IMPLICIT_DEFAULTS: Required<SphereImplicitOptions> = { size: 64, radius: 0.5, color: true };

/** Width of the latent code. */
export const SPHERE_LATENT = 8;

/**
 * An encoder (image → latent [1, 8]: mean colour times a fixed 3×8 matrix) and a decoder whose field is a sphere
 * whatever the latent: sdf = |p| − radius, rgb = clip((p + 1) / 2, 0, 1). The latent enters as 0 · Σlatent.
 */
export function sphereImplicit(options: SphereImplicitOptions = {}): TestModel<'encoder' | 'decoder'> {
	const o = { ...SPHERE_IMPLICIT_DEFAULTS, ...options };
	const id = 'testing-sphere-implicit';

	const enc = new GraphBuilder('sphere_encoder');
	enc.input('image', [1, 3, o.size, o.size]);
	enc.initializer('spatial_axes', [2], axes(2, 3));
	const rand = mulberry32(8);
	enc.initializer('projection', [3, SPHERE_LATENT], Float32Array.from({ length: 3 * SPHERE_LATENT }, () => rand() * 2 - 1));
	enc.node('ReduceMean', ['image', 'spatial_axes'], ['mean_rgb'], { keepdims: 0 });
	enc.node('MatMul', ['mean_rgb', 'projection'], ['latent']);
	enc.output('latent', [1, SPHERE_LATENT]);

	const dec = new GraphBuilder('sphere_decoder');
	dec.input('latent', [1, SPHERE_LATENT]);
	dec.input('points', ['N', 3]);
	dec.initializer('last_axis', [1], axes(1));
	dec.initializer('zero', [], scalar(0));
	dec.initializer('radius', [], scalar(o.radius));
	dec.node('Mul', ['points', 'points'], ['squares']);
	dec.node('ReduceSum', ['squares', 'last_axis'], ['norm2'], { keepdims: 1 });
	dec.node('Sqrt', ['norm2'], ['norm']);
	dec.node('ReduceSum', ['latent', 'last_axis'], ['latent_sum'], { keepdims: 1 });
	dec.node('Mul', ['latent_sum', 'zero'], ['nothing']);
	dec.node('Add', ['radius', 'nothing'], ['radius_used']);
	dec.node('Sub', ['norm', 'radius_used'], ['sdf']);
	dec.output('sdf', ['N', 1]);
	if (o.color) {
		dec.initializer('one', [], scalar(1));
		dec.initializer('half', [], scalar(0.5));
		dec.node('Add', ['points', 'one'], ['shifted']);
		dec.node('Mul', ['shifted', 'half'], ['unclipped']);
		dec.node('Clip', ['unclipped', 'zero', 'one'], ['rgb']);
		dec.output('rgb', ['N', 3]);
	}

	return {
		bytes: { encoder: enc.toBytes(), decoder: dec.toBytes() },
		description: {
			id,
			name: 'Test: sphere field',
			kind: 'implicit',
			version: '1',
			description: `Signed distance to a sphere of radius ${o.radius} at the origin${o.color ? ', coloured by position' : ''}, whatever the picture; not a learned model.`,
			files: [
				{ role: 'encoder', name: `${id}.encoder.onnx` },
				{ role: 'decoder', name: `${id}.decoder.onnx` },
			],
			input: inputDescription(o.size),
			output: {
				name: 'sdf',
				index: 0,
				activation: 'none',
				normalize: 'none',
				field: 'sdf',
				level: 0,
				bound: 1,
				latentName: 'latent',
				pointsName: 'points',
				...(o.color ? { rgb: 'rgb' } : {}),
			},
			licence: { id: 'MIT', permissive: true },
			graphs: { encoder: graphDescription(enc), decoder: graphDescription(dec) },
			notes: ['Points are [N, 3] in the cube [-1, 1]³; sdf is [N, 1], negative inside.'],
		},
	};
}

// ---- triplane ----

export interface EllipsoidTriplaneOptions {
	/** The decoder's input: sampled `features` [N, 120] (cgb/triposr-onnx-webgpu) or the triplane and `points` (QtMeshEditor's export). */
	decoder?: 'features' | 'points';
	/** Centre and semi-axes in TripoSR's world (x toward the camera, y right, z up), inside the triplane's reach. */
	centre?: [number, number, number];
	radii?: [number, number, number];
	/** Density = level · exp(sharpness · (1 − q)), q = Σ((p − centre) / radii)². */
	sharpness?: number;
}

export const ELLIPSOID_TRIPLANE_DEFAULTS: Required<EllipsoidTriplaneOptions> = {
	decoder: 'features',
	centre: [0.08, 0.15, -0.05],
	radii: [0.25, 0.35, 0.5],
	sharpness: 4,
};

/** TripoSR's triplane layout and conventions, as the public exports state them (see models/triposr-*.json). */
const TRIPOSR = { channels: 40, size: 64, radius: 0.87, level: 25, image: 512 } as const;

/**
 * The texels of a triplane whose first two channels hold each plane's own coordinates, in grid units ([-1, 1]
 * across the plane, texel i's centre at (2i + 1) / size − 1): plane (x, y) holds x and y, plane (x, z) x and z,
 * plane (y, z) y and z; the third channel is 1. Bilinear sampling gives a point's coordinates back exactly
 * between the outer texel centres, and the third channel's 1 there; beyond them the zero padding pulls both down.
 */
export function coordinateTriplane(channels = TRIPOSR.channels, size = TRIPOSR.size): Float32Array {
	const values = new Float32Array(3 * channels * size * size);
	const plane = size * size;
	for (let p = 0; p < 3; p++) {
		for (let y = 0; y < size; y++) {
			for (let x = 0; x < size; x++) {
				values[(p * channels + 0) * plane + y * size + x] = (2 * x + 1) / size - 1;
				values[(p * channels + 1) * plane + y * size + x] = (2 * y + 1) / size - 1;
				values[(p * channels + 2) * plane + y * size + x] = 1;
			}
		}
	}
	return values;
}

/**
 * A TripoSR-shaped model whose field is an ellipsoid that is not symmetric in the picture: off-centre, three
 * different semi-axes, and coloured by direction (red toward the camera, green toward the picture's right, blue
 * up: colour = clip(0.5 + 0.5 · (p − centre) / radii)). The tensors carry the published names and shapes:
 * - encoder: `image` [1, 3, 512, 512] → `triplane` / `scene_codes` [1, 3, 40, 64, 64], the coordinate triplane
 *   (the picture enters as 0 · its mean);
 * - decoder `features`: `features` [N, 120] → `density` [N, 1], `color` [N, 3]: the point is read back from the
 *   features (plane (x, y)'s two channels and plane (x, z)'s second), so our triplane sampling is exercised;
 * - decoder `points`: `scene_codes` [1, 3, 40, 64, 64] and `points` [1, P, 3] in world units → `density`
 *   [1, P, 1], `color` [1, P, 3]: the decoder samples nothing (the triplane enters as 0 · its sum).
 * Both decoders return density and colour already activated, as those exports do.
 */
export function ellipsoidTriplane(options: EllipsoidTriplaneOptions = {}): TestModel<'encoder' | 'decoder'> {
	const o = { ...ELLIPSOID_TRIPLANE_DEFAULTS, ...options };
	const id = `testing-ellipsoid-triplane-${o.decoder}`;
	const { channels: C, size: S, radius, level } = TRIPOSR;
	const planes = o.decoder === 'features' ? 'triplane' : 'scene_codes';

	const enc = new GraphBuilder('ellipsoid_triplane_encoder');
	enc.input('image', [1, 3, TRIPOSR.image, TRIPOSR.image]);
	enc.initializer('coordinates', [1, 3, C, S, S], coordinateTriplane(C, S));
	enc.initializer('all_axes', [4], axes(0, 1, 2, 3));
	enc.initializer('zero', [], scalar(0));
	enc.node('ReduceMean', ['image', 'all_axes'], ['mean'], { keepdims: 0 });
	enc.node('Mul', ['mean', 'zero'], ['nothing']);
	enc.node('Add', ['coordinates', 'nothing'], [planes]);
	enc.output(planes, [1, 3, C, S, S]);

	const dec = new GraphBuilder(`ellipsoid_triplane_decoder_${o.decoder}`);
	const rows = (k: number): Dim[] => (o.decoder === 'features' ? ['N', k] : [1, 'P', k]);
	if (o.decoder === 'features') {
		dec.input('features', ['N', 3 * C]);
		// Grid coordinates from the features: x = plane 0 channel 0, y = plane 0 channel 1, z = plane 1 channel 1.
		const pick = new Float32Array(3 * C * 3);
		pick[0 * 3 + 0] = 1;
		pick[1 * 3 + 1] = 1;
		pick[(C + 1) * 3 + 2] = 1;
		dec.initializer('pick', [3 * C, 3], pick);
		dec.initializer('radius', [], scalar(radius));
		dec.node('MatMul', ['features', 'pick'], ['grid']);
		dec.node('Mul', ['grid', 'radius'], ['point']);
		// Beyond the outer texel centres the read coordinates shrink toward 0 and would fall inside: the planes'
		// third channels (1 inside) push those points out.
		const coverage = new Float32Array(3 * C);
		for (let p = 0; p < 3; p++) coverage[p * C + 2] = 1;
		dec.initializer('coverage_pick', [3 * C, 1], coverage);
		dec.initializer('planes', [], scalar(3));
		dec.initializer('edge_penalty', [], scalar(100));
		dec.node('MatMul', ['features', 'coverage_pick'], ['coverage']);
		dec.node('Sub', ['planes', 'coverage'], ['outside_share']);
		dec.node('Mul', ['outside_share', 'edge_penalty'], ['edge']);
	} else {
		dec.input('scene_codes', [1, 3, C, S, S]);
		dec.input('points', [1, 'P', 3]);
		dec.initializer('all_axes', [5], axes(0, 1, 2, 3, 4));
		dec.initializer('zero', [], scalar(0));
		dec.node('ReduceSum', ['scene_codes', 'all_axes'], ['codes_sum'], { keepdims: 0 });
		dec.node('Mul', ['codes_sum', 'zero'], ['nothing']);
		dec.node('Add', ['points', 'nothing'], ['point']);
	}
	dec.initializer('centre', [3], Float32Array.from(o.centre));
	dec.initializer('inverse_radii', [3], Float32Array.from(o.radii, (r) => 1 / r));
	dec.initializer('last_axis', [1], axes(-1));
	dec.initializer('one', [], scalar(1));
	dec.initializer('half', [], scalar(0.5));
	dec.initializer('nil', [], scalar(0));
	dec.initializer('sharpness', [], scalar(o.sharpness));
	dec.initializer('level', [], scalar(level));
	dec.node('Sub', ['point', 'centre'], ['offset']);
	dec.node('Mul', ['offset', 'inverse_radii'], ['unit']);
	dec.node('Mul', ['unit', 'unit'], ['unit_squares']);
	dec.node('ReduceSum', ['unit_squares', 'last_axis'], [o.decoder === 'features' ? 'q_inside' : 'q'], { keepdims: 1 });
	if (o.decoder === 'features') dec.node('Add', ['q_inside', 'edge'], ['q']);
	dec.node('Sub', ['one', 'q'], ['depth']);
	dec.node('Mul', ['depth', 'sharpness'], ['exponent']);
	dec.node('Exp', ['exponent'], ['growth']);
	dec.node('Mul', ['growth', 'level'], ['density']);
	dec.node('Mul', ['unit', 'half'], ['tint']);
	dec.node('Add', ['tint', 'half'], ['shade']);
	dec.node('Clip', ['shade', 'nil', 'one'], ['color']);
	dec.output('density', rows(1));
	dec.output('color', rows(3));

	const triplane: TriplaneDescription = {
		foregroundRatio: 0.85,
		background: [0.5, 0.5, 0.5],
		output: planes,
		shape: [3, C, S, S],
		planes: [['x', 'y'], ['x', 'z'], ['y', 'z']],
		radius,
		decoder: o.decoder === 'features' ? { input: 'features', features: 'features' } : { input: 'points', triplane: 'scene_codes', points: 'points', pointsRank: 3, pointsScale: 'radius' },
		density: { name: 'density', activation: 'none', bias: 0 },
		color: { name: 'color', activation: 'none' },
		level,
		frame: { right: '+y', up: '+z', front: '+x' },
	};
	return {
		bytes: { encoder: enc.toBytes(), decoder: dec.toBytes() },
		description: {
			id,
			name: `Test: ellipsoid triplane (${o.decoder} decoder)`,
			kind: 'triplane',
			version: '1',
			description: `An off-centre ellipsoid coloured by direction, whatever the picture, in TripoSR's tensor layout; not a learned model.`,
			files: [
				{ role: 'encoder', name: `${id}.encoder.onnx` },
				{ role: 'decoder', name: `${id}.decoder.onnx` },
			],
			input: inputDescription(TRIPOSR.image),
			output: { name: 'density', index: 0, activation: 'none', normalize: 'none' },
			licence: { id: 'MIT', permissive: true },
			graphs: { encoder: graphDescription(enc), decoder: graphDescription(dec) },
			triplane,
			notes: [
				`Centre [${o.centre.join(', ')}], semi-axes [${o.radii.join(', ')}] in TripoSR's world (x toward the camera, y right, z up); density ${level} · exp(${o.sharpness} · (1 − q)) crosses the level ${level} on the ellipsoid.`,
			],
		},
	};
}

// ---- benchmark ----

export interface SyntheticConvNetOptions {
	/** Side of the square input (and of the upsampled output). */
	size?: number;
	/** PRNG seed of the weights. */
	seed?: number;
}

export const SYNTHETIC_CONV_NET_DEFAULTS: Required<SyntheticConvNetOptions> = { size: 256, seed: 1 };

/**
 * Output channels and stride of each 3×3 conv, stem first; a 1×1 conv to one channel follows. 25,739,649
 * parameters, 38.4 G multiply-adds at 256². Contributor notes (onnxruntime-node 1.30 CPU, 2-core AVX-512 Xeon):
 * with the 512-channel convs at 8² and 16² a run took 35 ms, at 32² about 200 ms; with the first two at 64², as
 * here, about 250 ms on two threads and 460 ms on one.
 */
export const CONV_NET_LAYERS: readonly { channels: number; stride: number }[] = [
	{ channels: 64, stride: 2 },
	{ channels: 128, stride: 2 },
	{ channels: 256, stride: 1 },
	{ channels: 256, stride: 1 },
	{ channels: 512, stride: 1 },
	{ channels: 512, stride: 1 },
	{ channels: 512, stride: 2 },
	...Array.from({ length: 7 }, () => ({ channels: 512, stride: 1 })),
	{ channels: 512, stride: 2 },
];

/** Weights and biases of CONV_NET_LAYERS plus the 1×1 head, from 3 input channels. */
export function convNetParameters(layers = CONV_NET_LAYERS): number {
	let count = 0;
	let inputs = 3;
	for (const { channels } of layers) {
		count += channels * inputs * 9 + channels;
		inputs = channels;
	}
	return count + inputs + 1;
}

/**
 * A plain conv net of random (He-uniform, seeded) weights for timing inference: 3×3 convs with Relu, four of
 * them stride 2 (256 → 16), a 1×1 conv to one channel, bilinear Resize back to the input size. Its output means
 * nothing, so it is described as a depth model to be min-max normalised. About 103 MB of ONNX.
 */
export function syntheticConvNet(options: SyntheticConvNetOptions = {}): TestModel {
	const { size, seed } = { ...SYNTHETIC_CONV_NET_DEFAULTS, ...options };
	const rand = mulberry32(seed);
	const g = new GraphBuilder('synthetic_conv_net');
	let x = g.input('image', [1, 3, size, size]);
	let inputs = 3;
	const conv = (channels: number, kernel: number, stride: number, index: number): string => {
		const fanIn = inputs * kernel * kernel;
		const limit = Math.sqrt(6 / fanIn);
		const weights = new Float32Array(channels * fanIn);
		for (let i = 0; i < weights.length; i++) weights[i] = (rand() * 2 - 1) * limit;
		g.initializer(`conv${index}.weight`, [channels, inputs, kernel, kernel], weights);
		g.initializer(`conv${index}.bias`, [channels], new Float32Array(channels));
		const pad = (kernel - 1) / 2;
		inputs = channels;
		return g.node('Conv', [x, `conv${index}.weight`, `conv${index}.bias`], [`conv${index}`], {
			kernel_shape: [kernel, kernel],
			strides: [stride, stride],
			pads: [pad, pad, pad, pad],
		});
	};
	CONV_NET_LAYERS.forEach(({ channels, stride }, i) => {
		x = g.node('Relu', [conv(channels, 3, stride, i)], [`relu${i}`]);
	});
	x = conv(1, 1, 1, CONV_NET_LAYERS.length);
	g.initializer('output_size', [4], axes(1, 1, size, size));
	g.node('Resize', [x, '', '', 'output_size'], ['depth'], { mode: 'linear' });
	g.output('depth', [1, 1, size, size]);
	return single('testing-synthetic-conv-net', g, {
		name: 'Test: synthetic conv net (benchmark)',
		kind: 'depth',
		description: `${g.parameters} random parameters in ${CONV_NET_LAYERS.length + 1} convolutions, for timing inference; its output means nothing.`,
		input: inputDescription(size),
		output: { name: 'depth', index: 0, activation: 'none', normalize: 'minmax', semantics: 'disparity' },
		notes: [`Seed ${seed}; He-uniform weights, zero biases.`],
	});
}

/** Every test model with its default options, for writing them all out. */
export const TEST_MODELS: Record<string, () => AnyTestModel> = {
	thresholdSegmentation,
	radialBumpDepth,
	sphereImplicit,
	ellipsoidTriplaneFeatures: () => ellipsoidTriplane({ decoder: 'features' }),
	ellipsoidTriplanePoints: () => ellipsoidTriplane({ decoder: 'points' }),
	syntheticConvNet,
};
