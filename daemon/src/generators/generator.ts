// The one interface every generator is behind. The pipeline decodes and segments the pictures, picks the generator
// for the request, lets it run the shape, mesh and texture stages, then simplifies and exports what it made: a
// next generator is one more folder beside inflate/, implicit/, triplane/ and views/, not another branch in the pipeline.
import type { GeneratorStage } from '../pipeline/stages';
import type { Engine } from '../engine/engine';
import type { DecodedImage, RgbaImage, SegmentResult, StageContext, TriMesh } from '../pipeline/types';
import type { GenerateOptions } from '../protocol/options';
import type { ExtraView } from '../protocol/views';

/** Heavy runtimes the generators need, created once per process or worker (runtime.ts) and passed in. */
export interface PipelineRuntime {
	/** meshoptimizer's MeshoptSimplifier, ready. */
	simplifier: unknown;
	/** The inference engine, for learned models; without it only the built-in generators run. */
	engine?: Engine;
}

/** One picture, decoded and segmented. */
export interface Picture {
	decoded: DecodedImage;
	segmented: SegmentResult;
}

export interface GeneratorInput {
	front: Picture;
	/** Pictures of the same object from other sides, each side at most once. */
	views: ({ view: ExtraView } & Picture)[];
	options: GenerateOptions;
	runtime: PipelineRuntime;
}

/** Runs one of the generator's stages with timing, progress and cancellation. */
export type StageRunner = <T>(name: GeneratorStage, work: (ctx: StageContext) => T | Promise<T>) => Promise<T>;

/** A closed, textured mesh in the generator's own units (the pipeline scales it to the asked height). */
export interface GeneratedModel {
	/** Positions, indices and uvs; x right, y up, z toward the front camera. */
	mesh: TriMesh & { uvs: Float32Array };
	baseColor: RgbaImage;
	/** The mesh is a pair of sheets sharing their silhouette (z = 0), which simplification must keep shared. */
	lockRim: boolean;
	/** How well each picture agrees with the model: IoU of the model's silhouette with that picture's mask. */
	agreement?: Record<string, number>;
}

export interface Generator {
	readonly name: string;
	/** The stages it runs, in order (clients show them; progress and ETA are spread over them). */
	readonly stages: readonly GeneratorStage[];
	generate(input: GeneratorInput, stage: StageRunner): Promise<GeneratedModel>;
}
