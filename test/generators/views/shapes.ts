// Known solids for the multi-view tests and scorer: signed distance functions in the object frame (Y up, front
// toward +Z) and their orthographic silhouettes rendered in the view conventions of generators/views/frame.ts.
import { VIEW_AXES, type ViewName, type ViewSilhouette } from '../../../daemon/src/generators/views/frame';
import { subjectBounds } from '../../../daemon/src/pipeline/mask-cleanup';

export type Sdf = (x: number, y: number, z: number) => number;

export interface Solid {
	name: string;
	sdf: Sdf;
	/** A box holding the solid: [min, max] per axis. */
	bounds: [[number, number, number], [number, number, number]];
}

const len2 = (a: number, b: number) => Math.sqrt(a * a + b * b);
const len3 = (a: number, b: number, c: number) => Math.sqrt(a * a + b * b + c * c);

export const sphere = (cx: number, cy: number, cz: number, r: number): Sdf => (x, y, z) => len3(x - cx, y - cy, z - cz) - r;

export const box = (cx: number, cy: number, cz: number, hx: number, hy: number, hz: number): Sdf => (x, y, z) => {
	const qx = Math.abs(x - cx) - hx, qy = Math.abs(y - cy) - hy, qz = Math.abs(z - cz) - hz;
	return len3(Math.max(qx, 0), Math.max(qy, 0), Math.max(qz, 0)) + Math.min(Math.max(qx, qy, qz), 0);
};

/** Cylinder of radius r and half-length h along `axis`. */
export const cylinder = (axis: 0 | 1 | 2, r: number, h: number): Sdf => (x, y, z) => {
	const p = [x, y, z];
	const along = p[axis];
	const radial = len2(p[(axis + 1) % 3], p[(axis + 2) % 3]);
	const dx = radial - r, dy = Math.abs(along) - h;
	return Math.min(Math.max(dx, dy), 0) + len2(Math.max(dx, 0), Math.max(dy, 0));
};

/** Upright capped cone (Quílez's exact distance): radius r1 at y = −h, r2 at y = +h. */
export const cone = (h: number, r1: number, r2: number): Sdf => (x, y, z) => {
	const qx = len2(x, z), qy = y;
	const k1x = r2, k1y = h, k2x = r2 - r1, k2y = 2 * h;
	const cax = qx - Math.min(qx, qy < 0 ? r1 : r2), cay = Math.abs(qy) - h;
	const t = Math.min(Math.max(((k1x - qx) * k2x + (k1y - qy) * k2y) / (k2x * k2x + k2y * k2y), 0), 1);
	const cbx = qx - k1x + k2x * t, cby = qy - k1y + k2y * t;
	const s = cbx < 0 && cay < 0 ? -1 : 1;
	return s * Math.sqrt(Math.min(cax * cax + cay * cay, cbx * cbx + cby * cby));
};

/** Torus lying flat (its hole seen from the top): ring radius R, tube radius r. */
export const torus = (R: number, r: number): Sdf => (x, y, z) => len2(len2(x, z) - R, y) - r;

export const capsule = (a: [number, number, number], b: [number, number, number], r: number): Sdf => (x, y, z) => {
	const pax = x - a[0], pay = y - a[1], paz = z - a[2];
	const bax = b[0] - a[0], bay = b[1] - a[1], baz = b[2] - a[2];
	const t = Math.min(Math.max((pax * bax + pay * bay + paz * baz) / (bax * bax + bay * bay + baz * baz), 0), 1);
	return len3(pax - bax * t, pay - bay * t, paz - baz * t) - r;
};

/** Ellipsoid, Quílez's bound (exact on the surface, a slight under-estimate elsewhere). */
export const ellipsoid = (cx: number, cy: number, cz: number, rx: number, ry: number, rz: number): Sdf => (x, y, z) => {
	const px = x - cx, py = y - cy, pz = z - cz;
	const k0 = len3(px / rx, py / ry, pz / rz);
	const k1 = len3(px / (rx * rx), py / (ry * ry), pz / (rz * rz));
	return k1 === 0 ? -Math.min(rx, ry, rz) : (k0 * (k0 - 1)) / k1;
};

export const union = (...parts: Sdf[]): Sdf => (x, y, z) => {
	let d = Infinity;
	for (const part of parts) d = Math.min(d, part(x, y, z));
	return d;
};

/** The scorer's shapes: round, boxy, lying, standing, pointed, holed, concave, elongated, and an animal of unions. */
export const SOLIDS: Solid[] = [
	{ name: 'sphere', sdf: sphere(0, 0, 0, 0.8), bounds: [[-0.8, -0.8, -0.8], [0.8, 0.8, 0.8]] },
	{ name: 'cube', sdf: box(0, 0, 0, 0.6, 0.6, 0.6), bounds: [[-0.6, -0.6, -0.6], [0.6, 0.6, 0.6]] },
	{ name: 'cylinder lying', sdf: cylinder(0, 0.35, 0.8), bounds: [[-0.8, -0.35, -0.35], [0.8, 0.35, 0.35]] },
	{ name: 'cylinder standing', sdf: cylinder(1, 0.5, 0.7), bounds: [[-0.5, -0.7, -0.5], [0.5, 0.7, 0.5]] },
	{ name: 'cone', sdf: cone(0.65, 0.6, 0), bounds: [[-0.6, -0.65, -0.6], [0.6, 0.65, 0.6]] },
	{ name: 'torus', sdf: torus(0.6, 0.22), bounds: [[-0.82, -0.22, -0.82], [0.82, 0.22, 0.82]] },
	{ name: 'ellipsoid', sdf: ellipsoid(0, 0, 0, 0.9, 0.5, 0.35), bounds: [[-0.9, -0.5, -0.35], [0.9, 0.5, 0.35]] },
	{ name: 'capsule lying', sdf: capsule([0, 0, -0.5], [0, 0, 0.5], 0.35), bounds: [[-0.35, -0.35, -0.85], [0.35, 0.35, 0.85]] },
	{
		name: 'L block',
		sdf: union(box(0, -0.35, 0, 0.7, 0.25, 0.3), box(-0.45, 0, 0, 0.25, 0.6, 0.3)),
		bounds: [[-0.7, -0.6, -0.3], [0.7, 0.6, 0.3]],
	},
	{
		name: 'quadruped',
		sdf: union(
			ellipsoid(0, 0.1, 0, 0.3, 0.22, 0.55),
			capsule([0.17, 0.05, 0.35], [0.17, -0.6, 0.35], 0.08),
			capsule([-0.17, 0.05, 0.35], [-0.17, -0.6, 0.35], 0.08),
			capsule([0.17, 0.05, -0.35], [0.17, -0.6, -0.35], 0.08),
			capsule([-0.17, 0.05, -0.35], [-0.17, -0.6, -0.35], 0.08),
			capsule([0, 0.2, 0.45], [0, 0.5, 0.65], 0.1),
			sphere(0, 0.58, 0.75, 0.16),
			capsule([0, 0.15, -0.5], [0, 0.35, -0.8], 0.04),
		),
		bounds: [[-0.3, -0.68, -0.84], [0.3, 0.74, 0.91]],
	},
];

export interface RenderView {
	view: ViewName;
	/** Mask pixels per object unit (default the renderer's scale). */
	scale?: number;
	/** Mask position of the object origin (default the mask's centre). */
	centre?: [number, number];
	/** Mask size in pixels (default the renderer's size). */
	size?: number;
}

/**
 * Orthographic silhouettes of a solid: each pixel's coverage is 0.5 − (the smallest distance along its ray, in
 * pixels), clamped, which anti-aliases the outline like a one-pixel box filter. Rays are sphere-traced.
 */
export function renderViews(solid: Solid, views: readonly (ViewName | RenderView)[], defaults: { size: number; scale: number }): ViewSilhouette[] {
	return views.map((entry) => {
		const spec: RenderView = typeof entry === 'string' ? { view: entry } : entry;
		const size = spec.size ?? defaults.size;
		const scale = spec.scale ?? defaults.scale;
		const [cu, cv] = spec.centre ?? [size / 2, size / 2];
		const axes = VIEW_AXES[spec.view];
		const [lo, hi] = [solid.bounds[0][axes.depthAxis] - 0.05, solid.bounds[1][axes.depthAxis] + 0.05];
		const data = new Uint8Array(size * size);
		const p = [0, 0, 0];
		const halfPixel = 0.5 / scale;
		for (let j = 0; j < size; j++) {
			p[axes.vAxis] = (axes.vSign * (j + 0.5 - cv)) / scale;
			for (let i = 0; i < size; i++) {
				p[axes.uAxis] = (axes.uSign * (i + 0.5 - cu)) / scale;
				let nearest = Infinity;
				for (let c = lo; c <= hi; ) {
					p[axes.depthAxis] = c;
					const d = solid.sdf(p[0], p[1], p[2]);
					if (d < nearest) nearest = d;
					if (nearest <= -halfPixel) break;
					c += Math.max(Math.abs(d) * 0.9, halfPixel * 0.25);
				}
				const coverage = Math.min(Math.max(0.5 - nearest * scale, 0), 1);
				data[j * size + i] = Math.round(coverage * 255);
			}
		}
		const mask = { data, width: size, height: size };
		const bbox = subjectBounds(mask);
		if (!bbox) throw new Error(`renderViews: ${solid.name} is not in the ${spec.view} view`);
		return { view: spec.view, mask, bbox };
	});
}
