// "Orfeas: New Scene" writes an empty scene file and opens it in the scene editor; "Orfeas: Add to Scene" (the
// Explorer menu of models and pictures, and the Command Palette) adds files to an open scene, asking which one
// when several are open.
import path from 'node:path';
import * as vscode from 'vscode';
import { IMAGE_EXTENSIONS } from '../../../daemon/src/protocol/options';
import { emptyScene, SCENE_SUFFIX } from '../../../daemon/src/protocol/scene';
import type { Orfeas } from '../context';
import { showError } from '../ui';
import { SCENE_VIEW_TYPE, type SceneRegistry } from './provider';
import type { SceneSession } from './session';
import { formatScene } from './text';

export function registerSceneCommands(orfeas: Orfeas, registry: SceneRegistry): vscode.Disposable[] {
	return [
		vscode.commands.registerCommand('orfeas.scene.new', async (arg?: unknown) => {
			try {
				await newScene(arg);
			} catch (error) {
				await showError(orfeas.log, 'New Scene', error);
			}
		}),
		vscode.commands.registerCommand('orfeas.scene.add', async (arg?: unknown, selected?: unknown) => {
			try {
				const files = await filesToAdd(arg, selected);
				if (!files.length) return;
				const session = await chooseScene(registry);
				if (!session) return;
				const added = await session.addFiles(files);
				if (added.length) session.panel.reveal(undefined, true);
			} catch (error) {
				await showError(orfeas.log, 'Add to Scene', error);
			}
		}),
	];
}

/**
 * Writes `Untitled.orfeas-scene.json` (`Untitled-2…` when taken) into the folder clicked in the Explorer, else the
 * first workspace folder, else one the user picks, and opens it in the scene editor.
 */
async function newScene(arg: unknown): Promise<vscode.Uri | undefined> {
	const folder = await targetFolder(arg);
	if (!folder) return undefined;
	let uri: vscode.Uri;
	for (let n = 1; ; n++) {
		const stem = n === 1 ? 'Untitled' : `Untitled-${n}`;
		uri = vscode.Uri.joinPath(folder, `${stem}${SCENE_SUFFIX}`);
		if (!(await exists(uri))) {
			await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(formatScene(emptyScene(stem))));
			break;
		}
	}
	await vscode.commands.executeCommand('vscode.openWith', uri, SCENE_VIEW_TYPE);
	return uri;
}

async function targetFolder(arg: unknown): Promise<vscode.Uri | undefined> {
	if (arg instanceof vscode.Uri) {
		const stat = await vscode.workspace.fs.stat(arg).then(undefined, () => undefined);
		return stat?.type === vscode.FileType.Directory ? arg : vscode.Uri.joinPath(arg, '..');
	}
	const first = vscode.workspace.workspaceFolders?.[0]?.uri;
	if (first) return first;
	const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Create Scene Here' });
	return picked?.[0];
}

/** The files clicked (all of a multi-selection), else ones the user picks. */
async function filesToAdd(arg: unknown, selected: unknown): Promise<vscode.Uri[]> {
	if (Array.isArray(selected) && selected.length > 0 && selected.every((s) => s instanceof vscode.Uri)) return selected as vscode.Uri[];
	if (arg instanceof vscode.Uri) return [arg];
	const pictures = IMAGE_EXTENSIONS.map((e) => e.slice(1));
	const picked = await vscode.window.showOpenDialog({
		canSelectMany: true,
		filters: { 'Models and pictures': ['glb', ...pictures], 'glTF binary models': ['glb'], Pictures: pictures },
		openLabel: 'Add to Scene',
	});
	return picked ?? [];
}

/** The open scene, asking which when several are open; offers a new one when none is. */
async function chooseScene(registry: SceneRegistry): Promise<SceneSession | undefined> {
	const open = registry.open();
	if (open.length === 1) return open[0];
	if (open.length === 0) {
		const choice = await vscode.window.showInformationMessage('Orfeas: open a scene (*.orfeas-scene.json) to add to, or make a new one.', 'New Scene');
		if (choice !== 'New Scene') return undefined;
		const uri = await newScene(undefined);
		if (!uri) return undefined;
		// The editor registers itself once VS Code has resolved it, which may be just after openWith returns.
		for (let waited = 0; waited < 5000; waited += 50) {
			const session = registry.open().find((s) => s.document.uri.toString() === uri.toString());
			if (session) return session;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(
		open.map((session) => ({
			label: path.basename(session.document.uri.path),
			description: vscode.workspace.asRelativePath(path.dirname(session.document.uri.fsPath)),
			session,
		})),
		{ title: 'Add to which scene?', placeHolder: 'Open scenes' },
	);
	return picked?.session;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
	return vscode.workspace.fs.stat(uri).then(
		() => true,
		() => false,
	);
}
