// Bilinear resampling of a region of a gray image, for carrying a mask from the geometry working size to the
// texture working size.
import type { GrayImage } from '../pipeline/types';
import { bilinear } from './bilinear';

/**
 * Samples the region [x0, x1) × [y0, y1) of `src` (continuous pixel coordinates) onto a `width` × `height` grid,
 * pixel centres to pixel centres; samples outside `src` take the nearest edge value.
 */
export function resampleRegion(src: GrayImage, x0: number, y0: number, x1: number, y1: number, width: number, height: number): Uint8Array {
	const out = new Uint8Array(width * height);
	const sx = (x1 - x0) / width;
	const sy = (y1 - y0) / height;
	const value = [0];
	for (let y = 0; y < height; y++) {
		const fy = y0 + (y + 0.5) * sy - 0.5;
		for (let x = 0; x < width; x++) {
			bilinear(src.data, src.width, src.height, 1, x0 + (x + 0.5) * sx - 0.5, fy, value);
			out[y * width + x] = Math.round(value[0]);
		}
	}
	return out;
}
