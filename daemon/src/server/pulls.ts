// `models.pull` over the protocol: the download runs in the daemon as a job (progress, cancel, a record on
// disk), outside the pipeline workers, and the registry learns about the model when it is installed.
import { pullModel } from '../engine/download';
import type { Accepted } from '../jobs/manager';
import { newRecord } from '../jobs/record';
import { OrfeasError } from '../protocol/errors';
import { parseGenerateOptions } from '../protocol/options';
import type { DaemonContext } from './context';

export async function pullAsJob(ctx: DaemonContext, modelId: string, acceptLicence: boolean): Promise<Accepted> {
	await ctx.registry.refresh();
	const manifest = ctx.registry.manifest(modelId);
	if (!manifest) throw new OrfeasError('E_NOT_FOUND', `No model "${modelId}" in the catalogue. See the available ones with: orfeas models list`);
	if (!manifest.licence.permissive && !acceptLicence) {
		throw new OrfeasError(
			'E_MODEL_MISSING',
			`"${modelId}" is under the ${manifest.licence.id} licence, which restricts use. Read it${manifest.licence.url ? ` (${manifest.licence.url})` : ''} and pull with acceptLicence: true (CLI: --accept-licence).`,
			{ model: modelId, licence: manifest.licence.id },
		);
	}
	const record = newRecord({ kind: 'pull', priority: 'normal', name: modelId, modelId, options: parseGenerateOptions({}) });
	return ctx.manager.runSideJob(record, async (signal, progress) => {
		await pullModel(manifest, ctx.home, {
			signal,
			acceptLicence,
			onProgress: (p) => progress(p.fraction, `${p.file}: ${(p.received / 2 ** 20).toFixed(1)} MiB`),
		});
		await ctx.registry.refresh();
		ctx.log.info(`model ${modelId} installed`);
	});
}
