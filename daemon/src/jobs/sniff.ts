// Recognises an image file from its first bytes, before anything decodes it: the daemon refuses what is not a
// picture it reads (or is SVG, which could reference external files) at the door, with a sentence.
import { OrfeasError } from '../protocol/errors';

export type ImageKind = 'png' | 'jpg' | 'gif' | 'webp' | 'tif' | 'avif' | 'heic';

const starts = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export function sniffImage(bytes: Uint8Array): ImageKind | 'svg' | null {
	if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (starts(bytes, [0xff, 0xd8, 0xff])) return 'jpg';
	if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
	if (starts(bytes, [0x49, 0x49, 0x2a, 0x00]) || starts(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tif';
	if (ascii(bytes, 4, 8) === 'ftyp') {
		const brand = ascii(bytes, 8, 12);
		if (brand === 'avif' || brand === 'avis') return 'avif';
		if (['heic', 'heix', 'mif1', 'msf1'].includes(brand)) return 'heic';
	}
	const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8').trimStart().toLowerCase();
	if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')) || head.startsWith('<!doctype svg')) return 'svg';
	return null;
}

/** The picture's kind, or E_IMAGE_DECODE saying why it cannot be used. */
export function requireImage(bytes: Uint8Array): ImageKind {
	if (bytes.length === 0) throw new OrfeasError('E_IMAGE_DECODE', 'The image is empty (0 bytes). Send a saved image file.');
	const kind = sniffImage(bytes);
	if (kind === 'svg') {
		throw new OrfeasError(
			'E_IMAGE_DECODE',
			'SVG pictures are not accepted, because they can load other files. Export the drawing to PNG and send that.',
		);
	}
	if (!kind) {
		throw new OrfeasError('E_IMAGE_DECODE', 'This is not an image Orfeas can read. Send a PNG, JPEG, WebP, GIF, TIFF or AVIF file.');
	}
	return kind;
}
