import { describe, expect, it } from 'vitest';
import { sampleGrid } from '../../daemon/src/geometry/grid';

describe('sampleGrid', () => {
	const dims: [number, number, number] = [5, 4, 3];
	const origin: [number, number, number] = [1, -2, 0.5];
	const spacing: [number, number, number] = [0.5, 0.25, 2];
	/** A field that encodes its point, so a misplaced value is visible. */
	const code = (x: number, y: number, z: number) => x + 10 * y + 100 * z;

	it('evaluates in chunks of at most the given size and stores each value at its sample', async () => {
		const chunks: number[] = [];
		const field = await sampleGrid(
			(points) => {
				chunks.push(points.length / 3);
				const values = new Float32Array(points.length / 3);
				for (let p = 0; p < values.length; p++) {
					values[p] = code(points[3 * p], points[3 * p + 1], points[3 * p + 2]);
				}
				return values;
			},
			dims,
			origin,
			spacing,
			7,
		);
		expect(chunks).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
		for (let k = 0; k < 3; k++) {
			for (let j = 0; j < 4; j++) {
				for (let i = 0; i < 5; i++) {
					const expected = code(1 + i * 0.5, -2 + j * 0.25, 0.5 + k * 2);
					expect(field[(k * 4 + j) * 5 + i]).toBeCloseTo(expected, 4);
				}
			}
		}
	});

	it('awaits an asynchronous evaluator one chunk at a time, with one spacing for all axes', async () => {
		let running = 0;
		let calls = 0;
		const field = await sampleGrid(
			async (points) => {
				expect(running).toBe(0);
				running++;
				calls++;
				await new Promise((resolve) => setTimeout(resolve, 1));
				running--;
				const sum = (p: number) => points[3 * p] + points[3 * p + 1] + points[3 * p + 2];
				return Array.from({ length: points.length / 3 }, (_, p) => sum(p));
			},
			[4, 4, 4],
			[0, 0, 0],
			1,
			10,
		);
		expect(calls).toBe(7);
		expect(field[(3 * 4 + 2) * 4 + 1]).toBe(1 + 2 + 3);
	});

	it('uses one chunk of 65536 by default and rejects a wrong number of values', async () => {
		let calls = 0;
		await sampleGrid((points) => (calls++, new Float32Array(points.length / 3)), [40, 40, 40], [0, 0, 0], 1);
		expect(calls).toBe(1);
		await expect(sampleGrid(() => new Float32Array(3), [2, 2, 2], [0, 0, 0], 1)).rejects.toThrow(/one per point/);
		await expect(sampleGrid(() => new Float32Array(8), [2, 2, 2], [0, 0, 0], 1, 0)).rejects.toThrow(/chunk/);
	});
});
