import { describe, expect, it } from 'vitest';
import { CellPolygon } from '../../../daemon/src/generators/inflate/cell-polygon';
import { mesh } from '../../../daemon/src/generators/inflate/mesh';
import { shape } from '../../../daemon/src/generators/inflate/shape';
import { quietContext, type SegmentResult } from '../../../daemon/src/pipeline/types';
import { renderFront } from '../../../daemon/src/quality/raster';
import { blobMask, mulberry32 } from '../../helpers/random';
import { stroke } from '../../fixtures/draw';

const ctx = quietContext();

/** Random blobs crossed by lines 1–2 px wide: saddles, thin parts and measured crossings all occur. */
function subject(seed: number): SegmentResult {
	const [width, height] = [160, 120];
	const bits = blobMask(width, height, seed, 0.5);
	const random = mulberry32(seed);
	for (let k = 0; k < 6; k++) {
		const [x, y, a] = [random() * width, random() * height, random() * 2 * Math.PI];
		const line = stroke(x, y, x + 60 * Math.cos(a), y + 60 * Math.sin(a), 1 + random());
		for (let p = 0; p < bits.length; p++) if (line((p % width) + 0.5, Math.floor(p / width) + 0.5)) bits[p] = 1;
	}
	const data = Uint8Array.from(bits, (v) => v * 255);
	return { mask: { data, width, height }, bbox: { x0: 0, y0: 0, x1: width, y1: height }, method: 'alpha', components: 1 };
}

describe('CellPolygon', () => {
	it('covers exactly the points the mesh covers, cell by cell', () => {
		const samples = 5;
		for (const seed of [3, 4, 5]) {
			const field = shape(subject(seed), { resolution: 100 }, ctx);
			expect(field.crossings, `seed ${seed}`).toBeDefined();
			const solid = mesh(field, ctx);
			const { cols, rows } = field;
			// Samples off round fractions of a cell, where a binary mask's crossings tend to fall exactly.
			const [sx, sy] = [0.0371, 0.0613];
			const view = { x0: sx, x1: cols + sx, y0: -rows - sy, y1: -sy, width: cols * samples, height: rows * samples };
			const { coverage } = renderFront(solid, view);
			const cell = new CellPolygon(cols + 1, field.coverage, field.crossings!);
			let differ = 0;
			for (let r = 0; r < view.height - 1; r++) {
				for (let c = 0; c < view.width - 1; c++) {
					const [u, v] = [sx + (c + 0.5) / samples, sy + (r + 0.5) / samples];
					const [i, j] = [Math.floor(u), Math.floor(v)];
					if (cell.build(j * (cols + 1) + i).holds(u - i, v - j) !== (coverage[r * view.width + c] === 1)) differ++;
				}
			}
			expect(differ, `seed ${seed}`).toBe(0);
		}
	});
});
