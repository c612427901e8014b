// Pictures of one simple object from the five named views, drawn from its true shape (orthographic outlines), for
// the multi-view tests: a box or an ellipsoid of given width (X), height (Y) and depth (Z), each view in its own
// colour, on a transparent or plain background, optionally at another scale or offset, or side by side on a sheet.
import { encodePng } from '../fixtures/png';
import type { ViewName } from '../../daemon/src/protocol/views';

export interface ViewObject {
	shape: 'box' | 'ellipsoid';
	/** Extents in pixels of the front picture. */
	width: number;
	height: number;
	depth: number;
}

export interface ViewStyle {
	/** Picture edge in pixels (square). */
	size?: number;
	/** Pixels per object unit relative to the front (a view drawn larger or smaller). */
	scale?: number;
	/** Shift of the subject from the centre, in pixels. */
	offset?: [number, number];
	/** Plain background colour; transparent when left out. */
	background?: [number, number, number];
}

export const VIEW_COLORS: Record<ViewName, [number, number, number]> = {
	front: [200, 60, 50],
	back: [220, 190, 40],
	left: [180, 60, 170],
	right: [60, 170, 80],
	top: [50, 90, 200],
};

/** The picture's two extents (across, down) for a view of the object. */
export function viewExtents(object: ViewObject, view: ViewName): [number, number] {
	if (view === 'front' || view === 'back') return [object.width, object.height];
	if (view === 'left' || view === 'right') return [object.depth, object.height];
	return [object.width, object.depth];
}

/** RGBA pixels of one view. */
export function drawView(object: ViewObject, view: ViewName, style: ViewStyle = {}): { data: Uint8Array; width: number; height: number } {
	const size = style.size ?? 256;
	const scale = style.scale ?? 1;
	const [across, down] = viewExtents(object, view).map((e) => e * scale);
	const [ox, oy] = style.offset ?? [0, 0];
	const cx = size / 2 + ox;
	const cy = size / 2 + oy;
	const data = new Uint8Array(size * size * 4);
	const color = VIEW_COLORS[view];
	const SUB = 4;
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			let cover = 0;
			for (let sy = 0; sy < SUB; sy++) {
				for (let sx = 0; sx < SUB; sx++) {
					const u = (x + (sx + 0.5) / SUB - cx) / (across / 2);
					const v = (y + (sy + 0.5) / SUB - cy) / (down / 2);
					if (object.shape === 'box' ? Math.abs(u) <= 1 && Math.abs(v) <= 1 : u * u + v * v <= 1) cover++;
				}
			}
			const alpha = cover / (SUB * SUB);
			const p = (y * size + x) * 4;
			// A little shading across the subject, so the texture has something to show.
			const shade = 0.75 + 0.25 * (1 - Math.abs((x - cx) / Math.max(1, across / 2)));
			for (let c = 0; c < 3; c++) {
				const subject = Math.min(255, color[c] * shade);
				data[p + c] = style.background ? Math.round(subject * alpha + style.background[c] * (1 - alpha)) : Math.round(subject);
			}
			data[p + 3] = style.background ? 255 : Math.round(alpha * 255);
		}
	}
	return { data, width: size, height: size };
}

/** One view as a PNG file's bytes. */
export function viewPng(object: ViewObject, view: ViewName, style: ViewStyle = {}): Buffer {
	const { data, width, height } = drawView(object, view, style);
	return encodePng(data, width, height, 6);
}

/** Several views side by side on one plain background, left to right, as a PNG file's bytes. */
export function sheetPng(object: ViewObject, views: readonly ViewName[], style: ViewStyle & { background: [number, number, number] }): Buffer {
	const pictures = views.map((view) => drawView(object, view, style));
	const height = pictures[0].height;
	const width = pictures.reduce((sum, p) => sum + p.width, 0);
	const data = new Uint8Array(width * height * 4);
	let x0 = 0;
	for (const picture of pictures) {
		for (let y = 0; y < height; y++) data.set(picture.data.subarray(y * picture.width * 4, (y + 1) * picture.width * 4), (y * width + x0) * 4);
		x0 += picture.width;
	}
	return encodePng(data, width, height, 6);
}
