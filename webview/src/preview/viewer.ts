// The three.js half of the previewer: one renderer, camera and orbit controls for the page's lifetime, a ground
// grid of 1 m cells with a labelled 1 m bar, image-based or plain lighting, and one model slot that each load
// replaces. It draws on demand; main.ts feeds it models and settings, ui.ts owns the buttons.
import {
	Box3,
	BufferGeometry,
	DirectionalLight,
	Float32BufferAttribute,
	Group,
	HemisphereLight,
	LineBasicMaterial,
	LineSegments,
	PerspectiveCamera,
	Scene,
	Sphere,
	Vector3,
	type Color,
	type Material,
	type Mesh,
	type Object3D,
	type Texture,
	type WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { disposeObject, materialsOf } from '../dispose';
import { VIEWER_DEFAULTS, type ViewerSettings } from '../messages';
import { createRenderer, fitCanvas, FrameRequests, pinLabel, roomEnvironment, themeBackground, themedGrid, watchPage } from '../three-setup';
import { visibleBox } from './stats';

// Orfeas models face +Z: look at the front, a little from the right and from above.
const VIEW_DIRECTION = new Vector3(0.55, 0.45, 1).normalize();
const SCALE_BAR_COLOR = 0xd18616;
const FRAME_MARGIN = 1.15;

export class Viewer {
	private readonly renderer: WebGLRenderer;
	private readonly scene = new Scene();
	private readonly camera = new PerspectiveCamera(40, 1, 0.01, 1000);
	private readonly controls: OrbitControls;
	private readonly ground = new Group();
	private readonly lights = new Group();
	private readonly labelAnchor = new Vector3();
	private environment?: Texture;
	private model?: Object3D;
	private settings: ViewerSettings = { ...VIEWER_DEFAULTS };
	private readonly frames = new FrameRequests(() => {
		const moving = this.controls.update();
		this.render();
		return moving || this.controls.autoRotate;
	});

	/** Throws when WebGL cannot be had; `scaleLabel` is the DOM text that follows the 1 m bar on screen. */
	constructor(
		private readonly canvas: HTMLCanvasElement,
		private readonly scaleLabel: HTMLElement,
	) {
		this.renderer = createRenderer(canvas);
		this.controls = new OrbitControls(this.camera, canvas);
		this.controls.enableDamping = true;
		this.controls.addEventListener('change', () => this.requestRender());

		const sky = new HemisphereLight(0xffffff, 0x444444, 1.6);
		const sun = new DirectionalLight(0xffffff, 2.2);
		sun.position.set(3, 6, 4);
		this.lights.add(sky, sun);
		this.scene.add(this.lights, this.ground);
		this.readBackground();
		this.frame();
		this.applySettings(this.settings);

		watchPage(canvas, { redraw: () => this.requestRender(), themeChanged: () => this.readBackground() });
	}

	/** Puts `model` on screen in place of the last one; frames it unless `keepCamera`. */
	show(model: Object3D, { keepCamera = false } = {}): void {
		this.clear();
		this.model = model;
		this.scene.add(model);
		setWireframe(model, this.settings.wireframe);
		this.modelChanged({ keepCamera });
	}

	/** Call after changing what is visible in the model (another LOD level): moves the ground to it. */
	modelChanged({ keepCamera = true } = {}): void {
		this.rebuildGround(this.model);
		if (!keepCamera) this.frame();
		this.requestRender();
	}

	/** Removes the model and frees its GPU memory. */
	clear(): void {
		if (!this.model) return;
		this.scene.remove(this.model);
		disposeObject(this.model);
		this.model = undefined;
		this.requestRender();
	}

	/**
	 * Points the camera at what is visible from the usual direction, as close as it can be with all eight corners
	 * of the bounding box in view (a bounding sphere alone leaves a round model small); near, far and the zoom
	 * limits follow the bounding sphere.
	 */
	frame(): void {
		const found = this.model ? visibleBox(this.model) : undefined;
		const box = found && !found.isEmpty() ? found : new Box3(new Vector3(-0.5, 0, -0.5), new Vector3(0.5, 1, 0.5));
		const sphere = box.getBoundingSphere(new Sphere());
		const radius = Math.max(sphere.radius, 1e-3);
		fitCanvas(this.renderer, this.camera);
		// FRAME_MARGIN shrinks the usable view so the model does not touch its edges.
		const tanV = Math.tan((this.camera.fov * Math.PI) / 360) / FRAME_MARGIN;
		const tanH = tanV * this.camera.aspect;
		const right = new Vector3().crossVectors(this.camera.up, VIEW_DIRECTION).normalize();
		const up = new Vector3().crossVectors(VIEW_DIRECTION, right);
		let distance = radius * 0.5;
		for (let corner = 0; corner < 8; corner++) {
			const offset = new Vector3(corner & 1 ? box.max.x : box.min.x, corner & 2 ? box.max.y : box.min.y, corner & 4 ? box.max.z : box.min.z).sub(sphere.center);
			// In front of the camera by (distance − depth), the corner must be within tan(half fov) of that sideways and up.
			const depth = offset.dot(VIEW_DIRECTION);
			distance = Math.max(distance, depth + Math.abs(offset.dot(right)) / tanH, depth + Math.abs(offset.dot(up)) / tanV);
		}
		this.camera.position.copy(sphere.center).addScaledVector(VIEW_DIRECTION, distance);
		this.camera.near = radius / 100;
		this.camera.far = distance * 6 + radius + this.groundSize();
		this.camera.updateProjectionMatrix();
		this.controls.target.copy(sphere.center);
		this.controls.minDistance = radius * 0.1;
		this.controls.maxDistance = distance * 5;
		this.controls.update();
		this.requestRender();
	}

	applySettings(settings: ViewerSettings): void {
		this.settings = { ...settings };
		if (this.model) setWireframe(this.model, settings.wireframe);
		this.ground.visible = settings.grid;
		this.controls.autoRotate = settings.autoRotate;
		if (settings.environment && !this.environment) this.environment = roomEnvironment(this.renderer);
		this.scene.environment = settings.environment ? this.environment! : null;
		this.lights.visible = !settings.environment;
		this.requestRender();
	}

	/** Draws one frame now (the drawing buffer is kept, so it can be read back straight after). */
	render(): void {
		fitCanvas(this.renderer, this.camera);
		this.renderer.render(this.scene, this.camera);
		// The "1 m" label over the middle of the bar, hidden with the grid or when the bar is behind the camera.
		pinLabel(this.scaleLabel, this.labelAnchor.clone().project(this.camera), this.canvas, this.settings.grid);
	}

	/** Asks for a frame; frames keep coming while the camera moves (damping, auto-rotate) and the page is visible. */
	requestRender(): void {
		this.frames.request();
	}

	/** The current view as PNG bytes. */
	async screenshotPng(): Promise<Uint8Array<ArrayBuffer>> {
		this.render();
		const blob = await new Promise<Blob | null>((resolve) => this.canvas.toBlob(resolve, 'image/png'));
		if (!blob) throw new Error('the canvas could not be encoded as PNG');
		return new Uint8Array(await blob.arrayBuffer());
	}

	private readBackground(): void {
		this.scene.background = themeBackground();
		this.rebuildGround(this.model);
		this.requestRender();
	}

	/** Size of the square grid in metres: the model's footprint twice over, at least 4 m, at most 200 m. */
	private groundSize(): number {
		const box = this.model ? visibleBox(this.model) : undefined;
		if (!box || box.isEmpty()) return 4;
		const extent = Math.max(box.max.x - box.min.x, box.max.z - box.min.z);
		return Math.min(200, Math.max(4, 2 * Math.ceil(extent + 1)));
	}

	/** Grid under the model (1 m cells, colours from the background) and the 1 m bar in front of it. */
	private rebuildGround(model: Object3D | undefined): void {
		for (const child of [...this.ground.children]) {
			this.ground.remove(child);
			disposeObject(child);
		}
		const box = model ? visibleBox(model) : undefined;
		const [minX, floor, frontZ] = box && !box.isEmpty() ? [box.min.x, box.min.y, box.max.z] : [-0.5, 0, 0.5];
		const center = box && !box.isEmpty() ? box.getCenter(new Vector3()) : new Vector3();
		const size = this.groundSize();
		const grid = themedGrid(size, this.scene.background as Color | null);
		// Cells stay on whole metres of the model's own space.
		grid.position.set(Math.round(center.x), floor, Math.round(center.z));
		this.ground.add(grid);

		const lift = 0.002 * Math.max(1, size / 4);
		const z = frontZ + 0.15;
		const tick = 0.08;
		const bar = new BufferGeometry();
		bar.setAttribute(
			'position',
			new Float32BufferAttribute([minX, floor + lift, z, minX + 1, floor + lift, z, minX, floor + lift, z, minX, floor + tick, z, minX + 1, floor + lift, z, minX + 1, floor + tick, z], 3),
		);
		this.ground.add(new LineSegments(bar, new LineBasicMaterial({ color: SCALE_BAR_COLOR })));
		this.labelAnchor.set(minX + 0.5, floor + tick, z);
	}
}

function setWireframe(root: Object3D, on: boolean): void {
	root.traverse((object) => {
		if (!(object as Mesh).isMesh) return;
		for (const material of materialsOf(object as Mesh)) (material as Material & { wireframe?: boolean }).wireframe = on;
	});
}
