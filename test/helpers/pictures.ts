// Pictures for daemon tests that must never share a cache entry: one subject painted in a colour chosen by an
// index, so each index gives different bytes and therefore a different asset id.
import sharp from 'sharp';
import { ellipse, paint, type Rgb } from '../fixtures/draw';

export interface PictureOptions {
	/**
	 * An opaque picture on a plain off-white background instead of a transparent one. Its subject is found by
	 * colour (chroma segmentation), which takes several times longer than reading the alpha channel.
	 */
	opaque?: boolean;
}

/** A PNG of `size`² with a shaded ellipse whose base colour encodes `index` (0 to 39 999). */
export async function distinctPicture(size: number, index: number, options: PictureOptions = {}): Promise<Buffer> {
	if (!Number.isInteger(index) || index < 0 || index >= 40_000) throw new Error(`distinctPicture: index ${index} out of range`);
	const red = 20 + (index % 200);
	const green = 20 + Math.floor(index / 200);
	// A gradient on top of the colour gives the texture stage real detail to bake.
	const fill = (x: number, y: number): Rgb => [red, green, 60 + (140 * (x + y)) / (2 * size)];
	const background = options.opaque ? { color: [236, 234, 230] as Rgb, opaque: true } : { color: [255, 255, 255] as Rgb, opaque: false };
	const painted = paint(size, size, ellipse(size / 2, size / 2, 0.4 * size, 0.45 * size), fill, background);
	const { data, width, height } = painted.rgba;
	return sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer();
}
