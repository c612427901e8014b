// The scene editor: a custom *text* editor for `*.orfeas-scene.json`, so VS Code keeps the file as a TextDocument
// and save, undo, the dirty state, hot exit and git behave as for any text file. Its webview runs the three.js
// scene view (webview/src/scene/); the page may load only its own bundle, and all it learns arrives by message.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Orfeas } from '../context';
import { makeNonce } from '../webview-page';
import { sceneHtml } from './html';
import type { DaemonScenes } from './layout';
import { SceneSession } from './session';

export const SCENE_VIEW_TYPE = 'orfeas.sceneEditor';

/** The open scene editors, so commands (Add to Scene) can find them. */
export class SceneRegistry {
	private readonly sessions = new Set<SceneSession>();

	add(session: SceneSession): vscode.Disposable {
		this.sessions.add(session);
		return { dispose: () => this.sessions.delete(session) };
	}

	/** One editor per open scene document, the focused one first. */
	open(): SceneSession[] {
		const byDocument = new Map<string, SceneSession>();
		const ordered = [...this.sessions].sort((a, b) => Number(b.panel.active) - Number(a.panel.active));
		for (const session of ordered) if (!byDocument.has(session.document.uri.toString())) byDocument.set(session.document.uri.toString(), session);
		return [...byDocument.values()];
	}
}

export class SceneEditorProvider implements vscode.CustomTextEditorProvider {
	static register(orfeas: Orfeas, registry: SceneRegistry, daemonScenes: DaemonScenes): vscode.Disposable[] {
		const provider = new SceneEditorProvider(orfeas, registry, daemonScenes);
		return [vscode.window.registerCustomEditorProvider(SCENE_VIEW_TYPE, provider, { webviewOptions: { retainContextWhenHidden: true } })];
	}

	private constructor(
		private readonly orfeas: Orfeas,
		private readonly registry: SceneRegistry,
		private readonly daemonScenes: DaemonScenes,
	) {}

	resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
		const bundle = vscode.Uri.joinPath(this.orfeas.extension.extensionUri, 'dist', 'webview');
		panel.webview.options = { enableScripts: true, localResourceRoots: [bundle] };
		panel.webview.html = sceneHtml({
			cspSource: panel.webview.cspSource,
			scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'scene.js')).toString(),
			nonce: makeNonce(),
			title: path.basename(document.uri.path),
		});
		const session = new SceneSession(this.orfeas, document, panel, this.daemonScenes);
		const registration = this.registry.add(session);
		panel.onDidDispose(() => {
			registration.dispose();
			session.dispose();
			if (!this.registry.open().some((s) => s.document === document)) this.daemonScenes.forget(document.uri.toString());
		});
	}
}
