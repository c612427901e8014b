// The shape core of the multi-view generator: pictures of one object from several named sides → one closed,
// rounded, watertight mesh in the object frame (frame.ts). align.ts puts the views in one frame; field.ts samples
// the intersection of their extrusions on a grid, rounded slice by slice (round.ts) as far as the views allow
// (judge.ts); marching-cubes.ts extracts the surface and parts.ts drops crumbs. agreement.ts refuses views that
// cannot show one object. The texture step (project.ts) projects the pictures through the returned frames.
//
// Contributor notes (Node 20, CPU time of one thread, four 512² views, test/generators/views/time.ts):
// - resolution 128, a sphere filling its box: ~190 ms (judge ~28, planes ~34, field + marching ~115, parts ~12),
//   425 k triangles; a quadruped: ~60 ms, 148 k triangles. 96: 120 / 47 ms; 192: 500 / 150 ms; 256: 1.0 s / 280 ms.
//   Marching and its triangle count grow with the cube of the resolution, hence the default of 128.
// - Rounding, scored on ten solids from five views (test/generators/views/score.ts; volume IoU on 64³ / Chamfer
//   in % of the diagonal): pure hull 0.924 / 0.94; every plane rounded at 0.5: 0.897 / 1.10, at 1: 0.839 / 1.74
//   (boxes and cylinders lose their edges); judged per plane: 0.970 / 0.65. From front, right and top: hull
//   0.924 / 0.94, judged 0.973 / 0.65. Elliptic instead of circular corners: the same mean (ellipsoids better,
//   the quadruped worse). Local fillets along each view's axis (an earlier design) reached 0.933 / 0.84.
import { marchingCubes } from '../../geometry/marching-cubes';
import type { StageContext, TriMesh } from '../../pipeline/types';
import { alignViews, ALIGN_DEFAULTS, type AlignOptions, type ObjectBox } from './align';
import { viewsError } from './errors';
import { checkAgreement, iou } from './agreement';
import { carveGrid, planeBounds, planeOfView, sampleField, sampleSilhouettes, type PlaneRounding } from './field';
import type { ViewFrame, ViewName, ViewSilhouette } from './frame';
import { judgeRounding } from './judge';
import { keepLargeParts } from './parts';
import { MaskSampler } from './plane';

export const NAME = 'carveViews';

export interface CarveOptions extends AlignOptions {
	/** Grid samples along the object's longest side (16–256). */
	resolution: number;
	/**
	 * 0–1: the strongest rounding tried, as the corner radius of a slice over its smaller half-size (round.ts); 0 is
	 * the pure visual hull. Each coordinate plane gets the strongest that the views lying in it allow (judge.ts).
	 */
	rounding: number;
	/** Let the views judge each plane's rounding; false applies `rounding` to every plane as it is (for tuning). */
	judge: boolean;
	/**
	 * Share of a witness view's outline band the rounded solid must still reach (relative to the pure hull) for a
	 * rounding to be allowed in the plane that view lies in.
	 */
	minOutlineSupport: number;
	/**
	 * Rounding of a plane no view lies in, as a share of `rounding`, further capped by how round the least round view
	 * looks (judge.ts): nothing can test it.
	 */
	unseenRounding: number;
	/** Grid samples along the longest side for choosing the rounding (at most `resolution`). */
	probeResolution: number;
	/** Parts enclosing less than this share of the volume are dropped as specks. */
	minPartShare: number;
	/**
	 * Smallest IoU between a view's mask and the carved hull's silhouette in it; 0 turns the check off. Rendered
	 * solids agree at 0.995 or more; a side view given under the wrong side's name scored 0.52.
	 */
	minAgreement: number;
}

export const CARVE_DEFAULTS: Readonly<CarveOptions> = {
	...ALIGN_DEFAULTS,
	resolution: 128,
	rounding: 1,
	judge: true,
	minOutlineSupport: 0.97,
	unseenRounding: 1,
	probeResolution: 64,
	minPartShare: 0.001,
	minAgreement: 0.6,
};

export interface CarveResult {
	/**
	 * Closed, 2-manifold, outward-facing (counter-clockwise seen from outside); object units, no UVs. Dense, as
	 * marching tetrahedra make it (~150–450 k triangles at resolution 128): simplify before texturing.
	 */
	mesh: TriMesh;
	/** The object's box, centred on the origin. */
	box: ObjectBox;
	/** Object → mask mapping of every view given. */
	frames: Partial<Record<ViewName, ViewFrame>>;
	/** Per view: IoU of the carved hull's silhouette against the view's own, on the grid (1 = consistent). */
	agreement: Partial<Record<ViewName, number>>;
	/** Rounding used per coordinate plane (XY, XZ, YZ); null when the depth was inflated from the outline. */
	rounding: PlaneRounding | null;
	/** Parts dropped as specks. */
	droppedParts: number;
}

const MIN_RESOLUTION = 16;
const MAX_RESOLUTION = 256;

/**
 * Carves the views into one closed mesh.
 *
 * Only `front` is required. With a side or top view the depth is carved; with front (and back) alone it is
 * inflated from the outline like the one-view generator, inside the intersection of the front and the mirrored
 * back outlines. Throws `E_VIEWS` (errors.ts) when the views cannot show one object, naming the view.
 *
 * @example
 * const { mesh, frames, agreement } = carveViews(
 * 	[{ view: 'front', ...frontSegment }, { view: 'right', ...rightSegment }, { view: 'top', ...topSegment }],
 * 	{ resolution: 128 },
 * 	ctx,
 * );
 */
export function carveViews(views: readonly ViewSilhouette[], options: Partial<CarveOptions>, ctx: StageContext): CarveResult {
	const opts = { ...CARVE_DEFAULTS, ...options };
	checkOptions(opts);
	ctx.signal.throwIfAborted();
	const aligned = alignViews(views, opts);
	const { box, frames } = aligned;
	const carved = box.depthFrom === 'views';
	const samplers = aligned.views.map((view) => new MaskSampler(view));
	const rounding: PlaneRounding | null = !carved
		? null
		: opts.judge
			? judgeRounding(samplers, aligned, { ...opts, probeResolution: Math.min(opts.probeResolution, opts.resolution) }, ctx)
			: [opts.rounding, opts.rounding, opts.rounding];
	ctx.progress(0.15);

	const grid = carveGrid(box, opts.resolution);
	const silhouettes = sampleSilhouettes(samplers, aligned, grid, ctx);
	const bounds = planeBounds(silhouettes, grid, box, !carved);
	ctx.progress(0.3);
	const sampled = sampleField(bounds, grid, box, rounding ?? [0, 0, 0], true, ctx, 0.3, 0.6);
	const agreement: Partial<Record<ViewName, number>> = {};
	for (const [name, plane] of silhouettes) agreement[name] = iou(plane.inside, sampled.hull[planeOfView(name)]);
	checkAgreement(agreement, opts.minAgreement, silhouettes, grid);

	const surface = marchingCubes(sampled.field!, grid.dims, { origin: grid.origin, spacing: grid.spacing });
	ctx.signal.throwIfAborted();
	ctx.progress(0.9);
	const { mesh, dropped } = keepLargeParts(surface, opts.minPartShare);
	if (mesh.indices.length === 0) {
		throw viewsError('front', 'Nothing is left after intersecting the views: they do not show one object. Check every picture and its view name.');
	}
	ctx.progress(1);
	return { mesh, box, frames, agreement, rounding, droppedParts: dropped };
}

function checkOptions(opts: CarveOptions): void {
	const { resolution, probeResolution, thickness } = opts;
	for (const [key, value] of Object.entries({ resolution, probeResolution })) {
		if (!(Number.isInteger(value) && value >= MIN_RESOLUTION && value <= MAX_RESOLUTION)) {
			throw new RangeError(`${NAME}: ${key} must be an integer from ${MIN_RESOLUTION} to ${MAX_RESOLUTION}, got ${value}`);
		}
	}
	const { rounding, minOutlineSupport, unseenRounding, minPartShare, minAgreement } = opts;
	for (const [key, value] of Object.entries({ rounding, minOutlineSupport, unseenRounding, minPartShare, minAgreement })) {
		if (!(value >= 0 && value <= 1)) throw new RangeError(`${NAME}: ${key} must be from 0 to 1, got ${value}`);
	}
	if (!(thickness > 0 && thickness <= 1)) throw new RangeError(`${NAME}: thickness must be over 0 and at most 1, got ${thickness}`);
}
