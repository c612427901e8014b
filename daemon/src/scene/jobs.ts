// scene.export as a job: the same records, events, cancel and download as a model export, the files published as
// one asset. It runs beside the worker pool (reading models and writing one file is light next to generation).
import { newRecord } from '../jobs/record';
import type { Accepted } from '../jobs/manager';
import type { ExportProfile } from '../protocol/options';
import { parseGenerateOptions } from '../protocol/options';
import type { DaemonContext } from '../server/context';
import { publishScene, type SceneFormat } from './publish';

export async function exportSceneAsJob(ctx: DaemonContext, sceneId: string, format: SceneFormat, profile: ExportProfile): Promise<Accepted> {
	const scene = await ctx.scenes.get(sceneId);
	const record = newRecord({ kind: 'export', priority: 'normal', name: scene.document.name, options: { ...parseGenerateOptions({}), formats: [format], profile } });
	return ctx.manager.runSideJob(record, async (signal, progress) => {
		progress(0, `reading the models of ${scene.document.objects.length} objects`);
		const asset = await publishScene(ctx.home, scene, { formats: [format], profile, signal });
		record.assetId = asset.assetId;
		record.files = asset.files;
		record.stats = asset.stats;
		progress(1);
	}, 'export');
}
