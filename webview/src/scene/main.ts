// Entry of the scene editor webview: checks every host message against scene-messages.ts, keeps the models
// (models.ts), drives the three.js view (view.ts) and the page (ui.ts), and posts what the user does as intents
// for the host to write into the document. Nothing here edits the scene itself: the next `scene` message from the
// host, made from the document's new text, is what the view shows.
import '../preview/zod-jitless';
import { clipError, issueList } from '../error-text';
import { SceneHostMessage, type SceneViewMessage, type ViewObject, type ViewTransform } from '../scene-messages';
import { droppedUris } from './drop';
import { ModelCache } from './models';
import { createSceneUi } from './ui';
import { SceneView, type GizmoMode } from './view';

interface VsCodeApi {
	postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Read-only facts and two probes for tests and for anyone poking at the webview's devtools. */
interface SceneDebug {
	readonly objects: readonly { id: string; drawn: string }[];
	readonly selected: string | null;
	readonly mode: GizmoMode;
	readonly editable: boolean;
	/** Where an object's drawn centre (or its origin, where the gizmo sits) is on the canvas, in CSS pixels. */
	screenPoint(id: string, which?: 'centre' | 'origin'): { x: number; y: number } | null;
	transformOf(id: string): ViewTransform | null;
}
declare global {
	interface Window {
		orfeasScene?: SceneDebug;
	}
}

type SceneMessage = Extract<SceneHostMessage, { type: 'scene' }>;

/** A layout the host never answered stops blocking the buttons after this long. */
const BUSY_TIMEOUT_MS = 120_000;

const vscode = acquireVsCodeApi();
const post = (message: SceneViewMessage) => vscode.postMessage(message);

const models = new ModelCache();
let objects: readonly ViewObject[] = [];
let editable = true;
/** A scene that came while a gizmo was held: shown when the drag ends. */
let deferred: SceneMessage | undefined;
/** When the scene on its way to the screen arrived; cleared once it is drawn and reported. */
let arriving: number | undefined;
/** A layout was asked for: the scene it produces is framed whatever the camera did before. */
let framePending = false;
let busyTimer: ReturnType<typeof setTimeout> | undefined;

const ui = createSceneUi(document, {
	frame: () => view?.frame(),
	mode: setMode,
	layout: (mode) => {
		setBusy(true);
		framePending = true;
		post({ type: 'layout', mode });
	},
	remove,
	select: (id) => select(id),
	run: (command, target) => post({ type: 'run', command, ...(target ? { target } : {}) }),
});
const view = startView();
setMode('translate');
publish();

window.addEventListener('message', (event: MessageEvent) => {
	const parsed = SceneHostMessage.safeParse(event.data);
	if (!parsed.success) {
		report(`Ignored a message from the editor that the scene view does not understand (${issueList(parsed.error.issues)}).`);
		return;
	}
	const message = parsed.data;
	switch (message.type) {
		case 'scene':
			if (view?.dragging) deferred = message;
			else show(message);
			return;
		case 'invalid':
			setEditable(false);
			ui.setStatus(message.message, 'error');
			return;
		case 'model':
			void models.load(message.path, message.bytes).then((entry) => entry && modelsChanged());
			return;
		case 'modelError':
			models.fail(message.path, message.message);
			modelsChanged();
			return;
		case 'commands':
			ui.setCommands(message);
			return;
		case 'status':
			ui.setStatus(message.text, message.kind);
			if (message.text === '' || message.kind === 'error') setBusy(false);
			if (message.kind === 'error') framePending = false;
			return;
	}
});
window.addEventListener('keydown', onKey);
listenForDrops(ui.stage);
window.addEventListener('error', (event) => report(`The scene view hit an unexpected error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => report(`The scene view hit an unexpected error: ${String(event.reason)}`));
post({ type: 'ready' });

function startView(): SceneView | undefined {
	try {
		return new SceneView(ui.canvas, ui.labels, {
			select: (id) => select(id, false),
			transformed: (id, transform) => {
				post({ type: 'transform', id, transform });
				publish();
				if (deferred) {
					const next = deferred;
					deferred = undefined;
					show(next);
				}
			},
		});
	} catch (error) {
		report(`WebGL is not available here, so the scene cannot be drawn (${error instanceof Error ? error.message : String(error)}). Check that hardware acceleration is not turned off in VS Code.`);
		return undefined;
	}
}

function show(message: SceneMessage): void {
	arriving = performance.now();
	objects = message.objects;
	if (!editable) {
		setEditable(true);
		ui.setStatus('');
	}
	const paths = modelPathsOf(objects);
	const missing = models.request(paths);
	if (missing.length) post({ type: 'models', paths: missing });
	view?.update(objects, message.groundY, models);
	models.retain(paths);
	ui.setObjects(objects);
	ui.setSelected(view?.selected ?? null);
	publish();
	reportShown();
}

function modelsChanged(): void {
	view?.refreshContent(models);
	publish();
	reportShown();
}

/**
 * Once every model of the scene on its way has loaded or failed: frame it (until the user moves the camera, and
 * after a layout), draw, and say so.
 */
function reportShown(): void {
	if (arriving === undefined || !models.settled(modelPathsOf(objects))) return;
	if (!view) return;
	if (objects.length > 0 && (!view.cameraMoved || framePending)) view.frame();
	framePending = false;
	view.render();
	const counts = view.drawnCounts();
	post({ type: 'shown', objects: objects.length, models: counts.models, placeholders: counts.placeholders, firstFrameMs: performance.now() - arriving });
	arriving = undefined;
}

function select(id: string | null, fromList = true): void {
	if (fromList) view?.select(id);
	ui.setSelected(id);
	publish();
}

function setMode(mode: GizmoMode): void {
	view?.setMode(mode);
	ui.setMode(mode);
	publish();
}

function setEditable(value: boolean): void {
	editable = value;
	view?.setEditable(value);
	ui.setEditable(value);
	publish();
}

function setBusy(busy: boolean): void {
	clearTimeout(busyTimer);
	ui.setBusy(busy);
	if (busy) busyTimer = setTimeout(() => ui.setBusy(false), BUSY_TIMEOUT_MS);
}

function remove(): void {
	const id = view?.selected;
	if (id && editable) post({ type: 'remove', id });
}

/** W, E, R pick the gizmo; F frames; Delete removes; Escape deselects. Keys with modifiers go on to VS Code. */
function onKey(event: KeyboardEvent): void {
	if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
	const target = event.target as HTMLElement | null;
	if (target?.closest('select, input, textarea')) return;
	const modes: Record<string, GizmoMode> = { w: 'translate', e: 'rotate', r: 'scale' };
	const key = event.key.toLowerCase();
	if (modes[key]) setMode(modes[key]);
	else if (key === 'f') view?.frame();
	else if (event.key === 'Delete' || event.key === 'Backspace') remove();
	else if (event.key === 'Escape') select(null);
	else return;
	event.preventDefault();
}

/** Files dragged from VS Code's Explorer (with Shift, so the drop reaches the view) go to the host by URI. */
function listenForDrops(stage: HTMLElement): void {
	stage.addEventListener('dragover', (event) => {
		event.preventDefault();
		if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
		stage.classList.add('dropping');
	});
	stage.addEventListener('dragleave', () => stage.classList.remove('dropping'));
	stage.addEventListener('drop', (event) => {
		event.preventDefault();
		stage.classList.remove('dropping');
		const uris = event.dataTransfer ? droppedUris(event.dataTransfer) : [];
		if (!uris.length) {
			ui.setStatus("Nothing to add: drop .glb models or pictures from VS Code's Explorer (hold Shift while dragging).", 'error');
			return;
		}
		if (!editable) return report('The scene file is not valid; fix it before adding objects.');
		post({ type: 'drop', uris });
	});
}

function modelPathsOf(list: readonly ViewObject[]): Set<string> {
	return new Set(list.flatMap((o) => (o.source.kind === 'model' ? [o.source.path] : o.source.model ? [o.source.model] : [])));
}

function report(message: string): void {
	const text = clipError(message);
	ui.setStatus(text, 'error');
	post({ type: 'error', message: text });
}

function publish(): void {
	window.orfeasScene = Object.freeze({
		objects: view?.drawnKinds() ?? [],
		selected: view?.selected ?? null,
		mode: view?.gizmoMode ?? 'translate',
		editable,
		screenPoint: (id: string, which: 'centre' | 'origin' = 'centre') => view?.screenPoint(id, which) ?? null,
		transformOf: (id: string) => view?.transformOf(id) ?? null,
	});
}
