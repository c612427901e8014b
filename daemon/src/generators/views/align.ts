// Puts the pictures of the multi-view generator in one object frame (frame.ts) before carve.ts intersects them.
// Views may be drawn or photographed at different sizes and places, so each is scaled by the extent it shares
// with the front (height for back, left and right; width for top) and centred on its subject; the depth comes from
// the side views and the top. Extents the views cannot agree on are refused here, before any carving.
import { distanceToOutside } from '../../imaging/edt';
import { VIEW_AXES, VIEW_HINTS, VIEW_NAMES, type Axis, type ViewFrame, type ViewName, type ViewSilhouette } from './frame';
import { viewsError } from './errors';

export const NAME = 'alignViews';

export interface AlignOptions {
	/**
	 * Depth of an object no view shows from the side (front, or front and back), as a share of the diameter of
	 * the largest disc inside the front outline: the single-view generator's `thickness` (generators/inflate/shape.ts).
	 */
	thickness: number;
	/** Largest ratio between two depth estimates (left, right, top) before the views are refused. */
	maxDepthRatio: number;
	/** Largest ratio between the width a back view implies (scaled by its height) and the front's width. */
	maxWidthRatio: number;
	/**
	 * Smallest agreement (1-D IoU) between a view's occupancy along an axis it shares with the front and the
	 * front's: a side view with a part at a height where the front shows nothing is another object.
	 */
	minProfileAgreement: number;
}

export const ALIGN_DEFAULTS: Readonly<AlignOptions> = {
	thickness: 0.5,
	maxDepthRatio: 1.5,
	maxWidthRatio: 1.25,
	minProfileAgreement: 0.75,
};

/** The object's box, centred on the origin, in object units (front-picture pixels). */
export interface ObjectBox {
	width: number;
	height: number;
	depth: number;
	/** Where the depth came from: side or top views, or the front outline alone (then nothing carves it). */
	depthFrom: 'views' | 'outline';
}

export interface AlignedViews {
	box: ObjectBox;
	/** One frame per view given. */
	frames: Partial<Record<ViewName, ViewFrame>>;
	/** The views, each name once, front first. */
	views: ViewSilhouette[];
	/** Per view other than the front: its lowest profile agreement with the front (1 = identical). */
	profiles: Partial<Record<ViewName, number>>;
}

/** A view's subject extent in continuous mask pixels (pixel i covers [i, i + 1)). */
export interface Extent {
	u0: number;
	u1: number;
	v0: number;
	v1: number;
}

/** Bins along an axis for the profile comparison; a bin is under half a percent of the extent. */
const PROFILE_BINS = 256;

/**
 * Fits every view's frame and the object's box.
 *
 * Object units are front-picture pixels (the front's frame has scale 1), so the texture step can read the front
 * picture without resampling and a caller scales to metres once, at the end.
 *
 * @example
 * const { box, frames } = alignViews([front, right, top], {});
 * const [u, v] = projectToView(frames.right!, 0, box.height / 2, 0); // top of the object in the right mask
 */
export function alignViews(views: readonly ViewSilhouette[], options: Partial<AlignOptions> = {}): AlignedViews {
	const opts = { ...ALIGN_DEFAULTS, ...options };
	const ordered = orderViews(views);
	const extents = new Map<ViewName, Extent>();
	for (const view of ordered) extents.set(view.view, subjectExtent(view));

	const front = extents.get('front')!;
	const width = front.u1 - front.u0;
	const height = front.v1 - front.v0;
	const frames: Partial<Record<ViewName, ViewFrame>> = {};
	const depths: { view: ViewName; depth: number }[] = [];
	for (const view of ordered) {
		const e = extents.get(view.view)!;
		const spanU = e.u1 - e.u0;
		const spanV = e.v1 - e.v0;
		let scale: number;
		if (view.view === 'front') scale = 1;
		else if (view.view === 'back') {
			const byHeight = spanV / height;
			const byWidth = spanU / width;
			const ratio = Math.max(byHeight, byWidth) / Math.min(byHeight, byWidth);
			if (ratio > opts.maxWidthRatio) {
				throw viewsError(
					'back',
					`The back picture's subject is ${format(spanU / spanV)} times as wide as it is tall, the front's ${format(width / height)}: they cannot be the same object. Check that the back picture shows this object ${VIEW_HINTS.back}.`,
					{ ratio },
				);
			}
			// Both extents are shared with the front; their geometric mean halves the error of either.
			scale = Math.sqrt(byHeight * byWidth);
		} else if (view.view === 'top') {
			scale = spanU / width;
			depths.push({ view: 'top', depth: spanV / scale });
		} else {
			scale = spanV / height;
			depths.push({ view: view.view, depth: spanU / scale });
		}
		frames[view.view] = { view: view.view, ...VIEW_AXES[view.view], scale, centreU: (e.u0 + e.u1) / 2, centreV: (e.v0 + e.v1) / 2 };
	}

	checkDepths(depths, height, opts.maxDepthRatio);
	const depth = depths.length > 0 ? depths.reduce((sum, d) => sum + d.depth, 0) / depths.length : outlineDepth(ordered[0], opts.thickness);
	const box: ObjectBox = { width, height, depth, depthFrom: depths.length > 0 ? 'views' : 'outline' };
	const profiles = checkProfiles(ordered, frames, box, opts.minProfileAgreement);
	return { box, frames, views: ordered, profiles };
}

/** Checks the set of views and returns it front first; refuses a missing front, repeats and empty masks. */
function orderViews(views: readonly ViewSilhouette[]): ViewSilhouette[] {
	const byName = new Map<ViewName, ViewSilhouette>();
	for (const view of views) {
		if (!VIEW_NAMES.includes(view.view)) throw new RangeError(`${NAME}: unknown view "${String(view.view)}"; views are ${VIEW_NAMES.join(', ')}`);
		if (byName.has(view.view)) throw viewsError(view.view, `Two pictures were given as the ${view.view} view. Give each view once.`);
		const { bbox, mask } = view;
		if (!(bbox.x1 > bbox.x0 && bbox.y1 > bbox.y0) || mask.data.length !== mask.width * mask.height) {
			throw viewsError(view.view, `The ${view.view} picture has no subject. Give a picture with the object on a plain or transparent background.`);
		}
		byName.set(view.view, view);
	}
	if (!byName.has('front')) {
		const other = views[0]?.view ?? 'front';
		throw viewsError(
			other,
			`A front picture is needed; the other views (${[...byName.keys()].join(', ')}) are optional. Mark one picture as the front view.`,
		);
	}
	return VIEW_NAMES.filter((name) => byName.has(name)).map((name) => byName.get(name)!);
}

/**
 * The subject's extent where its coverage crosses one half, the contour the carved surface follows, found on the
 * largest coverage per column and per row and interpolated between pixel centres: a view drawn at another size
 * then scales to the same object within a fraction of a pixel, which the bounding box alone would not.
 */
export function subjectExtent(view: ViewSilhouette): Extent {
	const { mask, bbox } = view;
	const { width, height, data } = mask;
	const x0 = Math.max(0, bbox.x0 - 2), x1 = Math.min(width, bbox.x1 + 2);
	const y0 = Math.max(0, bbox.y0 - 2), y1 = Math.min(height, bbox.y1 + 2);
	const columns = new Float64Array(x1 - x0);
	const rows = new Float64Array(y1 - y0);
	for (let y = y0; y < y1; y++) {
		for (let x = x0; x < x1; x++) {
			const c = data[y * width + x] / 255;
			if (c > columns[x - x0]) columns[x - x0] = c;
			if (c > rows[y - y0]) rows[y - y0] = c;
		}
	}
	const [u0, u1] = halfCrossings(columns, x0, bbox.x0, bbox.x1);
	const [v0, v1] = halfCrossings(rows, y0, bbox.y0, bbox.y1);
	return { u0, u1, v0, v1 };
}

/** First and last crossing of 0.5 in a profile whose entry k is pixel start + k (centre at start + k + 0.5). */
function halfCrossings(profile: Float64Array, start: number, lo: number, hi: number): [number, number] {
	let first = -1;
	let last = -1;
	for (let k = 0; k < profile.length; k++) {
		if (profile[k] > 0.5) {
			if (first < 0) first = k;
			last = k;
		}
	}
	// Coverage never over one half (a faint subject): the bounding box is all there is.
	if (first < 0) return [lo, hi];
	const before = first > 0 ? profile[first - 1] : 0;
	const after = last + 1 < profile.length ? profile[last + 1] : 0;
	const a = start + first - 0.5 + (0.5 - before) / (profile[first] - before);
	const b = start + last + 0.5 + (profile[last] - 0.5) / (profile[last] - after);
	return [a, b];
}

/** Refuses depth estimates that differ by more than `maxRatio`, naming the view farthest from the others. */
function checkDepths(depths: { view: ViewName; depth: number }[], height: number, maxRatio: number): void {
	if (depths.length < 2) return;
	const sorted = [...depths].sort((a, b) => a.depth - b.depth);
	const ratio = sorted[sorted.length - 1].depth / sorted[0].depth;
	if (ratio <= maxRatio) return;
	let culprit: { view: ViewName; depth: number };
	let other: { view: ViewName; depth: number };
	if (depths.length >= 3) {
		// The outlier in log scale from the median: two views that agree outvote one.
		const median = Math.log(sorted[1].depth);
		culprit = depths.reduce((worst, d) => (Math.abs(Math.log(d.depth) - median) > Math.abs(Math.log(worst.depth) - median) ? d : worst));
		other = sorted[1];
	} else {
		// Two estimates cannot say which is wrong. A side view is named: it is the one whose scale rests on the
		// height alone, and a side drawn at another size or of another object is the common mistake.
		culprit = depths.find((d) => d.view !== 'top') ?? depths[0];
		other = depths.find((d) => d !== culprit)!;
	}
	throw viewsError(
		culprit.view,
		`The ${culprit.view} picture makes the object ${format(culprit.depth / height)} times as deep as it is tall, the ${other.view} picture ${format(other.depth / height)} times: they cannot show the same object. Check that the ${culprit.view} picture shows this object ${VIEW_HINTS[culprit.view]}.`,
		{ depths: Object.fromEntries(depths.map((d) => [d.view, d.depth / height])) },
	);
}

/** Depth from the front outline alone: 2 · thickness · radius of the largest disc inside it. */
function outlineDepth(front: ViewSilhouette, thickness: number): number {
	const { mask, bbox } = front;
	const w = bbox.x1 - bbox.x0 + 2;
	const h = bbox.y1 - bbox.y0 + 2;
	const inside = new Uint8Array(w * h);
	for (let y = bbox.y0; y < bbox.y1; y++) {
		for (let x = bbox.x0; x < bbox.x1; x++) inside[(y - bbox.y0 + 1) * w + x - bbox.x0 + 1] = mask.data[y * mask.width + x] >= 128 ? 1 : 0;
	}
	const distance = distanceToOutside(inside, w, h);
	let peak = 0;
	for (let p = 0; p < distance.length; p++) if (inside[p] && distance[p] > peak) peak = distance[p];
	// The nearest outside pixel centre is half a pixel past the outline.
	return 2 * thickness * Math.max(peak - 0.5, 0.5);
}

/**
 * Compares, along each axis a view shares with the front, the set of coordinates where the view shows the
 * subject with the front's. Scaling already matches the ends; a gap or an extra part in between shows here.
 */
function checkProfiles(
	views: ViewSilhouette[],
	frames: Partial<Record<ViewName, ViewFrame>>,
	box: ObjectBox,
	minAgreement: number,
): Partial<Record<ViewName, number>> {
	const halves = [box.width / 2, box.height / 2, box.depth / 2];
	const front = views[0];
	const profiles: Partial<Record<ViewName, number>> = {};
	for (const view of views.slice(1)) {
		let lowest = 1;
		for (const axis of [0, 1] as Axis[]) {
			const frame = frames[view.view]!;
			if (frame.uAxis !== axis && frame.vAxis !== axis) continue;
			const iou = occupancyAgreement(front, frames.front!, view, frame, axis, halves[axis]);
			lowest = Math.min(lowest, iou);
			if (iou < minAgreement) {
				const what = axis === 1 ? 'heights' : 'left-to-right positions';
				throw viewsError(
					view.view,
					`The ${view.view} picture shows the subject at other ${what} than the front picture (${Math.round(iou * 100)} % agreement, ${Math.round(minAgreement * 100)} % needed). Check that it shows this object ${VIEW_HINTS[view.view]}.`,
					{ agreement: iou, axis: 'XYZ'[axis] },
				);
			}
		}
		profiles[view.view] = lowest;
	}
	return profiles;
}

/** 1-D IoU of where two views show the subject along one object axis, sampled over the box plus a margin. */
function occupancyAgreement(a: ViewSilhouette, frameA: ViewFrame, b: ViewSilhouette, frameB: ViewFrame, axis: Axis, half: number): number {
	const span = 2.2 * half;
	let both = 0;
	let either = 0;
	const occupiedA = axisOccupancy(a, frameA, axis);
	const occupiedB = axisOccupancy(b, frameB, axis);
	for (let k = 0; k < PROFILE_BINS; k++) {
		const c = -span / 2 + ((k + 0.5) / PROFILE_BINS) * span;
		const inA = occupiedA(c);
		const inB = occupiedB(c);
		if (inA && inB) both++;
		if (inA || inB) either++;
	}
	return either === 0 ? 1 : both / either;
}

/** Whether any pixel of the view's mask row or column at object coordinate c (on `axis`) is over half covered. */
function axisOccupancy(view: ViewSilhouette, frame: ViewFrame, axis: Axis): (c: number) => boolean {
	const { mask, bbox } = view;
	const alongU = frame.uAxis === axis;
	const size = alongU ? mask.width : mask.height;
	const occupied = new Uint8Array(size);
	// Pixels over half covered all lie in the bounding box (segmentation's subjectBounds).
	for (let y = bbox.y0; y < bbox.y1; y++) {
		for (let x = bbox.x0; x < bbox.x1; x++) {
			if (mask.data[y * mask.width + x] > 127) occupied[alongU ? x : y] = 1;
		}
	}
	const centre = alongU ? frame.centreU : frame.centreV;
	const sign = alongU ? frame.uSign : frame.vSign;
	return (c) => {
		const pixel = Math.floor(centre + frame.scale * sign * c);
		return pixel >= 0 && pixel < size && occupied[pixel] === 1;
	};
}

function format(value: number): string {
	return value.toFixed(2);
}
