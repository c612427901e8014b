// Turns pictures into a model: the generator for the request is chosen (generators/), then the run goes through
// the shared stages (shared.ts: decode and segment, with a turnaround sheet split into its views), the
// generator's own (shape, mesh and texture; or encode, isosurface and texture), optimize and export. A generation
// server (a `remote` model) runs its own way (remote/run.ts). The CLI calls this directly; the daemon calls it
// from a worker thread.
import type { RegistryKind } from '../engine/registry';
import type { Generator, PipelineRuntime } from './generator';
import { implicitGenerator } from './implicit';
import { inflateGenerator } from './inflate';
import { runRemote } from './remote/run';
import { exportStage, pictureStages, stageRunner, type GenerateInput, type GenerateResult, type RunContext } from './shared';
import { triplaneGenerator } from './triplane';
import { viewsGenerator } from './views';
import type { GenerateOptions } from '../protocol/options';
import { assemble } from '../pipeline/assemble';
import { optimize } from '../pipeline/optimize';
import { BUILTIN_RUN, runStages, STAGES, STAGE_WEIGHTS, type StageName } from '../pipeline/stages';
import { checkSupported } from '../pipeline/supported';
import type { TriMesh } from '../pipeline/types';

export type { PipelineRuntime };
export type { GenerateInput, GenerateResult, GenerateStats, RunContext, StageProgress } from './shared';
export { BUILTIN_RUN, STAGES, STAGE_WEIGHTS, type StageName };

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
	const learnedKind = (id: string): RegistryKind | undefined => runtime.engine?.registry.installedKind(id);
	if (learnedKind(options.model) === 'remote') return runRemote(input, options, runtime, run, runtime.engine!.registry.backend(options.model)!);
	const generator = chooseGenerator(input.sheet ? input.sheet.length - 1 : (input.views?.length ?? 0), learnedKind(options.model));
	const { stage, ms, started } = stageRunner(runStages(generator.stages), run);
	const pictures = await pictureStages(input, options, runtime, stage);

	const model = await generator.generate({ ...pictures, options, runtime }, (name, work) => stage(name, work));
	const final: TriMesh = await stage('optimize', (ctx) =>
		optimize(model.mesh, { maxTriangles: options.maxTriangles, simplifier: runtime.simplifier, lockRim: model.lockRim }, ctx),
	);
	const segmented = pictures.front.segmented;
	const files = await stage('export', async (ctx) => exportStage(await assemble(final, model.baseColor, { name: input.name, height: options.height }), input.name, options, ctx));

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
function chooseGenerator(views: number, modelKind: RegistryKind | undefined): Generator {
	if (views > 0) return viewsGenerator;
	if (modelKind === 'implicit') return implicitGenerator;
	if (modelKind === 'triplane') return triplaneGenerator;
	return inflateGenerator;
}
