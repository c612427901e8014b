// The shape eval's measuring pieces against values worked out by hand: the scores of identical and shifted
// cubes, the ray-parity voxeliser on columns that run exactly through shared edges, the k-d tree against a
// plain scan, and the five views' conventions (which side of each picture a marker lands on).
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../daemon/src/pipeline/types';
import { carve, silhouetteOf } from './carve';
import { KdTree } from './kdtree';
import { boxMesh, mergeMeshes, type TriangleMesh } from './mesh';
import { prepareTruth, sampleSurface, scoreShapes, surfaceScores, volumeIoU } from './metrics';
import { renderView } from './render';
import { mulberry32 } from '../../helpers/random';
import { frameFor, VIEW_NAMES, type ViewName } from './views';

const unitCube = boxMesh([0, 0, 0], [1, 1, 1]);

function shifted(mesh: TriangleMesh, dx: number): TriangleMesh {
	const positions = mesh.positions.slice();
	for (let i = 0; i < positions.length; i += 3) positions[i] += dx;
	return { positions, indices: mesh.indices };
}

describe('scores', () => {
	it('gives Chamfer 0, F = 1 and IoU 1 for identical meshes', () => {
		const mesh = mergeMeshes([boxMesh([0, 0, 0], [1, 2, 1]), boxMesh([1.5, 0, 0], [2, 0.5, 3])]);
		const scores = scoreShapes(prepareTruth(mesh), mesh);
		expect(scores.chamferL1).toBe(0);
		expect(scores.fscore['0.05']).toBe(1);
		expect(scores.fscore['0.1']).toBe(1);
		expect(scores.iou).toBe(1);
	});

	it('matches the closed-form values for a unit cube against itself shifted by 0.2', () => {
		// Per direction (both are alike by symmetry), over the cube's six unit faces: the face left behind is
		// 0.2 away; the face inside the other cube is min(0.2, distance to its own border) away, mean
		// ∫₀^0.2 (1 − 2t)² dt = 0.784 / 6; the four side faces are 0 away over 0.8 of their length and 0.2 − x
		// over the rest, mean 0.02. Chamfer = (0.2 + 0.784/6 + 4·0.02) / 6 ≈ 0.0684; sampling adds a little, since
		// a point on the other surface is still about half a sample spacing from its nearest sample.
		const scores = surfaceScores(sampleSurface(unitCube), sampleSurface(shifted(unitCube, 0.2)));
		expect(scores.chamferL1).toBeGreaterThan(0.0684);
		expect(scores.chamferL1).toBeLessThan(0.0684 + 0.008);
		// Within τ: the inside face where its border is nearer than τ (1 − (1 − 2τ)²), the side faces over
		// (0.8 + τ) of their length, the far face never: F@0.05 = (0.19 + 4·0.85) / 6, F@0.1 = (0.36 + 4·0.9) / 6.
		expect(Math.abs(scores.fscore['0.05'] - (0.19 + 4 * 0.85) / 6)).toBeLessThan(0.02);
		expect(Math.abs(scores.fscore['0.1'] - (0.36 + 4 * 0.9) / 6)).toBeLessThan(0.02);
		expect(scores.precision['0.1']).toBeCloseTo(scores.recall['0.1'], 1);
		// Overlap 0.8 over a union of 1.2; the 64 voxels across 1.2 put the cube faces within a voxel of the truth.
		expect(Math.abs(volumeIoU(unitCube, shifted(unitCube, 0.2)) - 2 / 3)).toBeLessThan(0.02);
	});

	it('puts parallel squares 0.2 apart at Chamfer 0.2 and F = 0 below that distance', () => {
		const square = (z: number): TriangleMesh => ({
			positions: Float32Array.from([0, 0, z, 1, 0, z, 1, 1, z, 0, 1, z]),
			indices: Uint32Array.from([0, 1, 2, 0, 2, 3]),
		});
		const scores = surfaceScores(sampleSurface(square(0)), sampleSurface(square(0.2)));
		expect(scores.chamferL1).toBeCloseTo(0.2, 3);
		expect(scores.fscore['0.1']).toBe(0);
	});

	it('skips IoU, and says why, when the generated mesh is open', () => {
		const open: TriangleMesh = { positions: unitCube.positions, indices: unitCube.indices.slice(0, 30) };
		const scores = scoreShapes(prepareTruth(unitCube), open);
		expect(scores.iou).toBeNull();
		expect(scores.iouSkipped).toMatch(/generated mesh not closed \(\d+ boundary edges/);
	});
});

describe('voxelize', () => {
	it('fills a cube even where the ray columns run exactly along the diagonals its faces are split on', () => {
		// The grid spans the cube exactly, so voxel centres with i = j lie on the diagonals of the ±z faces;
		// counting such a column in both triangles (or neither) would empty it.
		expect(volumeIoU(unitCube, unitCube, 8)).toBe(1);
		const twoCubes = mergeMeshes([unitCube, boxMesh([0, 0, 2], [1, 1, 3])]);
		const single = boxMesh([0, 0, 0], [1, 1, 3]);
		// Two cubes with a gap of one third of the stack: a third of the voxels of the full column are empty.
		expect(volumeIoU(twoCubes, single, 12)).toBeCloseTo(2 / 3, 5);
	});
});

describe('KdTree', () => {
	it('finds the same nearest distance as a scan of every point', () => {
		const random = mulberry32(7);
		const points = Float32Array.from({ length: 3 * 3000 }, () => random());
		const tree = new KdTree(points);
		for (let q = 0; q < 200; q++) {
			const [x, y, z] = [random() * 1.4 - 0.2, random() * 1.4 - 0.2, random() * 1.4 - 0.2];
			let best = Infinity;
			for (let i = 0; i < points.length; i += 3) best = Math.min(best, Math.hypot(points[i] - x, points[i + 1] - y, points[i + 2] - z));
			expect(tree.nearest(x, y, z)).toBeCloseTo(best, 6);
		}
	});
});

describe('views', () => {
	const body = boxMesh([-0.5, -0.5, -0.5], [0.5, 0.5, 0.5]);
	const SIZE = 128;

	/** Centre of the pixels a marker adds to the body's picture, as fractions of the picture (0.5 = middle). */
	function markerCentre(marker: TriangleMesh, view: ViewName): { x: number; y: number } {
		const marked = mergeMeshes([body, marker]);
		const frame = frameFor(marked.positions, SIZE);
		const withMarker = renderView({ ...marked, color: [200, 200, 200] }, view, frame);
		const without = renderView({ ...body, color: [200, 200, 200] }, view, frame);
		let sx = 0, sy = 0, n = 0;
		for (let p = 0; p < SIZE * SIZE; p++) {
			if (withMarker.data[4 * p + 3] === 255 && without.data[4 * p + 3] === 0) {
				sx += (p % SIZE) + 0.5;
				sy += Math.floor(p / SIZE) + 0.5;
				n++;
			}
		}
		expect(n, `the marker shows in ${view}`).toBeGreaterThan(0);
		return { x: sx / n / SIZE, y: sy / n / SIZE };
	}

	it('shows the front (+Z) on the left of right, on the right of left, at the bottom of top', () => {
		const front = boxMesh([-0.1, -0.1, 0.5], [0.1, 0.1, 0.9]);
		expect(markerCentre(front, 'right').x).toBeLessThan(0.3);
		expect(markerCentre(front, 'left').x).toBeGreaterThan(0.7);
		expect(markerCentre(front, 'top').y).toBeGreaterThan(0.7);
	});

	it('shows +X on the right of front and top, on the left of back; +Y at the top of front', () => {
		const east = boxMesh([0.5, -0.1, -0.1], [0.9, 0.1, 0.1]);
		expect(markerCentre(east, 'front').x).toBeGreaterThan(0.7);
		expect(markerCentre(east, 'top').x).toBeGreaterThan(0.7);
		expect(markerCentre(east, 'back').x).toBeLessThan(0.3);
		const up = boxMesh([-0.1, 0.5, -0.1], [0.1, 0.9, 0.1]);
		expect(markerCentre(up, 'front').y).toBeLessThan(0.3);
		expect(markerCentre(up, 'right').y).toBeLessThan(0.3);
	});

	it('draws every view at one scale, the longest extent filling 88 % of the picture, alpha 0 outside', () => {
		const box = boxMesh([0, 0, 0], [1, 2, 3]);
		const frame = frameFor(box.positions, 200);
		const extent = (image: RgbaImage, axis: 'x' | 'y') => {
			let lo = Infinity, hi = -Infinity;
			for (let p = 0; p < image.width * image.height; p++) {
				if (image.data[4 * p + 3] === 0) continue;
				const c = axis === 'x' ? p % image.width : Math.floor(p / image.width);
				lo = Math.min(lo, c);
				hi = Math.max(hi, c);
			}
			return hi - lo + 1;
		};
		const pictures = Object.fromEntries(VIEW_NAMES.map((v) => [v, renderView({ ...box, color: [90, 90, 90] }, v, frame)]));
		const px = (units: number) => Math.round((units * 0.88 * 200) / 3);
		// Within a pixel: the edges fall wherever the pixel centres do.
		const near = (pixels: number, units: number) => expect(Math.abs(pixels - px(units))).toBeLessThanOrEqual(1);
		near(extent(pictures.front, 'x'), 1);
		near(extent(pictures.front, 'y'), 2);
		near(extent(pictures.right, 'x'), 3);
		near(extent(pictures.right, 'y'), 2);
		near(extent(pictures.top, 'x'), 1);
		near(extent(pictures.top, 'y'), 3);
		expect(pictures.front.data[3]).toBe(0);
	});
});

describe('carve', () => {
	it('rebuilds a box from the front, right and top silhouettes of its own pictures', () => {
		const box = boxMesh([0, 0, 0], [1, 0.6, 0.8]);
		const frame = frameFor(box.positions, 160);
		const silhouettes = (['front', 'right', 'top'] as const).map((v) => silhouetteOf(v, renderView({ ...box, color: [90, 90, 90] }, v, frame)));
		const hull = carve(silhouettes, frame, { box: { min: [0, 0, 0], max: [1, 0.6, 0.8] }, cells: 32 });
		const scores = scoreShapes(prepareTruth(box), hull);
		expect(scores.fscore['0.05']).toBeGreaterThan(0.98);
		expect(scores.iou).toBeGreaterThan(0.9);
	});
});
