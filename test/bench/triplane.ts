// The triplane row of `npm run bench`: isosurface extraction through the engine at an effective 256³ grid, with a
// decoder of TripoSR's exact architecture (models/testing/triposr.ts: Linear 120→64, SiLU, eight 64→64 + SiLU,
// →4; generated weights) reading a triplane that holds a real surface (the soft visual hull of the shape eval's
// quadruped). Coarse-to-fine (geometry/isosurface.ts) against dense evaluation of every sample, in the same run
// and the same process; the two surfaces are compared by Chamfer distance, relative to the model's height.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Engine } from '../../daemon/src/engine/engine';
import { denseIsosurface, extractIsosurface, type IsosurfaceResult } from '../../daemon/src/geometry/isosurface';
import { bounds } from '../../daemon/src/geometry/place';
import { Home } from '../../daemon/src/jobs/home';
import type { TestModel } from '../../models/testing/models';
import { constantTriplaneEncoder, linearParameters, silhouetteTriplane, TRIPOSR_RADIUS, TRIPOSR_SURFACE_LEVEL, tripoSRDecoder } from '../../models/testing/triposr';
import { fixtureSubject } from '../eval/shape/fixtures';
import { sampleSurface, surfaceScores } from '../eval/shape/metrics';
import { installTestModel } from '../helpers/models';
import { percentile } from './stats';

const RESOLUTION = 256;
const SUBJECT = 'quadruped';

export interface TriplaneBench {
	resolution: number;
	subject: string;
	decoderParameters: number;
	/** p50 of coarse-to-fine extraction through the engine, ms. */
	coarseToFineMs: number;
	/** Dense evaluation of every sample, then the same march, ms (one run). */
	denseMs: number;
	ratio: number;
	evaluated: { coarseToFine: number; dense: number };
	triangles: { coarseToFine: number; dense: number };
	/** Chamfer-L1 between the two surfaces over the model's height. */
	chamferOverHeight: number;
	/** Decoder points per second through the engine (features sampled in TypeScript + session.run). */
	pointsPerSecond: number;
	target: { ratio: number; chamferOverHeight: number };
	encoder: string;
}

export const TRIPLANE_TARGET = { ratio: 8, chamferOverHeight: 1e-3 };

/** The stand-in as an installed triplane model: its triplane as the encoder's constant output, TripoSR's decoder. */
async function standIn(): Promise<TestModel<'encoder' | 'decoder'>> {
	const subject = await fixtureSubject(SUBJECT);
	const encoder = constantTriplaneEncoder(silhouetteTriplane(subject.surface));
	const decoder = tripoSRDecoder();
	const id = 'bench-triposr-standin';
	return {
		bytes: { encoder: encoder.bytes, decoder: decoder.bytes },
		description: {
			id,
			name: 'Bench: TripoSR-shaped stand-in',
			kind: 'triplane',
			version: '1',
			description: 'A fixed triplane holding a visual hull and a decoder of TripoSR architecture with generated weights.',
			files: [
				{ role: 'encoder', name: `${id}.encoder.onnx` },
				{ role: 'decoder', name: `${id}.decoder.onnx` },
			],
			input: { name: 'image', size: [512, 512], resize: 'stretch', mean: [0, 0, 0], std: [1, 1, 1], layout: 'NCHW', colorOrder: 'RGB', range: [0, 1] },
			output: { name: 'density', index: 0, activation: 'none', normalize: 'none' },
			licence: { id: 'MIT', permissive: true },
			graphs: { encoder: encoder.graph, decoder: decoder.graph },
			triplane: {
				foregroundRatio: 0.85,
				background: [0.5, 0.5, 0.5],
				output: 'triplane',
				shape: [3, 40, 64, 64],
				planes: [['x', 'y'], ['x', 'z'], ['y', 'z']],
				radius: TRIPOSR_RADIUS,
				decoder: { input: 'features', features: 'features' },
				// TripoSR's raw decoder: the renderer applies exp(x − 1) and sigmoid.
				density: { name: 'density', activation: 'exp', bias: -1 },
				color: { name: 'color', activation: 'sigmoid' },
				level: TRIPOSR_SURFACE_LEVEL,
				frame: { right: '+y', up: '+z', front: '+x' },
			},
			notes: [],
		},
	};
}

export async function benchTriplane(runs: number): Promise<{ result: TriplaneBench; text: string }> {
	const home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-bench-triplane-')));
	try {
		await home.prepare();
		const model = await standIn();
		installTestModel(home, model);
		const engine = await Engine.create({ home, catalogueDir: path.join(home.root, 'none'), providers: ['cpu'], intraOpThreads: availableParallelism(), budgetBytes: 2 ** 30 });
		const grey = { data: new Uint8Array(512 * 512 * 4).fill(128), width: 512, height: 512 };
		const signal = new AbortController().signal;
		const field = await engine.triplane(model.description.id, grey, signal);
		let points = 0;
		const density = async (p: Float32Array) => {
			points += p.length / 3;
			return (await field.evaluate(p)).density;
		};
		const options = { bound: TRIPOSR_RADIUS, resolution: RESOLUTION, level: TRIPOSR_SURFACE_LEVEL, inside: 'above' as const, signal };

		const times: number[] = [];
		let sparse: IsosurfaceResult | undefined;
		for (let run = -1; run < Math.max(1, runs); run++) {
			const t0 = performance.now();
			sparse = await extractIsosurface(density, options);
			// The first run warms up the JIT and the session.
			if (run >= 0) times.push(performance.now() - t0);
		}
		points = 0;
		const t0 = performance.now();
		const dense = await denseIsosurface(density, options);
		const denseMs = performance.now() - t0;
		const pointsPerSecond = points / (denseMs / 1000);

		const height = (() => {
			const { min, max } = bounds(dense.positions);
			return Math.max(...[0, 1, 2].map((k) => max[k] - min[k]));
		})();
		const chamfer = surfaceScores(sampleSurface(dense), sampleSurface(sparse!)).chamferL1 / height;
		const coarseToFineMs = percentile(times, 0.5);
		const result: TriplaneBench = {
			resolution: RESOLUTION,
			subject: SUBJECT,
			decoderParameters: linearParameters(),
			coarseToFineMs,
			denseMs,
			ratio: denseMs / coarseToFineMs,
			evaluated: { coarseToFine: sparse!.evaluated, dense: dense.evaluated },
			triangles: { coarseToFine: sparse!.indices.length / 3, dense: dense.indices.length / 3 },
			chamferOverHeight: chamfer,
			pointsPerSecond,
			target: TRIPLANE_TARGET,
			encoder:
				'not timed: a stand-in of the encoder\'s size (≈ 1.7 GB of fp32 weights, a ViT-B/16 picture encoder and a 16-layer triplane transformer) is not generated here; the stand-in encoder is a constant.',
		};
		const ok = (pass: boolean) => (pass ? 'meets' : 'MISSES');
		const text = [
			`triplane isosurface, effective ${RESOLUTION}³, TripoSR's decoder architecture (${result.decoderParameters} parameters), ${SUBJECT} visual hull, CPU:`,
			`  coarse-to-fine ${coarseToFineMs.toFixed(0)} ms p50 (${sparse!.evaluated} decoder points) · dense ${denseMs.toFixed(0)} ms (${dense.evaluated} points, ${(pointsPerSecond / 1e6).toFixed(2)} M points/s)`,
			`  ratio ${result.ratio.toFixed(1)}× (${ok(result.ratio >= TRIPLANE_TARGET.ratio)} ≥ ${TRIPLANE_TARGET.ratio}×) · Chamfer ${chamfer.toExponential(2)} of the height (${ok(chamfer < TRIPLANE_TARGET.chamferOverHeight)} < 1e-3) · ${result.triangles.coarseToFine} / ${result.triangles.dense} triangles`,
			`  encoder: ${result.encoder}`,
		].join('\n');
		return { result, text };
	} finally {
		rmSync(home.root, { recursive: true, force: true });
	}
}
