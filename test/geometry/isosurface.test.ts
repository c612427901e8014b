import { describe, expect, it } from 'vitest';
import {
	denseIsosurface,
	extractIsosurface,
	type BatchField,
	type IsosurfaceOptions,
	type IsosurfaceResult,
} from '../../daemon/src/geometry/isosurface';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import { KdTree, nearestDistances } from '../eval/shape/kdtree';
import { weldByPosition } from '../helpers/weld';

type Field3 = (x: number, y: number, z: number) => number;

/** A batch field over `f` that records every call, so evaluation counts and chunk sizes can be checked. */
function counted(f: Field3) {
	const log = { calls: 0, points: 0, largest: 0, batches: [] as Float32Array[] };
	const field: BatchField = async (points) => {
		const count = points.length / 3;
		log.calls++;
		log.points += count;
		log.largest = Math.max(log.largest, count);
		log.batches.push(points);
		const out = new Float32Array(count);
		for (let p = 0; p < count; p++) out[p] = f(points[3 * p], points[3 * p + 1], points[3 * p + 2]);
		return out;
	};
	return { field, log };
}

const sphere = (r: number, cx = 0, cy = 0, cz = 0): Field3 => (x, y, z) => Math.hypot(x - cx, y - cy, z - cz) - r;

/** 1 at the centre, 1/2 on the ellipsoid with semi-axes (a, b, c), falling off outside: a density. */
const ellipsoidDensity =
	(a: number, b: number, c: number, cx: number, cy: number, cz: number): Field3 =>
	(x, y, z) =>
		1 / (1 + ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 + ((z - cz) / c) ** 2);

/** Closed, 2-manifold and outward-facing once equal positions are merged. */
function expectSolid(mesh: IsosurfaceResult): void {
	const welded = weldByPosition(mesh);
	expect(welded.indices.length).toBeGreaterThan(0);
	expect(analyzeTopology(welded.positions, welded.indices)).toMatchObject({
		boundaryEdges: 0,
		nonManifoldEdges: 0,
		nonManifoldVertices: 0,
		inconsistentEdges: 0,
		degenerateTriangles: 0,
		closed: true,
		watertight: true,
	});
}

/** Mean of the two directional mean nearest-vertex distances. */
function chamfer(a: Float32Array, b: Float32Array): number {
	const mean = (d: Float64Array) => d.reduce((sum, v) => sum + v, 0) / d.length;
	return (mean(nearestDistances(a, new KdTree(b))) + mean(nearestDistances(b, new KdTree(a)))) / 2;
}

/** Extent of the vertices along y. */
function height(positions: Float32Array): number {
	let low = Infinity;
	let high = -Infinity;
	for (let v = 1; v < positions.length; v += 3) {
		low = Math.min(low, positions[v]);
		high = Math.max(high, positions[v]);
	}
	return high - low;
}

/** The cells of an n³ grid over [−1, 1]³ that hold a vertex, as (K·n + J)·n + I. */
function cellsWithVertices(positions: Float32Array, n: number): Set<number> {
	const cells = new Set<number>();
	for (let v = 0; v < positions.length; v += 3) {
		const [I, J, K] = [0, 1, 2].map((a) => Math.min(n - 1, Math.floor(((positions[v + a] + 1) * n) / 2)));
		cells.add((K * n + J) * n + I);
	}
	return cells;
}

/** Lowest corner of cell (K·n + J)·n + I of an n³ grid over [−1, 1]³. */
function cellMin(cell: number, n: number): number[] {
	return [cell % n, Math.floor(cell / n) % n, Math.floor(cell / (n * n))].map((c) => -1 + (2 * c) / n);
}

/** Whether `f` is above 0 at all eight corners of the cube. */
function cornersOutside(f: Field3, min: number[], size: number): boolean {
	for (let c = 0; c < 8; c++) {
		if (!(f(min[0] + (c & 1) * size, min[1] + ((c >> 1) & 1) * size, min[2] + (c >> 2) * size) > 0)) return false;
	}
	return true;
}

/** Index of the first element where the arrays differ (length included); -1 when they are equal. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
	for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
	return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

/** Runs both extractions on the same field and checks the coarse-to-fine one against the dense one. */
async function compare(f: Field3, options: IsosurfaceOptions) {
	const fine = counted(f);
	const dense = counted(f);
	const result = await extractIsosurface(fine.field, options);
	const reference = await denseIsosurface(dense.field, options);
	expect(result.samples).toBe(options.resolution + 1);
	expect(reference.samples).toBe(options.resolution + 1);
	expect(result.evaluated).toBe(fine.log.points);
	expect(reference.evaluated).toBe(dense.log.points);
	expect(reference.evaluated).toBe((options.resolution + 1) ** 3);
	expectSolid(result);
	expectSolid(reference);
	return { result, reference, log: fine.log, chamfer: chamfer(result.positions, reference.positions) };
}

describe('extractIsosurface', () => {
	// Measured (evaluations, coarse-to-fine against dense; Chamfer): sphere 128³ 126 495 / 2 146 689 (17×),
	// 256³ 645 983 / 16 974 593 (26×); ellipsoid 128³ 115 344 / 2 146 689 (18.6×); Chamfer 0 for all: the
	// meshes are identical, vertex for vertex.
	const shapes: Array<[string, Field3, Pick<IsosurfaceOptions, 'level' | 'inside'>, number]> = [
		['a sphere SDF', sphere(0.5), { level: 0, inside: 'below' }, 128],
		['an off-centre ellipsoid density', ellipsoidDensity(0.6, 0.35, 0.45, 0.1, -0.15, 0.05), { level: 0.5, inside: 'above' }, 128],
		['a sphere SDF', sphere(0.5), { level: 0, inside: 'below' }, 256],
	];
	for (const [name, f, side, resolution] of shapes) {
		it(`meshes ${name} at ${resolution}³ as the dense grid does, evaluating at least 8× fewer points`, async () => {
			const { result, reference, log, chamfer: distance } = await compare(f, { bound: 1, resolution, ...side });
			expect(distance).toBeLessThan(1e-3 * height(reference.positions));
			// Where the coarse grid sees the whole surface, the mesh is the dense one, vertex for vertex.
			expect(firstDifference(result.positions, reference.positions)).toBe(-1);
			expect(firstDifference(result.indices, reference.indices)).toBe(-1);
			expect(result.evaluated * 8).toBeLessThanOrEqual(reference.evaluated);
			expect(log.largest).toBeLessThanOrEqual(16384);
		});
	}

	it('evaluates each sample once, on the fine grid, in chunks of the given size', async () => {
		const resolution = 64;
		const h = 2 / resolution;
		const { field, log } = counted(sphere(0.43, 0.05, -0.1, 0));
		const result = await extractIsosurface(field, { bound: 1, resolution, coarse: 8, level: 0, inside: 'below', chunk: 1000 });
		expect(log.calls).toBeGreaterThan(2);
		expect(log.batches.every((b) => b.length / 3 <= 1000)).toBe(true);
		const seen = new Set<number>();
		let offGrid = 0;
		let outOfRange = 0;
		for (const points of log.batches) {
			for (let p = 0; p < points.length; p += 3) {
				const [i, j, k] = [points[p], points[p + 1], points[p + 2]].map((x) => (x + 1) / h);
				for (const index of [i, j, k]) {
					offGrid = Math.max(offGrid, Math.abs(index - Math.round(index)));
					if (Math.round(index) < 0 || Math.round(index) > resolution) outOfRange++;
				}
				seen.add((Math.round(k) * 65 + Math.round(j)) * 65 + Math.round(i));
			}
		}
		expect(offGrid).toBeLessThan(1e-4);
		expect(outOfRange).toBe(0);
		expect(seen.size).toBe(result.evaluated);
		// The coarse grid (9³ samples) is always evaluated whole.
		expect(result.evaluated).toBeGreaterThan(9 ** 3);
	});

	it('finds all of a tilted plate thinner than a coarse cell, which the coarse grid sees only in places', async () => {
		// 128³ over [−1, 1]³, 32³ coarse: coarse cells 0.0625 wide, the plate 0.02 thick (1.3 fine cells), cut to a disc.
		const [nx, ny, nz] = [1, 0.37, 0.21].map((v, _, a) => v / Math.hypot(...a));
		const plate: Field3 = (x, y, z) => Math.max(Math.abs(nx * x + ny * y + nz * z - 0.1) - 0.01, Math.hypot(x, y, z) - 0.7);
		const options: IsosurfaceOptions = { bound: 1, resolution: 128, coarse: 32, level: 0, inside: 'below' };
		const { result, reference, chamfer: distance } = await compare(plate, options);
		expect(distance).toBeLessThan(1e-3 * height(reference.positions));
		expect(firstDifference(result.positions, reference.positions)).toBe(-1);
		expect(firstDifference(result.indices, reference.indices)).toBe(-1);
		// Measured: 65 of the 747 coarse cells the plate passes through have all eight corners outside it, so only
		// the faces of their neighbours led there.
		const crossed = cellsWithVertices(reference.positions, 32);
		const unseen = [...crossed].filter((cell) => cornersOutside(plate, cellMin(cell, 32), 2 / 32));
		expect(unseen.length).toBeGreaterThan(0.05 * crossed.size);
		expect(result.evaluated * 3).toBeLessThan(reference.evaluated);
	});

	it('follows a bump out of the coarse cells through the faces of active cells', async () => {
		// 64³ over [−1, 1]³, 16³ coarse: cells 0.125 wide. The bump is centred in the coarse cell
		// [0.5, 0.625] × [0, 0.125]², reaches 0.1 from its centre (the corners are 0.108 away) and joins the sphere,
		// so that cell and the one beyond it have no sign change at their corners.
		const body = sphere(0.48);
		const bump = sphere(0.1, 0.5625, 0.0625, 0.0625);
		const field: Field3 = (x, y, z) => Math.min(body(x, y, z), bump(x, y, z));
		const cell = (8 * 16 + 8) * 16 + 12;
		const beyond = cell + 1;
		expect(cellMin(cell, 16)).toEqual([0.5, 0, 0]);
		for (const c of [cell, beyond]) expect(cornersOutside(field, cellMin(c, 16), 0.125)).toBe(true);
		const { result, reference } = await compare(field, { bound: 1, resolution: 64, level: 0, inside: 'below' });
		const crossed = cellsWithVertices(reference.positions, 16);
		expect(crossed.has(cell) && crossed.has(beyond)).toBe(true);
		expect(firstDifference(result.positions, reference.positions)).toBe(-1);
		expect(firstDifference(result.indices, reference.indices)).toBe(-1);
		expect(analyzeTopology(result.positions, result.indices).components).toBe(1);
	});

	it('misses a sphere that lies inside one coarse cell, clear of its corners (the limit of the method)', async () => {
		const small = sphere(0.04, 0.0625, 0.0625, 0.0625);
		const options: IsosurfaceOptions = { bound: 1, resolution: 64, level: 0, inside: 'below' };
		const reference = await denseIsosurface(counted(small).field, options);
		expectSolid(reference);
		const result = await extractIsosurface(counted(small).field, options);
		expect(result.indices.length).toBe(0);
		expect(result.evaluated).toBe(17 ** 3);
	});

	it('returns an empty mesh for a field that never crosses the level', async () => {
		for (const side of [{ level: 0, inside: 'below' }, { level: 0.5, inside: 'above' }] as const) {
			const { field, log } = counted(() => 0.25 + (side.inside === 'below' ? 1 : 0));
			const result = await extractIsosurface(field, { bound: 1, resolution: 64, ...side });
			expect(result.positions.length).toBe(0);
			expect(result.indices.length).toBe(0);
			// Only the default coarse grid, 64 / 4 = 16 cells a side.
			expect(result.evaluated).toBe(17 ** 3);
			expect(log.points).toBe(17 ** 3);
		}
	});

	it('stops evaluating when cancelled and rejects with the abort error', async () => {
		// 17³ coarse samples in chunks of 1000: calls 1–5 are the coarse pass, later ones fine passes.
		for (const stopAt of [2, 7]) {
			const controller = new AbortController();
			const { field, log } = counted(sphere(0.5));
			const cancelling: BatchField = async (points) => {
				const out = await field(points);
				if (log.calls === stopAt) controller.abort();
				return out;
			};
			const options: IsosurfaceOptions = { bound: 1, resolution: 64, level: 0, inside: 'below', chunk: 1000, signal: controller.signal };
			const error = await extractIsosurface(cancelling, options).catch((e: unknown) => e);
			expect(controller.signal.aborted).toBe(true);
			expect(error).toBe(controller.signal.reason);
			expect(log.calls).toBe(stopAt);
		}
		const controller = new AbortController();
		const { field, log } = counted(sphere(0.5));
		const cancelling: BatchField = async (points) => {
			const out = await field(points);
			if (log.calls === 3) controller.abort();
			return out;
		};
		const options: IsosurfaceOptions = { bound: 1, resolution: 32, level: 0, inside: 'below', chunk: 1000, signal: controller.signal };
		const error = await denseIsosurface(cancelling, options).catch((e: unknown) => e);
		expect(error).toBe(controller.signal.reason);
		expect(log.calls).toBe(3);
	});

	it('evaluates nothing when the signal is already aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		const { field, log } = counted(sphere(0.5));
		const options: IsosurfaceOptions = { bound: 1, resolution: 32, level: 0, inside: 'below', signal: controller.signal };
		await expect(extractIsosurface(field, options)).rejects.toThrow(/abort/i);
		expect(log.calls).toBe(0);
	});

	it('reports progress that never goes back and ends at 1', async () => {
		const f = ellipsoidDensity(0.6, 0.35, 0.45, 0.1, -0.15, 0.05);
		for (const extract of [extractIsosurface, denseIsosurface]) {
			const seen: number[] = [];
			const options: IsosurfaceOptions = { bound: 1, resolution: 64, level: 0.5, inside: 'above', chunk: 2000, progress: (p) => seen.push(p) };
			await extract(counted(f).field, options);
			expect(seen.length).toBeGreaterThan(5);
			for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
			expect(seen[0]).toBeGreaterThan(0);
			expect(seen.at(-1)).toBe(1);
		}
	});

	it('rejects a coarse grid that does not divide the resolution, and a field that answers the wrong count', async () => {
		const { field } = counted(sphere(0.5));
		await expect(extractIsosurface(field, { bound: 1, resolution: 64, coarse: 10, level: 0, inside: 'below' })).rejects.toThrow(RangeError);
		const short: BatchField = async (points) => new Float32Array(points.length / 3 - 1);
		await expect(extractIsosurface(short, { bound: 1, resolution: 16, level: 0, inside: 'below' })).rejects.toThrow(/one per point/);
	});
});
