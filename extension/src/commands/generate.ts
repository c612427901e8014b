// "Orfeas: Generate 3D Model from Image": one or several images → GLB files beside them (or in
// orfeas.outputFolder), with one progress notification for the batch that shows stage, percent and time left,
// and whose Cancel cancels every job of the batch. Nothing is written for a cancelled or failed image.
// generate-views.ts makes one model from several views (or a sheet) through the same `generate`.
import path from 'node:path';
import * as vscode from 'vscode';
import { writeAtomically } from '../../../daemon/src/cli/files';
import { explicitOptions } from '../config';
import type { Orfeas } from '../context';
import type { DaemonClient } from '../daemon/client';
import { waitForJob, type JobDone, type JobProgress } from '../jobs';
import { hasImageExtension } from '../../../daemon/src/protocol/options';
import { includesPath, modelName, outputFolder } from '../outputs';
import type { ExtraView, ViewName } from '../views';
import { describeProgress, ProgressIncrements } from '../progress';
import { choosePath, settings, showError, type IfExists } from '../ui';

export const GENERATE_COMMAND = 'orfeas.generate';

/** One model to make: from its picture, or from the front and other views, or from a turnaround sheet. */
export interface ModelRequest {
	/** The picture; with `views` the front, with `sheet` the sheet. */
	image: vscode.Uri;
	/** The model's name, which its file takes. */
	name: string;
	/** Said in the progress notification and before an error, e.g. `cat.png`. */
	label: string;
	views?: { view: ExtraView; image: vscode.Uri }[];
	sheet?: ViewName[];
}

interface Item {
	request: ModelRequest;
	target: string;
	jobId?: string;
	progress?: JobProgress;
	done?: boolean;
}

export function registerGenerate(orfeas: Orfeas): vscode.Disposable {
	return vscode.commands.registerCommand(GENERATE_COMMAND, async (clicked?: unknown, selected?: unknown) => {
		try {
			const images = await chooseImages(clicked, selected);
			if (images.length) await generate(orfeas, images.map((image) => ({ image, name: modelName(image.fsPath), label: path.basename(image.fsPath) })));
		} catch (error) {
			await showError(orfeas.log, 'Generate', error);
		}
	});
}

/**
 * The pictures an Explorer command is about (VS Code passes the clicked file and the whole selection), else
 * the ones the user picks in a file dialog.
 */
export async function chooseImages(clicked: unknown, selected: unknown, dialog: { openLabel: string; canSelectMany: boolean } = { openLabel: 'Generate 3D Model', canSelectMany: true }): Promise<vscode.Uri[]> {
	const uris = Array.isArray(selected) && selected.length ? selected : clicked instanceof vscode.Uri ? [clicked] : [];
	const chosen = uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri && hasImageExtension(u.path));
	if (chosen.length) return chosen;
	return (
		(await vscode.window.showOpenDialog({
			...dialog,
			filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'tiff', 'tif', 'avif'] },
		})) ?? []
	);
}

/**
 * Makes the models, each written where orfeas.outputFolder and orfeas.ifExists say, under one progress
 * notification; opens the last one written in the preview. Resolves with the files written.
 */
export async function generate(orfeas: Orfeas, requests: ModelRequest[]): Promise<string[]> {
	const config = settings();
	const options = explicitOptions((key) => config.inspect(`generate.${key}`));
	const policy = config.get<IfExists>('ifExists', 'ask');
	const items: Item[] = [];
	for (const request of requests) {
		const wanted = path.join(outputFolder(request.image.fsPath, config.get<string>('outputFolder', '')), `${request.name}.glb`);
		const target = await choosePath(wanted, policy);
		// Two pictures whose models would be one file (on Windows `Cat.png` and `cat.jpg` too) make it once.
		if (target && !includesPath(items.map((i) => i.target), target)) items.push({ request, target });
	}
	if (!items.length) return [];
	const title = items.length === 1 ? `Generating ${items[0].request.label}` : `Generating ${items.length} models`;
	const written: string[] = [];
	let failures: Array<{ item: Item; error: unknown }> = [];
	const endBusy = orfeas.status.busy();
	try {
		await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Orfeas: ${title}`, cancellable: true }, async (progress, token) => {
			progress.report({ message: `connecting to the ${orfeas.connection.usesServer ? 'server' : 'daemon'}…` });
			const client = await orfeas.connection.get();
			const bar = new ProgressIncrements();
			const update = () => {
				const overall = items.reduce((sum, i) => sum + (i.done ? 1 : (i.progress?.progress ?? 0)), 0) / items.length;
				const current = items.find((i) => !i.done && i.progress) ?? items.find((i) => !i.done);
				const finished = items.filter((i) => i.done).length;
				const what = current?.progress ? describeProgress(current.progress.stage, current.progress.progress, current.progress.etaMs) : 'queued';
				const prefix = items.length > 1 && current ? `${current.request.label} (${finished} of ${items.length} done): ` : '';
				progress.report({ message: `${prefix}${what}`, increment: bar.next(overall) });
			};
			const results = await Promise.allSettled(
				items.map(async (item) => {
					const { fields, payload } = await pictures(client, item.request);
					const accepted = await client.request({ type: 'generate', ...fields, name: item.request.name, ...(Object.keys(options).length ? { options } : {}) }, payload);
					item.jobId = (accepted as { jobId: string }).jobId;
					orfeas.log.line(`${item.request.label}: job ${item.jobId}${(accepted as { cached?: boolean }).cached ? ' (cached)' : ''}`);
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
	for (const { item, error } of failures) void showError(orfeas.log, item.request.label, error);
	if (written.length && settings().get<boolean>('openPreview', true)) {
		// Beside what the user is looking at; in the empty editor area itself when nothing is open.
		const column = vscode.window.tabGroups.activeTabGroup.tabs.length > 0 ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
		await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(written[written.length - 1]), 'orfeas.preview', column);
	}
	return written;
}

/**
 * The pictures of a `generate` request: local files by path (the daemon reads them); otherwise the front (or
 * sheet) inline in the binary frame, which carries one picture, and the other views uploaded over HTTP. A team
 * server reads no files of this machine (it refuses paths with E_PATH): every picture is uploaded to it.
 */
async function pictures(client: DaemonClient, request: ModelRequest): Promise<{ fields: Record<string, unknown>; payload?: Uint8Array }> {
	const byPath = (uri: vscode.Uri) => uri.scheme === 'file' && !client.remote;
	const upload = async (uri: vscode.Uri) => ({ upload: await client.upload(await vscode.workspace.fs.readFile(uri), imageType(uri.path)) });
	const local = byPath(request.image);
	const inline = !local && !client.remote;
	const payload = inline ? await vscode.workspace.fs.readFile(request.image) : undefined;
	const views = [];
	for (const { view, image } of request.views ?? []) {
		views.push({ view, image: byPath(image) ? { path: image.fsPath } : await upload(image) });
	}
	const fields = {
		image: local ? { path: request.image.fsPath } : inline ? { inline: true } : await upload(request.image),
		...(views.length ? { views } : {}),
		...(request.sheet ? { sheet: request.sheet } : {}),
	};
	return { fields, payload };
}

/** A Content-Type for an upload; the daemon reads the picture's own bytes to tell its format. */
function imageType(file: string): string {
	const ext = path.extname(file).slice(1).toLowerCase();
	return `image/${ext === 'jpg' ? 'jpeg' : ext === 'tif' ? 'tiff' : ext || 'png'}`;
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
	// With several views, how well each agrees with the model: a low one points at the picture to retake.
	const views = stats?.views ? `; views ${Object.entries(stats.views).map(([view, iou]) => `${view} ${iou!.toFixed(2)}`).join(', ')}` : '';
	orfeas.log.line(`Wrote ${item.target}${stats ? ` (${stats.vertices} vertices, ${stats.triangles} triangles${views})` : ''}.`);
}
