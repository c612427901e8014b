// A triplane model's two graphs as the manifest describes them (kind `triplane`, manifest.ts): their tensors are
// checked against the manifest before anything runs, and the decoder becomes a field of the model's world —
// points in [-radius, radius]³ in, activated density and RGB out. The decoder either takes the features
// sampled here (triplane.ts, TripoSR's query_triplane) or samples the triplane itself from the points.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { OrfeasError } from '../protocol/errors';
import type { ModelManifest, TriplaneSpec } from './manifest';
import { Triplane } from './triplane';

export interface TriplaneField {
	spec: TriplaneSpec;
	/** Activated density and RGB (0–1, three per point) at points of the model's world. */
	evaluate(points: Float32Array): Promise<{ density: Float32Array; color: Float32Array }>;
}

type Feeds = Record<string, Tensor>;
type TensorConstructor = typeof import('onnxruntime-node').Tensor;

/** exp() of more than this overflows float32; the level is far below it anyway. */
const MAX_EXPONENT = 80;

/**
 * Refuses graphs whose tensors are not the manifest's: every named tensor must exist, and every dimension both
 * sides fix must agree. The message names the tensor and both shapes (E_MODEL_LOAD).
 */
export function checkTriplaneGraphs(manifest: ModelManifest, encoder: InferenceSession, decoder: InferenceSession): void {
	const spec = manifest.triplane!;
	const [, C, H, W] = spec.shape;
	const [width, height] = manifest.input.size;
	const expect = (session: InferenceSession, graph: string, side: 'input' | 'output', name: string | undefined, shape: (number | null)[]): void => {
		const metadata = side === 'input' ? session.inputMetadata : session.outputMetadata;
		const names = metadata.map((m) => m.name);
		const found = name === undefined ? metadata[0] : metadata.find((m) => m.name === name);
		if (!found) {
			throw new OrfeasError('E_MODEL_LOAD', `Model "${manifest.id}": the ${graph} has no ${side} "${name}" (it has ${names.join(', ') || 'none'}). The installed files do not match the manifest; pull the model again.`, { model: manifest.id });
		}
		const actual = found.isTensor ? found.shape : [];
		const fits = actual.length === shape.length && shape.every((d, i) => d === null || typeof actual[i] !== 'number' || actual[i] === d);
		if (!fits) {
			const show = (dims: readonly (number | string | null)[]) => `[${dims.map((d) => d ?? '?').join(', ')}]`;
			throw new OrfeasError(
				'E_MODEL_LOAD',
				`Model "${manifest.id}": the ${graph}'s ${side} "${found.name}" is ${show(actual)}, but the manifest says ${show(shape)}. The installed files do not match the manifest; pull the model again.`,
				{ model: manifest.id, tensor: found.name },
			);
		}
	};
	expect(encoder, 'encoder', 'input', manifest.input.name, [1, 3, height, width]);
	const encoded = encoder.outputMetadata.find((m) => m.name === (spec.output ?? encoder.outputNames[0]));
	expect(encoder, 'encoder', 'output', spec.output, encoded?.isTensor && encoded.shape.length === 4 ? [3, C, H, W] : [1, 3, C, H, W]);
	if (spec.decoder.input === 'features') {
		expect(decoder, 'decoder', 'input', spec.decoder.features, [null, 3 * C]);
	} else {
		expect(decoder, 'decoder', 'input', spec.decoder.triplane, [1, 3, C, H, W]);
		expect(decoder, 'decoder', 'input', spec.decoder.points, spec.decoder.pointsRank === 3 ? [1, null, 3] : [null, 3]);
	}
	// Outputs are [N, k], [1, N, k] or (density) [N]: only the channel count is checked, where the graph fixes it.
	const channels = (name: string, channel: number | undefined, count: number): void => {
		const found = decoder.outputMetadata.find((m) => m.name === name);
		if (!found) return expect(decoder, 'decoder', 'output', name, []);
		if (!found.isTensor) return;
		const last = found.shape[found.shape.length - 1];
		const wanted = (channel ?? 0) + count;
		if (typeof last === 'number' && found.shape.length > 1 && (channel === undefined ? last !== count : last < wanted)) {
			throw new OrfeasError(
				'E_MODEL_LOAD',
				`Model "${manifest.id}": the decoder's output "${name}" is [${found.shape.join(', ')}], but the manifest reads ${channel === undefined ? `${count} channel(s)` : `channels ${channel}–${wanted - 1}`} from it. The installed files do not match the manifest; pull the model again.`,
				{ model: manifest.id, tensor: name },
			);
		}
	};
	channels(spec.density.name, spec.density.channel, 1);
	channels(spec.color.name, spec.color.channel, 3);
}

/** The decoder as a field, given the encoder's triplane and a way to run the decoder graph. */
export function triplaneDecoder(
	manifest: ModelManifest,
	triplane: Tensor,
	run: (feeds: Feeds) => Promise<Record<string, Tensor>>,
	TensorClass: TensorConstructor,
): TriplaneField {
	const spec = manifest.triplane!;
	const { decoder } = spec;
	const scale = 1 / spec.radius;
	const sampler = decoder.input === 'features' ? new Triplane(triplane.data as Float32Array, spec) : undefined;
	// A decoder that samples the triplane itself takes it with its batch axis.
	const planes = triplane.dims.length === 4 ? new TensorClass('float32', triplane.data as Float32Array, [1, ...triplane.dims]) : triplane;

	const feeds = (points: Float32Array): Feeds => {
		const n = points.length / 3;
		if (decoder.input === 'features') {
			const grid = new Float32Array(points.length);
			for (let i = 0; i < points.length; i++) grid[i] = points[i] * scale;
			return { [decoder.features ?? 'features']: new TensorClass('float32', sampler!.sample(grid), [n, sampler!.features]) };
		}
		const scaled = decoder.pointsScale === 'normalized' ? points.map((v) => v * scale) : points;
		return {
			[decoder.triplane ?? 'triplane']: planes,
			[decoder.points ?? 'points']: new TensorClass('float32', scaled, decoder.pointsRank === 3 ? [1, n, 3] : [n, 3]),
		};
	};

	return {
		spec,
		async evaluate(points) {
			const n = points.length / 3;
			const result = await run(feeds(points));
			const density = channels(result, spec.density.name, spec.density.channel ?? 0, 1, n);
			const color = channels(result, spec.color.name, spec.color.channel ?? 0, 3, n);
			const { activation, bias } = spec.density;
			if (activation !== 'none') for (let i = 0; i < n; i++) density[i] = Math.exp(Math.min(MAX_EXPONENT, density[i] + bias));
			else if (bias !== 0) for (let i = 0; i < n; i++) density[i] += bias;
			if (spec.color.activation === 'sigmoid') for (let i = 0; i < color.length; i++) color[i] = 1 / (1 + Math.exp(-color[i]));
			return { density, color };
		},
	};
}

/** `count` channels from `first` of an output's last axis, one row per point. */
function channels(result: Record<string, Tensor>, name: string, first: number, count: number, n: number): Float32Array {
	const tensor = result[name];
	if (!tensor) throw new OrfeasError('E_INFERENCE', `The decoder returned no "${name}".`);
	const data = tensor.data as Float32Array;
	const stride = data.length / n;
	if (!Number.isInteger(stride) || first + count > stride) {
		throw new OrfeasError('E_INFERENCE', `The decoder's "${name}" has ${data.length} values for ${n} points; channels ${first}–${first + count - 1} were expected.`);
	}
	if (stride === count) return Float32Array.from(data);
	const out = new Float32Array(n * count);
	for (let i = 0; i < n; i++) for (let c = 0; c < count; c++) out[i * count + c] = data[i * stride + first + c];
	return out;
}
