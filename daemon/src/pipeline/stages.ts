// The names and order of the generation stages, shared by the pipeline, the protocol (job.progress) and the
// clients. Kept free of the stages' code so the protocol can import it without the pipeline.

export const STAGES = ['decode', 'segment', 'shape', 'mesh', 'texture', 'optimize', 'export'] as const;
export type StageName = (typeof STAGES)[number];

/**
 * Share of the run each stage takes, for overall progress before any timing is known: the p50s of
 * `npm run bench` on 1024² pictures at the default options. The daemon replaces them with its own averages.
 */
export const STAGE_WEIGHTS: Readonly<Record<StageName, number>> = {
	decode: 0.12,
	segment: 0.03,
	shape: 0.07,
	mesh: 0.04,
	texture: 0.42,
	optimize: 0.18,
	export: 0.14,
};
