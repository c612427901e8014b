// The setup the webview test files share: the page's entry bundled as daemon/build.mjs bundles it, served with its
// page by a PreviewServer (preview-harness.ts), Chromium to open it in, and the checks after each test that the
// page kept to its CSP, threw nothing and asked the server for nothing but itself.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import type { PreviewPage, PreviewServer } from './preview-harness';

/**
 * Bundles `entry` to `outfile` with daemon/build.mjs's browser options (built alone, so a webview test does not
 * depend on the rest of the build), serves it with `server`, and resolves with a Chromium to open the page in.
 */
export async function startPageSuite(server: PreviewServer, entry: string, outfile: string): Promise<Browser> {
	await build({ entryPoints: [entry], outfile, bundle: true, platform: 'browser', target: 'chrome114', format: 'iife', minify: true, logLevel: 'warning' });
	await server.start(readFileSync(outfile));
	return launchChromium();
}

export async function stopPageSuite(server: PreviewServer, browser: Browser | undefined): Promise<void> {
	await browser?.close();
	await server.stop();
}

/**
 * After each test, whatever it did: the page (when one is open) never broke its CSP or threw, and is closed; the
 * server was asked for nothing but the page and its bundle.
 */
export async function checkAndClose(page: PreviewPage | undefined, server: PreviewServer): Promise<void> {
	if (page) {
		expect(await page.violations()).toEqual([]);
		expect(page.pageErrors).toEqual([]);
		await page.close();
	}
	// Chromium asks for /favicon.ico by itself, outside the page's CSP; VS Code's webview frames do not.
	expect(server.requests.filter((r) => !['/', server.script, '/favicon.ico'].includes(r))).toEqual([]);
}
