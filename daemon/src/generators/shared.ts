// What every run shares, whichever generator makes the model: the stage runner (timing, overall progress over the
// run's own stages, cancellation between and inside stages), the picture stages (decode and segment every
// picture, splitting a turnaround sheet into its views) and the export stage (the GLB, and the formats, LODs and
// colliders the options ask for).
import { exportScene, type ExportedFile } from '../export/export';
import { writeGlb } from '../export/glb';
import { sceneFromDocument } from '../export/load-glb';
import type { Document } from '@gltf-transform/core';
import type { GeneratorInput, PipelineRuntime, Picture } from './generator';
import type { GenerateOptions } from '../protocol/options';
import { forView, type ExtraView, type ViewName } from '../protocol/views';
import { decode, geometrySizeFor } from '../pipeline/decode';
import { segment, segmentWithMask } from '../pipeline/segment';
import { splitSheet } from '../pipeline/sheet';
import { STAGE_WEIGHTS, type StageName } from '../pipeline/stages';
import { isPlainGlb } from '../pipeline/supported';
import type { CancelSignal, DecodedImage, StageContext } from '../pipeline/types';

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

export interface RunContext {
	signal?: CancelSignal;
	onProgress?: (event: StageProgress) => void;
	/** Expected milliseconds per stage (the daemon's averages), for overall progress and for the server stages' estimates. */
	weights?: Readonly<Record<StageName, number>>;
	/** A generation server's job already submitted for this run (after a daemon restart): poll it, do not send again. */
	remoteJob?: string;
	/** Called once a generation server has accepted the job, with its id there, so a restart can pick it up. */
	onSubmitted?: (remoteJob: string) => void;
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
	/** False when the model has open edges (a generation server's model that could not be closed). */
	closed?: boolean;
}

export interface GenerateResult {
	/** Every file made: the GLB, and the other formats, LODs and colliders the options ask for. */
	files: ExportedFile[];
	/** The GLB among them. */
	glb: Uint8Array;
	stats: GenerateStats;
}

export type StageFn = <T>(name: StageName, work: (ctx: StageContext) => T | Promise<T>) => Promise<T>;

/** Runs the stages of one run in order, each timed into `ms`, reporting progress over `stages`. */
export function stageRunner(stages: readonly StageName[], run: RunContext): { stage: StageFn; ms: Record<StageName, number>; started: number; signal: CancelSignal } {
	const signal = run.signal ?? new AbortController().signal;
	const weights = run.weights ?? STAGE_WEIGHTS;
	const total = stages.reduce((sum, s) => sum + weights[s], 0);
	const ms = {} as Record<StageName, number>;
	const started = performance.now();
	let done = 0;
	const stage: StageFn = async (name, work) => {
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
	};
	return { stage, ms, started, signal };
}

/** The decode and segment stages: every picture decoded and its subject cut out; a sheet split into its views. */
export async function pictureStages(
	input: GenerateInput,
	options: GenerateOptions,
	runtime: PipelineRuntime,
	stage: StageFn,
): Promise<{ front: Picture; views: GeneratorInput['views'] }> {
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
	return stage('segment', async (ctx) => {
		const learned = runtime.engine?.registry.installedKind(options.segmentation) === 'segmentation';
		const cut = async (picture: DecodedImage, c: StageContext) =>
			learned
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
}

/**
 * The export stage: the model as a GLB, and the formats, LODs and collider the options ask for. The GLB is always
 * kept (editors preview it, and later exports start from it); `glb` gives it when the document's own writer
 * should not be used (a server's model keeps its PBR maps that way).
 */
export async function exportStage(document: Document, name: string, options: GenerateOptions, ctx: StageContext, glb?: Uint8Array): Promise<ExportedFile[]> {
	ctx.signal.throwIfAborted();
	const plainGlb = async (): Promise<ExportedFile> => ({ name: `${name}.glb`, format: 'glb', bytes: glb ?? (await writeGlb(document)) });
	if (isPlainGlb(options)) return [await plainGlb()];
	const { files: exported } = await exportScene(await sceneFromDocument(document, { name }), options, ctx);
	return exported.some((f) => f.format === 'glb') ? exported : [await plainGlb(), ...exported];
}

/** The same cancellation, without the sub-step's own progress (the caller reports progress per picture). */
function quiet(ctx: StageContext): StageContext {
	return { signal: ctx.signal, progress: () => {} };
}
