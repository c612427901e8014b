import { describe, expect, it } from 'vitest';
import { thinPixels as thinPixelsIn } from '../../daemon/src/imaging/thin-pixels';
import type { GrayImage } from '../../daemon/src/pipeline/types';
import { ellipse, polygon, stroke, union, type Cover } from '../fixtures/draw';

const SIZE = 160;

function bits(cover: Cover): Uint8Array {
	return Uint8Array.from({ length: SIZE * SIZE }, (_, p) => (cover((p % SIZE) + 0.5, Math.floor(p / SIZE) + 0.5) >= 0.5 ? 1 : 0));
}

/** Thin pixels of a 0/1 mask over the whole picture. */
function thinPixels(solid: Uint8Array, width: number, height: number, radius: number): Uint8Array {
	const mask: GrayImage = { data: solid.map((v) => v * 255), width, height };
	return thinPixelsIn(mask, radius, { x0: 0, y0: 0, x1: width, y1: height });
}

const count = (mask: Uint8Array) => mask.reduce((n, v) => n + v, 0);

describe('thinPixels', () => {
	it.each([1, 2])('finds a %i px line at any angle, pixels touching only at corners included, and none of the body', (width) => {
		const body = ellipse(80, 80, 30, 30);
		// 1 px through pixel centres (the 45° line touches only at corners), 2 px along pixel corners.
		const c = width === 1 ? 80.5 : 80;
		for (const degrees of [0, 30, 45, 60, 90, 135, 200]) {
			const a = (degrees * Math.PI) / 180;
			const line = stroke(c, c, c + 75 * Math.cos(a), c - 75 * Math.sin(a), width);
			const thin = thinPixels(bits(union(body, line)), SIZE, SIZE, 1.5);
			const lineOnly = bits((x, y) => (line(x, y) && !ellipse(80, 80, 33, 33)(x, y) ? 1 : 0));
			const insideBody = bits(ellipse(80, 80, 28, 28));
			for (let p = 0; p < thin.length; p++) {
				if (lineOnly[p]) expect(thin[p], `${degrees}°: line pixel ${p}`).toBe(1);
				if (insideBody[p]) expect(thin[p], `${degrees}°: body pixel ${p}`).toBe(0);
			}
		}
	});

	it('leaves thick parts, the stair-steps of their edges and their corners alone', () => {
		const square = polygon([[20, 20], [140, 20], [140, 140], [20, 140]]);
		const lShape = polygon([[20, 20], [60, 20], [60, 100], [140, 100], [140, 140], [20, 140]]);
		for (const shape of [ellipse(80, 80, 70, 50), square, lShape]) {
			for (const radius of [1.5, 3, 6]) expect(count(thinPixels(bits(shape), SIZE, SIZE, radius)), `radius ${radius}`).toBe(0);
		}
	});

	it('finds the sharp tips a disc cannot reach into', () => {
		const spike = polygon([[20, 70], [150, 80], [20, 90]]);
		const thin = thinPixels(bits(spike), SIZE, SIZE, 3);
		expect(count(thin)).toBeGreaterThan(20);
		for (let p = 0; p < thin.length; p++) if (thin[p]) expect(p % SIZE).toBeGreaterThan(90);
		// A square turned 45° ends each corner in a single pixel: four tips, nothing along its sides.
		const diamond = thinPixels(bits(polygon([[80, 10], [150, 80], [80, 150], [10, 80]])), SIZE, SIZE, 1.5);
		expect(count(diamond)).toBeGreaterThanOrEqual(4);
		expect(count(diamond)).toBeLessThanOrEqual(8);
	});

	it('does not count a part cut by the picture edge as thin there', () => {
		const band = polygon([[-5, 60], [165, 60], [165, 100], [-5, 100]]);
		const edge = bits((x, y) => band(x, y) || (y < 2 ? 1 : 0));
		expect(count(thinPixels(bits(band), SIZE, SIZE, 3))).toBe(0);
		// Two rows along the top border: thin along its length, whatever lies past the border.
		expect(count(thinPixels(edge, SIZE, SIZE, 3))).toBeGreaterThan(0);
	});
});
