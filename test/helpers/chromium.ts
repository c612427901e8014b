// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot run here): the same
// binary and flags for every test that renders or attacks from a browser page.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Fails with how to install Chromium when it is missing. */
export function requireChromium(): string {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing. Install Debian's Chromium (apt-get install chromium); .ci/run does this.`);
	return CHROMIUM;
}

/** A headless Chromium; WebGL renders through SwiftShader. */
export async function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS, headless: true });
}
