// The model previewer: a read-only custom editor for .glb/.gltf (users may make it their default) whose webview
// runs the three.js viewer. The webview reaches nothing itself: the host reads the file (and a .gltf's
// buffers and images, which must sit beside it), posts the bytes, and posts them again when the file changes.
import path from 'node:path';
import * as vscode from 'vscode';
import { HostMessage, VIEWER_DEFAULTS, ViewerSettings, ViewMessage } from '../../../webview/src/messages';
import type { Orfeas } from '../context';
import { freeName } from '../outputs';
import { showError } from '../ui';
import { gltfResources } from './resources';
import { makeNonce } from '../webview-page';
import { previewHtml } from './html';
import { existsSync } from 'node:fs';

export const PREVIEW_VIEW_TYPE = 'orfeas.preview';
const SETTINGS_KEY = 'orfeas.viewerSettings';

/** The open previews, so commands can act on the one in front. */
export class PreviewRegistry {
	private readonly panels = new Map<vscode.WebviewPanel, vscode.Uri>();

	/** The model of the focused preview (or of the only one open): what Export and Send act on. */
	get active(): vscode.Uri | undefined {
		const panel = this.activePanel();
		return panel && this.panels.get(panel);
	}

	activePanel(): vscode.WebviewPanel | undefined {
		for (const panel of this.panels.keys()) if (panel.active) return panel;
		return this.panels.size === 1 ? [...this.panels.keys()][0] : undefined;
	}

	add(panel: vscode.WebviewPanel, uri: vscode.Uri): void {
		this.panels.set(panel, uri);
		panel.onDidDispose(() => this.panels.delete(panel));
	}

	uriOf(panel: vscode.WebviewPanel): vscode.Uri | undefined {
		return this.panels.get(panel);
	}
}

export class PreviewProvider implements vscode.CustomReadonlyEditorProvider {
	static register(orfeas: Orfeas, previews: PreviewRegistry): vscode.Disposable[] {
		const provider = new PreviewProvider(orfeas, previews);
		return [
			vscode.window.registerCustomEditorProvider(PREVIEW_VIEW_TYPE, provider, { webviewOptions: { retainContextWhenHidden: true }, supportsMultipleEditorsPerDocument: true }),
			vscode.commands.registerCommand('orfeas.openPreview', async (arg?: unknown) => {
				const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
				const target = uri && /\.(glb|gltf)$/i.test(uri.path) ? uri : (await vscode.window.showOpenDialog({ filters: { 'glTF models': ['glb', 'gltf'] } }))?.[0];
				if (target) await vscode.commands.executeCommand('vscode.openWith', target, PREVIEW_VIEW_TYPE);
			}),
			vscode.commands.registerCommand('orfeas.saveScreenshot', () => {
				const panel = previews.activePanel();
				if (!panel) return vscode.window.showInformationMessage('Orfeas: open a model preview first.');
				return panel.webview.postMessage({ type: 'screenshot' } satisfies HostMessage);
			}),
		];
	}

	private constructor(
		private readonly orfeas: Orfeas,
		private readonly previews: PreviewRegistry,
	) {}

	openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
		return { uri, dispose: () => {} };
	}

	async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
		const bundle = vscode.Uri.joinPath(this.orfeas.extension.extensionUri, 'dist', 'webview');
		panel.webview.options = { enableScripts: true, localResourceRoots: [bundle] };
		panel.webview.html = previewHtml({
			cspSource: panel.webview.cspSource,
			scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'preview.js')).toString(),
			nonce: makeNonce(),
			title: path.basename(document.uri.fsPath),
		});
		this.previews.add(panel, document.uri);
		const post = (message: HostMessage) => panel.webview.postMessage(message);
		const load = async (refresh: boolean) => {
			try {
				await post(await this.loadMessage(document.uri, refresh));
			} catch (error) {
				await showError(this.orfeas.log, `Preview ${path.basename(document.uri.fsPath)}`, error);
			}
		};
		const disposables: vscode.Disposable[] = [];
		disposables.push(
			panel.webview.onDidReceiveMessage(async (raw: unknown) => {
				const parsed = ViewMessage.safeParse(raw);
				if (!parsed.success) return this.orfeas.log.line('Preview: ignored a message the webview may not send.');
				const message = parsed.data;
				switch (message.type) {
					case 'ready':
						await post({ type: 'settings', settings: this.viewerSettings() });
						return load(false);
					case 'shown':
						return this.orfeas.log.line(
							`Preview ${path.basename(document.uri.fsPath)}: ${message.stats.vertices} vertices, ${message.stats.triangles} triangles, ${message.stats.lods} LOD level(s); first frame ${Math.round(message.firstFrameMs)} ms.`,
						);
					case 'settings':
						return this.orfeas.extension.globalState.update(SETTINGS_KEY, message.settings);
					case 'screenshot':
						return this.saveScreenshot(document.uri, message.png);
					case 'error':
						return this.orfeas.log.line(`Preview ${path.basename(document.uri.fsPath)}: ${message.message}`);
				}
			}),
		);
		// Refresh when the model is written again (a new generation, an export over it, another tool).
		const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(document.uri.fsPath)), path.basename(document.uri.fsPath)));
		let pending: NodeJS.Timeout | undefined;
		const changed = () => {
			clearTimeout(pending);
			pending = setTimeout(() => void load(true), 250);
		};
		disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed));
		panel.onDidDispose(() => {
			clearTimeout(pending);
			for (const d of disposables) d.dispose();
		});
	}

	private viewerSettings(): ViewerSettings {
		const stored = ViewerSettings.safeParse(this.orfeas.extension.globalState.get(SETTINGS_KEY));
		return stored.success ? stored.data : VIEWER_DEFAULTS;
	}

	private async loadMessage(uri: vscode.Uri, refresh: boolean): Promise<HostMessage> {
		const bytes = plain(await vscode.workspace.fs.readFile(uri));
		const name = path.basename(uri.fsPath);
		if (!/\.gltf$/i.test(uri.path)) return { type: 'load', name, format: 'glb', bytes, fileBytes: bytes.byteLength, refresh };
		const resources = Object.fromEntries(Object.entries(await gltfResources(uri.fsPath, bytes)).map(([name, data]) => [name, plain(data)]));
		const fileBytes = Object.values(resources).reduce((sum, r) => sum + r.byteLength, bytes.byteLength);
		return { type: 'load', name, format: 'gltf', bytes, resources, fileBytes, refresh };
	}

	private async saveScreenshot(model: vscode.Uri, png: Uint8Array): Promise<void> {
		const suggested = freeName(model.fsPath.replace(/\.(glb|gltf)$/i, '.png'), existsSync);
		const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(suggested), filters: { 'PNG image': ['png'] }, saveLabel: 'Save Screenshot' });
		if (!target) return;
		await vscode.workspace.fs.writeFile(target, png);
		this.orfeas.log.line(`Saved a screenshot of ${path.basename(model.fsPath)} to ${target.fsPath}.`);
		vscode.window.showInformationMessage(`Orfeas: saved ${path.basename(target.fsPath)}.`);
	}
}

/**
 * A copy as a plain Uint8Array. VS Code rebuilds typed arrays in the webview by their constructor's name, and a
 * Node Buffer (what file reads give here) would arrive as something the webview cannot use.
 */
function plain(bytes: Uint8Array): Uint8Array {
	return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes);
}
