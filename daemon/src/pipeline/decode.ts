// Stage 1: bytes → RGBA pixels at two working sizes: one for geometry (segmentation and shape need a few
// pixels per grid cell, no more) and one for the texture. Checks the caps from the header before decoding a
// pixel, applies the EXIF orientation, converts to sRGB 8-bit, takes the first frame of animations.
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { OrfeasError } from '../protocol/errors';
import { LIMITS } from '../protocol/options';
import type { DecodedImage, RgbaImage, StageContext } from './types';

export const NAME = 'decode';

export interface DecodeOptions {
	/** Long side of the geometry image; larger pictures are reduced to it, smaller ones are kept. */
	geometrySize: number;
	/** Long side of the texture image; at least `geometrySize`. */
	textureSize: number;
	maxBytes: number;
	maxPixels: number;
}

export const DECODE_DEFAULTS: Readonly<DecodeOptions> = {
	geometrySize: 512,
	textureSize: 1024,
	maxBytes: LIMITS.maxImageBytes,
	maxPixels: LIMITS.maxImagePixels,
};

/** Fraction of pixels that must be transparent (alpha < 50 %) for the alpha channel to count as a cut-out. */
const TRANSPARENT_FRACTION = 0.005;

const READABLE = 'PNG, JPEG, WebP, GIF, TIFF or AVIF';

/** Geometry working size for a grid resolution: two pixels per cell, so coverage is sampled below the cell. */
export function geometrySizeFor(resolution: number): number {
	return Math.max(512, resolution * 2);
}

/**
 * Decodes an image file's bytes.
 *
 * ```ts
 * const decoded = await decode(await fs.readFile('cat.png'), { geometrySize: 512, textureSize: 1024 }, ctx);
 * ```
 */
export async function decode(bytes: Uint8Array, options: Partial<DecodeOptions>, ctx: StageContext): Promise<DecodedImage> {
	const { geometrySize, textureSize, maxBytes, maxPixels } = { ...DECODE_DEFAULTS, ...options };
	if (bytes.length === 0) {
		throw new OrfeasError('E_IMAGE_DECODE', 'The image file is empty (0 bytes). Choose a saved image file.');
	}
	if (bytes.length > maxBytes) {
		throw new OrfeasError(
			'E_IMAGE_TOO_LARGE',
			`The image file is ${mib(bytes.length)} MiB; the limit is ${mib(maxBytes)} MiB. Save it smaller or as JPEG.`,
			{ bytes: bytes.length, limit: maxBytes },
		);
	}

	let meta: Metadata;
	try {
		meta = await sharp(bytes, { limitInputPixels: false }).metadata();
	} catch {
		throw new OrfeasError('E_IMAGE_DECODE', `This file is not an image Orfeas can read. Use a ${READABLE} file.`);
	}
	if (!meta.width || !meta.height) {
		throw new OrfeasError('E_IMAGE_DECODE', `The image has no size in its header. Re-save it as ${READABLE}.`);
	}
	const pixels = meta.width * meta.height;
	if (pixels > maxPixels) {
		throw new OrfeasError(
			'E_IMAGE_TOO_LARGE',
			`The image is ${meta.width}×${meta.height} (${megapixels(pixels)} MP); the limit is ${megapixels(maxPixels)} MP. Scale it down and try again.`,
			{ width: meta.width, height: meta.height, limit: maxPixels },
		);
	}
	ctx.signal.throwIfAborted();
	ctx.progress(0.2);

	const rotated = (meta.orientation ?? 1) >= 5;
	const sourceWidth = rotated ? meta.height : meta.width;
	const sourceHeight = rotated ? meta.width : meta.height;
	const largest = Math.max(textureSize, geometrySize);
	let raw: { data: Buffer; info: OutputInfo };
	try {
		raw = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', pages: 1, page: 0 })
			.rotate()
			.resize({ width: largest, height: largest, fit: 'inside', withoutEnlargement: true })
			.toColourspace('srgb')
			.ensureAlpha()
			.raw({ depth: 'uchar' })
			.toBuffer({ resolveWithObject: true });
	} catch (error) {
		const detail = error instanceof Error ? firstLine(error.message) : '';
		throw new OrfeasError(
			'E_IMAGE_DECODE',
			`The image data is damaged or incomplete${detail ? ` (${detail})` : ''}. Open it in an image editor and save it again.`,
		);
	}
	ctx.signal.throwIfAborted();
	const { data, info } = raw;
	if (info.channels !== 4) {
		throw new OrfeasError('E_IMAGE_DECODE', `The image decoded to ${info.channels} channels instead of 4. Re-save it as ${READABLE}.`);
	}
	const texture = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
	const image = await shrink(texture, geometrySize);
	ctx.progress(1);
	return {
		image,
		texture,
		sourceWidth,
		sourceHeight,
		format: meta.format ?? 'unknown',
		hasTransparency: hasCutout(image.data),
	};
}

/** The picture reduced to `size` on its long side (the same picture when it is no larger). */
async function shrink(image: RgbaImage, size: number): Promise<RgbaImage> {
	const scale = size / Math.max(image.width, image.height);
	if (scale >= 1) return image;
	const width = Math.max(1, Math.round(image.width * scale));
	const height = Math.max(1, Math.round(image.height * scale));
	const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
		.resize(width, height, { fit: 'fill' })
		.raw()
		.toBuffer();
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}

/** True when the alpha channel holds both a subject (opaque) and a background (transparent). */
function hasCutout(rgba: Uint8Array): boolean {
	const pixels = rgba.length / 4;
	let transparent = 0;
	for (let p = 3; p < rgba.length; p += 4) if (rgba[p] < 128) transparent++;
	return transparent >= pixels * TRANSPARENT_FRACTION && transparent < pixels;
}

function mib(bytes: number): string {
	return (bytes / 1024 / 1024).toFixed(1);
}

function megapixels(pixels: number): string {
	return (pixels / 1e6).toFixed(1);
}

function firstLine(message: string): string {
	return message.split('\n')[0].trim().slice(0, 160);
}
