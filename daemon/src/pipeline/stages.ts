// The names and order of the generation stages, shared by the pipeline, the protocol (job.progress) and the
// clients. Kept free of the stages' code so the protocol can import it without the pipeline.

/**
 * Every stage, in the order a run meets them. A run has the shared stages and its generator's own: the built-in
 * and implicit generators make the shape, mesh and texture; a triplane model encodes, extracts the isosurface
 * and bakes the texture; a generation server is sent the picture (submit), makes the shape and the texture on
 * its side, and what it returns is cleaned up (clean-up) instead of optimized.
 */
export const STAGES = ['decode', 'segment', 'submit', 'shape', 'mesh', 'encode', 'isosurface', 'texture', 'clean-up', 'optimize', 'export'] as const;
export type StageName = (typeof STAGES)[number];

/** The stages of a run on a generation server. */
export const REMOTE_RUN: readonly StageName[] = ['decode', 'segment', 'submit', 'shape', 'texture', 'clean-up', 'export'];

/** The stages a generator runs itself, between segment and optimize. */
export type GeneratorStage = Extract<StageName, 'shape' | 'mesh' | 'encode' | 'isosurface' | 'texture'>;

/** A run's stages in order: the shared ones around its generator's. */
export function runStages(generatorStages: readonly GeneratorStage[]): StageName[] {
	return ['decode', 'segment', ...generatorStages, 'optimize', 'export'];
}

/** The stages of a run of the built-in generators (inflate, views) and implicit models. */
export const BUILTIN_RUN: readonly StageName[] = runStages(['shape', 'mesh', 'texture']);

/**
 * Share of the run each stage takes, for overall progress before any timing is known: the p50s of
 * `npm run bench` on 1024² pictures at the default options. The daemon replaces them with its own averages.
 */
export const STAGE_WEIGHTS: Readonly<Record<StageName, number>> = {
	decode: 0.12,
	segment: 0.03,
	shape: 0.07,
	mesh: 0.04,
	// A triplane model on the CPU: the encoder's seconds, the decoder over the near-surface samples, then every texel.
	encode: 0.3,
	isosurface: 0.3,
	texture: 0.42,
	// A generation server: the upload, then its own shape and texture passes (tens of seconds on its GPU).
	submit: 0.05,
	'clean-up': 0.2,
	optimize: 0.18,
	export: 0.14,
};
