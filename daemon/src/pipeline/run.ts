// Runs the generation stages in order, with timing per stage, overall progress and cancellation between and
// inside stages. The CLI calls it directly; the daemon calls it from a worker thread.
import { writeGlb } from '../export/glb';
import type { GenerateOptions } from '../protocol/options';
import { checkSupported } from './supported';
import { assemble } from './assemble';
import { decode, geometrySizeFor } from './decode';
import { mesh } from './mesh';
import { optimize } from './optimize';
import { segment } from './segment';
import { shape } from './shape';
import { texture } from './texture';
import { STAGES, STAGE_WEIGHTS, type StageName } from './stages';
import type { CancelSignal, StageContext } from './types';

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
	segmentation: 'alpha' | 'chroma';
	components: number;
}

export interface GenerateResult {
	glb: Uint8Array;
	stats: GenerateStats;
}

/** Heavy runtimes the pipeline needs, created once per process or worker (see runtime.ts). */
export interface PipelineRuntime {
	simplifier: unknown;
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
	checkSupported(options);
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

	const decoded = await stage('decode', (ctx) =>
		decode(input.bytes, { geometrySize: geometrySizeFor(options.resolution), textureSize: options.textureSize }, ctx),
	);
	const segmented = await stage('segment', (ctx) =>
		segment(decoded, { mode: options.segmentation as 'auto' | 'alpha' | 'chroma' }, ctx),
	);
	const field = await stage('shape', (ctx) => shape(segmented, { resolution: options.resolution, thickness: options.thickness }, ctx));
	const solid = await stage('mesh', (ctx) => mesh(field, ctx));
	const baked = await stage('texture', (ctx) => texture(decoded, segmented, solid, { textureSize: options.textureSize }, ctx));
	const final = await stage('optimize', (ctx) =>
		optimize({ ...solid, uvs: baked.uvs }, { maxTriangles: options.maxTriangles, simplifier: runtime.simplifier }, ctx),
	);
	const glb = await stage('export', async (ctx) => {
		const doc = await assemble(final, baked.image, { name: input.name, height: options.height });
		ctx.signal.throwIfAborted();
		return writeGlb(doc);
	});

	return {
		glb,
		stats: {
			vertices: final.positions.length / 3,
			triangles: final.indices.length / 3,
			textureSize: options.textureSize,
			lods: 1,
			ms,
			totalMs: performance.now() - started,
			segmentation: segmented.method,
			components: segmented.components,
		},
	};
}
