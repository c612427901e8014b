import { describe, expect, it } from 'vitest';
import { alignViews, subjectExtent } from '../../../daemon/src/generators/views/align';
import { VIEWS_ERROR } from '../../../daemon/src/generators/views/errors';
import { projectToView, VIEW_AXES, type ViewName } from '../../../daemon/src/generators/views/frame';
import type { OrfeasError } from '../../../daemon/src/protocol/errors';
import { box, ellipsoid, renderViews, sphere, union, type Solid } from './shapes';

const SIZE = 128;
const SCALE = 40;
const egg: Solid = { name: 'egg', sdf: ellipsoid(0.1, -0.2, 0, 0.8, 1.2, 0.5), bounds: [[-0.7, -1.4, -0.5], [0.9, 1.0, 0.5]] };

function thrown(run: () => unknown): OrfeasError {
	try {
		run();
	} catch (error) {
		return error as OrfeasError;
	}
	throw new Error('expected an error');
}

describe('alignViews', () => {
	it('measures extents on the half-coverage contour, to a fraction of a pixel', () => {
		const [front] = renderViews(egg, ['front'], { size: SIZE, scale: SCALE });
		const e = subjectExtent(front);
		// The egg spans x ∈ [−0.7, 0.9], y ∈ [−1.4, 1.0]; image y runs down from the centre.
		expect(e.u0).toBeCloseTo(SIZE / 2 - 0.7 * SCALE, 0);
		expect(e.u1).toBeCloseTo(SIZE / 2 + 0.9 * SCALE, 0);
		expect(e.v0).toBeCloseTo(SIZE / 2 - 1.0 * SCALE, 0);
		expect(e.v1).toBeCloseTo(SIZE / 2 + 1.4 * SCALE, 0);
	});

	it('scales every view by the extent it shares with the front and centres it on its subject', () => {
		const views = renderViews(
			egg,
			['front', { view: 'back', scale: 1.5 * SCALE, size: 200 }, { view: 'left', scale: 0.75 * SCALE, centre: [50, 70] }, 'right', { view: 'top', scale: 2 * SCALE, size: 256 }],
			{ size: SIZE, scale: SCALE },
		);
		const { box: objectBox, frames, views: ordered } = alignViews(views);
		expect(ordered.map((v) => v.view)).toEqual(['front', 'back', 'left', 'right', 'top']);
		expect(objectBox.width).toBeCloseTo(1.6 * SCALE, 0);
		expect(objectBox.height).toBeCloseTo(2.4 * SCALE, 0);
		// Depth: the mean of what left, right and top say.
		expect(objectBox.depth).toBeCloseTo(1.0 * SCALE, 0);
		expect(objectBox.depthFrom).toBe('views');
		expect(frames.front!.scale).toBe(1);
		expect(frames.back!.scale).toBeCloseTo(1.5, 2);
		expect(frames.left!.scale).toBeCloseTo(0.75, 2);
		expect(frames.top!.scale).toBeCloseTo(2, 2);
		// The object's extreme points land on each view's subject extent.
		const halves = [objectBox.width / 2, objectBox.height / 2, objectBox.depth / 2];
		for (const view of views) {
			const frame = frames[view.view]!;
			const e = subjectExtent(view);
			const p = [0, 0, 0];
			p[frame.uAxis] = frame.uSign * halves[frame.uAxis];
			p[frame.vAxis] = frame.vSign * halves[frame.vAxis];
			const [u, v] = projectToView(frame, p[0], p[1], p[2]);
			expect(u).toBeCloseTo(e.u1, 0);
			expect(v).toBeCloseTo(e.v1, 0);
		}
	});

	it('follows the view conventions: the right view shows the front on its left, the top shows it at the bottom', () => {
		expect(VIEW_AXES.right).toMatchObject({ uAxis: 2, uSign: -1, vAxis: 1, vSign: -1, toCamera: [1, 0, 0] });
		expect(VIEW_AXES.left).toMatchObject({ uAxis: 2, uSign: 1, toCamera: [-1, 0, 0] });
		expect(VIEW_AXES.top).toMatchObject({ uAxis: 0, uSign: 1, vAxis: 2, vSign: 1, toCamera: [0, 1, 0] });
		expect(VIEW_AXES.back).toMatchObject({ uAxis: 0, uSign: -1, toCamera: [0, 0, -1] });
		// A nose at the front (+Z): right of centre in the left view, left of centre in the right view, low in the top.
		const nosed: Solid = { name: 'nosed', sdf: union(sphere(0, 0, 0, 0.5), sphere(0, 0, 0.7, 0.15)), bounds: [[-0.5, -0.5, -0.5], [0.5, 0.5, 0.85]] };
		const views = renderViews(nosed, ['front', 'left', 'right', 'top'], { size: SIZE, scale: SCALE });
		const { frames } = alignViews(views);
		// Object coordinates are centred on the box, whose z runs from −0.5 to 0.85.
		const nose = (name: ViewName) => projectToView(frames[name]!, 0, 0, (0.7 - (0.85 - 0.5) / 2) * SCALE);
		expect(nose('left')[0]).toBeGreaterThan(frames.left!.centreU);
		expect(nose('right')[0]).toBeLessThan(frames.right!.centreU);
		expect(nose('top')[1]).toBeGreaterThan(frames.top!.centreV);
		const [u, v] = nose('right');
		expect(views[2].mask.data[Math.floor(v) * SIZE + Math.floor(u)]).toBe(255);
	});

	it('makes the depth of a front-only object from its outline and the thickness', () => {
		const [front] = renderViews({ name: 'disc', sdf: sphere(0, 0, 0, 1), bounds: [[-1, -1, -1], [1, 1, 1]] }, ['front'], { size: SIZE, scale: SCALE });
		const { box: objectBox } = alignViews([front], { thickness: 0.5 });
		expect(objectBox.depthFrom).toBe('outline');
		expect(objectBox.depth).toBeGreaterThan(0.95 * SCALE);
		expect(objectBox.depth).toBeLessThan(1.02 * SCALE);
	});

	it('refuses a back view whose width does not fit its height, naming the back', () => {
		const [front] = renderViews(egg, ['front'], { size: SIZE, scale: SCALE });
		const wide: Solid = { ...egg, sdf: ellipsoid(0.1, -0.2, 0, 1.2, 1.2, 0.5), bounds: [[-1.1, -1.4, -0.5], [1.3, 1.0, 0.5]] };
		const [back] = renderViews(wide, ['back'], { size: SIZE, scale: SCALE });
		const error = thrown(() => alignViews([front, back]));
		expect(error.code).toBe(VIEWS_ERROR);
		expect(error.details?.view).toBe('back');
		expect(error.message).toMatch(/back picture/);
	});

	it('names the odd one out of three depth estimates', () => {
		const flat: Solid = { ...egg, sdf: ellipsoid(0.1, -0.2, 0, 0.8, 1.2, 0.2), bounds: [[-0.7, -1.4, -0.2], [0.9, 1.0, 0.2]] };
		const [front, left, top] = renderViews(egg, ['front', 'left', 'top'], { size: SIZE, scale: SCALE });
		const [right] = renderViews(flat, ['right'], { size: SIZE, scale: SCALE });
		expect(thrown(() => alignViews([front, left, right, top])).details?.view).toBe('right');
		expect(thrown(() => alignViews([front, right, top])).details?.view).toBe('right');
	});

	it('refuses a side view showing parts at heights where the front shows nothing', () => {
		// Two blobs stacked with a gap, seen from the side as one tall blob: same height, different occupancy.
		const stacked: Solid = { name: 'stacked', sdf: union(sphere(0, 0.6, 0, 0.35), sphere(0, -0.6, 0, 0.35)), bounds: [[-0.35, -0.95, -0.35], [0.35, 0.95, 0.35]] };
		const tall: Solid = { name: 'tall', sdf: box(0, 0, 0, 0.35, 0.95, 0.35), bounds: stacked.bounds };
		const [front] = renderViews(stacked, ['front'], { size: SIZE, scale: SCALE });
		const [right] = renderViews(tall, ['right'], { size: SIZE, scale: SCALE });
		const error = thrown(() => alignViews([front, right]));
		expect(error.details?.view).toBe('right');
		expect(error.message).toMatch(/heights/);
	});
});
