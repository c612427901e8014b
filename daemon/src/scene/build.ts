// scene.build: a generate job for every object whose picture has no model yet (or whose model the daemon no
// longer has), each an ordinary job with progress and cancel; when one is done its object's source gets the asset
// id, a new revision that every session holding the scene hears of (scene.changed).
import { readAsset } from '../jobs/assets';
import type { Accepted } from '../jobs/manager';
import { OrfeasError } from '../protocol/errors';
import type { SceneObjectView } from '../protocol/scene';
import { acceptGenerate, type DaemonContext } from '../server/context';
import { resolveSceneFile } from './models';

/** Starts the missing generations; resolves with their jobs (empty when every object has its model). */
export async function buildScene(ctx: DaemonContext, sceneId: string, revision: number | undefined): Promise<Accepted[]> {
	const scene = await ctx.scenes.get(sceneId);
	if (revision !== undefined && revision !== scene.revision) {
		throw new OrfeasError('E_CONFLICT', `Scene ${sceneId} is at revision ${scene.revision}, not ${revision}: get it again before building.`, { revision: scene.revision });
	}
	const missing: SceneObjectView[] = [];
	for (const object of scene.document.objects) {
		if (!('image' in object.source)) continue;
		if (object.source.assetId !== undefined && (await readAsset(ctx.home, object.source.assetId))) continue;
		missing.push(object);
	}
	if (missing.length > 0 && scene.base === undefined) {
		throw new OrfeasError('E_PATH', `Scene ${sceneId} has no base folder, so its pictures cannot be found: create it with the folder of its file (scene.create.base).`);
	}
	const started: { objectId: string; accepted: Accepted }[] = [];
	for (const object of missing) {
		const source = object.source as Extract<SceneObjectView['source'], { image: string }>;
		const accepted = await acceptGenerate(ctx, { image: { path: resolveSceneFile(scene.base!, source.image) }, options: source.options, name: object.name });
		started.push({ objectId: object.id, accepted });
	}
	const waiting = new Map(started.map(({ objectId, accepted }) => [accepted.job.jobId, objectId]));
	if (waiting.size === 0) return [];
	const stop = ctx.manager.on((event) => {
		const objectId = waiting.get(event.jobId);
		if (objectId === undefined || !['job.done', 'job.failed', 'job.cancelled'].includes(event.type)) return;
		waiting.delete(event.jobId);
		if (waiting.size === 0) stop();
		if (event.type === 'job.done' && event.assetId) void recordModel(ctx, sceneId, objectId, event.assetId);
	});
	// A job served from the cache is done before the listener existed: its result is in the job already.
	for (const { objectId, accepted } of started) {
		if (accepted.job.state === 'done' && accepted.job.assetId && waiting.delete(accepted.job.jobId)) await recordModel(ctx, sceneId, objectId, accepted.job.assetId);
	}
	if (waiting.size === 0) stop();
	return started.map((s) => s.accepted);
}

async function recordModel(ctx: DaemonContext, sceneId: string, objectId: string, assetId: string): Promise<void> {
	try {
		const scene = await ctx.scenes.get(sceneId);
		const object = scene.document.objects.find((o) => o.id === objectId);
		if (!object || !('image' in object.source)) return; // removed or changed meanwhile: nothing to record
		await ctx.scenes.update(sceneId, undefined, [{ op: 'set', id: objectId, source: { ...object.source, assetId } }]);
	} catch (error) {
		ctx.log.warn(`scene ${sceneId}: could not record the model of "${objectId}": ${error instanceof Error ? error.message : String(error)}`);
	}
}
