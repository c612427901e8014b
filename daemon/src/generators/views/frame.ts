// The view conventions of the multi-view generator: which object axis each picture shows, and the mapping from
// object coordinates to a view's mask pixels that align.ts fits and carve.ts and the texture step use.
//
// Object frame: Y up, the object's front toward +Z, X to its left-to-right as seen from the front; the origin is
// the centre of the object's box; one unit is one pixel of the front picture (see align.ts).
import type { GrayImage, Rect } from '../../pipeline/types';
import { VIEW_NAMES, type ViewName } from '../../protocol/views';

// The pictures a user may give (protocol/views.ts); only `front` is required.
export { VIEW_NAMES, type ViewName };

/** Sample (i, j, k) sits at origin + (i, j, k)·spacing, stored at (k·ny + j)·nx + i (geometry/grid.ts). */
export interface CarveGrid {
	dims: [number, number, number];
	origin: [number, number, number];
	spacing: number;
}

/** Object axis: 0 = X, 1 = Y, 2 = Z. */
export type Axis = 0 | 1 | 2;

/** One picture after segmentation: its coverage mask (0–255) and the subject's bounding box in it. */
export interface ViewSilhouette {
	view: ViewName;
	mask: GrayImage;
	bbox: Rect;
}

/** How an orthographic camera sees the object: image x and image down as signed object axes. */
export interface ViewAxes {
	/** Object axis that image x (to the right) follows, and its sign. */
	uAxis: Axis;
	uSign: 1 | -1;
	/** Object axis that image y (downward) follows, and its sign. */
	vAxis: Axis;
	vSign: 1 | -1;
	/** The axis the camera looks along (the one the picture cannot show). */
	depthAxis: Axis;
	/** Unit vector from the object toward the camera: a surface faces the view where its normal agrees. */
	toCamera: readonly [number, number, number];
}

/**
 * The conventions: `front` looks along −Z, `back` along +Z (the picture mirrored), `right` stands at +X with the
 * object's front on the left of the picture, `left` at −X, `top` looks down with the object's front at the bottom.
 */
export const VIEW_AXES: Readonly<Record<ViewName, Readonly<ViewAxes>>> = {
	front: { uAxis: 0, uSign: 1, vAxis: 1, vSign: -1, depthAxis: 2, toCamera: [0, 0, 1] },
	back: { uAxis: 0, uSign: -1, vAxis: 1, vSign: -1, depthAxis: 2, toCamera: [0, 0, -1] },
	right: { uAxis: 2, uSign: -1, vAxis: 1, vSign: -1, depthAxis: 0, toCamera: [1, 0, 0] },
	left: { uAxis: 2, uSign: 1, vAxis: 1, vSign: -1, depthAxis: 0, toCamera: [-1, 0, 0] },
	top: { uAxis: 0, uSign: 1, vAxis: 2, vSign: 1, depthAxis: 1, toCamera: [0, 1, 0] },
};

/**
 * Where the object lands in one view's mask. Pixel coordinates are continuous, pixel (i, j) covering
 * [i, i + 1) × [j, j + 1):
 *   u = centreU + scale · uSign · p[uAxis],   v = centreV + scale · vSign · p[vAxis].
 */
export interface ViewFrame extends ViewAxes {
	view: ViewName;
	/** Mask pixels per object unit. */
	scale: number;
	/** Mask position of the object's centre. */
	centreU: number;
	centreV: number;
}

/**
 * Projects an object point into a view's mask.
 *
 * @example
 * const [u, v] = projectToView(frames.right!, x, y, z); // continuous pixel coordinates in the right mask
 */
export function projectToView(frame: ViewFrame, x: number, y: number, z: number): [number, number] {
	const p = [x, y, z];
	return [frame.centreU + frame.scale * frame.uSign * p[frame.uAxis], frame.centreV + frame.scale * frame.vSign * p[frame.vAxis]];
}

/** How a person should have drawn or photographed a view, for error messages. */
export const VIEW_HINTS: Readonly<Record<ViewName, string>> = {
	front: 'facing the object',
	back: 'from behind the object',
	right: "from the object's right side, its front on the left of the picture",
	left: "from the object's left side, its front on the right of the picture",
	top: 'from above, the object\'s front at the bottom of the picture',
};
