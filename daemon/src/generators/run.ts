// Runs the generation stages in order, with timing per stage, overall progress and cancellation between and
// inside stages. The CLI calls it directly; the daemon calls it from a worker thread. Decode and segment are
// shared (a turnaround sheet is split into its views here); the generator chosen for the request (generators/)
// makes the textured mesh in its own stages (shape, mesh and texture, or encode, isosurface and texture); optimize and export are shared again.
import type { ModelKind } from '../engine/manifest';
import { exportScene, type ExportedFile } from '../export/export';
import { writeGlb } from '../export/glb';
import { sceneFromDocument } from '../export/load-glb';
import type { Generator, GeneratorInput, PipelineRuntime, Picture } from './generator';
import { implicitGenerator } from './implicit';
import { inflateGenerator } from './inflate';
import { triplaneGenerator } from './triplane';
import { viewsGenerator } from './views';
import type { GenerateOptions } from '../protocol/options';
import { forView, type ExtraView, type ViewName } from '../protocol/views';
import { assemble } from '../pipeline/assemble';
import { decode, geometrySizeFor } from '../pipeline/decode';
import { optimize } from '../pipeline/optimize';
import { segment, segmentWithMask } from '../pipeline/segment';
import { splitSheet } from '../pipeline/sheet';
import { BUILTIN_RUN, runStages, STAGES, STAGE_WEIGHTS, type StageName } from '../pipeline/stages';
import { checkSupported, isPlainGlb } from '../pipeline/supported';
import type { CancelSignal, DecodedImage, StageContext, TriMesh } from '../pipeline/types';

export type { PipelineRuntime };
export { BUILTIN_RUN, STAGES, STAGE_WEIGHTS, type StageName };

export interface StageProgress {
	stage: StageName;
	stageIndex: number;
	stageCount: number;
	/** This run's stages in order. */
	stages: readonly StageName[];
	/** Overall progress, 0–1. */
	progress: number;
	stageProgress: number;
	message?: string;
}

export interface GenerateInput {
	/** The front picture, or with `sheet` a picture holding several views side by side. */
	bytes: Uint8Array;
	/** Name for the node and material, usually the image's file name without extension. */
	name: string;
	/** Pictures of the same object from other sides, each side at most once. */
	views?: { view: ExtraView; bytes: Uint8Array }[];
	/** `bytes` is a turnaround sheet holding these views, left to right. */
	sheet?: ViewName[];
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
	/** With several views: how well each agrees with the model (IoU of its re-projected silhouette with the view's mask). */
	views?: Record<string, number>;
}

export interface GenerateResult {
	/** Every file made: the GLB, and the other formats, LODs and colliders the options ask for. */
	files: ExportedFile[];
	/** The GLB among them. */
	glb: Uint8Array;
	stats: GenerateStats;
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
	checkSupported(options, (id) => runtime.engine?.registry.installedKind(id), { views: input.views?.length ?? 0, sheet: Boolean(input.sheet) });
	const signal = run.signal ?? new AbortController().signal;
	const weights = run.weights ?? STAGE_WEIGHTS;
	const learnedKind = (id: string): ModelKind | undefined => runtime.engine?.registry.installedKind(id);
	const generator = chooseGenerator(input.sheet ? input.sheet.length - 1 : (input.views?.length ?? 0), learnedKind(options.model));
	const stages = runStages(generator.stages);
	const total = stages.reduce((sum, s) => sum + weights[s], 0);
	const ms = {} as Record<StageName, number>;
	const started = performance.now();
	let done = 0;

	async function stage<T>(name: StageName, work: (ctx: StageContext) => T | Promise<T>): Promise<T> {
		signal.throwIfAborted();
		const index = stages.indexOf(name);
		if (index < 0) throw new Error(`stage ${name} is not one of this run's (${stages.join(', ')})`);
		const report = (stageProgress: number, message?: string) => {
			const clamped = Math.min(1, Math.max(0, stageProgress));
			run.onProgress?.({
				stage: name,
				stageIndex: index,
				stageCount: stages.length,
				stages,
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

	const viewCount = input.sheet ? input.sheet.length : 1 + (input.views?.length ?? 0);
	// A sheet holds several views side by side: it gets the geometry pixels of as many pictures.
	const geometrySize = geometrySizeFor(options.resolution) * (input.sheet ? Math.min(input.sheet.length, 4) : 1);
	const decoded = await stage('decode', async (ctx) => {
		const front = await decode(input.bytes, { geometrySize, textureSize: options.textureSize }, ctx);
		const views: { view: ExtraView; decoded: DecodedImage }[] = [];
		for (const [i, { view, bytes }] of (input.views ?? []).entries()) {
			views.push({ view, decoded: await forView(view, `views.${i}.image`, () => decode(bytes, { geometrySize, textureSize: options.textureSize }, quiet(ctx))) });
			ctx.progress((i + 2) / viewCount);
		}
		return { front, views };
	});
	const pictures = await stage('segment', async (ctx) => {
		const cut = async (picture: DecodedImage, c: StageContext) =>
			learnedKind(options.segmentation) === 'segmentation'
				? segmentWithMask(picture, await runtime.engine!.segment(options.segmentation, picture.image, c.signal), c)
				: segment(picture, { mode: options.segmentation.replace(/^builtin:/, '') as 'auto' | 'alpha' | 'chroma' }, c);
		let front: Picture = { decoded: decoded.front, segmented: await cut(decoded.front, quiet(ctx)) };
		let others = decoded.views;
		if (input.sheet) {
			const split = splitSheet(front.decoded, front.segmented, input.sheet);
			const frontCrop = split.find((s) => s.view === 'front')!;
			front = { decoded: frontCrop.decoded, segmented: await forView('front', 'image', () => cut(frontCrop.decoded, quiet(ctx))) };
			others = split.filter((s): s is { view: ExtraView; decoded: DecodedImage } => s.view !== 'front');
		}
		const views: GeneratorInput['views'] = [];
		for (const [i, { view, decoded: picture }] of others.entries()) {
			views.push({ view, decoded: picture, segmented: await forView(view, input.sheet ? 'image' : `views.${i}.image`, () => cut(picture, quiet(ctx))) });
			ctx.progress((i + 2) / viewCount);
		}
		return { front, views };
	});

	const model = await generator.generate({ ...pictures, options, runtime }, (name, work) => stage(name, work));
	const final: TriMesh = await stage('optimize', (ctx) =>
		optimize(model.mesh, { maxTriangles: options.maxTriangles, simplifier: runtime.simplifier, lockRim: model.lockRim }, ctx),
	);
	const baseColor = model.baseColor;
	const segmented = pictures.front.segmented;
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
			...(model.agreement ? { views: model.agreement } : {}),
		},
	};
}

/** Several pictures are carved; an implicit or triplane model replaces the built-in shape; everything else is inflated. */
function chooseGenerator(views: number, modelKind: ModelKind | undefined): Generator {
	if (views > 0) return viewsGenerator;
	if (modelKind === 'implicit') return implicitGenerator;
	if (modelKind === 'triplane') return triplaneGenerator;
	return inflateGenerator;
}

/** The same cancellation, without the sub-step's own progress (the caller reports progress per picture). */
function quiet(ctx: StageContext): StageContext {
	return { signal: ctx.signal, progress: () => {} };
}
