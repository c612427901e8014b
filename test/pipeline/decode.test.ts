import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode, type DecodeOptions } from '../../daemon/src/pipeline/decode';
import { quietContext } from '../../daemon/src/pipeline/types';
import { OrfeasError } from '../../daemon/src/protocol/errors';
import { ALL_FIXTURES, badImages } from '../fixtures/images';

const ctx = quietContext();
const run = (bytes: Uint8Array, options: Partial<DecodeOptions> = {}) => decode(bytes, { geometrySize: 512, textureSize: 1024, ...options }, ctx);

async function failure(promise: Promise<unknown>): Promise<OrfeasError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(OrfeasError);
	const e = error as OrfeasError;
	// One sentence a person can act on: no stack, no multi-line dump.
	expect(e.message).not.toMatch(/\n|\sat\s\S+:\d+/);
	expect(e.message.length).toBeGreaterThan(20);
	return e;
}

describe('decode', () => {
	it('applies EXIF orientation', async () => {
		const fixture = await ALL_FIXTURES.exifRotated();
		const stored = await sharp(fixture.bytes).metadata();
		expect([stored.width, stored.height, stored.orientation]).toEqual([512, 384, 6]);
		const decoded = await run(fixture.bytes);
		expect([decoded.image.width, decoded.image.height]).toEqual([fixture.mask.width, fixture.mask.height]);
		expect([decoded.sourceWidth, decoded.sourceHeight]).toEqual([384, 512]);
		// The upright L has its foot at the bottom right: dark there, background at the top right.
		const at = (x: number, y: number) => decoded.image.data[(y * decoded.image.width + x) * 4 + 2];
		expect(at(Math.round(0.7 * 384), Math.round(0.8 * 512))).toBeLessThan(200);
		expect(at(Math.round(0.7 * 384), Math.round(0.2 * 512))).toBeGreaterThan(200);
	});

	it('gives a geometry image and a larger texture image, never enlarging the picture', async () => {
		const bytes = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#808080' } }).png().toBuffer();
		const big = await run(bytes);
		expect([big.image.width, big.image.height]).toEqual([512, 256]);
		expect([big.texture.width, big.texture.height]).toEqual([1024, 512]);
		const small = await run(await sharp({ create: { width: 300, height: 200, channels: 4, background: '#00000000' } }).png().toBuffer());
		expect([small.image.width, small.texture.width]).toEqual([300, 300]);
	});

	it('tells a real cut-out from an opaque picture', async () => {
		expect((await run((await ALL_FIXTURES.disc()).bytes)).hasTransparency).toBe(true);
		expect((await run((await ALL_FIXTURES.noisyBackground()).bytes)).hasTransparency).toBe(false);
		const opaqueRgba = await sharp({ create: { width: 64, height: 64, channels: 4, background: '#ff0000ff' } }).png().toBuffer();
		expect((await run(opaqueRgba)).hasTransparency).toBe(false);
	});

	it('reads 16-bit, grayscale and CMYK pictures as 8-bit sRGB RGBA', async () => {
		const orange = { width: 32, height: 32, channels: 3 as const, background: { r: 255, g: 128, b: 0 } };
		const sixteen = await sharp({ create: orange }).toColourspace('rgb16').png().toBuffer();
		expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
		const cmyk = await sharp({ create: orange }).toColourspace('cmyk').jpeg().toBuffer();
		expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
		for (const bytes of [sixteen, cmyk]) {
			const { image } = await run(bytes);
			expect(image.data.length).toBe(32 * 32 * 4);
			const [r, g, b, a] = image.data.subarray(0, 4);
			expect(r).toBeGreaterThan(200);
			expect(g).toBeGreaterThan(80);
			expect(g).toBeLessThan(180);
			expect(b).toBeLessThan(60);
			expect(a).toBe(255);
		}
		const gray = await sharp({ create: { ...orange, background: { r: 90, g: 90, b: 90 } } }).toColourspace('b-w').png().toBuffer();
		const { image } = await run(gray);
		expect(Array.from(image.data.subarray(0, 4))).toEqual([90, 90, 90, 255]);
	});

	it('refuses bad files with a stable code and one sentence', async () => {
		const bad = badImages();
		expect((await failure(run(bad.zeroBytes))).code).toBe('E_IMAGE_DECODE');
		expect((await failure(run(bad.truncatedPng))).code).toBe('E_IMAGE_DECODE');
		expect((await failure(run(bad.textAsPng))).code).toBe('E_IMAGE_DECODE');
		const bomb = await failure(run(bad.pixelBomb));
		expect(bomb.code).toBe('E_IMAGE_TOO_LARGE');
		expect(bomb.message).toContain('20000×20000');
		const disc = (await ALL_FIXTURES.disc()).bytes;
		expect((await failure(run(disc, { maxBytes: 100 }))).code).toBe('E_IMAGE_TOO_LARGE');
	});

	it('stops when cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		const disc = (await ALL_FIXTURES.disc()).bytes;
		await expect(decode(disc, {}, quietContext(controller.signal))).rejects.toMatchObject({ name: 'AbortError' });
	});
});
