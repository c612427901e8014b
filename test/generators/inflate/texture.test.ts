// The texture acceptance: the model seen from the front shows the photo. The render is compared with the
// picture inside the subject, away from its edge (3 px in), where resampling cannot mix in the background.
import { describe, expect, it } from 'vitest';
import { erode } from '../../../daemon/src/imaging/morphology';
import type { RgbaImage } from '../../../daemon/src/pipeline/types';
import { meanColorError, renderFront } from '../../../daemon/src/quality/raster';
import { textureFixture } from '../../fixtures/images';
import { bounds } from '../../../daemon/src/geometry/place';
import { generate } from '../../helpers/generate';

/**
 * Mean absolute RGB error allowed, in 8-bit levels (about 1 % of full scale). The texture goes through three
 * lossy steps, each worth under a level on smooth gradients: the Lanczos resample of the subject's crop to
 * 1024², JPEG at quality 90 with full-resolution chroma, and bilinear sampling in the render; measured: 0.4.
 * The same render against the mirrored picture scores about 18, so a flipped or misplaced texture fails.
 */
const MAX_MEAN_ERROR = 3;

describe('texture', () => {
	it('shows the photo on the front within the error budget', async () => {
		const fixture = await textureFixture();
		const { mesh } = await generate(fixture.bytes, 'texture');
		const { reference, region, width, height } = subjectCrop(fixture.rgba, fixture.mask.data);
		const { min, max } = bounds(mesh.positions);
		const view = { x0: min[0], y0: min[1], x1: max[0], y1: max[1], width, height };
		const render = renderFront(mesh, view, mesh.texture);
		expect(render.color).toBeDefined();

		const error = meanColorError(render.color!, render.coverage, reference, region);
		expect(error).toBeLessThan(MAX_MEAN_ERROR);

		const mirrored = mirror(reference);
		expect(meanColorError(render.color!, render.coverage, mirrored, region)).toBeGreaterThan(4 * MAX_MEAN_ERROR);
	});
});

/** The subject's bounding box cut from the picture, and the mask eroded by 3 px inside it. */
function subjectCrop(rgba: RgbaImage, mask: Uint8Array) {
	const w = rgba.width;
	let x0 = w, y0 = rgba.height, x1 = -1, y1 = -1;
	for (let p = 0; p < mask.length; p++) {
		if (mask[p] < 128) continue;
		const x = p % w;
		const y = (p - x) / w;
		x0 = Math.min(x0, x);
		x1 = Math.max(x1, x);
		y0 = Math.min(y0, y);
		y1 = Math.max(y1, y);
	}
	const width = x1 - x0 + 1;
	const height = y1 - y0 + 1;
	const data = new Uint8Array(width * height * 4);
	const inside = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const p = (y + y0) * w + x + x0;
			data.set(rgba.data.subarray(p * 4, p * 4 + 4), (y * width + x) * 4);
			inside[y * width + x] = mask[p] >= 128 ? 1 : 0;
		}
	}
	return { reference: { data, width, height }, region: erode(inside, width, height, 3), width, height };
}

function mirror(image: RgbaImage): RgbaImage {
	const { width, height } = image;
	const data = new Uint8Array(image.data.length);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			data.set(image.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4), (y * width + (width - 1 - x)) * 4);
		}
	}
	return { data, width, height };
}
