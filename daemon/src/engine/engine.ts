// The inference engine the pipeline calls in its worker thread: finds installed models, keeps their sessions,
// and runs them with the manifest's pre- and post-processing. One engine per worker; the provider order was
// chosen once by the daemon (providers.ts) and is passed in.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Home } from '../jobs/home';
import type { CancelSignal, GrayImage, RgbaImage } from '../pipeline/types';
import { OrfeasError } from '../protocol/errors';
import type { TriplaneSpec } from './manifest';
import { ModelRegistry, type InstalledModel } from './registry';
import { SessionCache } from './sessions';
import { mapToImage, outputMap, prepareImage } from './tensors';
import { checkTriplaneGraphs, triplaneDecoder, type TriplaneField } from './triplane-model';
import { loadOnnxruntime, type Ort } from './onnxruntime';


export interface EngineConfig {
	home: Home;
	catalogueDir: string;
	/** Provider order for sessions, e.g. ['cuda', 'cpu']. */
	providers: string[];
	intraOpThreads: number;
	budgetBytes: number;
}

/** An implicit model ready to sample: `evaluate` maps points (x, y, z triples) to field values and colours. */
export interface ImplicitField {
	field: 'sdf' | 'density';
	level: number;
	bound: number;
	evaluate(points: Float32Array): Promise<{ values: Float32Array; colors?: Float32Array }>;
}

export class Engine {
	private constructor(
		private readonly ort: Ort,
		readonly registry: ModelRegistry,
		private readonly sessions: SessionCache,
	) {}

	static async create(config: EngineConfig): Promise<Engine> {
		const ort = loadOnnxruntime();
		// Failures reach users as coded errors; ONNX Runtime's own prints would only repeat them on stderr.
		ort.env.logLevel = 'fatal';
		const registry = await new ModelRegistry(config.home, config.catalogueDir).refresh();
		const sessions = new SessionCache(ort, { providers: config.providers, intraOpThreads: config.intraOpThreads, budgetBytes: config.budgetBytes });
		return new Engine(ort, registry, sessions);
	}

	/** Ids of models with a session open in this worker. */
	loaded(): Set<string> {
		const ids = new Set<string>();
		for (const view of this.registry.list()) {
			if (view.builtin) continue;
			const model = this.tryRequire(view.id);
			if (model && Object.values(model.files).every((f) => f && this.sessions.has(f))) ids.add(view.id);
		}
		return ids;
	}

	async load(id: string): Promise<void> {
		const model = this.registry.require(id);
		for (const file of Object.values(model.files)) if (file) await this.sessions.get(file);
	}

	async unload(id: string): Promise<void> {
		const model = this.registry.require(id);
		for (const file of Object.values(model.files)) if (file) await this.sessions.release(file);
	}

	/** Subject coverage (0–255) at the picture's size from a segmentation model. */
	async segment(id: string, image: RgbaImage, signal: CancelSignal): Promise<GrayImage> {
		const model = this.registry.require(id, 'segmentation');
		const values = await this.runMap(model, 'model', image, signal);
		const data = new Uint8Array(values.length);
		for (let i = 0; i < values.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
		return { data, width: image.width, height: image.height };
	}

	/** Relative nearness at the picture's size (larger = nearer the camera), from a depth model. */
	async depth(id: string, image: RgbaImage, signal: CancelSignal): Promise<Float32Array> {
		const model = this.registry.require(id, 'depth');
		const values = await this.runMap(model, 'model', image, signal);
		if (model.manifest.output.semantics === 'depth') for (let i = 0; i < values.length; i++) values[i] = -values[i];
		return values;
	}

	/**
	 * Encodes a picture already framed the model's way (the subject at `triplane.foregroundRatio` on its grey) and
	 * returns its field: density and colour at any point of the model's world.
	 */
	async triplane(id: string, image: RgbaImage, signal: CancelSignal): Promise<TriplaneField> {
		const model = this.registry.require(id, 'triplane');
		const { manifest } = model;
		const encoder = await this.sessions.get(model.files.encoder!);
		const decoder = await this.sessions.get(model.files.decoder!);
		checkTriplaneGraphs(manifest, encoder, decoder);
		const prepared = await prepareImage(image, manifest.input);
		signal.throwIfAborted();
		const inputName = manifest.input.name ?? encoder.inputNames[0];
		const encoded = await this.run(encoder, { [inputName]: new this.ort.Tensor('float32', prepared.data, prepared.dims) });
		const triplane = encoded[manifest.triplane!.output ?? encoder.outputNames[0]];
		return triplaneDecoder(manifest, triplane, (feeds) => this.run(decoder, feeds), this.ort.Tensor);
	}

	/** The manifest's triplane section of an installed triplane model (how to frame its picture). */
	triplaneSpec(id: string): TriplaneSpec {
		return this.registry.require(id, 'triplane').manifest.triplane!;
	}

	/** Encodes the picture and returns the decoder, ready to be sampled on a grid. */
	async implicit(id: string, image: RgbaImage, signal: CancelSignal): Promise<ImplicitField> {
		const model = this.registry.require(id, 'implicit');
		const { output } = model.manifest;
		const encoder = await this.sessions.get(model.files.encoder!);
		const decoder = await this.sessions.get(model.files.decoder!);
		const prepared = await prepareImage(image, model.manifest.input);
		signal.throwIfAborted();
		const encoded = await this.run(encoder, { [model.manifest.input.name ?? encoder.inputNames[0]]: new this.ort.Tensor('float32', prepared.data, prepared.dims) });
		const latent = encoded[encoder.outputNames[0]];
		const latentName = output.latentName ?? decoder.inputNames[0];
		const pointsName = output.pointsName ?? decoder.inputNames.find((n) => n !== latentName) ?? decoder.inputNames[1];
		const valuesName = output.name ?? decoder.outputNames[output.index];
		return {
			field: output.field ?? 'sdf',
			level: output.level,
			bound: output.bound,
			evaluate: async (points) => {
				signal.throwIfAborted();
				const result = await this.run(decoder, {
					[latentName]: latent,
					[pointsName]: new this.ort.Tensor('float32', points, [points.length / 3, 3]),
				});
				const colors = output.rgb ? (result[output.rgb]?.data as Float32Array | undefined) : undefined;
				return { values: result[valuesName].data as Float32Array, ...(colors ? { colors } : {}) };
			},
		};
	}

	private tryRequire(id: string): InstalledModel | undefined {
		try {
			return this.registry.require(id);
		} catch {
			return undefined;
		}
	}

	/** Runs a single-input, single-map model on a picture and brings the map back to the picture's pixels. */
	private async runMap(model: InstalledModel, role: 'model', image: RgbaImage, signal: CancelSignal): Promise<Float32Array> {
		const session = await this.sessions.get(model.files[role]!);
		const { input, output } = model.manifest;
		const prepared = await prepareImage(image, input);
		signal.throwIfAborted();
		const result = await this.run(session, { [input.name ?? session.inputNames[0]]: new this.ort.Tensor('float32', prepared.data, prepared.dims) });
		const tensor = result[output.name ?? session.outputNames[output.index]];
		if (!tensor) throw new OrfeasError('E_INFERENCE', `Model "${model.manifest.id}" has no output "${output.name ?? output.index}".`);
		return mapToImage(outputMap(tensor.data as Float32Array, tensor.dims), prepared, output, image.width, image.height);
	}

	private async run(session: InferenceSession, feeds: Record<string, Tensor>): Promise<InferenceSession.ReturnType> {
		try {
			return await session.run(feeds);
		} catch (error) {
			throw inferenceError(error);
		}
	}
}

/** A failed session.run as a coded error: running out of memory says what to try; anything else is E_INFERENCE. */
export function inferenceError(error: unknown): OrfeasError {
	const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
	if (/out of memory|bad_alloc|failed to allocate|allocation failed|CUDNN_STATUS_ALLOC_FAILED|cudaErrorMemoryAllocation/i.test(detail)) {
		return new OrfeasError(
			'E_OUT_OF_MEMORY',
			`The model ran out of memory (${detail}). Try a lower resolution (a smaller grid), close other GPU work, or run on the CPU: orfeas daemon --providers cpu.`,
		);
	}
	return new OrfeasError('E_INFERENCE', `Running the model failed (${detail}). Check that the model file matches its manifest.`);
}
