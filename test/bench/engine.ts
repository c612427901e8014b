// The engine-overhead row of `npm run bench`: the 25.7 M-parameter synthetic conv net run through our engine
// (manifest pre-processing, session.run, post-processing back to the picture) against a bare session.run of
// the same prepared tensor, in the same run. Operator threads are tuned first: each count is timed on the raw
// run and the fastest is used for both sides.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { Engine } from '../../daemon/src/engine/engine';
import { prepareImage } from '../../daemon/src/engine/tensors';
import { Home } from '../../daemon/src/jobs/home';
import { syntheticConvNet, convNetParameters } from '../../models/testing/models';
import { installTestModel } from '../helpers/models';
import { percentile } from './stats';

export const ENGINE_OVERHEAD_TARGET = 1.15;

export interface EngineBenchResult {
	parameters: number;
	/** Operator threads tried on the raw run, with each one's p50 (ms). */
	threads: Array<{ threads: number; p50: number }>;
	chosenThreads: number;
	rawMs: { p50: number; p95: number };
	engineMs: { p50: number; p95: number };
	/** engine p50 / raw p50. */
	ratio: number;
	picture: string;
	definition: string;
}

const DEFINITION =
	'engine = Engine.depth() on a 640×480 picture: manifest pre-processing (resize to 256², normalise, NCHW), session.run, and ' +
	'post-processing back to the picture (min-max, resample to 640×480); raw = session.run of the same prepared tensor on a ' +
	'session with the same options. Same process, alternating, after warm-up.';

export async function benchEngine(runs: number): Promise<EngineBenchResult> {
	const home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-bench-engine-')));
	try {
		await home.prepare();
		const model = syntheticConvNet();
		const dir = installTestModel(home, model, 'bench-convnet');
		const file = path.join(dir, model.description.files[0].name);
		const picture = await sharp({ create: { width: 640, height: 480, channels: 4, background: { r: 90, g: 140, b: 200, alpha: 1 } } }).raw().toBuffer();
		const image = { data: new Uint8Array(picture), width: 640, height: 480 };
		const prepared = await prepareImage(image, { ...model.description.input, mean: [0, 0, 0], std: [1, 1, 1], layout: 'NCHW', colorOrder: 'RGB', range: [0, 1], resize: 'stretch' });
		const feeds = { image: new ort.Tensor('float32', prepared.data, prepared.dims) };

		const candidates = [...new Set([1, Math.max(1, availableParallelism())])];
		const threads: EngineBenchResult['threads'] = [];
		for (const count of candidates) {
			const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: count, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
			await session.run(feeds);
			const times: number[] = [];
			for (let i = 0; i < Math.max(3, runs); i++) times.push(await timed(() => session.run(feeds)));
			threads.push({ threads: count, p50: percentile(times, 0.5) });
			await session.release();
		}
		const chosenThreads = threads.reduce((best, t) => (t.p50 < best.p50 ? t : best)).threads;

		const raw = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: chosenThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
		const engine = await Engine.create({ home, catalogueDir: path.join(home.root, 'none'), providers: ['cpu'], intraOpThreads: chosenThreads, budgetBytes: 2 ** 30 });
		const signal = new AbortController().signal;
		await raw.run(feeds);
		await engine.depth('bench-convnet', image, signal);
		const rawTimes: number[] = [];
		const engineTimes: number[] = [];
		for (let i = 0; i < Math.max(5, runs * 2); i++) {
			rawTimes.push(await timed(() => raw.run(feeds)));
			engineTimes.push(await timed(() => engine.depth('bench-convnet', image, signal)));
		}
		await raw.release();
		const rawMs = { p50: percentile(rawTimes, 0.5), p95: percentile(rawTimes, 0.95) };
		const engineMs = { p50: percentile(engineTimes, 0.5), p95: percentile(engineTimes, 0.95) };
		return {
			parameters: convNetParameters(),
			threads,
			chosenThreads,
			rawMs,
			engineMs,
			ratio: engineMs.p50 / rawMs.p50,
			picture: '640×480 RGBA',
			definition: DEFINITION,
		};
	} finally {
		rmSync(home.root, { recursive: true, force: true });
	}
}

async function timed(work: () => Promise<unknown>): Promise<number> {
	const t0 = performance.now();
	await work();
	return performance.now() - t0;
}

export function formatEngine(result: EngineBenchResult): string {
	const f = (n: number) => n.toFixed(1);
	return [
		`engine overhead (synthetic conv net, ${(result.parameters / 1e6).toFixed(1)} M parameters, CPU)`,
		`  operator threads tried: ${result.threads.map((t) => `${t.threads} → ${f(t.p50)} ms`).join(', ')}; using ${result.chosenThreads}`,
		`  raw session.run      p50 ${f(result.rawMs.p50)} ms   p95 ${f(result.rawMs.p95)} ms`,
		`  engine with pre/post p50 ${f(result.engineMs.p50)} ms   p95 ${f(result.engineMs.p95)} ms`,
		`  overhead ${result.ratio.toFixed(3)}× (target ≤ ${ENGINE_OVERHEAD_TARGET}×: ${result.ratio <= ENGINE_OVERHEAD_TARGET ? 'met' : 'not met'})`,
		`  ${result.definition}`,
	].join('\n');
}
