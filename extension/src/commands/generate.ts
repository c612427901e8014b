// "Orfeas: Generate 3D Model from Image": one or several images → GLB files beside them (or in
// orfeas.outputFolder), with one progress notification for the batch that shows stage, percent and time left,
// and whose Cancel cancels every job of the batch. Nothing is written for a cancelled or failed image.
import path from 'node:path';
import * as vscode from 'vscode';
import { writeAtomically } from '../../../daemon/src/cli/files';
import { explicitOptions } from '../config';
import type { Orfeas } from '../context';
import { waitForJob, type JobDone, type JobProgress } from '../jobs';
import { hasImageExtension } from '../../../daemon/src/protocol/options';
import { modelName, outputFolder } from '../outputs';
import { describeProgress, ProgressIncrements } from '../progress';
import { choosePath, settings, showError, type IfExists } from '../ui';

export const GENERATE_COMMAND = 'orfeas.generate';

interface Item {
	image: vscode.Uri;
	target: string;
	jobId?: string;
	progress?: JobProgress;
	done?: boolean;
}

export function registerGenerate(orfeas: Orfeas): vscode.Disposable {
	return vscode.commands.registerCommand(GENERATE_COMMAND, async (clicked?: unknown, selected?: unknown) => {
		try {
			const images = await chooseImages(clicked, selected);
			if (images.length) await generate(orfeas, images);
		} catch (error) {
			await showError(orfeas.log, 'Generate', error);
		}
	});
}

async function chooseImages(clicked: unknown, selected: unknown): Promise<vscode.Uri[]> {
	const uris = Array.isArray(selected) && selected.length ? selected : clicked instanceof vscode.Uri ? [clicked] : [];
	const chosen = uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri && hasImageExtension(u.path));
	if (chosen.length) return chosen;
	return (
		(await vscode.window.showOpenDialog({
			canSelectMany: true,
			openLabel: 'Generate 3D Model',
			filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'tiff', 'tif', 'avif'] },
		})) ?? []
	);
}

export async function generate(orfeas: Orfeas, images: vscode.Uri[]): Promise<string[]> {
	const config = settings();
	const options = explicitOptions((key) => config.inspect(`generate.${key}`));
	const policy = config.get<IfExists>('ifExists', 'ask');
	const items: Item[] = [];
	for (const image of images) {
		const wanted = path.join(outputFolder(image.fsPath, config.get<string>('outputFolder', '')), `${modelName(image.fsPath)}.glb`);
		const target = await choosePath(wanted, policy);
		if (target && !items.some((i) => i.target === target)) items.push({ image, target });
	}
	if (!items.length) return [];
	const title = items.length === 1 ? `Generating ${path.basename(items[0].image.fsPath)}` : `Generating ${items.length} models`;
	const written: string[] = [];
	let failures: Array<{ item: Item; error: unknown }> = [];
	const endBusy = orfeas.status.busy();
	try {
		await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Orfeas: ${title}`, cancellable: true }, async (progress, token) => {
			progress.report({ message: 'connecting to the daemon…' });
			const client = await orfeas.connection.get();
			const bar = new ProgressIncrements();
			const update = () => {
				const overall = items.reduce((sum, i) => sum + (i.done ? 1 : (i.progress?.progress ?? 0)), 0) / items.length;
				const current = items.find((i) => !i.done && i.progress) ?? items.find((i) => !i.done);
				const finished = items.filter((i) => i.done).length;
				const what = current?.progress ? describeProgress(current.progress.stage, current.progress.progress, current.progress.etaMs) : 'queued';
				const prefix = items.length > 1 && current ? `${path.basename(current.image.fsPath)} (${finished} of ${items.length} done): ` : '';
				progress.report({ message: `${prefix}${what}`, increment: bar.next(overall) });
			};
			const results = await Promise.allSettled(
				items.map(async (item) => {
					const image = item.image.scheme === 'file' ? { image: { path: item.image.fsPath } } : { image: { inline: true } };
					const payload = item.image.scheme === 'file' ? undefined : await vscode.workspace.fs.readFile(item.image);
					const accepted = await client.request({ type: 'generate', ...image, name: modelName(item.image.fsPath), ...(Object.keys(options).length ? { options } : {}) }, payload);
					item.jobId = (accepted as { jobId: string }).jobId;
					orfeas.log.line(`${path.basename(item.image.fsPath)}: job ${item.jobId}${(accepted as { cached?: boolean }).cached ? ' (cached)' : ''}`);
					const done = await waitForJob(orfeas.connection, item.jobId, {
						onProgress: (p) => {
							item.progress = p;
							update();
						},
						onCancel: (cancel) => token.onCancellationRequested(cancel),
					});
					if (token.isCancellationRequested) return;
					await save(orfeas, item, done);
					item.done = true;
					written.push(item.target);
					update();
				}),
			);
			failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ item: items[i], error: r.reason as unknown }] : []));
		});
	} finally {
		endBusy();
	}
	// After the progress notification has closed: an error message waits for the user, the notification must not.
	for (const { item, error } of failures) void showError(orfeas.log, path.basename(item.image.fsPath), error);
	if (written.length && settings().get<boolean>('openPreview', true)) {
		// Beside what the user is looking at; in the empty editor area itself when nothing is open.
		const column = vscode.window.tabGroups.activeTabGroup.tabs.length > 0 ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
		await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(written[written.length - 1]), 'orfeas.preview', column);
	}
	return written;
}

/** Downloads the job's GLB and writes it under the chosen name. */
async function save(orfeas: Orfeas, item: Item, done: JobDone): Promise<void> {
	const glb = done.files.find((f) => f.format === 'glb');
	if (!glb || !done.assetId) throw new Error('The daemon finished without a GLB file; see the log.');
	const client = await orfeas.connection.get();
	const bytes = await client.download(done.assetId, glb.name);
	await writeAtomically(item.target, bytes);
	await orfeas.assets.remember(item.target, done.assetId, bytes);
	const stats = done.stats;
	orfeas.log.line(`Wrote ${item.target}${stats ? ` (${stats.vertices} vertices, ${stats.triangles} triangles)` : ''}.`);
}
