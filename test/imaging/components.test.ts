import { describe, expect, it } from 'vitest';
import { labelComponents } from '../../daemon/src/imaging/components';
import { blobMask } from '../helpers/random';

/** Reference labelling by breadth-first search: sorted component areas and border flags. */
function reference(mask: Uint8Array, w: number, h: number, value: number) {
	const seen = new Uint8Array(w * h);
	const found: Array<{ area: number; border: boolean }> = [];
	for (let s = 0; s < w * h; s++) {
		if (seen[s] || mask[s] !== value) continue;
		const queue = [s];
		seen[s] = 1;
		let area = 0;
		let border = false;
		while (queue.length) {
			const p = queue.pop()!;
			area++;
			const x = p % w;
			const y = (p - x) / w;
			if (x === 0 || y === 0 || x === w - 1 || y === h - 1) border = true;
			for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
				if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
				const q = ny * w + nx;
				if (!seen[q] && mask[q] === value) {
					seen[q] = 1;
					queue.push(q);
				}
			}
		}
		found.push({ area, border });
	}
	return found;
}

describe('labelComponents', () => {
	it('agrees with a breadth-first search on random masks, for both values', () => {
		for (const seed of [11, 12, 13, 14]) {
			const w = 53;
			const h = 47;
			const mask = blobMask(w, h, seed);
			for (const value of [0, 1]) {
				const got = labelComponents(mask, w, h, value);
				const want = reference(mask, w, h, value);
				expect(got.count).toBe(want.length);
				const gotAreas = Array.from(got.areas.slice(1)).sort((a, b) => a - b);
				expect(gotAreas).toEqual(want.map((c) => c.area).sort((a, b) => a - b));
				const gotBorder = Array.from(got.touchesBorder.slice(1)).filter(Boolean).length;
				expect(gotBorder).toBe(want.filter((c) => c.border).length);
				// Every pixel of the value is labelled, and 4-neighbours with the value share a label.
				for (let p = 0; p < w * h; p++) {
					expect(got.labels[p] !== 0).toBe(mask[p] === value);
					if (p % w < w - 1 && mask[p] === value && mask[p + 1] === value) expect(got.labels[p + 1]).toBe(got.labels[p]);
				}
			}
		}
	});

	it('keeps diagonal neighbours apart (4-connectivity)', () => {
		const mask = Uint8Array.from([1, 0, 0, 1]);
		expect(labelComponents(mask, 2, 2, 1).count).toBe(2);
	});
});
