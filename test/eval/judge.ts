// Generates one model and judges the file as an engine would load it: the GLB is read back, its topology
// checked, and its front silhouette compared with the subject mask.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelName } from '../../daemon/src/naming';
import { decode, geometrySizeFor } from '../../daemon/src/pipeline/decode';
import { runPipeline, type PipelineRuntime } from '../../daemon/src/generators/run';
import { segment } from '../../daemon/src/pipeline/segment';
import { quietContext, type GrayImage } from '../../daemon/src/pipeline/types';
import { toOrfeasError } from '../../daemon/src/protocol/errors';
import type { GenerateOptions } from '../../daemon/src/protocol/options';
import { readGlb } from '../../daemon/src/quality/glb';
import { silhouetteIoU } from '../../daemon/src/quality/raster';
import { analyzeTopology, type TopologyReport } from '../../daemon/src/geometry/topology';
import type { GroundTruth } from './inputs';

export interface EvalSuccess {
	ok: true;
	file: string;
	output: string;
	segmentation: 'alpha' | 'chroma' | 'model';
	/** Subject regions the segmentation kept. */
	regions: number;
	watertight: boolean;
	genus: number;
	/** Connected parts of the mesh read back from the GLB. */
	components: number;
	/** What keeps a mesh from being watertight, all zero (and a positive volume) when it is. */
	defects: Pick<
		TopologyReport,
		| 'boundaryEdges'
		| 'nonManifoldEdges'
		| 'nonManifoldVertices'
		| 'inconsistentEdges'
		| 'degenerateTriangles'
		| 'signedVolume'
	>;
	iou: number;
	iouAgainst: 'ground truth' | 'segmentation';
	triangles: number;
	vertices: number;
	ms: number;
	expected?: { genus: number; components: number };
}

export interface EvalFailure {
	ok: false;
	file: string;
	code: string;
	message: string;
}

export type EvalOutcome = EvalSuccess | EvalFailure;

export async function judgeImage(
	file: string,
	truth: GroundTruth | undefined,
	options: GenerateOptions,
	runtime: PipelineRuntime,
	outDir: string,
): Promise<EvalOutcome> {
	try {
		const bytes = await readFile(file);
		const name = modelName(file);
		const { glb, stats } = await runPipeline({ bytes, name }, options, runtime, {});
		const output = path.join(outDir, `${name}.glb`);
		await mkdir(outDir, { recursive: true });
		await writeFile(output, glb);

		const model = await readGlb(glb);
		const topology = analyzeTopology(model.positions, model.indices);
		const mask = truth?.mask ?? (await ownMask(bytes, options));
		return {
			ok: true,
			file,
			output,
			segmentation: stats.segmentation,
			regions: stats.components,
			watertight: topology.watertight,
			genus: topology.genus,
			components: topology.components,
			defects: {
				boundaryEdges: topology.boundaryEdges,
				nonManifoldEdges: topology.nonManifoldEdges,
				nonManifoldVertices: topology.nonManifoldVertices,
				inconsistentEdges: topology.inconsistentEdges,
				degenerateTriangles: topology.degenerateTriangles,
				signedVolume: topology.signedVolume,
			},
			iou: silhouetteIoU(model, mask),
			iouAgainst: truth ? 'ground truth' : 'segmentation',
			triangles: topology.triangles,
			vertices: model.positions.length / 3,
			ms: stats.totalMs,
			...(truth ? { expected: { genus: truth.genus, components: truth.components } } : {}),
		};
	} catch (error) {
		const e = toOrfeasError(error);
		return { ok: false, file, code: e.code, message: e.message };
	}
}

/**
 * The subject mask the pipeline itself worked from, for pictures with no ground truth: the IoU then measures
 * how faithfully shape, mesh and optimize keep the segmented silhouette, not whether segmentation was right.
 */
async function ownMask(bytes: Uint8Array, options: GenerateOptions): Promise<GrayImage> {
	const ctx = quietContext();
	const geometrySize = geometrySizeFor(options.resolution);
	const decoded = await decode(bytes, { geometrySize, textureSize: options.textureSize }, ctx);
	return segment(decoded, { mode: options.segmentation as 'auto' | 'alpha' | 'chroma' }, ctx).mask;
}
