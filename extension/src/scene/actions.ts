// The scene editor's Build, Export and Send buttons (commands orfeas.scene.build / export / send, given the
// scene's URI): the document as the editor holds it goes to its daemon scene, then scene.build generates the
// pictures without a model (their asset ids written back into the document), scene.export writes one GLB or FBX
// beside the scene file, and push sends the whole scene to Blender or Unity.
import path from 'node:path';
import * as vscode from 'vscode';
import { writeAtomically } from '../../../daemon/src/cli/files';
import type { SceneDocumentView } from '../../../daemon/src/protocol/scene';
import { TARGETS } from '../commands/send';
import type { Orfeas } from '../context';
import { choosePath, settings, showError, waitWithProgress, type IfExists } from '../ui';
import { editScene, readScene, sceneFolder } from './document';
import type { DaemonScenes } from './layout';
import { SCENE_COMMANDS } from './session';

export function registerSceneActions(orfeas: Orfeas, scenes: DaemonScenes): vscode.Disposable[] {
	const command = (id: string, title: string, action: (uri: vscode.Uri, target?: string) => Promise<void>) =>
		vscode.commands.registerCommand(id, async (uri?: unknown, target?: unknown) => {
			try {
				if (!(uri instanceof vscode.Uri)) throw new Error('open a scene in the scene editor first.');
				await action(uri, typeof target === 'string' ? target : undefined);
			} catch (error) {
				await showError(orfeas.log, title, error);
			}
		});
	return [
		command(SCENE_COMMANDS.build, 'Build Scene', (uri) => build(orfeas, scenes, uri)),
		command(SCENE_COMMANDS.export, 'Export Scene', (uri) => exportScene(orfeas, scenes, uri)),
		command(SCENE_COMMANDS.send, 'Send Scene', (uri, target) => send(orfeas, scenes, uri, target)),
	];
}

/** The open document of a scene, checked, and its daemon scene. */
async function current(scenes: DaemonScenes, uri: vscode.Uri) {
	const document = await vscode.workspace.openTextDocument(uri);
	const parsed = readScene(document);
	if (!parsed.ok) throw new Error(parsed.message);
	const folder = sceneFolder(uri);
	if (folder === undefined) throw new Error('save the scene first: the daemon finds its files relative to its folder.');
	const { sceneId } = await scenes.sync(uri.toString(), parsed.document, folder);
	return { document, scene: parsed.document, folder, sceneId, name: path.basename(uri.path) };
}

async function build(orfeas: Orfeas, scenes: DaemonScenes, uri: vscode.Uri): Promise<void> {
	const { document, sceneId, name } = await current(scenes, uri);
	const client = await orfeas.connection.get();
	const { jobs } = (await client.request({ type: 'scene.build', sceneId })) as { jobs: { jobId: string; name: string }[] };
	if (jobs.length === 0) {
		vscode.window.showInformationMessage(`Orfeas: every object of ${name} has its model.`);
		return;
	}
	const built = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: `Orfeas: Building ${name} (${jobs.length} model${jobs.length > 1 ? 's' : ''})`, cancellable: true },
		async (progress, token) => {
			for (const job of jobs) {
				progress.report({ message: job.name });
				await waitWithProgress(orfeas.connection, job.jobId, progress, token);
				if (token.isCancellationRequested) return false;
			}
			return true;
		},
	);
	if (!built) return;
	// The daemon recorded each model in its scene; the document learns the asset ids from there.
	const held = (await client.request({ type: 'scene.get', sceneId })) as { document: SceneDocumentView };
	const assets = new Map(held.document.objects.flatMap((o) => ('assetId' in o.source && o.source.assetId ? [[o.id, o.source.assetId] as const] : [])));
	await editScene(document, (scene) => ({
		...scene,
		objects: scene.objects.map((o) => ('image' in o.source && assets.has(o.id) ? { ...o, source: { ...o.source, assetId: assets.get(o.id)! } } : o)),
	}));
	vscode.window.showInformationMessage(`Orfeas: built ${jobs.length} model${jobs.length > 1 ? 's' : ''} of ${name}.`);
}

async function exportScene(orfeas: Orfeas, scenes: DaemonScenes, uri: vscode.Uri): Promise<void> {
	const format = await vscode.window.showQuickPick(
		[
			{ label: 'GLB', description: 'one glTF binary: the hierarchy, repeated models instanced', value: 'glb', profile: 'generic' },
			{ label: 'FBX (Unity)', description: 'FBX 7.4, Y up, metres', value: 'fbx', profile: 'unity' },
			{ label: 'FBX (Unreal)', description: 'FBX 7.4, Z up, centimetres', value: 'fbx', profile: 'unreal' },
		],
		{ title: 'Export Scene: format' },
	);
	if (!format) return;
	const { folder, sceneId, name } = await current(scenes, uri);
	const client = await orfeas.connection.get();
	const written = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: `Orfeas: Exporting ${name} as ${format.label}`, cancellable: true },
		async (progress, token) => {
			const accepted = (await client.request({ type: 'scene.export', sceneId, format: format.value, profile: format.profile })) as { jobId: string };
			const done = await waitWithProgress(orfeas.connection, accepted.jobId, progress, token);
			if (token.isCancellationRequested) return undefined;
			const file = done.files[0];
			const target = await choosePath(path.join(folder, file.name), settings().get<IfExists>('ifExists', 'ask'));
			if (!target) return undefined;
			await writeAtomically(target, await client.download(done.assetId!, file.name));
			return target;
		},
	);
	if (!written) return;
	orfeas.log.line(`Exported ${name} to ${written}.`);
	vscode.window.showInformationMessage(`Orfeas: exported ${name} to ${path.basename(written)}.`);
}

async function send(orfeas: Orfeas, scenes: DaemonScenes, uri: vscode.Uri, target: string | undefined): Promise<void> {
	const chosen = target === 'blender' || target === 'unity' ? target : undefined;
	if (!chosen) throw new Error('say where to send the scene: Blender or Unity.');
	const { app, listen } = TARGETS[chosen];
	const { sceneId, name } = await current(scenes, uri);
	const client = await orfeas.connection.get();
	const reply = (await client.request({ type: 'push', target: chosen, sceneId })) as { delivered?: number };
	const delivered = reply.delivered ?? 0;
	orfeas.log.line(`Pushed scene ${name} to ${app}: ${delivered} receiver(s).`);
	if (delivered === 0) await vscode.window.showWarningMessage(`Orfeas: no ${app} is listening. ${listen}`);
	else vscode.window.showInformationMessage(`Orfeas: sent ${name} to ${app}.`);
}
