// The scene editor's DOM around the canvas: toolbar, object list, status line, the hint shown while the scene is
// empty and the layer placeholder labels live in. Plain elements styled by sceneHtml's stylesheet
// (extension/src/scene/html.ts); stable `data-action` / `data-id` attributes are what tests and keyboard users use.
import { elementMaker, showStatus } from '../dom';
import { VIEW_LAYOUT_MODES, type ViewLayoutMode, type ViewObject } from '../scene-messages';
import type { GizmoMode } from './view';

export interface SceneUiHandlers {
	frame(): void;
	mode(mode: GizmoMode): void;
	layout(mode: ViewLayoutMode): void;
	remove(): void;
	select(id: string): void;
	run(command: 'build' | 'export' | 'send', target?: 'blender' | 'unity'): void;
}

export interface SceneUi {
	canvas: HTMLCanvasElement;
	stage: HTMLElement;
	labels: HTMLElement;
	setObjects(objects: readonly ViewObject[]): void;
	setSelected(id: string | null): void;
	setMode(mode: GizmoMode): void;
	setCommands(available: { build: boolean; export: boolean; send: boolean }): void;
	/** Editing buttons off while the text is not a valid scene. */
	setEditable(editable: boolean): void;
	setBusy(busy: boolean): void;
	setStatus(text: string, kind?: 'info' | 'error'): void;
}

const MODES: readonly [GizmoMode, string, string][] = [
	['translate', 'Move', 'Move the selected object (W)'],
	['rotate', 'Rotate', 'Rotate the selected object (E)'],
	['scale', 'Scale', 'Scale the selected object (R)'],
];

export const HINT = 'Drop .glb models or pictures here (hold Shift while dragging from the Explorer), or right-click a file ▸ Add to Scene.';

/** Builds the page around `#viewport` and wires the controls to `handlers`. */
export function createSceneUi(doc: Document, handlers: SceneUiHandlers): SceneUi {
	const make = elementMaker(doc);

	const toolbar = make('div', { id: 'toolbar', role: 'toolbar' });
	const separator = () => make('span', { class: 'separator', role: 'separator' }, undefined, toolbar);
	const button = (action: string, label: string, title: string, onClick: () => void) => {
		const element = make('button', { type: 'button', 'data-action': action, title }, label, toolbar);
		element.addEventListener('click', onClick);
		return element;
	};
	button('frame', 'Frame', 'Fit the whole scene in the view (F)', () => handlers.frame());
	separator();
	const modeButtons = new Map<GizmoMode, HTMLButtonElement>();
	for (const [mode, label, title] of MODES) modeButtons.set(mode, button(mode, label, title, () => handlers.mode(mode)));
	separator();
	const layoutMode = make('select', { 'data-action': 'layout-mode', title: 'How Auto layout arranges the objects' }, undefined, toolbar);
	for (const mode of VIEW_LAYOUT_MODES) make('option', { value: mode }, mode, layoutMode);
	layoutMode.value = 'grid';
	const layout = button('layout', 'Auto layout', 'Place the top-level objects on the ground without overlaps', () => handlers.layout(layoutMode.value as ViewLayoutMode));
	const remove = button('remove', 'Remove', 'Remove the selected object and the objects under it (Delete)', () => handlers.remove());
	separator();
	const build = button('build', 'Build', 'Generate the models of the pictures in this scene', () => handlers.run('build'));
	const exportButton = button('export', 'Export', 'Export the scene as one file', () => handlers.run('export'));
	const blender = button('send-blender', 'Send to Blender', 'Send the scene to Blender', () => handlers.run('send', 'blender'));
	const unity = button('send-unity', 'Send to Unity', 'Send the scene to Unity', () => handlers.run('send', 'unity'));

	const stage = doc.getElementById('stage') ?? make('main', { id: 'stage' });
	const canvas = (doc.getElementById('viewport') as HTMLCanvasElement | null) ?? make('canvas', { id: 'viewport' }, undefined, stage);
	const labels = make('div', { id: 'labels' }, undefined, stage);
	const hint = make('div', { id: 'hint' }, HINT, stage);
	const list = make('ul', { id: 'objects', role: 'listbox', 'aria-label': 'Objects' });
	list.addEventListener('click', (event) => {
		const item = (event.target as Element).closest('li[data-id]');
		if (item) handlers.select(item.getAttribute('data-id')!);
	});
	const status = make('div', { id: 'status', role: 'status' });
	doc.body.prepend(toolbar);
	doc.body.append(stage, list, status);

	const titles = new Map([build, exportButton, blender, unity].map((element) => [element, element.title]));
	let commands = { build: false, export: false, send: false };
	let editable = true;
	let busy = false;
	let selected: string | null = null;
	const refreshButtons = () => {
		const free = editable && !busy;
		layout.disabled = !free || list.childElementCount === 0;
		layoutMode.disabled = !free;
		remove.disabled = !free || selected === null;
		for (const [element, available] of [
			[build, commands.build],
			[exportButton, commands.export],
			[blender, commands.send],
			[unity, commands.send],
		] as const) {
			element.disabled = !available || busy;
			element.title = available ? titles.get(element)! : `${titles.get(element)} (not available in this version of Orfeas)`;
		}
	};

	const ui: SceneUi = {
		canvas,
		stage,
		labels,
		setObjects(objects) {
			list.replaceChildren(
				...objects.map((object) => {
					const item = make('li', { role: 'option', 'data-id': object.id, 'aria-selected': String(object.id === selected), title: `${object.id}: ${object.source.path}` }, object.name);
					const kind = object.source.kind === 'model' ? object.source.path : `${object.source.path}${object.source.built ? '' : ' (not generated)'}`;
					make('span', { class: 'kind' }, kind, item);
					return item;
				}),
			);
			hint.hidden = objects.length > 0;
			refreshButtons();
		},
		setSelected(id) {
			selected = id;
			for (const item of list.children) item.setAttribute('aria-selected', String(item.getAttribute('data-id') === id));
			refreshButtons();
		},
		setMode(mode) {
			for (const [m, element] of modeButtons) element.setAttribute('aria-pressed', String(m === mode));
		},
		setCommands(available) {
			commands = { ...available };
			refreshButtons();
		},
		setEditable(value) {
			editable = value;
			refreshButtons();
		},
		setBusy(value) {
			busy = value;
			refreshButtons();
		},
		setStatus: (text, kind) => showStatus(status, text, kind),
	};
	refreshButtons();
	return ui;
}
