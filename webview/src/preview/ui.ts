// The previewer's DOM around the canvas: toolbar, stats panel, status line and the "1 m" label. Plain elements
// styled by previewHtml's stylesheet (extension/src/preview/html.ts) with VS Code's theme variables; stable
// `data-action` / `data-stat` attributes are what tests and users' keyboard navigation rely on.
import { elementMaker, showStatus } from '../dom';
import type { ModelStats, ViewerSettings } from '../messages';
import { formatBytes, formatCount, formatSize, formatTextures } from './stats';

export type Toggle = keyof ViewerSettings;

export interface UiHandlers {
	frame(): void;
	toggle(setting: Toggle): void;
	lod(level: number): void;
	screenshot(): void;
}

export interface Ui {
	canvas: HTMLCanvasElement;
	scaleLabel: HTMLElement;
	setSettings(settings: ViewerSettings): void;
	/** Shows the LOD picker when there is more than one level. */
	setLevels(count: number, shown: number): void;
	setStats(name: string, stats: ModelStats): void;
	setStatus(text: string, kind?: 'info' | 'error'): void;
}

const TOGGLES: readonly [Toggle, string, string][] = [
	['wireframe', 'Wireframe', 'Draw triangle edges only'],
	['grid', 'Grid', 'Ground grid in 1 m cells and a 1 m scale bar'],
	['environment', 'Environment', 'Light the model with a studio environment (off: two plain lights)'],
	['autoRotate', 'Auto-rotate', 'Turn the camera around the model'],
];

const STATS: readonly [string, string][] = [
	['name', 'File'],
	['fileBytes', 'File size'],
	['vertices', 'Vertices'],
	['triangles', 'Triangles'],
	['materials', 'Materials'],
	['textures', 'Textures'],
	['lods', 'LOD levels'],
	['size', 'Size'],
];

/** Builds the page around `#viewport` (made if the HTML lacks it) and wires the controls to `handlers`. */
export function createUi(doc: Document, handlers: UiHandlers): Ui {
	const make = elementMaker(doc);

	const toolbar = make('div', { id: 'toolbar', role: 'toolbar' });
	const button = (action: string, label: string, title: string) => make('button', { type: 'button', 'data-action': action, title }, label, toolbar);
	button('frame', 'Frame', 'Fit the model in the view').addEventListener('click', () => handlers.frame());
	const toggles = new Map<Toggle, HTMLButtonElement>();
	for (const [setting, label, title] of TOGGLES) {
		const element = button(setting, label, title);
		element.addEventListener('click', () => handlers.toggle(setting));
		toggles.set(setting, element);
	}
	const lodLabel = make('label', { id: 'lod', hidden: '' }, 'LOD ', toolbar);
	const lodSelect = make('select', { 'data-action': 'lod', title: 'Level of detail shown' }, undefined, lodLabel);
	lodSelect.addEventListener('change', () => handlers.lod(Number(lodSelect.value)));
	button('screenshot', 'Screenshot', 'Save the view as a PNG').addEventListener('click', () => handlers.screenshot());

	const stage = doc.getElementById('stage') ?? make('main', { id: 'stage' });
	const canvas = (doc.getElementById('viewport') as HTMLCanvasElement | null) ?? make('canvas', { id: 'viewport' }, undefined, stage);
	const scaleLabel = make('div', { id: 'scale-label', hidden: '' }, '1 m', stage);

	const statsPanel = make('dl', { id: 'stats' });
	const values = new Map<string, HTMLElement>();
	for (const [key, label] of STATS) {
		make('dt', {}, label, statsPanel);
		values.set(key, make('dd', { 'data-stat': key }, '–', statsPanel));
	}
	const status = make('div', { id: 'status', role: 'status' });
	doc.body.prepend(toolbar);
	doc.body.append(stage, statsPanel, status);

	return {
		canvas,
		scaleLabel,
		setSettings(settings) {
			for (const [setting, element] of toggles) element.setAttribute('aria-pressed', String(settings[setting]));
		},
		setLevels(count, shown) {
			lodLabel.hidden = count <= 1;
			lodSelect.replaceChildren(...Array.from({ length: count }, (_, i) => make('option', { value: String(i) }, `LOD${i}`)));
			lodSelect.value = String(shown);
		},
		setStats(name, stats) {
			const text: Record<string, string> = {
				name,
				fileBytes: formatBytes(stats.fileBytes),
				vertices: formatCount(stats.vertices),
				triangles: formatCount(stats.triangles),
				materials: formatCount(stats.materials),
				textures: formatTextures(stats.textures),
				lods: String(stats.lods),
				size: formatSize(stats.size),
			};
			for (const [key, element] of values) element.textContent = text[key];
		},
		setStatus: (text, kind) => showStatus(status, text, kind),
	};
}
