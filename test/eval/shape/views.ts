// The five orthographic views of the shape eval and the one frame (centre and scale) all views of a mesh share,
// so that extents agree between pictures. render.ts draws through it; carve.ts maps voxels back through it.
import { bounds } from '../../../daemon/src/geometry/place';

export const VIEW_NAMES = ['front', 'back', 'right', 'left', 'top'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export type Vec3 = readonly [number, number, number];

/**
 * A view as three world directions: where image x grows, where image rows grow (down the picture), and toward
 * the camera (a larger value along it is nearer, so it wins the depth test).
 */
export interface ViewAxes {
	right: Vec3;
	down: Vec3;
	toward: Vec3;
}

/**
 * The protocol's conventions, Y up and the object's front at +Z. `right` is the camera at +X looking toward −X,
 * so the object's front (+Z) is on the LEFT of that picture; `top` looks down with the front at the bottom.
 */
export const VIEW_AXES: Readonly<Record<ViewName, ViewAxes>> = {
	front: { right: [1, 0, 0], down: [0, -1, 0], toward: [0, 0, 1] },
	back: { right: [-1, 0, 0], down: [0, -1, 0], toward: [0, 0, -1] },
	right: { right: [0, 0, -1], down: [0, -1, 0], toward: [1, 0, 0] },
	left: { right: [0, 0, 1], down: [0, -1, 0], toward: [-1, 0, 0] },
	top: { right: [1, 0, 0], down: [0, 0, 1], toward: [0, 1, 0] },
};

/** Where the mesh sits in every picture: its bounding-box centre at the picture's centre, one scale for all. */
export interface ViewFrame {
	/** Edge of the square picture, in pixels. */
	size: number;
	center: [number, number, number];
	pixelsPerUnit: number;
}

/** Share of the picture's edge the longest bounding-box extent covers (the subject fills 85–90 %). */
export const VIEW_FILL = 0.88;

/**
 * The frame of a mesh: its longest extent over all three axes sets the scale, so every view uses the same
 * pixels per unit and a subject long along Z is as long in `right` and `top` as it is.
 */
export function frameFor(positions: Float32Array, size: number, fill = VIEW_FILL): ViewFrame {
	const { min, max } = bounds(positions);
	const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
	if (!(extent > 0)) throw new RangeError('frameFor: the mesh has no extent');
	return {
		size,
		center: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2],
		pixelsPerUnit: (fill * size) / extent,
	};
}

/**
 * Projects a world point into a view: `out` gets picture x and y in pixels (pixel (col, row) covers
 * [col, col + 1) × [row, row + 1), its centre at + 0.5) and the depth toward the camera in world units.
 */
export function project(frame: ViewFrame, axes: ViewAxes, x: number, y: number, z: number, out: number[]): void {
	const dx = x - frame.center[0];
	const dy = y - frame.center[1];
	const dz = z - frame.center[2];
	const half = frame.size / 2;
	out[0] = half + (dx * axes.right[0] + dy * axes.right[1] + dz * axes.right[2]) * frame.pixelsPerUnit;
	out[1] = half + (dx * axes.down[0] + dy * axes.down[1] + dz * axes.down[2]) * frame.pixelsPerUnit;
	out[2] = dx * axes.toward[0] + dy * axes.toward[1] + dz * axes.toward[2];
}
