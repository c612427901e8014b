// Our triplane sampler (daemon/src/engine/triplane.ts) against PyTorch's grid_sample called the way TripoSR calls
// it, on random triplanes and points: inside the planes, on texel centres and edges, and outside them (zeros).
// Needs a Python with PyTorch (Debian's python3-torch); without one the test fails saying how to install it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Triplane } from '../../daemon/src/engine/triplane';
import { mulberry32 } from '../../models/testing/random';
import { requireTorchPython } from '../helpers/external';

const SCRIPT = path.join(__dirname, 'triplane_grid_sample.py');
const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-triplane-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRIPOSR_PLANES: [['x', 'y'], ['x', 'z'], ['y', 'z']] = [['x', 'y'], ['x', 'z'], ['y', 'z']];

/** PyTorch's features for the same triplane and points, [N, 3C]. */
function torchFeatures(values: Float32Array, points: Float32Array, [C, H, W]: [number, number, number]): Float32Array {
	const python = requireTorchPython();
	const files = ['triplane', 'points', 'out'].map((n) => path.join(dir, `${n}-${C}x${H}x${W}.f32`));
	writeFileSync(files[0], values);
	writeFileSync(files[1], points);
	execFileSync(python, [SCRIPT, ...files, String(C), String(H), String(W)], { stdio: ['ignore', 'ignore', 'pipe'] });
	const bytes = readFileSync(files[2]);
	return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Random points: most inside [-1, 1]³, some beyond the planes' edges, some exactly on texel centres and edges. */
function testPoints(n: number, H: number, W: number, seed: number): Float32Array {
	const rand = mulberry32(seed);
	const points = new Float32Array(n * 3);
	for (let i = 0; i < n; i++) {
		for (let a = 0; a < 3; a++) {
			const kind = rand();
			const size = a === 0 ? W : H;
			const k = Math.floor(rand() * size);
			points[i * 3 + a] =
				kind < 0.7 ? rand() * 2 - 1 : kind < 0.8 ? (2 * k + 1) / size - 1 : kind < 0.9 ? (2 * k) / size - 1 : (rand() * 2 - 1) * 1.3;
		}
	}
	return points;
}

describe('triplane sampling equals torch grid_sample (bilinear, align_corners=False, zero padding)', () => {
	for (const [C, H, W, seed] of [
		[40, 64, 64, 1],
		[5, 7, 11, 2],
	] as const) {
		it(`matches to 1e-5 on a random [3, ${C}, ${H}, ${W}] triplane`, () => {
			const rand = mulberry32(seed * 101);
			const values = Float32Array.from({ length: 3 * C * H * W }, () => rand() * 4 - 2);
			const points = testPoints(4000, H, W, seed);
			const expected = torchFeatures(values, points, [C, H, W]);
			const ours = new Triplane(values, { shape: [3, C, H, W], planes: TRIPOSR_PLANES }).sample(points);
			expect(ours.length).toBe(expected.length);
			let worst = 0;
			for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - expected[i]));
			expect(worst).toBeLessThan(1e-5);
			// Not all zeros: the comparison saw real features, and the points beyond the edges read less.
			expect(expected.some((v) => Math.abs(v) > 0.5)).toBe(true);
		});
	}

	it('would catch swapped width and height: a non-square plane read the other way round differs', () => {
		const [C, H, W] = [3, 8, 16];
		const rand = mulberry32(7);
		const values = Float32Array.from({ length: 3 * C * H * W }, () => rand());
		const points = testPoints(500, H, W, 9);
		const expected = torchFeatures(values, points, [C, H, W]);
		const swapped = new Triplane(values, { shape: [3, C, H, W], planes: [['y', 'x'], ['z', 'x'], ['z', 'y']] }).sample(points);
		let worst = 0;
		for (let i = 0; i < swapped.length; i++) worst = Math.max(worst, Math.abs(swapped[i] - expected[i]));
		expect(worst).toBeGreaterThan(0.1);
	});
});
