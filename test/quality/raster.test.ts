import { describe, expect, it } from 'vitest';
import type { GrayImage, RgbaImage } from '../../daemon/src/pipeline/types';
import { iou, meanColorError, renderFront, silhouetteIoU } from '../../daemon/src/quality/raster';

/** An axis-aligned rectangle in the z plane, counter-clockwise from +Z, with UVs spanning the whole texture. */
function rect(x0: number, y0: number, x1: number, y1: number, z = 0, uv = [0, 0, 1, 1]) {
	const [u0, v0, u1, v1] = uv;
	return {
		// Bottom-left, bottom-right, top-right, top-left; glTF v grows downwards, so the top edge gets v0.
		positions: new Float32Array([x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z]),
		indices: [0, 1, 2, 0, 2, 3],
		uvs: new Float32Array([u0, v1, u1, v1, u1, v0, u0, v0]),
	};
}

function merge(...meshes: Array<ReturnType<typeof rect>>) {
	const positions = new Float32Array(meshes.flatMap((m) => [...m.positions]));
	const uvs = new Float32Array(meshes.flatMap((m) => [...m.uvs]));
	const indices = meshes.flatMap((m, k) => m.indices.map((i) => i + 4 * k));
	return { positions, indices, uvs };
}

/** 2 × 2 texture: red, green on top; blue, white below. */
const QUADRANTS: RgbaImage = {
	width: 2,
	height: 2,
	data: new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]),
};

function pixel(image: RgbaImage, col: number, row: number): number[] {
	const at = 4 * (row * image.width + col);
	return [...image.data.subarray(at, at + 4)];
}
const count = (mask: Uint8Array) => mask.reduce((n, v) => n + (v ? 1 : 0), 0);

describe('renderFront', () => {
	const view = { x0: -1, y0: -1, x1: 1, y1: 1, width: 8, height: 8 };

	it('covers exactly the pixels whose centres lie in the square, for either winding', () => {
		const square = rect(-0.5, -0.5, 0.5, 0.5);
		const { coverage } = renderFront(square, view);
		expect(count(coverage)).toBe(16);
		for (let row = 0; row < 8; row++) {
			for (let col = 0; col < 8; col++) {
				expect(coverage[row * 8 + col], `(${col}, ${row})`).toBe(col >= 2 && col <= 5 && row >= 2 && row <= 5 ? 1 : 0);
			}
		}
		const flipped = { ...square, indices: [0, 2, 1, 0, 3, 2] };
		expect(renderFront(flipped, view).coverage).toEqual(coverage);
	});

	it('puts positive Y at the top row and positive X at the right', () => {
		const { coverage } = renderFront(rect(0, 0, 1, 1), view);
		expect(coverage[0 * 8 + 7]).toBe(1);
		expect(coverage[7 * 8 + 0]).toBe(0);
		expect(coverage[7 * 8 + 7]).toBe(0);
		expect(count(coverage)).toBe(16);
	});

	it('samples the texture upright: UV (0, 0) is the top-left texel', () => {
		const { coverage, color } = renderFront(rect(-1, -1, 1, 1), { ...view, width: 4, height: 4 }, QUADRANTS);
		expect(count(coverage)).toBe(16);
		expect(color).toBeDefined();
		const image = color as RgbaImage;
		expect(pixel(image, 0, 0)).toEqual([255, 0, 0, 255]);
		expect(pixel(image, 3, 0)).toEqual([0, 255, 0, 255]);
		expect(pixel(image, 0, 3)).toEqual([0, 0, 255, 255]);
		expect(pixel(image, 3, 3)).toEqual([255, 255, 255, 255]);
		// Bilinear between red and green a quarter texel from the red centre.
		expect(pixel(image, 1, 0)).toEqual([191, 64, 0, 255]);
	});

	it('keeps the front-most surface whatever the drawing order, and leaves uncovered pixels clear', () => {
		// Each quad maps every point onto one texel centre: red behind, green in front.
		const back = rect(-1, -1, 1, 1, -1, [0.25, 0.25, 0.25, 0.25]);
		const front = rect(-0.5, -0.5, 0.5, 0.5, 1, [0.75, 0.25, 0.75, 0.25]);
		const small = { ...view, width: 4, height: 4 };
		for (const mesh of [merge(back, front), merge(front, back)]) {
			const image = renderFront(mesh, small, QUADRANTS).color as RgbaImage;
			expect(pixel(image, 1, 1)).toEqual([0, 255, 0, 255]);
			expect(pixel(image, 0, 0)).toEqual([255, 0, 0, 255]);
		}
		const partial = renderFront(front, small, QUADRANTS).color as RgbaImage;
		expect(pixel(partial, 0, 0)).toEqual([0, 0, 0, 0]);
	});

	it('returns no colour without a texture', () => {
		expect(renderFront(rect(-1, -1, 1, 1), view).color).toBeUndefined();
	});
});

describe('iou', () => {
	it('is 1 for identical masks, 0 for disjoint ones, and the overlap ratio between', () => {
		const a = new Uint8Array([1, 1, 0, 0]);
		expect(iou(a, a.slice())).toBe(1);
		expect(iou(a, new Uint8Array([0, 0, 255, 1]))).toBe(0);
		expect(iou(a, new Uint8Array([0, 1, 1, 0]))).toBeCloseTo(1 / 3, 10);
	});

	it('refuses masks of different sizes', () => {
		expect(() => iou(new Uint8Array(3), new Uint8Array(4))).toThrow(RangeError);
	});
});

describe('silhouetteIoU', () => {
	function maskOf(width: number, height: number, inside: (x: number, y: number) => boolean): GrayImage {
		const data = new Uint8Array(width * height);
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) data[y * width + x] = inside(x + 0.5, y + 0.5) ? 255 : 0;
		}
		return { data, width, height };
	}

	it('matches a rectangle to a rectangular mask of the same proportions anywhere in the image', () => {
		const mask = maskOf(200, 120, (x, y) => x > 30 && x < 130 && y > 40 && y < 90);
		expect(silhouetteIoU(rect(5, 5, 7, 6), mask)).toBeCloseTo(1, 6);
	});

	it('scores a square against a disc mask near π/4 and against an L three quarters', () => {
		const disc = maskOf(101, 101, (x, y) => (x - 50.5) ** 2 + (y - 50.5) ** 2 <= 50 ** 2);
		// The square fills the disc's box, so the IoU is the disc's pixel count over the box area.
		const box = 101 * 101;
		expect(silhouetteIoU(rect(0, 0, 1, 1), disc)).toBeCloseTo(count(disc.data) / box, 10);
		expect(count(disc.data) / box).toBeCloseTo(Math.PI / 4, 1);
		const ell = maskOf(100, 100, (x, y) => x < 50 || y > 50);
		expect(silhouetteIoU(rect(0, 0, 1, 1), ell)).toBeCloseTo(0.75, 6);
	});

	it('fits each silhouette to its own box, so a stretched but otherwise equal shape still scores 1', () => {
		const band = maskOf(100, 100, (x, y) => y > 25 && y < 75);
		expect(silhouetteIoU(rect(0, 0, 1, 1), band)).toBeCloseTo(1, 6);
	});

	it('is 0 for an empty mask', () => {
		expect(silhouetteIoU(rect(0, 0, 1, 1), maskOf(10, 10, () => false))).toBe(0);
	});
});

describe('meanColorError', () => {
	const solid = (r: number, g: number, b: number): RgbaImage => ({
		width: 2,
		height: 2,
		data: new Uint8Array(Array.from({ length: 4 }, () => [r, g, b, 255]).flat()),
	});

	it('averages the absolute RGB difference over pixels both covered and in the region', () => {
		const render = solid(10, 20, 30);
		render.data.set([200, 200, 200], 0); // pixel 0 is outside the region and must not count
		const error = meanColorError(render, new Uint8Array([1, 1, 1, 0]), solid(20, 20, 20), new Uint8Array([0, 1, 1, 1]));
		expect(error).toBeCloseTo(20 / 3, 10);
	});

	it('is NaN when nothing overlaps, so a missing render never passes', () => {
		expect(meanColorError(solid(0, 0, 0), new Uint8Array(4), solid(0, 0, 0), new Uint8Array(4).fill(1))).toBeNaN();
	});
});
