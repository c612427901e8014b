// Times one picture: the full pipeline (per stage and end to end) and the reference, a bare sharp decode and
// resize to the texture working size, which is the least any image-to-model run has to do.
import sharp from 'sharp';
import { runPipeline, BUILTIN_RUN, type PipelineRuntime, type StageName } from '../../daemon/src/generators/run';
import type { GenerateOptions } from '../../daemon/src/protocol/options';
import type { ScaledImage } from './inputs';

export interface ImageTimings {
	/** Milliseconds of each timed run, per stage. */
	stages: Record<StageName, number[]>;
	total: number[];
	reference: number[];
}

/**
 * Runs the pipeline and then the reference `1 + runs` times each, dropping the first of each: it pays for JIT
 * compilation, sharp's first use of a codec and the allocator growing, none of which a warm daemon pays.
 */
export async function timeImage(
	image: ScaledImage,
	options: GenerateOptions,
	runtime: PipelineRuntime,
	runs: number,
): Promise<ImageTimings> {
	const stages = Object.fromEntries(BUILTIN_RUN.map((s) => [s, [] as number[]])) as Record<StageName, number[]>;
	const total: number[] = [];
	const reference: number[] = [];
	for (let k = 0; k <= runs; k++) {
		const { stats } = await runPipeline({ bytes: image.bytes, name: image.name }, options, runtime, {});
		if (k === 0) continue;
		for (const s of BUILTIN_RUN) stages[s].push(stats.ms[s]);
		total.push(stats.totalMs);
	}
	for (let k = 0; k <= runs; k++) {
		const t0 = performance.now();
		await referenceDecode(image.bytes, options.textureSize);
		if (k > 0) reference.push(performance.now() - t0);
	}
	return { stages, total, reference };
}

/** What the decode stage cannot avoid: the pixels, upright, at the texture working size, with alpha. */
export function referenceDecode(bytes: Uint8Array, textureSize: number): Promise<Buffer> {
	return sharp(bytes)
		.rotate()
		.resize({ width: textureSize, height: textureSize, fit: 'inside', withoutEnlargement: true })
		.ensureAlpha()
		.raw()
		.toBuffer();
}
