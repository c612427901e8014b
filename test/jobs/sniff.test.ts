import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { requireImage, sniffImage } from '../../daemon/src/jobs/sniff';
import { badImages } from '../fixtures/images';

describe('sniffImage', () => {
	it('recognises the formats sharp can write, from their first bytes', async () => {
		const base = sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } });
		expect(sniffImage(await base.clone().png().toBuffer())).toBe('png');
		expect(sniffImage(await base.clone().jpeg().toBuffer())).toBe('jpg');
		expect(sniffImage(await base.clone().webp().toBuffer())).toBe('webp');
		expect(sniffImage(await base.clone().gif().toBuffer())).toBe('gif');
		expect(sniffImage(await base.clone().tiff().toBuffer())).toBe('tif');
		expect(sniffImage(await base.clone().avif().toBuffer())).toBe('avif');
	});

	it('spots SVG (refused: it can load other files) and refuses non-images with a sentence', () => {
		expect(sniffImage(Buffer.from('  <?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
		expect(() => requireImage(Buffer.from('<svg/>'))).toThrow(/SVG.*PNG/);
		expect(() => requireImage(badImages().textAsPng)).toThrow(/not an image/);
		expect(() => requireImage(badImages().zeroBytes)).toThrow(/empty/);
		expect(requireImage(badImages().truncatedPng)).toBe('png');
	});
});
