// The picture as a triplane model expects it, and the model's world turned into ours.
//
// Picture (TripoSR run.py: remove_background, resize_foreground(image, 0.85), then rgb·a + (1 − a)·0.5): the
// subject's bounding box is cropped, padded to a square, padded again so its larger side is `foregroundRatio`
// of the picture, and composited on the manifest's grey. The engine then resizes it to the encoder's size.
// We cut from the texture-size picture (sharper than the geometry one) with the segmentation mask resampled
// to it.
//
// World: the manifest names the model's axes that point to the picture's right, its up, and toward the camera;
// ours are x, y and z. A point maps by picking and signing coordinates; if that mapping mirrors, triangles are
// turned round so they keep facing out.
import type { TriplaneSpec } from '../../engine/manifest';
import { bilinear } from '../../imaging/bilinear';
import type { DecodedImage, RgbaImage, SegmentResult } from '../../pipeline/types';

/** Largest side of the framed picture: twice the usual encoder input, so the engine's resize still filters. */
const FRAME_MAX = 1024;

/** The subject cut out, framed at `foregroundRatio` and composited on `background` (TripoSR's resize_foreground). */
export function frameSubject(decoded: DecodedImage, segmented: SegmentResult, spec: Pick<TriplaneSpec, 'foregroundRatio' | 'background'>): RgbaImage {
	const { texture, image } = decoded;
	const { mask, bbox } = segmented;
	const scale = texture.width / image.width;
	const x0 = bbox.x0 * scale;
	const y0 = bbox.y0 * scale;
	const width = (bbox.x1 - bbox.x0) * scale;
	const height = (bbox.y1 - bbox.y0) * scale;
	const side = Math.max(1, Math.max(width, height) / spec.foregroundRatio);
	// The subject's box centred in the square; drawn at most FRAME_MAX pixels wide (the encoder takes less).
	const left = x0 + width / 2 - side / 2;
	const top = y0 + height / 2 - side / 2;
	const size = Math.max(1, Math.min(FRAME_MAX, Math.round(side)));
	const step = side / size;
	const grey = spec.background.map((v) => v * 255);
	const data = new Uint8Array(size * size * 4);
	const alpha = [0];
	const rgb = [0, 0, 0, 0];
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const sx = left + (x + 0.5) * step;
			const sy = top + (y + 0.5) * step;
			const o = (y * size + x) * 4;
			let a = 0;
			if (sx >= 0 && sy >= 0 && sx < texture.width && sy < texture.height) {
				bilinear(mask.data, mask.width, mask.height, 1, sx / scale - 0.5, sy / scale - 0.5, alpha);
				a = alpha[0] / 255;
				bilinear(texture.data, texture.width, texture.height, 4, sx - 0.5, sy - 0.5, rgb);
			}
			for (let c = 0; c < 3; c++) data[o + c] = Math.round(a * rgb[c] + (1 - a) * grey[c]);
			data[o + 3] = 255;
		}
	}
	return { data, width: size, height: size };
}

/** Which model coordinate (and its sign) becomes each of our x, y, z. */
export interface AxisMap {
	axes: [number, number, number];
	signs: [number, number, number];
	/** The mapping mirrors (determinant −1): triangle winding must be reversed. */
	mirrors: boolean;
}

export function axisMap(frame: TriplaneSpec['frame']): AxisMap {
	const parse = (axis: string): [number, number] => [axis[1] === 'x' ? 0 : axis[1] === 'y' ? 1 : 2, axis[0] === '-' ? -1 : 1];
	const [[ax, sx], [ay, sy], [az, sz]] = [parse(frame.right), parse(frame.up), parse(frame.front)];
	// Determinant of the signed permutation: the permutation's parity times the signs.
	const cycle = (ax + 1) % 3 === ay && (ay + 1) % 3 === az;
	return { axes: [ax, ay, az], signs: [sx, sy, sz], mirrors: (cycle ? 1 : -1) * sx * sy * sz < 0 };
}

/** Model-world points as ours (x right, y up, z toward the camera). */
export function toOurs(points: Float32Array, map: AxisMap): Float32Array {
	const out = new Float32Array(points.length);
	for (let i = 0; i < points.length; i += 3) for (let k = 0; k < 3; k++) out[i + k] = map.signs[k] * points[i + map.axes[k]];
	return out;
}

/** Our points back in the model's world. */
export function toModel(points: Float32Array, map: AxisMap): Float32Array {
	const out = new Float32Array(points.length);
	for (let i = 0; i < points.length; i += 3) for (let k = 0; k < 3; k++) out[i + map.axes[k]] = map.signs[k] * points[i + k];
	return out;
}
