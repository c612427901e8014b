// Runs a real webview page (previewHtml or sceneHtml, and the built bundle) in Chromium the way VS Code hosts it:
// a stand-in acquireVsCodeApi records what the webview posts, host messages arrive as `message` events on window,
// and a local server hands out only the page and the bundle. Pixels come back as decoded RGB for the tests to count.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { previewHtml } from '../../extension/src/preview/html';
import { makeNonce } from '../../extension/src/webview-page';
import { until } from '../helpers/poll';

export const ARTIFACTS = 'out/test-artifacts/webview';

export type Sent = { type: string; [key: string]: unknown };
export type Rgb = [number, number, number];

export interface RawImage {
	data: Buffer;
	width: number;
	height: number;
}

/** What the page's globals look like to the functions this file runs in it (the test tsconfig has no DOM lib). */
interface PageGlobals {
	__sent: Sent[];
	__violations: string[];
	orfeasPreview?: { lastStats?: Record<string, unknown>; levels: number; shownLevel: number };
	postMessage(message: unknown, origin: string): void;
	requestAnimationFrame(callback: () => void): void;
	atob(data: string): string;
	btoa(data: string): string;
}

/** A webview page to serve: where its bundle is, and its HTML for an origin (the CSP source) and a nonce. */
export interface WebviewPageSource {
	script: string;
	html(options: { cspSource: string; scriptUri: string; nonce: string }): string;
}

export const PREVIEW_PAGE: WebviewPageSource = {
	script: '/preview.js',
	html: (options) => previewHtml({ ...options, title: 'Preview test' }),
};

/** A server for the page (the previewer's unless told) and the bundle that records every path asked for. */
export class PreviewServer {
	readonly requests: string[] = [];
	private server?: http.Server;
	origin = '';

	constructor(private readonly source: WebviewPageSource = PREVIEW_PAGE) {}

	/** The bundle's path on the server. */
	get script(): string {
		return this.source.script;
	}

	async start(bundle: Buffer): Promise<void> {
		this.server = http.createServer((req, res) => {
			this.requests.push(req.url ?? '');
			if (req.url === '/') {
				const html = this.source.html({ cspSource: this.origin, scriptUri: `${this.origin}${this.source.script}`, nonce: makeNonce() });
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
			} else if (req.url === this.source.script) {
				res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
			} else {
				res.writeHead(404).end();
			}
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		await new Promise((resolve) => this.server?.close(resolve));
	}
}

/** One previewer page. */
export class PreviewPage {
	readonly pageErrors: string[] = [];

	private constructor(readonly page: Page) {
		page.on('pageerror', (error) => this.pageErrors.push(error.message));
	}

	/** Opens the page and waits for its `ready`. */
	static async open(browser: Browser, origin: string): Promise<PreviewPage> {
		const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
		const preview = new PreviewPage(page);
		// A string, not a function: transpilers that wrap functions in name helpers would break it in the page.
		await page.addInitScript(`
			window.__sent = [];
			window.__violations = [];
			window.acquireVsCodeApi = () => ({
				postMessage: (message) => window.__sent.push(message),
				getState: () => window.__state,
				setState: (state) => { window.__state = state; },
			});
			document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
		`);
		await page.goto(`${origin}/`);
		await preview.waitFor('ready', 0);
		return preview;
	}

	/** Everything posted so far; a screenshot's PNG comes back as base64 in `pngBase64`. */
	sent(): Promise<Sent[]> {
		return this.page.evaluate(() => {
			const w = globalThis as unknown as PageGlobals;
			return w.__sent.map((m) => {
				if (!(m.png instanceof Uint8Array)) return m;
				let binary = '';
				for (let i = 0; i < m.png.length; i += 0x8000) binary += String.fromCharCode(...m.png.subarray(i, i + 0x8000));
				return { type: m.type, pngBase64: w.btoa(binary) };
			});
		});
	}

	/** The first message of `type` at index `from` or later, waiting for it. */
	async waitFor(type: string, from: number): Promise<Sent> {
		return until(`a "${type}" message from the previewer`, async () => (await this.sent()).slice(from).find((m) => m.type === type), { timeoutMs: 30_000 });
	}

	async count(): Promise<number> {
		return (await this.sent()).length;
	}

	/** Posts a host message; `bytes` and `resources` travel as Uint8Array, as VS Code delivers them. */
	async post(message: Record<string, unknown>, bytes?: Uint8Array, resources?: Record<string, Uint8Array>): Promise<void> {
		const encode = (b: Uint8Array) => Buffer.from(b).toString('base64');
		const encodedResources = resources && Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, encode(v)]));
		await this.page.evaluate(
			({ message, bytes, resources }) => {
				const w = globalThis as unknown as PageGlobals;
				const full: Record<string, unknown> = { ...message };
				if (bytes !== undefined) full.bytes = Uint8Array.from(w.atob(bytes), (c) => c.charCodeAt(0));
				if (resources) full.resources = Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, Uint8Array.from(w.atob(v), (c) => c.charCodeAt(0))]));
				w.postMessage(full, '*');
			},
			{ message, bytes: bytes && encode(bytes), resources: encodedResources },
		);
	}

	/** Posts a `load` and waits for the `shown` or `error` it ends in. */
	async load(name: string, bytes: Uint8Array, extra: Record<string, unknown> = {}, resources?: Record<string, Uint8Array>): Promise<Sent> {
		const from = await this.count();
		await this.post({ type: 'load', name, format: name.endsWith('.gltf') ? 'gltf' : 'glb', fileBytes: bytes.length, ...extra }, bytes, resources);
		return until(`the previewer's answer to loading ${name}`, async () => (await this.sent()).slice(from).find((m) => m.type === 'shown' || m.type === 'error'), { timeoutMs: 30_000 });
	}

	debug(): Promise<PageGlobals['orfeasPreview']> {
		return this.page.evaluate(() => (globalThis as unknown as PageGlobals).orfeasPreview);
	}

	violations(): Promise<string[]> {
		return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__violations);
	}

	/** Waits two animation frames, so a frame asked for by the last change has been drawn. */
	async settle(): Promise<void> {
		await this.page.evaluate(() => {
			const w = globalThis as unknown as PageGlobals;
			return new Promise<void>((resolve) => w.requestAnimationFrame(() => w.requestAnimationFrame(resolve)));
		});
	}

	/** The canvas as the user sees it, saved under ARTIFACTS as `name`.png and decoded. */
	async shot(name: string): Promise<RawImage> {
		await this.settle();
		const png = await this.page.locator('#viewport').screenshot();
		mkdirSync(ARTIFACTS, { recursive: true });
		writeFileSync(path.join(ARTIFACTS, `${name}.png`), png);
		return decode(png);
	}

	async close(): Promise<void> {
		await this.page.close();
	}
}

export async function decode(png: Buffer | Uint8Array): Promise<RawImage> {
	const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
	return { data, width: info.width, height: info.height };
}

export function pixel(image: RawImage, x: number, y: number): Rgb {
	const i = (y * image.width + x) * 3;
	return [image.data[i], image.data[i + 1], image.data[i + 2]];
}

/** Sum of the channel differences. */
export function distance(a: Rgb, b: Rgb): number {
	return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
}

/** Share of the pixels in the central `share` × `share` of the image that differ from `background` by more than 30. */
export function coveredCentre(image: RawImage, background: Rgb, share = 0.2): number {
	const [w, h] = [Math.round(image.width * share), Math.round(image.height * share)];
	const [x0, y0] = [Math.round((image.width - w) / 2), Math.round((image.height - h) / 2)];
	let covered = 0;
	for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (distance(pixel(image, x, y), background) > 30) covered++;
	return covered / (w * h);
}

/** Share of the pixels that differ by more than 30 between two images of the same size. */
export function changed(a: RawImage, b: RawImage): number {
	if (a.width !== b.width || a.height !== b.height) throw new Error(`images differ in size: ${a.width}×${a.height} and ${b.width}×${b.height}`);
	let count = 0;
	for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) if (distance(pixel(a, x, y), pixel(b, x, y)) > 30) count++;
	return count / (a.width * a.height);
}

/**
 * The top corners, one pixel in (an element screenshot's edge may take a sliver of its neighbour): the sky above
 * the model. The bottom corners look at the ground, where grid lines may cross.
 */
export function topCorners(image: RawImage): Rgb[] {
	return [pixel(image, 1, 1), pixel(image, image.width - 2, 1)];
}
