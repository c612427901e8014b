// Turnaround sheets split into their views: as many figures as views named, each cut with its own figure; a sheet
// with fewer figures than names is E_SHEET saying how many it found; narrow gaps inside a figure are not a split.
import { describe, expect, it } from 'vitest';
import { decode } from '../../daemon/src/pipeline/decode';
import { segment } from '../../daemon/src/pipeline/segment';
import { splitSheet } from '../../daemon/src/pipeline/sheet';
import { quietContext } from '../../daemon/src/pipeline/types';
import { encodePng } from '../fixtures/png';
import { drawView, sheetPng, type ViewObject } from '../helpers/views';

const BOX: ViewObject = { shape: 'box', width: 120, height: 90, depth: 60 };
const GREY: [number, number, number] = [235, 235, 235];

async function split(png: Uint8Array, names: Parameters<typeof splitSheet>[2]) {
	const ctx = quietContext();
	const decoded = await decode(png, { geometrySize: 2048, textureSize: 2048 }, ctx);
	return splitSheet(decoded, segment(decoded, {}, ctx), names).map(({ view, decoded: picture }) => ({ view, picture, cut: segment(picture, {}, ctx) }));
}

describe('splitSheet', () => {
	it('cuts a plain-background sheet into its views, left to right', async () => {
		const views = await split(sheetPng(BOX, ['front', 'right', 'back'], { background: GREY, size: 200 }), ['front', 'right', 'back']);
		expect(views.map((v) => v.view)).toEqual(['front', 'right', 'back']);
		const widths = views.map(({ cut }) => cut.bbox.x1 - cut.bbox.x0);
		expect(widths[0]).toBeGreaterThan(115);
		expect(widths[0]).toBeLessThan(125);
		expect(widths[1]).toBeGreaterThan(55);
		expect(widths[1]).toBeLessThan(65);
		for (const { cut } of views) expect(cut.bbox.y1 - cut.bbox.y0).toBeGreaterThan(85);
		// Each cut holds one figure only: the views' colours do not leak into each other.
		expect(views[1].picture.image.width).toBeLessThan(260);
	});

	it('is E_SHEET saying how many figures it found when fewer than the views named', async () => {
		await expect(split(sheetPng(BOX, ['front', 'right'], { background: GREY, size: 200 }), ['front', 'right', 'back'])).rejects.toMatchObject({
			code: 'E_SHEET',
			message: expect.stringMatching(/3 views \(front, right, back\).*but 2 figures were found/),
		});
	});

	it('closes the narrowest gaps when a figure has gaps of its own', async () => {
		// A front with a gap between two legs (a narrow strip of background), then a side view far to the right.
		const width = 520;
		const height = 200;
		const data = new Uint8Array(width * height * 4);
		for (let p = 0; p < width * height; p++) data.set([...GREY, 255], p * 4);
		const fill = (x0: number, x1: number, y0: number, y1: number) => {
			for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set([200, 60, 50, 255], (y * width + x) * 4);
		};
		fill(40, 80, 40, 160); // left leg
		fill(90, 130, 40, 160); // right leg, 10 px away
		const side = drawView(BOX, 'right', { size: 200 });
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < 200; x++) {
				const a = side.data[(y * 200 + x) * 4 + 3] / 255;
				if (a > 0.5) data.set([60, 170, 80, 255], (y * width + 300 + x) * 4);
			}
		}
		const views = await split(encodePng(data, width, height, 6), ['front', 'right']);
		const front = views[0].cut.bbox;
		expect(front.x1 - front.x0).toBeGreaterThan(85);
		expect(views[1].cut.bbox.x1 - views[1].cut.bbox.x0).toBeLessThan(65);
	});
});
