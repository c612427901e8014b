// The scene file as VS Code holds it: the TextDocument's text is the truth. Reading parses it (text.ts); writing
// replaces only the span that changed with one WorkspaceEdit, so undo, redo, the dirty dot, save and git all work
// as for any text file. Adding files turns them into objects named relative to the scene's folder.
import path from 'node:path';
import * as vscode from 'vscode';
import { emptyScene, SCENE_SUFFIX, type SceneDocumentView } from '../../../daemon/src/protocol/scene';
import { addObjects } from './edits';
import { newObjects } from './sources';
import { detectIndent, formatScene, minimalChange, parseScene, type Parsed } from './text';

/** The scene's name for a file: `yard` for `yard.orfeas-scene.json`. */
export function sceneName(file: string): string {
	const base = path.basename(file);
	const stem = base.toLowerCase().endsWith(SCENE_SUFFIX) ? base.slice(0, -SCENE_SUFFIX.length) : path.basename(base, path.extname(base));
	return (stem || 'Scene').slice(0, 128);
}

/** The document's scene; an empty file is an empty scene named after it. */
export function readScene(document: vscode.TextDocument): Parsed {
	return parseScene(document.getText(), () => emptyScene(sceneName(document.uri.path)));
}

/**
 * The absolute folder the scene's relative paths start from: the folder of its file (an untitled scene with a
 * path counts). Undefined for an untitled scene without one.
 */
export function sceneFolder(uri: vscode.Uri): string | undefined {
	if (uri.scheme === 'untitled' && !path.posix.isAbsolute(uri.path)) return undefined;
	return path.dirname(uri.fsPath);
}

/** Writes `next` into the document as one edit of the changed span; false when VS Code refused the edit. */
export async function writeScene(document: vscode.TextDocument, next: SceneDocumentView): Promise<boolean> {
	const before = document.getText();
	const change = minimalChange(before, formatScene(next, detectIndent(before)));
	if (!change) return true;
	const edit = new vscode.WorkspaceEdit();
	edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.text);
	return vscode.workspace.applyEdit(edit);
}

/** Thrown when the document cannot be edited as a scene; the message says what to do. */
export class SceneEditError extends Error {}

/** Applies `change` to the document's scene and writes the result. */
export async function editScene(document: vscode.TextDocument, change: (scene: SceneDocumentView) => SceneDocumentView): Promise<void> {
	const current = readScene(document);
	if (!current.ok) throw new SceneEditError(current.message);
	if (!(await writeScene(document, change(current.document)))) throw new SceneEditError(`VS Code did not accept the edit of ${path.basename(document.uri.path)}; is the file read-only?`);
}

/**
 * Adds `files` to the scene at its origin, ids from their names. Returns the ids added and a sentence for every
 * file refused (wrong type, another drive).
 */
export async function addFiles(document: vscode.TextDocument, files: readonly vscode.Uri[]): Promise<{ added: string[]; refused: string[] }> {
	const folder = sceneFolder(document.uri);
	if (folder === undefined) throw new SceneEditError('Save the scene first: it names its models by paths relative to its own folder.');
	const sceneFile = path.join(folder, path.basename(document.uri.fsPath));
	let added: string[] = [];
	let refused: string[] = [];
	await editScene(document, (scene) => {
		const made = newObjects(
			sceneFile,
			files.map((f) => f.fsPath),
			scene.objects.map((o) => o.id),
		);
		added = made.objects.map((o) => o.id);
		refused = made.refused;
		return made.objects.length ? addObjects(scene, made.objects) : scene;
	});
	return { added, refused };
}
