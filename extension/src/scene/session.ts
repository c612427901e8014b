// One open scene editor: posts the scene to its webview whenever the document's text changes (an edit from the
// view, undo, a text editor beside it, git), answers the view's requests for model bytes, and turns the view's
// intents into document edits or daemon requests. Every message from the view is checked before it is used.
import path from 'node:path';
import * as vscode from 'vscode';
import type { LayoutMode, SceneDocumentView } from '../../../daemon/src/protocol/scene';
import { SceneViewMessage, type SceneHostMessage } from '../../../webview/src/scene-messages';
import type { Orfeas } from '../context';
import { showError } from '../ui';
import { addFiles, editScene, readScene, sceneFolder } from './document';
import { assetOfKey, modelPaths, removeObject, setTransform, viewObjects, withLayout } from './edits';
import type { DaemonScenes } from './layout';

/** Commands of the toolbar that other parts of Orfeas provide; the buttons are enabled when they exist. */
export const SCENE_COMMANDS = { build: 'orfeas.scene.build', export: 'orfeas.scene.export', send: 'orfeas.scene.send' } as const;

/** Largest model file sent to the view. */
const MAX_MODEL_BYTES = 512 * 1024 * 1024;

export class SceneSession implements vscode.Disposable {
	private readonly disposables: vscode.Disposable[] = [];
	/** Model paths the view asked for: sent again when their file changes. */
	private readonly requested = new Set<string>();
	private pending: NodeJS.Timeout | undefined;
	private layingOut = false;
	private lastShown = '';
	private readonly name: string;

	constructor(
		private readonly orfeas: Orfeas,
		readonly document: vscode.TextDocument,
		readonly panel: vscode.WebviewPanel,
		private readonly daemonScenes: DaemonScenes,
	) {
		this.name = path.basename(document.uri.path);
		this.disposables.push(
			panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
			vscode.workspace.onDidChangeTextDocument((event) => {
				if (event.document === document && event.contentChanges.length > 0) this.scheduleRefresh();
			}),
			panel.onDidChangeViewState(() => panel.visible && void this.postCommands()),
		);
		const folder = sceneFolder(document.uri);
		if (folder !== undefined && document.uri.scheme === 'file') {
			// Models regenerated or copied in while the scene is open show up without reopening it.
			const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/*.glb'));
			const changed = (uri: vscode.Uri) => {
				const relative = path.relative(folder, uri.fsPath).split(path.sep).join('/');
				if (this.requested.has(relative)) void this.sendModels([relative]);
			};
			this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed));
		}
	}

	dispose(): void {
		clearTimeout(this.pending);
		for (const d of this.disposables) d.dispose();
	}

	private post(message: SceneHostMessage): Thenable<boolean> {
		return this.panel.webview.postMessage(message);
	}

	private async receive(raw: unknown): Promise<void> {
		const parsed = SceneViewMessage.safeParse(raw);
		if (!parsed.success) return this.orfeas.log.line(`Scene ${this.name}: ignored a message the scene view may not send.`);
		const message = parsed.data;
		switch (message.type) {
			case 'ready':
				await this.postCommands();
				return this.refresh();
			case 'models':
				return this.sendModels(message.paths);
			case 'shown': {
				// Logged when what is drawn changes, not on every move.
				const counts = `${message.objects} object(s), ${message.models} model(s) drawn, ${message.placeholders} placeholder(s)`;
				if (counts !== this.lastShown) this.orfeas.log.line(`Scene ${this.name}: ${counts}; ${Math.round(message.firstFrameMs)} ms.`);
				this.lastShown = counts;
				return;
			}
			case 'transform':
				return this.edit('Move', (scene) => setTransform(scene, message.id, message.transform));
			case 'remove':
				return this.edit('Remove', (scene) => removeObject(scene, message.id));
			case 'layout':
				return this.layout(message.mode);
			case 'drop':
				return this.drop(message.uris);
			case 'run':
				return this.run(message.command, message.target);
			case 'error':
				return this.orfeas.log.line(`Scene ${this.name}: ${message.message}`);
		}
	}

	/** Posts the scene (or why the text is not one) on the next tick, once per burst of changes. */
	private scheduleRefresh(): void {
		clearTimeout(this.pending);
		this.pending = setTimeout(() => void this.refresh(), 10);
	}

	private async refresh(): Promise<void> {
		const current = readScene(this.document);
		if (!current.ok) {
			await this.post({ type: 'invalid', message: current.message });
			return;
		}
		const scene = current.document;
		await this.post({ type: 'scene', name: scene.name, groundY: scene.ground.y, objects: viewObjects(scene) });
	}

	private async postCommands(): Promise<void> {
		const known = new Set(await vscode.commands.getCommands(true));
		await this.post({ type: 'commands', build: known.has(SCENE_COMMANDS.build), export: known.has(SCENE_COMMANDS.export), send: known.has(SCENE_COMMANDS.send) });
	}

	/** Reads the models the document names (and only those) and posts their bytes, or why one cannot be shown. */
	private async sendModels(paths: readonly string[]): Promise<void> {
		const current = readScene(this.document);
		const named = current.ok ? modelPaths(current.document) : new Set<string>();
		const folder = sceneFolder(this.document.uri);
		for (const relative of new Set(paths)) {
			try {
				if (!named.has(relative)) throw new Error(`${relative} is not a model of this scene.`);
				const assetId = assetOfKey(relative);
				if (assetId !== undefined) {
					await this.post({ type: 'model', path: relative, bytes: plain(await this.generatedModel(assetId)) });
					continue;
				}
				if (folder === undefined) throw new Error('save the scene first: its models are found relative to its folder.');
				if (path.extname(relative).toLowerCase() !== '.glb') throw new Error(`${relative} is not a .glb file.`);
				this.requested.add(relative);
				const file =
					this.document.uri.scheme === 'untitled'
						? vscode.Uri.file(path.resolve(folder, relative))
						: this.document.uri.with({ path: path.posix.resolve(path.posix.dirname(this.document.uri.path), relative) });
				const stat = await vscode.workspace.fs.stat(file).then(undefined, () => {
					throw new Error(`${relative} is not there (looked in ${path.dirname(file.fsPath)}).`);
				});
				if (stat.size > MAX_MODEL_BYTES) throw new Error(`${relative} is larger than ${MAX_MODEL_BYTES / 2 ** 20} MiB.`);
				await this.post({ type: 'model', path: relative, bytes: plain(await vscode.workspace.fs.readFile(file)) });
			} catch (error) {
				await this.post({ type: 'modelError', path: relative, message: error instanceof Error ? error.message : String(error) });
			}
		}
	}

	/**
	 * The GLB the daemon generated for a built picture. Its file name is the generating job's (an asset made for
	 * another name keeps that name), so the daemon's recent jobs say which file to fetch.
	 */
	private async generatedModel(assetId: string): Promise<Uint8Array> {
		const client = await this.orfeas.connection.get();
		const { jobs } = (await client.request({ type: 'job.list', state: 'done', limit: 1000 })) as { jobs: { assetId?: string; files?: { name: string; format: string }[] }[] };
		const file = jobs.find((job) => job.assetId === assetId)?.files?.find((f) => f.format === 'glb');
		if (!file) throw new Error('the daemon no longer knows this generated model; press Build to make it again.');
		return client.download(assetId, file.name);
	}

	private async edit(what: string, change: (scene: SceneDocumentView) => SceneDocumentView): Promise<void> {
		try {
			await editScene(this.document, change);
		} catch (error) {
			await this.post({ type: 'status', text: `${what}: ${describe(error)}`, kind: 'error' });
			await showError(this.orfeas.log, `${what} in ${this.name}`, error);
		}
	}

	private async layout(mode: LayoutMode): Promise<void> {
		if (this.layingOut) return;
		const current = readScene(this.document);
		const folder = sceneFolder(this.document.uri);
		this.layingOut = true;
		try {
			if (!current.ok) throw new Error(current.message);
			if (current.document.objects.length === 0) throw new Error('the scene has no objects yet: add models first (drop them here, or right-click a file ▸ Add to Scene).');
			if (folder === undefined) throw new Error('save the scene first: the daemon finds its models relative to its folder.');
			await this.post({ type: 'status', text: `Laying out ${current.document.objects.length} object(s) (${mode})…`, kind: 'info' });
			const laidOut = await this.daemonScenes.layout(this.document.uri.toString(), current.document, folder, mode);
			await editScene(this.document, (scene) => withLayout(scene, laidOut));
			await this.post({ type: 'status', text: '', kind: 'info' });
		} catch (error) {
			await this.post({ type: 'status', text: `Auto layout: ${describe(error)}`, kind: 'error' });
			await showError(this.orfeas.log, 'Auto layout', error);
		} finally {
			this.layingOut = false;
		}
	}

	private async drop(uris: readonly string[]): Promise<void> {
		const files: vscode.Uri[] = [];
		const refused: string[] = [];
		for (const text of uris) {
			const uri = localFile(text, this.document.uri);
			if (uri) files.push(uri);
			else refused.push(`${text.slice(0, 200)} is not a file VS Code can name from this scene.`);
		}
		await this.addFiles(files, refused);
	}

	/** Adds files dropped on the view or given to Add to Scene, and says which were refused. */
	async addFiles(files: readonly vscode.Uri[], refusedBefore: readonly string[] = []): Promise<string[]> {
		try {
			const { added, refused } = files.length ? await addFiles(this.document, files) : { added: [], refused: [] };
			const all = [...refusedBefore, ...refused];
			if (all.length) void vscode.window.showWarningMessage(`Orfeas: ${all.join(' ')}`);
			if (added.length) this.orfeas.log.line(`Scene ${this.name}: added ${added.join(', ')}.`);
			return added;
		} catch (error) {
			await showError(this.orfeas.log, `Add to ${this.name}`, error);
			return [];
		}
	}

	private async run(command: keyof typeof SCENE_COMMANDS, target: 'blender' | 'unity' | undefined): Promise<void> {
		const id = SCENE_COMMANDS[command];
		if (!(await vscode.commands.getCommands(true)).includes(id)) {
			await this.postCommands();
			return;
		}
		try {
			await vscode.commands.executeCommand(id, this.document.uri, ...(target ? [target] : []));
		} catch (error) {
			await showError(this.orfeas.log, `${command[0].toUpperCase()}${command.slice(1)} ${this.name}`, error);
		}
	}
}

/** A dropped URI as a file the extension host can read: `file:`, or the scheme of the scene itself (remote). */
export function localFile(text: string, scene: vscode.Uri): vscode.Uri | undefined {
	let uri: vscode.Uri;
	try {
		uri = vscode.Uri.parse(text.trim(), true);
	} catch {
		return undefined;
	}
	if (uri.scheme === 'file') return uri;
	if (uri.scheme === scene.scheme && uri.authority === scene.authority && scene.scheme !== 'untitled') return vscode.Uri.file(uri.path);
	if (uri.scheme === 'vscode-remote') return vscode.Uri.file(uri.path);
	return undefined;
}

function describe(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.replace(/\.$/, '');
}

/** A plain Uint8Array copy: VS Code rebuilds typed arrays in the webview by constructor name (see the previewer). */
function plain(bytes: Uint8Array): Uint8Array {
	return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes);
}
