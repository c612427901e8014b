// Stage 5: the base-colour texture. The photo is projected along the view axis: the front sees it as it is,
// the back sees the same texels mirrored (as the object's back would look through the picture). Front and back
// share one chart — the subject's crop — so silhouette vertices need no UV seam and the mesh stays welded.
// Colours are bled past the silhouette so mip levels and filtering show no background halo.
import sharp from 'sharp';
import { bleed } from '../../imaging/bleed';
import { resampleRegion } from '../../imaging/resample';
import type { DecodedImage, Rect, SegmentResult, StageContext, TextureResult, TriMesh } from '../../pipeline/types';

export const NAME = 'texture';

export interface TextureOptions {
	/** Edge of the square texture in pixels. */
	textureSize: number;
}

export const TEXTURE_DEFAULTS: Readonly<TextureOptions> = { textureSize: 1024 };

/** Texture-image pixels kept around the subject, so filtering at the silhouette only sees bled colour. */
const PADDING = 4;

/**
 * Bakes the texture and gives the mesh its UVs.
 *
 * ```ts
 * const { image, uvs } = await texture(decoded, segmented, solid, { textureSize: 1024 }, ctx);
 * ```
 */
export async function texture(
	decoded: DecodedImage,
	segmented: SegmentResult,
	solid: TriMesh,
	options: Partial<TextureOptions>,
	ctx: StageContext,
): Promise<TextureResult & { uvs: Float32Array }> {
	const { textureSize } = { ...TEXTURE_DEFAULTS, ...options };
	const photo = decoded.texture;
	const sx = photo.width / decoded.image.width;
	const sy = photo.height / decoded.image.height;
	// The subject's box, padded, in texture-image pixels (whole pixels, so the crop is exact).
	const box = segmented.bbox;
	const crop: Rect = {
		x0: Math.max(0, Math.floor(box.x0 * sx) - PADDING),
		y0: Math.max(0, Math.floor(box.y0 * sy) - PADDING),
		x1: Math.min(photo.width, Math.ceil(box.x1 * sx) + PADDING),
		y1: Math.min(photo.height, Math.ceil(box.y1 * sy) + PADDING),
	};
	const cw = crop.x1 - crop.x0;
	const ch = crop.y1 - crop.y0;

	const pixels = new Uint8Array(cw * ch * 4);
	for (let y = 0; y < ch; y++) {
		const src = ((crop.y0 + y) * photo.width + crop.x0) * 4;
		pixels.set(photo.data.subarray(src, src + cw * 4), y * cw * 4);
	}
	const weight = resampleRegion(segmented.mask, 1, crop.x0 / sx, crop.y0 / sy, crop.x1 / sx, crop.y1 / sy, cw, ch);
	ctx.signal.throwIfAborted();
	const filled = bleed(pixels, weight, cw, ch);
	ctx.signal.throwIfAborted();
	ctx.progress(0.5);

	const resized = await fit(filled, cw, ch, textureSize);
	ctx.signal.throwIfAborted();

	const source = solid.source;
	if (!source) throw new Error(`${NAME}: the mesh has no source pixels to project`);
	const uvs = new Float32Array(source.length);
	for (let k = 0; k < source.length; k += 2) {
		uvs[k] = (source[k] * sx - crop.x0) / cw;
		uvs[k + 1] = (source[k + 1] * sy - crop.y0) / ch;
	}
	ctx.progress(1);
	return {
		image: { data: resized, width: textureSize, height: textureSize },
		crop,
		uvs,
	};
}

/** Scales the bled crop to the square texture: bilinear when enlarging, Lanczos (no aliasing) when reducing. */
async function fit(rgba: Uint8Array, width: number, height: number, size: number): Promise<Uint8Array> {
	if (width <= size && height <= size) return resampleRegion<Uint8Array>({ data: rgba, width, height }, 4, 0, 0, width, height, size, size);
	const out = await sharp(rgba, { raw: { width, height, channels: 4 } })
		.resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
		.raw()
		.toBuffer();
	return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
