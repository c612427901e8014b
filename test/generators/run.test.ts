import { describe, expect, it } from 'vitest';
import { runPipeline, BUILTIN_RUN, type StageName, type StageProgress } from '../../daemon/src/generators/run';
import { loadRuntime } from '../../daemon/src/generators/runtime';
import { toOrfeasError } from '../../daemon/src/protocol/errors';
import { parseGenerateOptions } from '../../daemon/src/protocol/options';
import { ALL_FIXTURES } from '../fixtures/images';

describe('runPipeline', () => {
	it('reports every stage in order with overall progress rising to 1, and times each stage', async () => {
		const events: StageProgress[] = [];
		const bytes = (await ALL_FIXTURES.disc()).bytes;
		const { stats } = await runPipeline({ bytes, name: 'disc' }, parseGenerateOptions({}), await loadRuntime(), {
			onProgress: (e) => events.push(e),
		});
		const order = events.map((e) => e.stage).filter((s, i, all) => all.indexOf(s) === i);
		expect(order).toEqual([...BUILTIN_RUN]);
		for (let i = 1; i < events.length; i++) expect(events[i].progress).toBeGreaterThanOrEqual(events[i - 1].progress);
		expect(events.at(-1)).toMatchObject({ stage: 'export', progress: 1, stageProgress: 1, stageIndex: 6, stageCount: 7 });
		expect(Object.keys(stats.ms)).toEqual([...BUILTIN_RUN]);
		expect(stats.totalMs).toBeGreaterThan(0);
	});

	it.each(BUILTIN_RUN.map((s) => [s]))('stops with E_CANCELLED when cancelled during %s', async (stage: StageName) => {
		const controller = new AbortController();
		const bytes = (await ALL_FIXTURES.ring()).bytes;
		const seen: StageName[] = [];
		const error = await runPipeline({ bytes, name: 'ring' }, parseGenerateOptions({}), await loadRuntime(), {
			signal: controller.signal,
			onProgress: (e) => {
				seen.push(e.stage);
				if (e.stage === stage) controller.abort();
			},
		}).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(toOrfeasError(error).code).toBe('E_CANCELLED');
		expect(seen.at(-1)).toBe(stage);
	});

	it('refuses options this build cannot honour before doing any work', async () => {
		const bytes = (await ALL_FIXTURES.disc()).bytes;
		const runtime = await loadRuntime();
		const attempt = (options: object) =>
			runPipeline({ bytes, name: 'x' }, parseGenerateOptions(options), runtime, {}).then(
				() => undefined,
				(e: unknown) => toOrfeasError(e),
			);
		expect((await attempt({ model: 'depth-anything' }))?.code).toBe('E_MODEL_MISSING');
		expect((await attempt({ segmentation: 'u2netp' }))?.code).toBe('E_MODEL_MISSING');
		expect(() => parseGenerateOptions({ resolution: 5 })).toThrow(/resolution/);
		expect(() => parseGenerateOptions({ lods: [1, 0.25, 0.5] })).toThrow(/LOD ratios must decrease/);
	});

	it('exports the formats, LOD chain and collider the options ask for, beside the GLB it always keeps', async () => {
		const bytes = (await ALL_FIXTURES.disc()).bytes;
		const options = parseGenerateOptions({ formats: ['fbx', 'obj'], profile: 'unity', lods: [1, 0.5], collider: 'hull', maxTriangles: 2000 });
		const events: StageProgress[] = [];
		const { files, glb, stats } = await runPipeline({ bytes, name: 'disc' }, options, await loadRuntime(), { onProgress: (e) => events.push(e) });
		expect(files.map((f) => [f.name, f.format])).toEqual([
			['disc.glb', 'glb'],
			['disc.fbx', 'fbx'],
			['disc.obj', 'obj'],
			['disc.mtl', 'mtl'],
			['disc_baseColor.jpg', 'jpeg'],
		]);
		expect(files[0].bytes).toBe(glb);
		expect(stats.lods).toBe(2);
		expect(new TextDecoder().decode(files[2].bytes)).toMatch(/^o disc_LOD1$/m);
		expect(new TextDecoder().decode(files[2].bytes)).toMatch(/^o disc_Collider$/m);
		// The export stage reports its steps (LOD chain, collider, each writer) as it goes.
		const messages = events.filter((e) => e.stage === 'export' && e.message).map((e) => e.message);
		expect(messages).toEqual(expect.arrayContaining(['LOD chain 1, 0.5', 'hull collider', 'writing FBX', 'writing OBJ']));
	});
});
