// Runs the generation stages in order, with timing per stage, overall progress and cancellation between and
// inside stages. The CLI calls it directly; the daemon calls it from a worker thread. A learned segmentation
// model replaces the segment stage; a depth model adds relief to the inflated shape; an implicit model
// replaces shape, mesh and texture with field sampling, marching and a baked colour atlas.
import type { Engine } from '../engine/engine';
import type { ModelKind } from '../engine/manifest';
import { exportScene, type ExportedFile } from '../export/export';
import { writeGlb } from '../export/glb';
import { sceneFromDocument } from '../export/load-glb';
import { bakeVertexColors } from '../geometry/bake';
import { simplifyClosed } from '../geometry/simplify';
import type { GenerateOptions } from '../protocol/options';
import { assemble } from './assemble';
import { decode, geometrySizeFor } from './decode';
import { implicitGrid, meshImplicit, sampleImplicit, subjectCutout } from './implicit';
import { mesh } from './mesh';
import { optimize, OPTIMIZE_DEFAULTS } from './optimize';
import { applyRelief } from './relief';
import { segment, segmentWithMask } from './segment';
import { shape } from './shape';
import { STAGES, STAGE_WEIGHTS, type StageName } from './stages';
import { checkSupported, isPlainGlb } from './supported';
import { texture } from './texture';
import type { CancelSignal, RgbaImage, StageContext, TriMesh } from './types';

export { STAGES, STAGE_WEIGHTS, type StageName };

export interface StageProgress {
	stage: StageName;
	stageIndex: number;
	stageCount: number;
	/** Overall progress, 0–1. */
	progress: number;
	stageProgress: number;
	message?: string;
}

export interface GenerateInput {
	bytes: Uint8Array;
	/** Name for the node and material, usually the image's file name without extension. */
	name: string;
}

export interface GenerateStats {
	vertices: number;
	triangles: number;
	textureSize: number;
	lods: number;
	ms: Record<StageName, number>;
	totalMs: number;
	segmentation: 'alpha' | 'chroma' | 'model';
	components: number;
}

export interface GenerateResult {
	/** Every file made: the GLB, and the other formats, LODs and colliders the options ask for. */
	files: ExportedFile[];
	/** The GLB among them. */
	glb: Uint8Array;
	stats: GenerateStats;
}

/** Heavy runtimes the pipeline needs, created once per process or worker (see runtime.ts). */
export interface PipelineRuntime {
	simplifier: unknown;
	/** The inference engine, for learned models; without it only the built-in pipeline runs. */
	engine?: Engine;
}

export interface RunContext {
	signal?: CancelSignal;
	onProgress?: (event: StageProgress) => void;
	weights?: Readonly<Record<StageName, number>>;
}

/**
 * Turns one image into a GLB.
 *
 * ```ts
 * const runtime = await loadRuntime();
 * const { glb, stats } = await runPipeline({ bytes, name: 'cat' }, parseGenerateOptions({}), runtime, {});
 * ```
 */
export async function runPipeline(
	input: GenerateInput,
	options: GenerateOptions,
	runtime: PipelineRuntime,
	run: RunContext,
): Promise<GenerateResult> {
	checkSupported(options, (id) => runtime.engine?.registry.installedKind(id));
	const signal = run.signal ?? new AbortController().signal;
	const weights = run.weights ?? STAGE_WEIGHTS;
	const total = STAGES.reduce((sum, s) => sum + weights[s], 0);
	const ms = {} as Record<StageName, number>;
	const started = performance.now();
	let done = 0;

	async function stage<T>(name: StageName, work: (ctx: StageContext) => T | Promise<T>): Promise<T> {
		signal.throwIfAborted();
		const index = STAGES.indexOf(name);
		const report = (stageProgress: number, message?: string) => {
			const clamped = Math.min(1, Math.max(0, stageProgress));
			run.onProgress?.({
				stage: name,
				stageIndex: index,
				stageCount: STAGES.length,
				progress: (done + weights[name] * clamped) / total,
				stageProgress: clamped,
				...(message ? { message } : {}),
			});
		};
		const t0 = performance.now();
		report(0);
		const result = await work({ signal, progress: report });
		ms[name] = performance.now() - t0;
		report(1);
		done += weights[name];
		return result;
	}

	const engine = runtime.engine;
	const learnedKind = (id: string): ModelKind | undefined => engine?.registry.installedKind(id);
	const decoded = await stage('decode', (ctx) =>
		decode(input.bytes, { geometrySize: geometrySizeFor(options.resolution), textureSize: options.textureSize }, ctx),
	);
	const segmented = await stage('segment', async (ctx) =>
		learnedKind(options.segmentation) === 'segmentation'
			? segmentWithMask(decoded, await engine!.segment(options.segmentation, decoded.image, ctx.signal), ctx)
			: segment(decoded, { mode: options.segmentation.replace(/^builtin:/, '') as 'auto' | 'alpha' | 'chroma' }, ctx),
	);

	let final: TriMesh;
	let baseColor: RgbaImage;
	if (learnedKind(options.model) === 'implicit') {
		const sampled = await stage('shape', async (ctx) =>
			sampleImplicit(await engine!.implicit(options.model, subjectCutout(decoded, segmented), ctx.signal), implicitGrid(options.resolution), ctx),
		);
		const surface = await stage('mesh', async (ctx) => {
			const raw = await meshImplicit(sampled, ctx);
			const colors = raw.colors ?? new Float32Array(raw.positions.length).fill(0.8);
			const simple = simplifyClosed(
				{ positions: raw.positions, indices: raw.indices, attributes: colors, stride: 3 },
				{ maxTriangles: options.maxTriangles, error: OPTIMIZE_DEFAULTS.error, simplifier: runtime.simplifier, lockRim: false },
			);
			return { positions: simple.positions, indices: simple.indices, colors: simple.attributes };
		});
		const baked = await stage('texture', () => bakeVertexColors(surface, options.textureSize));
		baseColor = baked.image;
		final = await stage('optimize', (ctx) =>
			optimize(baked, { maxTriangles: options.maxTriangles, simplifier: runtime.simplifier, lockRim: false }, ctx),
		);
	} else {
		const field = await stage('shape', async (ctx) => {
			const inflated = shape(segmented, { resolution: options.resolution, thickness: options.thickness }, ctx);
			if (learnedKind(options.model) === 'depth') {
				const nearness = await engine!.depth(options.model, decoded.image, ctx.signal);
				applyRelief(inflated, nearness, decoded.image.width, decoded.image.height);
			}
			return inflated;
		});
		const solid = await stage('mesh', (ctx) => mesh(field, ctx));
		const baked = await stage('texture', (ctx) => texture(decoded, segmented, solid, { textureSize: options.textureSize }, ctx));
		baseColor = baked.image;
		final = await stage('optimize', (ctx) =>
			optimize({ ...solid, uvs: baked.uvs }, { maxTriangles: options.maxTriangles, simplifier: runtime.simplifier }, ctx),
		);
	}
	const files = await stage('export', async (ctx) => {
		const doc = await assemble(final, baseColor, { name: input.name, height: options.height });
		ctx.signal.throwIfAborted();
		const plainGlb = async (): Promise<ExportedFile> => ({ name: `${input.name}.glb`, format: 'glb', bytes: await writeGlb(doc) });
		if (isPlainGlb(options)) return [await plainGlb()];
		const { files: exported } = await exportScene(await sceneFromDocument(doc, { name: input.name }), options, ctx);
		// The GLB is always kept: editors preview it, and later exports of the asset start from it.
		return exported.some((f) => f.format === 'glb') ? exported : [await plainGlb(), ...exported];
	});

	return {
		files,
		glb: files.find((f) => f.format === 'glb')!.bytes,
		stats: {
			vertices: final.positions.length / 3,
			triangles: final.indices.length / 3,
			textureSize: options.textureSize,
			lods: Math.max(1, options.lods.length),
			ms,
			totalMs: performance.now() - started,
			segmentation: segmented.method,
			components: segmented.components,
		},
	};
}
