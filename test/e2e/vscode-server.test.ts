// The extension in real VS Code (code-server 4.139 in Debian's Chromium) against a team server: a real daemon
// serving TLS with a self-signed certificate and a user token made by `orfeas users add`. The settings name the
// server and pin its fingerprint; the token goes in through "Orfeas: Set Server Token" in the command palette
// (a password box) and lands in VS Code's secret storage, not in settings.json. Generate from the Explorer uploads
// the picture (the server refuses paths from users) and writes the GLB beside it, and no daemon is started on
// this side. Pinned to another fingerprint in the Settings editor, Generate is refused naming both fingerprints,
// and the server's log shows no hello from it. Screenshots and the server's log go to out/test-artifacts/vscode-server/.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonMessageOf } from '../../daemon/src/protocol/events';
import { DaemonClient } from '../../extension/src/daemon/client';
import { parseServer } from '../../extension/src/daemon/server';
import { clearNotifications, explorerContextMenu, quickInput, runCommand, startVsCode, statusBarItem, waitForNotification, type VsCode } from '../helpers/code-server';
import { orfeas, ROOT } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { readJsonIfWhole, until } from '../helpers/poll';
import { validateGlb } from '../helpers/validate';
import { daemonSettings, finishVsCodeRun, prepareVsCodeRun } from '../helpers/vscode-run';

const ARTIFACTS = path.join(ROOT, 'out', 'test-artifacts', 'vscode-server');
const GENERATE = 'Generate 3D Model from Image';
const WRONG = Array.from({ length: 32 }, () => 'AB').join(':');

let vs: VsCode;
let workspace: string;
/** The extension's own daemon home: it must stay without a daemon. */
let localHome: string;
let serverHome: string;
let server: TestDaemon;
let token: string;
let url: string;

const file = (name: string) => path.join(workspace, 'pictures', name);

/** The hellos of VS Code sessions in the server's log (it logs every user's hello). */
function hellos(): string[] {
	return readFileSync(path.join(serverHome, 'daemon.log'), 'utf8')
		.split('\n')
		.filter((line) => / hello from ana at .*\("vscode /.test(line));
}

/** The lines of the Orfeas output channel, as VS Code wrote them to its log folder. */
function orfeasLog(): string[] {
	return vs
		.extensionHostLogs()
		.split('\n')
		.filter((line) => line.includes('[vscode] '));
}

/** Index of the first line of the Orfeas output channel matching `re` (-1 when none). */
function logIndex(re: RegExp): number {
	return orfeasLog().findIndex((line) => re.test(line));
}

/**
 * Sets a string setting in the Settings editor, as a user does: search for it, type the value, close the editor;
 * resolves once VS Code has written it to the user's settings.json.
 */
async function setSetting(key: string, value: string): Promise<void> {
	const { page } = vs;
	await runCommand(vs, 'Preferences: Open User Settings');
	const editor = page.locator('.settings-editor');
	await editor.waitFor({ timeout: 30_000 });
	const input = editor.locator(`input[aria-label=${JSON.stringify(key)}]`);
	// The search box has the focus once the editor has opened; a key typed before that is lost, so type again.
	await until(`${key} in the Settings editor`, async () => {
		await page.keyboard.press('Control+A');
		await page.keyboard.type(key);
		return input.waitFor({ timeout: 5000 }).then(() => true, () => false);
	}, { timeoutMs: 60_000, intervalMs: 0 });
	await input.fill(value);
	const settingsFile = path.join(vs.userDataDir, 'User', 'settings.json');
	await until(`${key} in settings.json`, () => (readJsonIfWhole(settingsFile) as Record<string, unknown> | undefined)?.[key] === value, { timeoutMs: 30_000, intervalMs: 100 });
	// The Settings editor opens as a modal editor, which would take the Explorer's clicks: close it with its own
	// close button (Escape goes to the search box while that has the focus).
	const close = page.locator('.monaco-modal-editor-block .codicon-close').first();
	await until('the Settings editor to close', async () => {
		if (await close.isVisible()) await close.click({ timeout: 5000 }).catch(() => undefined);
		else await page.keyboard.press('Escape');
		return editor.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false);
	}, { timeoutMs: 60_000, intervalMs: 0 });
}

beforeAll(async () => {
	let vsix: string;
	({ vsix, workspace, home: localHome } = await prepareVsCodeRun(ARTIFACTS, 'server'));
	serverHome = tempHome();
	const added = orfeas(['users', 'add', 'ana', '--home', serverHome], serverHome);
	expect(added.code, added.stderr).toBe(0);
	token = added.stdout.trim();
	expect(token).toMatch(/^ofu_/);
	server = await startDaemon({ home: serverHome, args: ['--bind', '127.0.0.1', '--tls-self-signed', '--cpu-jobs', '1'] });
	url = `https://127.0.0.1:${server.port}`;
	mkdirSync(path.join(workspace, 'pictures'));
	writeFileSync(file('ball.png'), await distinctPicture(600, 33_101));
	writeFileSync(file('cube.png'), await distinctPicture(600, 33_102));
	vs = await startVsCode({
		workspace,
		vsix,
		artifacts: ARTIFACTS,
		settings: { ...daemonSettings(localHome), 'orfeas.server.url': url, 'orfeas.server.fingerprint': server.fingerprint256 },
	});
}, 300_000);

afterAll(async () => {
	await finishVsCodeRun(vs, ARTIFACTS, { workspace, home: localHome });
	if (serverHome && existsSync(path.join(serverHome, 'daemon.log'))) copyFileSync(path.join(serverHome, 'daemon.log'), path.join(ARTIFACTS, 'server-daemon.log'));
	await server?.stop();
	if (serverHome) removeHome(serverHome);
}, 60_000);

describe('Orfeas in VS Code with a team server', () => {
	it('takes the token through "Set Server Token" in a password box, keeps it out of settings.json, and connects with it', async () => {
		await runCommand(vs, 'Orfeas: Set Server Token');
		const box = vs.page.locator('.quick-input-widget .quick-input-box input');
		await box.waitFor({ timeout: 30_000 });
		expect(await box.getAttribute('type')).toBe('password');
		await quickInput(vs, token);
		await waitForNotification(vs, new RegExp(`the token for ${url.replace(/\./g, '\\.')} is kept in VS Code's secret storage`), 30_000);
		// The new token makes the extension connect: the status bar names the server's provider.
		await statusBarItem(vs, /Orfeas: (?!offline\b|connecting\b|version mismatch\b)\w+/, 60_000);
		await until('a hello from VS Code in the server log', () => hellos().length > 0, { timeoutMs: 30_000, intervalMs: 200 });
		const settings = readFileSync(path.join(vs.userDataDir, 'User', 'settings.json'), 'utf8');
		expect(settings).toContain(server.fingerprint256!);
		expect(settings).not.toContain(token);
		await vs.screenshot('token-set');
	}, 120_000);

	it('generates from a picture in the workspace: uploaded to the server, the GLB written beside it, no local daemon', async () => {
		await explorerContextMenu(vs, 'pictures/ball.png', GENERATE);
		await until('ball.glb', () => existsSync(file('ball.glb')), { timeoutMs: 180_000, intervalMs: 200 });
		await vs.screenshot('generated');
		const bytes = readFileSync(file('ball.glb'));
		expect((await validateGlb(bytes)).errors).toBe(0);
		// The server made it: its job for ball holds this very file.
		const client = await DaemonClient.connect({ server: parseServer(url, server.fingerprint256), token, client: { name: 'e2e', version: '0' } });
		try {
			const { jobs } = (await client.request({ type: 'job.list', state: 'done' })) as DaemonMessageOf<'jobs'>;
			const sha256 = createHash('sha256').update(bytes).digest('hex');
			expect(jobs.find((j) => j.name === 'ball')?.files?.find((f) => f.format === 'glb')?.sha256).toBe(sha256);
		} finally {
			client.close();
		}
		// In order: connected to the pinned server, the job accepted, the file written.
		await until('the Orfeas log to say the file was written', () => logIndex(/Wrote .*ball\.glb/) >= 0, { timeoutMs: 30_000, intervalMs: 200 });
		const connected = logIndex(new RegExp(`Connected to the Orfeas server ${url.replace(/\./g, '\\.')} \\(certificate ${server.fingerprint256}, pinned\\)`));
		const accepted = logIndex(/ball\.png: job j_/);
		expect(connected).toBeGreaterThanOrEqual(0);
		expect(accepted).toBeGreaterThan(connected);
		expect(logIndex(/Wrote .*ball\.glb/)).toBeGreaterThan(accepted);
		expect(logIndex(/Starting the bundled daemon/)).toBe(-1);
		expect(existsSync(path.join(localHome, 'daemon.json'))).toBe(false);
	}, 240_000);

	it('pinned to another fingerprint in Settings, refuses Generate naming both and sends the server nothing', async () => {
		const before = hellos().length;
		await setSetting('orfeas.server.fingerprint', WRONG);
		// The changed pin drops the link, and connecting again is refused at the certificate.
		await until('the reconnect to be refused', () => logIndex(/E_TLS Refused /) >= 0, { timeoutMs: 60_000, intervalMs: 200 });
		await statusBarItem(vs, /Orfeas: offline/, 30_000);
		await clearNotifications(vs);
		await explorerContextMenu(vs, 'pictures/cube.png', GENERATE);
		const message = await waitForNotification(vs, /Orfeas: Generate — /, 60_000);
		await vs.screenshot('refused');
		const shown = /the server presented certificate ([0-9A-F:]+), not the pinned ([0-9A-F:]+)\./.exec(message);
		expect(shown, message).not.toBeNull();
		expect(shown![1]).toBe(server.fingerprint256);
		expect(shown![2]).toBe(WRONG);
		expect(message).toContain('Nothing was sent');
		expect(hellos()).toHaveLength(before);
		expect(existsSync(file('cube.glb'))).toBe(false);
		expect(existsSync(path.join(localHome, 'daemon.json'))).toBe(false);
	}, 180_000);
});
