// The three.js plumbing the previewer (preview/viewer.ts) and the scene view (scene/view.ts) share: the renderer,
// the studio environment, the theme's background and grid colours, canvas sizing, frames drawn on demand, and
// DOM labels pinned over points of the 3D view.
import { Color, GridHelper, NeutralToneMapping, PMREMGenerator, WebGLRenderer, type PerspectiveCamera, type Texture, type Vector3 } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';

/** Dark+'s editor background, for pages outside VS Code (tests) that lack its theme variables. */
const FALLBACK_BACKGROUND = '#1e1e1e';

/** A renderer on `canvas`; throws when WebGL cannot be had. */
export function createRenderer(canvas: HTMLCanvasElement): WebGLRenderer {
	// preserveDrawingBuffer keeps the last frame readable for screenshots and tests' pixel reads.
	const renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
	renderer.setPixelRatio(window.devicePixelRatio);
	renderer.toneMapping = NeutralToneMapping;
	return renderer;
}

/** three.js's RoomEnvironment prefiltered for image-based lighting (the caller owns the texture). */
export function roomEnvironment(renderer: WebGLRenderer): Texture {
	const pmrem = new PMREMGenerator(renderer);
	const room = new RoomEnvironment();
	const texture = pmrem.fromScene(room, 0.04).texture;
	room.dispose();
	pmrem.dispose();
	return texture;
}

/** The editor's background colour from VS Code's theme variables. */
export function themeBackground(): Color {
	const css = getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim();
	const color = new Color(FALLBACK_BACKGROUND);
	if (css) color.setStyle(css);
	return color;
}

/** A `size` m square grid of 1 m cells, in greys that stand out from `background` (the scene's, if it has one). */
export function themedGrid(size: number, background: Color | null): GridHelper {
	const dark = (background ?? new Color(FALLBACK_BACKGROUND)).getHSL({ h: 0, s: 0, l: 0 }).l < 0.5;
	return new GridHelper(size, size, dark ? 0x707070 : 0x8a8a8a, dark ? 0x404040 : 0xc8c8c8);
}

/**
 * Calls `redraw` when the canvas is resized or the page shown again, and `themeChanged` when VS Code switches
 * theme: it swaps vscode-light / vscode-dark on <body> and rewrites the variables on <html>.
 */
export function watchPage(canvas: HTMLCanvasElement, { redraw, themeChanged }: { redraw(): void; themeChanged(): void }): void {
	new ResizeObserver(() => redraw()).observe(canvas);
	const themeWatch = new MutationObserver(() => themeChanged());
	themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
	themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
	document.addEventListener('visibilitychange', () => redraw());
}

/** Matches the drawing buffer to the canvas's CSS size before a frame, so no frame is drawn stretched. */
export function fitCanvas(renderer: WebGLRenderer, camera: PerspectiveCamera): void {
	const canvas = renderer.domElement;
	const width = Math.max(1, canvas.clientWidth);
	const height = Math.max(1, canvas.clientHeight);
	const ratio = renderer.getPixelRatio();
	if (canvas.width === Math.floor(width * ratio) && canvas.height === Math.floor(height * ratio)) return;
	renderer.setSize(width, height, false);
	camera.aspect = width / height;
	camera.updateProjectionMatrix();
}

/**
 * Frames on demand: a request draws one animation frame, and frames keep coming while `draw` answers true (the
 * camera still moving); nothing is drawn while the page is hidden.
 */
export class FrameRequests {
	private requested = false;

	constructor(private readonly draw: () => boolean) {}

	request(): void {
		if (this.requested) return;
		this.requested = true;
		requestAnimationFrame(() => {
			this.requested = false;
			if (document.hidden) return;
			if (this.draw()) this.request();
		});
	}
}

/** Where a point projected to normalised device coordinates is on `canvas`, in CSS pixels from its top left. */
export function canvasPoint(projected: Vector3, canvas: HTMLCanvasElement): { x: number; y: number } {
	return { x: ((projected.x + 1) / 2) * canvas.clientWidth, y: ((1 - projected.y) / 2) * canvas.clientHeight };
}

/**
 * Puts `label` with its bottom centre over `projected` (a point in normalised device coordinates); hides it when
 * `shown` is false or the point is off the canvas or behind the camera.
 */
export function pinLabel(label: HTMLElement, projected: Vector3, canvas: HTMLCanvasElement, shown = true): void {
	const onScreen = shown && projected.z < 1 && Math.abs(projected.x) <= 1 && Math.abs(projected.y) <= 1;
	label.hidden = !onScreen;
	if (!onScreen) return;
	const { x, y } = canvasPoint(projected, canvas);
	label.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) translate(-50%, -100%)`;
}
