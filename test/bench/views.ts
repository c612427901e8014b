// Bench rows for several views: four 512² pictures (front, right, top, back) of the project's own fixture meshes
// → GLB, beside the same front picture alone, both timed in the same run with the same options, p50 of each and
// their ratio. The pictures are drawn by the shape eval's renderer, as `npm run eval:shape` feeds the pipeline.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PipelineRuntime } from '../../daemon/src/generators/run';
import { runPipeline } from '../../daemon/src/generators/run';
import type { GenerateOptions } from '../../daemon/src/protocol/options';
import { fixtureSubject } from '../eval/shape/fixtures';
import { renderView, writePng } from '../eval/shape/render';
import { frameFor, type ViewName } from '../eval/shape/views';
import { percentile } from './stats';

const SIZE = 512;
const PICTURES = path.join('out', 'bench', 'views');
const SUBJECTS = ['quadruped', 'car', 'bust'] as const;
const OTHER_VIEWS = ['right', 'top', 'back'] as const;

export interface ViewsBench {
	size: number;
	subjects: readonly string[];
	/** p50 of one front picture → GLB, ms. */
	frontP50: number;
	/** p50 of front + right + top + back → GLB, ms. */
	viewsP50: number;
	ratio: number;
	/** The target: four 512² views → GLB within this p50 on two cores. */
	targetMs: number;
}

export const VIEWS_TARGET_MS = 1500;

export async function benchViews(runs: number, options: GenerateOptions, runtime: PipelineRuntime): Promise<{ result: ViewsBench; text: string }> {
	const front: number[] = [];
	const views: number[] = [];
	await mkdir(PICTURES, { recursive: true });
	for (const name of SUBJECTS) {
		const subject = await fixtureSubject(name);
		const frame = frameFor(subject.surface.positions, SIZE);
		const png = async (view: ViewName) => writePng(renderView(subject.surface, view, frame), path.join(PICTURES, `${name}_${view}.png`));
		const bytes = await png('front');
		const others = await Promise.all(OTHER_VIEWS.map(async (view) => ({ view, bytes: await png(view) })));
		for (let run = -1; run < runs; run++) {
			let t0 = performance.now();
			await runPipeline({ bytes, name }, options, runtime, {});
			const one = performance.now() - t0;
			t0 = performance.now();
			await runPipeline({ bytes, name, views: others }, options, runtime, {});
			const four = performance.now() - t0;
			// The first run of each warms up caches and the JIT.
			if (run >= 0) {
				front.push(one);
				views.push(four);
			}
		}
	}
	const result: ViewsBench = {
		size: SIZE,
		subjects: SUBJECTS,
		frontP50: percentile(front, 0.5),
		viewsP50: percentile(views, 0.5),
		ratio: percentile(views, 0.5) / percentile(front, 0.5),
		targetMs: VIEWS_TARGET_MS,
	};
	const text = [
		`Several views (${SUBJECTS.join(', ')}; ${SIZE}² pictures; default options; ${runs} runs each)`,
		`| input | p50 | ratio to one view |`,
		`|---|---|---|`,
		`| front alone → GLB | ${Math.round(result.frontP50)} ms | 1.00× |`,
		`| front + right + top + back → GLB | ${Math.round(result.viewsP50)} ms | ${result.ratio.toFixed(2)}× |`,
		`target: four views ≤ ${VIEWS_TARGET_MS} ms p50 — ${result.viewsP50 <= VIEWS_TARGET_MS ? 'met' : 'missed'}`,
	].join('\n');
	return { result, text };
}
