import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode } from '../../daemon/src/pipeline/decode';
import { segment } from '../../daemon/src/pipeline/segment';
import { quietContext, type DecodedImage, type GrayImage } from '../../daemon/src/pipeline/types';
import { OrfeasError } from '../../daemon/src/protocol/errors';
import { iou } from '../../daemon/src/quality/raster';
import { ellipse, minus, paint, union, type Painted } from '../fixtures/draw';
import { ALL_FIXTURES, type FixtureName } from '../fixtures/images';

const ctx = quietContext();
const load = (bytes: Uint8Array) => decode(bytes, { geometrySize: 512, textureSize: 512 }, ctx);
const binary = (mask: GrayImage) => Uint8Array.from(mask.data, (v) => (v >= 128 ? 1 : 0));

async function decodePainted(painted: Painted): Promise<DecodedImage> {
	const { data, width, height } = painted.rgba;
	return load(await sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer());
}

describe('segment', () => {
	it.each(['disc', 'ring', 'twoBlobs', 'thinStar', 'antiAliased', 'noisyBackground', 'exifRotated', 'antennae', 'antennaeOnBlue'] as FixtureName[])(
		'finds the subject of %s',
		async (name) => {
			const fixture = await ALL_FIXTURES[name]();
			const result = segment(await load(fixture.bytes), { mode: 'auto' }, ctx);
			expect(result.method).toBe(fixture.segmentation);
			expect(result.components).toBe(fixture.components);
			// JPEG ringing widens a chroma edge by under a pixel; cut-outs are exact.
			expect(iou(binary(result.mask), binary(fixture.mask))).toBeGreaterThanOrEqual(fixture.segmentation === 'alpha' ? 0.995 : 0.97);
		},
	);

	it.each(['antennae', 'antennaeOnBlue'] as FixtureName[])('keeps every antenna pixel of %s, 1 px diagonals included', async (name) => {
		const fixture = await ALL_FIXTURES[name]();
		const result = segment(await load(fixture.bytes), { mode: 'auto' }, ctx);
		const thin = fixture.thin!.data;
		let kept = 0;
		let total = 0;
		for (let p = 0; p < thin.length; p++) {
			if (!thin[p]) continue;
			total++;
			if (result.mask.data[p] >= 128) kept++;
		}
		expect(total).toBeGreaterThan(1000);
		expect(kept / total).toBe(1);
		expect(result.components).toBe(1);
	});

	it('keeps the hole of a ring on a plain background (chroma) and fills pinholes', async () => {
		const size = 256;
		const ring = minus(ellipse(128, 128, 100, 100), ellipse(128, 128, 45, 45));
		const withPinhole = minus(ring, ellipse(128, 50, 1.2, 1.2));
		const painted = paint(size, size, withPinhole, () => [30, 90, 200], { color: [245, 245, 240], opaque: true });
		const result = segment(await decodePainted(painted), { mode: 'auto' }, ctx);
		expect(result.method).toBe('chroma');
		const at = (x: number, y: number) => result.mask.data[y * size + x];
		expect(at(128, 128)).toBe(0);
		expect(at(128, 50)).toBe(255);
		expect(at(128, 60)).toBe(255);
	});

	it('drops specks but keeps every real part', async () => {
		const shapes = union(ellipse(80, 128, 50, 60), ellipse(190, 128, 40, 40), ellipse(20, 20, 1, 1), ellipse(240, 240, 1.5, 1.5));
		const painted = paint(256, 256, shapes, () => [200, 30, 30], { color: [0, 0, 0], opaque: false });
		const result = segment(await decodePainted(painted), { mode: 'alpha' }, ctx);
		expect(result.components).toBe(2);
		expect(result.mask.data[20 * 256 + 20]).toBe(0);
		expect(result.bbox.x0).toBeGreaterThan(25);
	});

	it('says there is no subject in a blank picture, a fully transparent one, or an opaque one in alpha mode', async () => {
		const blank = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#dedede' } }).png().toBuffer();
		const clear = await sharp({ create: { width: 200, height: 150, channels: 4, background: '#00000000' } }).png().toBuffer();
		const opaque = (await ALL_FIXTURES.noisyBackground()).bytes;
		for (const [bytes, mode] of [
			[blank, 'auto'],
			[clear, 'auto'],
			[opaque, 'alpha'],
		] as const) {
			const decoded = await load(bytes);
			let error: unknown;
			try {
				segment(decoded, { mode }, ctx);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(OrfeasError);
			expect((error as OrfeasError).code).toBe('E_IMAGE_NO_SUBJECT');
			expect((error as OrfeasError).message).toMatch(/subject|transparent/);
		}
	});
});
