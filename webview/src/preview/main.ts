// Entry of the model previewer webview: checks every host message against messages.ts, drives the viewer
// (viewer.ts), the LOD and collider handling (lods.ts) and the page (ui.ts), and answers with ViewMessages.
// Nothing here throws at the host: a bad message or a bad file becomes an `error` message and a status line.
import './zod-jitless';
import type { Object3D } from 'three';
import { clipError, issueList } from '../error-text';
import { HostMessage, VIEWER_DEFAULTS, ViewerSettings, type ModelStats, type ViewMessage } from '../messages';
import { parseGltf } from './gltf';
import { hideColliders, levels, showLevel } from './lods';
import { modelStats } from './stats';
import { createUi, type Toggle } from './ui';
import { Viewer } from './viewer';

interface VsCodeApi {
	postMessage(message: unknown): void;
	getState(): unknown;
	setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Read-only facts for tests and for anyone poking at the webview's devtools. */
interface PreviewDebug {
	readonly lastStats?: ModelStats;
	readonly levels: number;
	readonly shownLevel: number;
}
declare global {
	interface Window {
		orfeasPreview?: PreviewDebug;
	}
}

type LoadMessage = Extract<HostMessage, { type: 'load' }>;

const vscode = acquireVsCodeApi();
const post = (message: ViewMessage) => vscode.postMessage(message);

// Settings survive a webview reload through getState until the host's own copy arrives.
const saved = ViewerSettings.safeParse((vscode.getState() as { settings?: unknown } | undefined)?.settings);
let settings: ViewerSettings = saved.success ? saved.data : { ...VIEWER_DEFAULTS };
let lodLevels: Object3D[] = [];
let shown = 0;
/** The model on screen: its file name and size for the panel, and the loaded scene. */
let current: { name: string; fileBytes: number; scene: Object3D } | undefined;
let lastStats: ModelStats | undefined;
let loads = 0;

const ui = createUi(document, {
	frame: () => viewer?.frame(),
	toggle,
	lod: (level) => {
		shown = showLevel(lodLevels, level);
		viewer?.modelChanged();
		refreshStats();
	},
	screenshot: () => void screenshot(),
});
const viewer = startViewer();
ui.setSettings(settings);
viewer?.applySettings(settings);
publish();

window.addEventListener('message', (event: MessageEvent) => {
	const parsed = HostMessage.safeParse(event.data);
	if (!parsed.success) {
		report(`Ignored a message from the editor that the previewer does not understand (${issueList(parsed.error.issues)}).`);
		return;
	}
	const message = parsed.data;
	if (message.type === 'load') void load(message);
	else if (message.type === 'settings') applySettings(message.settings);
	else void screenshot();
});
window.addEventListener('error', (event) => report(`The previewer hit an unexpected error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => report(`The previewer hit an unexpected error: ${describe(event.reason)}`));
post({ type: 'ready' });

function startViewer(): Viewer | undefined {
	try {
		return new Viewer(ui.canvas, ui.scaleLabel);
	} catch (error) {
		report(`WebGL is not available here, so models cannot be drawn (${describe(error)}). Check that hardware acceleration is not turned off in VS Code.`);
		return undefined;
	}
}

async function load(message: LoadMessage): Promise<void> {
	const started = performance.now();
	const ticket = ++loads;
	ui.setStatus(`Loading ${message.name}…`);
	if (!viewer) return report(`Cannot show ${message.name}: WebGL is not available here.`);
	let parsed: Awaited<ReturnType<typeof parseGltf>>;
	try {
		parsed = await parseGltf(message);
	} catch (error) {
		if (ticket !== loads) return;
		// A file that broke while open keeps its last good picture; a new one leaves the view empty.
		if (!message.refresh) forget();
		return report(`Could not show ${message.name}: ${describe(error)}. Re-export it, or check it with the Khronos glTF validator.`);
	}
	// A newer load came in while this one parsed: it wins.
	if (ticket !== loads) return;
	const keepCamera = message.refresh === true && current !== undefined;
	hideColliders(parsed.scene);
	lodLevels = levels(parsed.scene);
	shown = showLevel(lodLevels, keepCamera ? shown : 0);
	current = { name: message.name, fileBytes: message.fileBytes, scene: parsed.scene };
	viewer.show(parsed.scene, { keepCamera });
	viewer.render();
	const firstFrameMs = performance.now() - started;
	ui.setLevels(lodLevels.length, shown);
	const stats = refreshStats()!;
	ui.setStatus('');
	post({ type: 'shown', stats, firstFrameMs });
	if (parsed.missing.length > 0) {
		report(`${message.name} is shown without ${parsed.missing.join(', ')}: the file names them but they were not found next to it.`);
	}
}

function forget(): void {
	viewer?.clear();
	lodLevels = [];
	shown = 0;
	current = undefined;
	lastStats = undefined;
	ui.setLevels(0, 0);
	publish();
}

/** Recounts what is on screen into the panel and the debug handle. */
function refreshStats(): ModelStats | undefined {
	if (!current) return undefined;
	lastStats = modelStats(current.scene, { lods: lodLevels.length, fileBytes: current.fileBytes });
	ui.setStats(current.name, lastStats);
	publish();
	return lastStats;
}

function toggle(setting: Toggle): void {
	applySettings({ ...settings, [setting]: !settings[setting] });
	post({ type: 'settings', settings });
}

function applySettings(next: ViewerSettings): void {
	settings = { ...next };
	vscode.setState({ settings });
	ui.setSettings(settings);
	viewer?.applySettings(settings);
}

async function screenshot(): Promise<void> {
	if (!viewer) return report('Cannot take a screenshot: WebGL is not available here.');
	try {
		post({ type: 'screenshot', png: await viewer.screenshotPng() });
	} catch (error) {
		report(`Could not take a screenshot: ${describe(error)}.`);
	}
}

function report(message: string): void {
	const text = clipError(message);
	ui.setStatus(text, 'error');
	post({ type: 'error', message: text });
}

/** An error's message fit for a sentence: no loader prefix, no final stop, no binary garbage quoted from a file. */
function describe(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text
		.replace(/^THREE\.GLTFLoader:\s*/, '')
		.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, ' ')
		.trim()
		.replace(/\.$/, '');
}

function publish(): void {
	window.orfeasPreview = Object.freeze({ lastStats, levels: lodLevels.length, shownLevel: shown });
}
