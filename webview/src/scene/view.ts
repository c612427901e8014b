// The three.js half of the scene editor: one renderer, camera, orbit controls and transform gizmo for the page's
// lifetime; a node per scene object (nested as the document's parents are) holding a clone of its model or a
// placeholder; a ground grid at the scene's ground height; click to select, drag the gizmo to move. It reports
// selections and finished drags; main.ts turns them into messages and feeds it scenes and models.
import { Box3, Box3Helper, Group, LineBasicMaterial, PerspectiveCamera, Raycaster, Scene, Sphere, Vector2, Vector3, type Color, type Mesh, type Object3D, type WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { TransformControls } from 'three/examples/jsm/controls/TransformControls.js';
import { disposeObject } from '../dispose';
import { visibleBox } from '../preview/stats';
import type { ViewObject, ViewTransform } from '../scene-messages';
import { canvasPoint, createRenderer, fitCanvas, FrameRequests, pinLabel, roomEnvironment, themeBackground, themedGrid, watchPage } from '../three-setup';
import type { ModelCache } from './models';
import { placeholder, placeholderLabel, type PlaceholderKind } from './placeholders';
import { radians, toTransform } from './transforms';

export type GizmoMode = 'translate' | 'rotate' | 'scale';

export interface SceneViewEvents {
	/** The user clicked an object (or empty space: null). */
	select(id: string | null): void;
	/** A gizmo drag ended with the object at `transform` (relative to its parent). */
	transformed(id: string, transform: ViewTransform): void;
}

/** What a node draws now: the model it cloned, or a placeholder's kind and label. */
type Drawn = { model: Object3D } | { kind: PlaceholderKind; label: string };

interface ObjectNode {
	object: ViewObject;
	node: Group;
	content: Group;
	drawn?: Drawn;
	label?: HTMLElement;
}

const VIEW_DIRECTION = new Vector3(0.55, 0.6, 1).normalize();
const SELECTION_COLOR = 0xffb000;
/** A pointer that moves less than this between down and up is a click, not an orbit. */
const CLICK_SLOP_PX = 4;

export class SceneView {
	private readonly renderer: WebGLRenderer;
	private readonly scene = new Scene();
	private readonly camera = new PerspectiveCamera(45, 1, 0.01, 2000);
	private readonly orbit: OrbitControls;
	private readonly gizmo: TransformControls;
	private readonly root = new Group();
	private readonly ground = new Group();
	private readonly nodes = new Map<string, ObjectNode>();
	private readonly selectionBox = new Box3();
	private readonly selection = new Box3Helper(this.selectionBox, SELECTION_COLOR);
	private readonly raycaster = new Raycaster();
	private selectedId: string | null = null;
	private groundY = 0;
	private readonly frames = new FrameRequests(() => {
		const moving = this.orbit.update();
		this.render();
		return moving;
	});
	private mode: GizmoMode = 'translate';
	/** Set once the user turns or moves the camera: from then on the view no longer frames by itself. */
	cameraMoved = false;

	/** Throws when WebGL cannot be had. `labels` is the element placeholder labels are put in, over the canvas. */
	constructor(
		private readonly canvas: HTMLCanvasElement,
		private readonly labels: HTMLElement,
		private readonly events: SceneViewEvents,
	) {
		this.renderer = createRenderer(canvas);
		// The gizmo listens first: a press on a handle turns orbiting off before the orbit controls see it.
		this.gizmo = new TransformControls(this.camera, canvas);
		this.orbit = new OrbitControls(this.camera, canvas);
		this.orbit.enableDamping = true;
		this.orbit.addEventListener('change', () => this.requestRender());
		this.orbit.addEventListener('start', () => (this.cameraMoved = true));
		this.gizmo.addEventListener('change', () => this.requestRender());
		this.gizmo.addEventListener('dragging-changed', (event) => (this.orbit.enabled = !(event as unknown as { value: boolean }).value));
		this.gizmo.addEventListener('objectChange', () => this.fitSelection());
		this.gizmo.addEventListener('mouseUp', () => {
			const id = this.selectedId;
			const entry = id ? this.nodes.get(id) : undefined;
			if (id && entry) this.events.transformed(id, toTransform(entry.node));
		});

		this.scene.environment = roomEnvironment(this.renderer);
		this.selection.visible = false;
		// Seen through whatever stands in front of the selected object.
		(this.selection.material as LineBasicMaterial).depthTest = false;
		this.selection.renderOrder = 1;
		this.scene.add(this.ground, this.root, this.selection, this.gizmo.getHelper());
		this.readBackground();
		this.rebuildGround();
		this.frame();
		this.listenForClicks();

		watchPage(canvas, { redraw: () => this.requestRender(), themeChanged: () => this.readBackground() });
	}

	/** True while a gizmo handle is held. */
	get dragging(): boolean {
		return this.gizmo.dragging;
	}

	get selected(): string | null {
		return this.selectedId;
	}

	get gizmoMode(): GizmoMode {
		return this.mode;
	}

	/** Shows `objects` (nodes kept by id, so the camera, selection and loaded models survive an edit). */
	update(objects: readonly ViewObject[], groundY: number, models: ModelCache): void {
		const wanted = new Set(objects.map((o) => o.id));
		for (const [id, entry] of this.nodes) {
			if (wanted.has(id)) continue;
			entry.node.removeFromParent();
			entry.label?.remove();
			this.nodes.delete(id);
		}
		for (const object of objects) {
			let entry = this.nodes.get(object.id);
			if (!entry) {
				const node = new Group();
				node.userData.sceneObjectId = object.id;
				const content = new Group();
				node.add(content);
				entry = { object, node, content };
				this.nodes.set(object.id, entry);
			}
			entry.object = object;
			place(entry.node, object.transform);
		}
		// Parents after every node exists; a node moves with its subtree.
		for (const object of objects) {
			const entry = this.nodes.get(object.id)!;
			const parent = object.parent !== undefined ? this.nodes.get(object.parent)?.node : undefined;
			const target = parent ?? this.root;
			if (entry.node.parent !== target) target.add(entry.node);
		}
		this.groundY = groundY;
		this.refreshContent(models);
		if (this.selectedId && !this.nodes.has(this.selectedId)) this.select(null);
		else this.select(this.selectedId);
	}

	/** Redraws what each object shows after models arrived or failed. */
	refreshContent(models: ModelCache): void {
		for (const entry of this.nodes.values()) {
			const next = drawnFor(entry.object, models);
			if (sameDrawn(entry.drawn, next)) continue;
			entry.content.clear();
			entry.label?.remove();
			entry.label = undefined;
			if ('model' in next) {
				entry.content.add(next.model.clone());
			} else {
				entry.content.add(placeholder(next.kind));
				entry.label = Object.assign(document.createElement('div'), { className: 'label', textContent: next.label });
				entry.label.dataset.id = entry.object.id;
				this.labels.append(entry.label);
			}
			entry.drawn = next;
		}
		this.rebuildGround();
		this.fitSelection();
		this.requestRender();
	}

	/** Selects `id` (null: nothing), attaching the gizmo and the box to it. */
	select(id: string | null): void {
		const entry = id ? this.nodes.get(id) : undefined;
		this.selectedId = entry ? id : null;
		if (entry) {
			this.gizmo.attach(entry.node);
			this.selection.visible = true;
			this.fitSelection();
		} else {
			this.gizmo.detach();
			this.selection.visible = false;
		}
		this.requestRender();
	}

	/** Turns the gizmo off while the document cannot take edits (its text is not a valid scene). */
	setEditable(editable: boolean): void {
		this.gizmo.enabled = editable;
		this.gizmo.getHelper().visible = editable;
		this.requestRender();
	}

	/** How many objects draw their model, and how many a placeholder. */
	drawnCounts(): { models: number; placeholders: number } {
		let models = 0;
		for (const entry of this.nodes.values()) if (entry.drawn && 'model' in entry.drawn) models++;
		return { models, placeholders: this.nodes.size - models };
	}

	/** What each object draws, in document order, for the debug handle. */
	drawnKinds(): { id: string; drawn: 'model' | PlaceholderKind }[] {
		return [...this.nodes.values()].map((e) => ({ id: e.object.id, drawn: !e.drawn ? 'pending' : 'model' in e.drawn ? 'model' : e.drawn.kind }));
	}

	setMode(mode: GizmoMode): void {
		this.mode = mode;
		this.gizmo.setMode(mode);
		this.requestRender();
	}

	/** Points the camera at everything in the scene (or at the origin when it is empty). */
	frame(): void {
		const found = visibleBox(this.root);
		const box = found.isEmpty() ? new Box3(new Vector3(-1, this.groundY, -1), new Vector3(1, this.groundY + 1, 1)) : found;
		const sphere = box.getBoundingSphere(new Sphere());
		const radius = Math.max(sphere.radius, 0.5);
		fitCanvas(this.renderer, this.camera);
		const fov = (this.camera.fov * Math.PI) / 180;
		const fit = Math.min(fov, 2 * Math.atan(Math.tan(fov / 2) * this.camera.aspect));
		const distance = (radius * 1.2) / Math.sin(fit / 2);
		this.camera.position.copy(sphere.center).addScaledVector(VIEW_DIRECTION, distance);
		this.camera.near = Math.max(0.001, radius / 200);
		this.camera.far = distance * 10 + radius * 4;
		this.camera.updateProjectionMatrix();
		this.orbit.target.copy(sphere.center);
		this.orbit.maxDistance = distance * 8;
		this.orbit.update();
		this.requestRender();
	}

	/**
	 * Where a point of an object is on the canvas, in CSS pixels from its top left: `centre` of what it draws, or
	 * its `origin` (where the gizmo sits). Null when the object is unknown or behind the camera.
	 */
	screenPoint(id: string, which: 'centre' | 'origin'): { x: number; y: number } | null {
		const entry = this.nodes.get(id);
		if (!entry) return null;
		this.scene.updateMatrixWorld();
		const point = which === 'origin' ? entry.node.getWorldPosition(new Vector3()) : visibleBox(entry.content).getCenter(new Vector3());
		const projected = point.project(this.camera);
		return projected.z > 1 ? null : canvasPoint(projected, this.canvas);
	}

	/** The object's transform as the view holds it now (what a drag has made of it). */
	transformOf(id: string): ViewTransform | null {
		const entry = this.nodes.get(id);
		return entry ? toTransform(entry.node) : null;
	}

	/** Draws one frame now (the drawing buffer is kept, so it can be read back straight after). */
	render(): void {
		fitCanvas(this.renderer, this.camera);
		this.renderer.render(this.scene, this.camera);
		// Each placeholder's label over the top of its box; hidden when the box is behind the camera.
		for (const entry of this.nodes.values()) {
			if (entry.label) pinLabel(entry.label, new Vector3(0, 1.05, 0).applyMatrix4(entry.content.matrixWorld).project(this.camera), this.canvas);
		}
	}

	/** Asks for a frame; frames keep coming while the camera moves (damping) and the page is visible. */
	requestRender(): void {
		this.frames.request();
	}

	/** Selection by click: a press and release in one spot that did not start on a gizmo handle. */
	private listenForClicks(): void {
		let down: { x: number; y: number; onGizmo: boolean } | undefined;
		this.canvas.addEventListener('pointerdown', (event) => {
			down = event.button === 0 ? { x: event.clientX, y: event.clientY, onGizmo: this.gizmo.dragging || this.gizmo.axis !== null } : undefined;
		});
		this.canvas.addEventListener('pointerup', (event) => {
			const start = down;
			down = undefined;
			if (!start || start.onGizmo || Math.hypot(event.clientX - start.x, event.clientY - start.y) > CLICK_SLOP_PX) return;
			const id = this.pick(event.clientX, event.clientY);
			this.select(id);
			this.events.select(id);
		});
	}

	private pick(clientX: number, clientY: number): string | null {
		const rect = this.canvas.getBoundingClientRect();
		const ndc = new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
		this.raycaster.setFromCamera(ndc, this.camera);
		for (const hit of this.raycaster.intersectObject(this.root, true)) {
			if (!(hit.object as Mesh).isMesh) continue;
			for (let at: Object3D | null = hit.object; at; at = at.parent) {
				const id = at.userData.sceneObjectId;
				if (typeof id === 'string') return id;
			}
		}
		return null;
	}

	/** The selection box around the selected object and everything under it. */
	private fitSelection(): void {
		const entry = this.selectedId ? this.nodes.get(this.selectedId) : undefined;
		if (!entry) return;
		// A little larger than the object, so its edges do not hide the box's.
		const box = visibleBox(entry.node);
		if (!box.isEmpty()) box.expandByScalar(0.01 + 0.01 * box.getSize(new Vector3()).length());
		this.selectionBox.copy(box);
	}

	private readBackground(): void {
		this.scene.background = themeBackground();
		this.rebuildGround();
		this.requestRender();
	}

	/** A grid of 1 m cells at the ground height, reaching past everything in the scene. */
	private rebuildGround(): void {
		for (const child of [...this.ground.children]) {
			child.removeFromParent();
			disposeObject(child);
		}
		const box = visibleBox(this.root);
		const extent = box.isEmpty() ? 0 : Math.max(Math.abs(box.min.x), Math.abs(box.max.x), Math.abs(box.min.z), Math.abs(box.max.z));
		const size = Math.min(1000, Math.max(10, 2 * Math.ceil(extent + 2)));
		const grid = themedGrid(size, this.scene.background as Color | null);
		grid.position.y = this.groundY;
		this.ground.add(grid);
	}
}

function place(node: Object3D, transform: ViewTransform): void {
	node.position.fromArray(transform.position);
	node.rotation.set(...radians(transform.rotation), 'XYZ');
	node.scale.fromArray(transform.scale);
}

function drawnFor(object: ViewObject, models: ModelCache): Drawn {
	const { source, name } = object;
	if (source.kind === 'image' && !source.model) {
		const kind = source.built ? 'built' : 'picture';
		return { kind, label: placeholderLabel(kind, name) };
	}
	// A model file, or a built picture's generated model (asked for under its asset key).
	const entry = models.get(source.kind === 'image' ? source.model! : source.path);
	if (entry?.state === 'loaded') return { model: entry.scene };
	if (entry?.state === 'failed') return { kind: 'failed', label: placeholderLabel('failed', name, entry.message) };
	return { kind: 'pending', label: placeholderLabel('pending', name) };
}

function sameDrawn(a: Drawn | undefined, b: Drawn): boolean {
	if (!a) return false;
	if ('model' in a || 'model' in b) return 'model' in a && 'model' in b && a.model === b.model;
	return a.kind === b.kind && a.label === b.label;
}
