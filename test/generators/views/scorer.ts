// Scores a reconstructed mesh against a known solid (shapes.ts): volume IoU on a voxel grid (the mesh voxelized by
// ray parity) and a symmetric Chamfer distance between area-weighted surface samples. Used by the tests and by
// score.ts, which compares the carving variants.
import { samplePoints } from '../../eval/shape/sample';
import { marchingCubes } from '../../../daemon/src/geometry/marching-cubes';
import type { Solid } from './shapes';

export interface Mesh {
	positions: Float32Array;
	indices: Uint32Array;
}

/** The grid the scores use: the solid's bounds grown by a margin, n cells along every axis. */
function scoreGrid(solid: Solid, n: number) {
	const [lo, hi] = solid.bounds;
	const min = lo.map((v, k) => v - 0.08 * (hi[k] - lo[k]) - 0.02);
	const max = hi.map((v, k) => v + 0.08 * (hi[k] - lo[k]) + 0.02);
	const step = max.map((v, k) => (v - min[k]) / n);
	return { min, max, step };
}

/**
 * Inside/outside of a closed mesh at the centres of an n³ grid: one ray per (x, y) column along +z, crossings
 * sorted, parity between them. Columns are nudged off the grid lines so a ray never runs through an edge.
 */
export function voxelize(mesh: Mesh, min: number[], step: number[], n: number): Uint8Array {
	const { positions: P, indices: I } = mesh;
	const buckets: number[][] = Array.from({ length: n * n }, () => []);
	for (let t = 0; t < I.length; t += 3) {
		let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
		for (let k = 0; k < 3; k++) {
			const x = P[3 * I[t + k]], y = P[3 * I[t + k] + 1];
			x0 = Math.min(x0, x), x1 = Math.max(x1, x), y0 = Math.min(y0, y), y1 = Math.max(y1, y);
		}
		const i0 = Math.max(0, Math.floor((x0 - min[0]) / step[0] - 0.5)), i1 = Math.min(n - 1, Math.ceil((x1 - min[0]) / step[0] - 0.5));
		const j0 = Math.max(0, Math.floor((y0 - min[1]) / step[1] - 0.5)), j1 = Math.min(n - 1, Math.ceil((y1 - min[1]) / step[1] - 0.5));
		for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) buckets[j * n + i].push(t);
	}
	const inside = new Uint8Array(n * n * n);
	for (let j = 0; j < n; j++) {
		const py = min[1] + (j + 0.5) * step[1] + 1.234e-5;
		for (let i = 0; i < n; i++) {
			const px = min[0] + (i + 0.5) * step[0] + 2.345e-5;
			const hits: number[] = [];
			for (const t of buckets[j * n + i]) {
				const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
				const ax = P[a], ay = P[a + 1], bx = P[b], by = P[b + 1], cx = P[c], cy = P[c + 1];
				const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
				if (area === 0) continue;
				const w0 = ((bx - px) * (cy - py) - (cx - px) * (by - py)) / area;
				const w1 = ((cx - px) * (ay - py) - (ax - px) * (cy - py)) / area;
				const w2 = 1 - w0 - w1;
				if (w0 < 0 || w1 < 0 || w2 < 0) continue;
				hits.push(w0 * P[a + 2] + w1 * P[b + 2] + w2 * P[c + 2]);
			}
			hits.sort((u, v) => u - v);
			let h = 0;
			for (let k = 0; k < n; k++) {
				const pz = min[2] + (k + 0.5) * step[2];
				while (h < hits.length && hits[h] < pz) h++;
				if (h % 2 === 1) inside[(k * n + j) * n + i] = 1;
			}
		}
	}
	return inside;
}

/** Volume IoU of a closed mesh against the solid on an n³ grid over the solid's bounds. */
export function volumeIoU(mesh: Mesh, solid: Solid, n = 64): number {
	const { min, step } = scoreGrid(solid, n);
	const predicted = voxelize(mesh, min, step, n);
	let both = 0, either = 0;
	for (let k = 0, p = 0; k < n; k++) {
		const z = min[2] + (k + 0.5) * step[2];
		for (let j = 0; j < n; j++) {
			const y = min[1] + (j + 0.5) * step[1];
			for (let i = 0; i < n; i++, p++) {
				const truth = solid.sdf(min[0] + (i + 0.5) * step[0], y, z) < 0 ? 1 : 0;
				both += truth & predicted[p];
				either += truth | predicted[p];
			}
		}
	}
	return both / either;
}

/** The solid's surface, marched from its distance function at n³. */
export function truthSurface(solid: Solid, n = 128): Mesh {
	const { min, step } = scoreGrid(solid, n - 1);
	const field = new Float32Array(n * n * n);
	for (let k = 0, p = 0; k < n; k++) {
		for (let j = 0; j < n; j++) for (let i = 0; i < n; i++, p++) field[p] = solid.sdf(min[0] + i * step[0], min[1] + j * step[1], min[2] + k * step[2]);
	}
	return marchingCubes(field, [n, n, n], { origin: min as [number, number, number], spacing: step as [number, number, number] });
}


function len(x: number, y: number, z: number): number {
	return Math.sqrt(x * x + y * y + z * z);
}

/** Mean distance from each point of `from` to its nearest point of `to` (a uniform hash grid over `to`). */
function meanNearest(from: Float32Array, to: Float32Array, cell: number): number {
	const grid = new Map<string, number[]>();
	const key = (i: number, j: number, k: number) => `${i},${j},${k}`;
	for (let p = 0; p < to.length; p += 3) {
		const id = key(Math.floor(to[p] / cell), Math.floor(to[p + 1] / cell), Math.floor(to[p + 2] / cell));
		const list = grid.get(id);
		if (list) list.push(p);
		else grid.set(id, [p]);
	}
	let sum = 0;
	for (let p = 0; p < from.length; p += 3) {
		const x = from[p], y = from[p + 1], z = from[p + 2];
		const ci = Math.floor(x / cell), cj = Math.floor(y / cell), ck = Math.floor(z / cell);
		let best = Infinity;
		// Grow the searched shell until no unsearched cell can hold a nearer point.
		for (let r = 0; r < 64 && (r - 1) * cell < best; r++) {
			for (let i = ci - r; i <= ci + r; i++) {
				for (let j = cj - r; j <= cj + r; j++) {
					for (let k = ck - r; k <= ck + r; k++) {
						if (Math.max(Math.abs(i - ci), Math.abs(j - cj), Math.abs(k - ck)) !== r) continue;
						for (const q of grid.get(key(i, j, k)) ?? []) best = Math.min(best, len(to[q] - x, to[q + 1] - y, to[q + 2] - z));
					}
				}
			}
		}
		sum += best;
	}
	return sum / (from.length / 3);
}

/** Symmetric Chamfer distance (mean of both directions) as a percentage of the solid's bounding-box diagonal. */
export function chamfer(mesh: Mesh, truth: Mesh, solid: Solid, samples = 8000): number {
	const [lo, hi] = solid.bounds;
	const diagonal = len(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
	const a = samplePoints(mesh, samples, 11);
	const b = samplePoints(truth, samples, 13);
	const cell = diagonal / 40;
	return (100 * (meanNearest(a, b, cell) + meanNearest(b, a, cell))) / 2 / diagonal;
}

/**
 * Maps a carved mesh (object units = front-mask pixels, origin at the box centre) back to the solid's frame, for
 * views rendered by renderViews with one size and scale: each axis is read through a view that shows it.
 */
export function toWorld(
	mesh: Mesh,
	frames: Partial<Record<string, { uAxis: number; vAxis: number; uSign: number; vSign: number; centreU: number; centreV: number }>>,
	size: number,
	scale: number,
): Mesh {
	const offset = [0, 0, 0];
	for (const axis of [0, 1, 2]) {
		for (const frame of Object.values(frames)) {
			if (!frame) continue;
			if (frame.uAxis === axis) offset[axis] = (frame.uSign * (frame.centreU - size / 2)) / scale;
			else if (frame.vAxis === axis) offset[axis] = (frame.vSign * (frame.centreV - size / 2)) / scale;
			else continue;
			break;
		}
	}
	const positions = new Float32Array(mesh.positions.length);
	for (let p = 0; p < positions.length; p++) positions[p] = mesh.positions[p] / scale + offset[p % 3];
	return { positions, indices: mesh.indices };
}
