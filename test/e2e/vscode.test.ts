// The extension in real VS Code (code-server 4.139 in Debian's Chromium), against the daemon it starts itself:
// install the .vsix, Generate from the Explorer's context menu with the progress notification showing stages,
// the GLB beside the image, the preview drawing the model, Cancel leaving no file, and a daemon killed
// mid-job started again with that job finished and the next command working; on the way, Send to Blender
// (to a client listening as Blender) and Export Model… through its quick picks. Screenshots go to
// out/test-artifacts/vscode/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlb } from '../../daemon/src/quality/glb';
import { STAGES, type StageName as Stage } from '../../daemon/src/pipeline/stages';
import { processAlive, readDiscovery } from '../../daemon/src/server/discovery';
import { DaemonClient, type DaemonEvent } from '../../extension/src/daemon/client';
import { clickNotificationButton, explorerContextMenu, notifications, quickPick, runCommand, startVsCode, statusBarItem, waitForNotification, webviewFrame, type VsCode } from '../helpers/code-server';
import { ROOT } from '../helpers/cli';
import { distinctPicture } from '../helpers/pictures';
import { sleep, until } from '../helpers/poll';
import { validateGlb } from '../helpers/validate';
import { daemonPid, daemonSettings, finishVsCodeRun, prepareVsCodeRun } from '../helpers/vscode-run';
import { coveredCentre, decode, pixel } from '../webview/preview-harness';

const ARTIFACTS = path.join(ROOT, 'out', 'test-artifacts', 'vscode');
const GENERATE = 'Generate 3D Model from Image';

let vs: VsCode;
let workspace: string;
let home: string;

/** Every stage word seen in Orfeas progress notifications while `run` runs. */
async function watchStages(run: Promise<unknown>): Promise<Stage[]> {
	const seen: Stage[] = [];
	let finished = false;
	void run.finally(() => (finished = true));
	while (!finished) {
		for (const text of await notifications(vs).catch(() => [])) {
			for (const stage of STAGES) if (text.includes(`${stage} · `) && !seen.includes(stage)) seen.push(stage);
		}
		await sleep(50);
	}
	return seen;
}

const file = (name: string) => path.join(workspace, 'pictures', name);

beforeAll(async () => {
	let vsix: string;
	({ vsix, workspace, home } = await prepareVsCodeRun(ARTIFACTS, 'vscode'));
	mkdirSync(path.join(workspace, 'pictures'));
	// Distinct pictures, so no run is a cache hit; big ones with fine settings run long enough to cancel and kill.
	writeFileSync(file('ball.png'), await distinctPicture(900, 31_001));
	writeFileSync(file('big.png'), await distinctPicture(3000, 31_002));
	writeFileSync(file('late.png'), await distinctPicture(3000, 31_003));
	writeFileSync(file('after.png'), await distinctPicture(600, 31_004));
	writeFileSync(file('empty.png'), Buffer.alloc(0));
	vs = await startVsCode({
		workspace,
		vsix,
		artifacts: ARTIFACTS,
		settings: {
			...daemonSettings(home),
			'orfeas.generate.resolution': 768,
			'orfeas.generate.textureSize': 4096,
		},
	});
}, 300_000);

afterAll(() => finishVsCodeRun(vs, ARTIFACTS, { workspace, home }));

describe('Orfeas in VS Code', () => {
	it('activates and shows its status-bar item', async () => {
		const item = await statusBarItem(vs, /Orfeas/);
		expect(item.text).toMatch(/Orfeas/);
	});

	it('generates from the Explorer context menu, with stages in the progress notification, and writes the GLB beside the image', async () => {
		await explorerContextMenu(vs, 'pictures/ball.png', GENERATE);
		const written = until('ball.glb', () => existsSync(file('ball.glb')), { timeoutMs: 120_000, intervalMs: 100 });
		const stages = await watchStages(written);
		await vs.screenshot('generate-done');
		expect(stages.length, `stages seen: ${stages.join(', ')}`).toBeGreaterThanOrEqual(2);
		expect(stages.map((s) => STAGES.indexOf(s))).toEqual(stages.map((s) => STAGES.indexOf(s)).sort((a, b) => a - b));
		const bytes = readFileSync(file('ball.glb'));
		expect((await validateGlb(bytes)).errors).toBe(0);
		expect(await daemonPid(home)).toBeGreaterThan(0);
	});

	it('opens the preview, whose canvas shows the model with its real triangle count', async () => {
		const frame = await webviewFrame(vs, { selector: '#viewport' }, 60_000);
		const triangles = await until('the preview stats', async () => {
			const text = await frame.locator('[data-stat="triangles"]').first().innerText().catch(() => '');
			return /\d/.test(text) ? Number(text.replace(/\D/g, '')) : undefined;
		}, { timeoutMs: 60_000, intervalMs: 200 });
		const mesh = await readGlb(readFileSync(file('ball.glb')));
		expect(triangles).toBe(mesh.indices.length / 3);
		await vs.screenshot('preview');
		const shot = await frame.locator('#viewport').screenshot({ path: path.join(ARTIFACTS, 'preview-canvas.png') });
		const image = await decode(shot);
		expect(coveredCentre(image, pixel(image, 2, 2), 0.4), 'share of the central region covered by the model').toBeGreaterThan(0.2);
	});

	it('sends the previewed model to a listening Blender, and says so when none listens', async () => {
		await runCommand(vs, 'Orfeas: Send to Blender');
		await waitForNotification(vs, /no Blender is listening/);
		const discovery = (await readDiscovery(path.join(home, 'daemon.json')))!;
		const blender = await DaemonClient.connect({ port: discovery.port, token: discovery.token, client: { name: 'blender', version: 'e2e' }, roles: ['import-target'] });
		try {
			const received = new Promise<DaemonEvent>((resolve) => blender.onEvent((e) => e.type === 'import' && resolve(e)));
			await runCommand(vs, 'Orfeas: Send to Blender');
			const event = (await received) as DaemonEvent & { files: Array<{ format: string; sha256: string }>; from: string };
			expect(event.from).toBe('vscode');
			const sha256 = createHash('sha256').update(readFileSync(file('ball.glb'))).digest('hex');
			expect(event.files.find((f) => f.format === 'glb')?.sha256).toBe(sha256);
			await waitForNotification(vs, /sent ball\.glb to Blender/);
		} finally {
			blender.close();
		}
	});

	it('exports the previewed model as FBX for Unity with LODs and a hull through four quick picks', async () => {
		await runCommand(vs, 'Orfeas: Export Model…');
		await quickPick(vs, 'FBX');
		await quickPick(vs, 'unity');
		await quickPick(vs, '3 levels: 100 %, 50 %, 25 %');
		await quickPick(vs, 'hull');
		await until('ball.fbx', () => existsSync(file('ball.fbx')), { timeoutMs: 60_000, intervalMs: 100 });
		await waitForNotification(vs, /exported ball\.fbx/);
		expect(readFileSync(file('ball.fbx')).subarray(0, 18).toString('latin1')).toBe('Kaydara FBX Binary');
		await vs.screenshot('exported');
	});

	it('answers a picture it cannot use with the daemon sentence, not a stack trace, and writes nothing', async () => {
		await explorerContextMenu(vs, 'pictures/empty.png', GENERATE);
		const message = await waitForNotification(vs, /Orfeas: empty\.png — /, 60_000);
		expect(message).toMatch(/empty\.png — [A-Z].{20,}/);
		expect(message).not.toMatch(/\bat .+:\d+:\d+|Error:/);
		expect(existsSync(file('empty.glb'))).toBe(false);
	});

	it('cancels a second run from the notification and writes no file', async () => {
		await explorerContextMenu(vs, 'pictures/big.png', GENERATE);
		await until('a stage in the big.png notification', async () => (await notifications(vs)).some((t) => /Generating big\.png/.test(t) && / · \d+%/.test(t)), { timeoutMs: 60_000, intervalMs: 50 });
		await vs.screenshot('cancel-running');
		await clickNotificationButton(vs, /Generating big\.png/, 'Cancel');
		await until('the notification to close', async () => !(await notifications(vs)).some((t) => /Generating big\.png/.test(t)), { timeoutMs: 30_000, intervalMs: 100 });
		// Long enough for the job to have finished had it not been cancelled.
		await sleep(8000);
		expect(existsSync(file('big.glb'))).toBe(false);
		await vs.screenshot('cancel-done');
	});

	it('starts the daemon again when it is killed mid-job, finishes that job, and the next command works', async () => {
		const before = await daemonPid(home);
		expect(before).toBeGreaterThan(0);
		await explorerContextMenu(vs, 'pictures/late.png', GENERATE);
		await until('late.png to be running', async () => (await notifications(vs)).some((t) => /Generating late\.png/.test(t) && / · \d+%/.test(t)), { timeoutMs: 60_000, intervalMs: 50 });
		process.kill(before!, 'SIGKILL');
		await until('a new daemon', async () => {
			const pid = await daemonPid(home);
			return pid !== undefined && pid !== before && processAlive(pid);
		}, { timeoutMs: 60_000, intervalMs: 200 });
		await until('late.glb after the restart', () => existsSync(file('late.glb')), { timeoutMs: 180_000, intervalMs: 200 });
		await vs.screenshot('restarted');
		await explorerContextMenu(vs, 'pictures/after.png', GENERATE);
		await until('after.glb', () => existsSync(file('after.glb')), { timeoutMs: 120_000, intervalMs: 200 });
		expect(await statusBarItem(vs, /Orfeas: cpu/)).toBeTruthy();
	}, 300_000);
});
