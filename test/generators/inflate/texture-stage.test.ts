import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../daemon/src/pipeline/decode';
import { mesh } from '../../../daemon/src/generators/inflate/mesh';
import { segment } from '../../../daemon/src/pipeline/segment';
import { shape } from '../../../daemon/src/generators/inflate/shape';
import { texture } from '../../../daemon/src/generators/inflate/texture';
import { quietContext } from '../../../daemon/src/pipeline/types';
import { ellipse, paint } from '../../fixtures/draw';

const ctx = quietContext();

describe('texture stage', () => {
	it('bleeds the subject colour past the silhouette (no background halo) and maps UVs into the texture', async () => {
		// A green disc on a transparent background whose hidden colour is magenta: it must not reach the texture.
		const painted = paint(300, 300, ellipse(150, 150, 100, 100), () => [20, 200, 40], { color: [255, 0, 255], opaque: false });
		const { data, width, height } = painted.rgba;
		const bytes = await sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer();
		const decoded = await decode(bytes, { geometrySize: 512, textureSize: 512 }, ctx);
		const segmented = segment(decoded, { mode: 'auto' }, ctx);
		const solid = mesh(shape(segmented, { resolution: 64, thickness: 0.5 }, ctx), ctx);
		const { image, uvs } = await texture(decoded, segmented, solid, { textureSize: 512 }, ctx);

		expect([image.width, image.height]).toEqual([512, 512]);
		for (let p = 0; p < image.width * image.height; p++) {
			const [r, g, b, a] = image.data.subarray(p * 4, p * 4 + 4);
			expect(a).toBe(255);
			// Every texel, inside or outside the disc, is the disc's green (give or take filtering).
			if (Math.abs(r - 20) > 12 || Math.abs(g - 200) > 12 || Math.abs(b - 40) > 12) throw new Error(`texel ${p} is ${[r, g, b]}`);
		}
		for (let k = 0; k < uvs.length; k++) {
			expect(uvs[k]).toBeGreaterThanOrEqual(-0.01);
			expect(uvs[k]).toBeLessThanOrEqual(1.01);
		}
	});
});
