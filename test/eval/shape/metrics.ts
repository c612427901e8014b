// The scores single-image reconstruction papers report, computed the way this project's protocol fixes them:
// Chamfer-L1 and F-score on 20 000 area-weighted surface points, volume IoU on a 64³ grid. `scoreShapes` applies
// the protocol's normalisation first; the functions below it measure meshes as given (the tests rely on that).
import { analyzeTopology } from '../../../daemon/src/geometry/topology';
import { bounds } from '../../../daemon/src/geometry/place';
import { KdTree, nearestDistances } from './kdtree';
import { normalizeToUnitHeight, type TriangleMesh } from './mesh';
import { samplePoints, SAMPLE_COUNT, SAMPLE_SEED } from './sample';
import { gridOver, occupancyIoU, voxelize } from './voxels';

/** F-score thresholds, in units of the normalised height. */
export const F_THRESHOLDS = [0.05, 0.1] as const;
export const IOU_GRID = 64;

/** Sampled points of one surface with their search tree, built once and compared against every method. */
export interface SampledSurface {
	points: Float32Array;
	tree: KdTree;
}

export function sampleSurface(mesh: TriangleMesh, count = SAMPLE_COUNT, seed = SAMPLE_SEED): SampledSurface {
	const points = samplePoints(mesh, count, seed);
	return { points, tree: new KdTree(points) };
}

export interface SurfaceScores {
	/** Mean of the two directional mean nearest-point distances. */
	chamferL1: number;
	/** Per threshold (keyed by its text, `"0.05"`): share of generated points within τ of the truth. */
	precision: Record<string, number>;
	/** Per threshold: share of ground-truth points within τ of the generated points. */
	recall: Record<string, number>;
	/** Per threshold: 2PR / (P + R), 0 when both are 0. */
	fscore: Record<string, number>;
}

/** Chamfer-L1 and F-scores between two sampled surfaces. */
export function surfaceScores(truth: SampledSurface, generated: SampledSurface, thresholds: readonly number[] = F_THRESHOLDS): SurfaceScores {
	const toTruth = nearestDistances(generated.points, truth.tree);
	const toGenerated = nearestDistances(truth.points, generated.tree);
	const result: SurfaceScores = { chamferL1: (mean(toTruth) + mean(toGenerated)) / 2, precision: {}, recall: {}, fscore: {} };
	for (const tau of thresholds) {
		const p = shareWithin(toTruth, tau);
		const r = shareWithin(toGenerated, tau);
		const key = String(tau);
		result.precision[key] = p;
		result.recall[key] = r;
		result.fscore[key] = p + r > 0 ? (2 * p * r) / (p + r) : 0;
	}
	return result;
}

/** Volume IoU of two closed meshes on an n³ grid spanning the union of their bounding boxes. */
export function volumeIoU(a: TriangleMesh, b: TriangleMesh, n = IOU_GRID): number {
	const ba = bounds(a.positions);
	const bb = bounds(b.positions);
	const grid = gridOver(
		[0, 1, 2].map((k) => Math.min(ba.min[k], bb.min[k])),
		[0, 1, 2].map((k) => Math.max(ba.max[k], bb.max[k])),
		n,
	);
	return occupancyIoU(voxelize(a.positions, a.indices, grid), voxelize(b.positions, b.indices, grid));
}

/** Whether a surface is closed (every edge shared by exactly two consistently oriented triangles); why not. */
export function closedness(mesh: TriangleMesh): { closed: boolean; why?: string } {
	const report = analyzeTopology(mesh.positions, mesh.indices);
	if (report.closed) return { closed: true };
	const reasons = [
		report.boundaryEdges && `${report.boundaryEdges} boundary edges`,
		report.nonManifoldEdges && `${report.nonManifoldEdges} non-manifold edges`,
		report.nonManifoldVertices && `${report.nonManifoldVertices} non-manifold vertices`,
		report.inconsistentEdges && `${report.inconsistentEdges} inconsistently oriented edges`,
	].filter(Boolean);
	return { closed: false, why: reasons.join(', ') };
}

/** A ground-truth mesh made ready for scoring once: normalised, sampled, its closedness known. */
export interface PreparedTruth {
	mesh: TriangleMesh;
	surface: SampledSurface;
	closed: boolean;
	why?: string;
}

export function prepareTruth(mesh: TriangleMesh): PreparedTruth {
	const normalized = normalizeToUnitHeight(mesh);
	return { mesh: normalized, surface: sampleSurface(normalized), ...closedness(normalized) };
}

export interface ShapeScores extends SurfaceScores {
	/** null when either mesh is not closed (see `iouSkipped`). */
	iou: number | null;
	iouSkipped?: string;
}

/** The protocol end to end for one generated mesh: normalise, sample, compare; IoU when both are closed. */
export function scoreShapes(truth: PreparedTruth, generated: TriangleMesh): ShapeScores {
	const mesh = normalizeToUnitHeight(generated);
	const surface = surfaceScores(truth.surface, sampleSurface(mesh));
	const own = closedness(mesh);
	if (!truth.closed) return { ...surface, iou: null, iouSkipped: `ground truth not closed (${truth.why})` };
	if (!own.closed) return { ...surface, iou: null, iouSkipped: `generated mesh not closed (${own.why})` };
	return { ...surface, iou: volumeIoU(truth.mesh, mesh) };
}

function mean(values: Float64Array): number {
	let sum = 0;
	for (const v of values) sum += v;
	return values.length ? sum / values.length : NaN;
}

function shareWithin(values: Float64Array, tau: number): number {
	let inside = 0;
	for (const v of values) if (v < tau) inside++;
	return values.length ? inside / values.length : 0;
}
