// A generation server as the model of Generate in real VS Code (code-server 4.139 in Debian's Chromium), against the
// daemon the extension starts itself: the Hunyuan3D stand-in (test/stand-ins/hunyuan3d) runs as a real HTTP process
// serving a textured box in Hunyuan3D's frame and is added to the daemon's home with the real `orfeas backends add`;
// "Orfeas: Select Model" lists it as a Hunyuan3D server and picking it there makes it the model of Generate; the
// picture generated from the Explorer's context menu goes to the server once, the progress notification shows the
// remote stages in order, and the GLB beside the picture is the server's box cleaned up to 1 m tall with its
// proportions. Screenshots go to out/test-artifacts/vscode-remote/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunyuan3d } from '../../daemon/src/generators/remote/hunyuan3d';
import { bounds } from '../../daemon/src/geometry/place';
import { REMOTE_RUN, STAGES, type StageName as Stage } from '../../daemon/src/pipeline/stages';
import type { DaemonMessageOf } from '../../daemon/src/protocol/events';
import { readGlb } from '../../daemon/src/quality/glb';
import { readDiscovery } from '../../daemon/src/server/discovery';
import { DaemonClient } from '../../extension/src/daemon/client';
import { explorerContextMenu, notifications, quickPick, runCommand, startVsCode, waitForNotification, type VsCode } from '../helpers/code-server';
import { orfeas, ROOT } from '../helpers/cli';
import { startStandIn, type StandIn } from '../helpers/hunyuan3d';
import { distinctPicture } from '../helpers/pictures';
import { readJsonIfWhole, sleep, until } from '../helpers/poll';
import { BOX, serverBox } from '../helpers/server-models';
import { validateGlb } from '../helpers/validate';
import { daemonSettings, finishVsCodeRun, prepareVsCodeRun } from '../helpers/vscode-run';

const ARTIFACTS = path.join(ROOT, 'out', 'test-artifacts', 'vscode-remote');
const GENERATE = 'Generate 3D Model from Image';
/** The backend's name, which the model picker shows as its label and Generate sends as the model. */
const BACKEND = 'studio-gpu';

let vs: VsCode;
let stand: StandIn | undefined;
let work: string;
let workspace: string;
let home: string;

const file = (name: string) => path.join(workspace, 'pictures', name);

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

/** The daemon's finished jobs, asked over a connection of the test's own. */
async function doneJobs(): Promise<DaemonMessageOf<'jobs'>['jobs']> {
	const discovery = (await readDiscovery(path.join(home, 'daemon.json')))!;
	const client = await DaemonClient.connect({ port: discovery.port, token: discovery.token, client: { name: 'e2e', version: '0' } });
	try {
		return ((await client.request({ type: 'job.list', state: 'done' })) as DaemonMessageOf<'jobs'>).jobs;
	} finally {
		client.close();
	}
}

beforeAll(async () => {
	let vsix: string;
	({ vsix, workspace, home } = await prepareVsCodeRun(ARTIFACTS, 'remote'));
	work = mkdtempSync(path.join(tmpdir(), 'orfeas-remote-stand-in-'));
	writeFileSync(path.join(work, 'box.glb'), (await serverBox(hunyuan3d.frame)).glb);
	stand = await startStandIn(['--glb', path.join(work, 'box.glb'), '--shape-ms', '300', '--texture-ms', '800'], path.join(work, 'requests.log'));
	// Into the home of the daemon the extension is about to start, so the daemon knows the server from its start.
	const added = orfeas(['backends', 'add', BACKEND, '--kind', 'hunyuan3d', '--url', stand.url, '--texture', '--home', home], work);
	expect(added.stderr).toBe('');
	expect(added.code).toBe(0);
	mkdirSync(path.join(workspace, 'pictures'));
	writeFileSync(file('box.png'), await distinctPicture(600, 32_001));
	vs = await startVsCode({ workspace, vsix, artifacts: ARTIFACTS, settings: daemonSettings(home) });
}, 300_000);

afterAll(async () => {
	await finishVsCodeRun(vs, ARTIFACTS, { workspace, home });
	await stand?.stop();
	if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('a generation server as the model of Generate in VS Code', () => {
	it('lists the server in Select Model as a Hunyuan3D server, and picking it makes it the model of Generate', async () => {
		await runCommand(vs, 'Orfeas: Select Model');
		const title = vs.page.locator('.quick-input-widget .quick-input-title');
		await until('the model picker', async () => /model for Generate/.test(await title.innerText().catch(() => '')), { timeoutMs: 30_000 });
		// The server's row: its name as the label, then the daemon's description of it.
		const row = vs.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: `${BACKEND} · installed` }).first();
		await vs.page.locator('.quick-input-widget .quick-input-box input').fill(BACKEND);
		await row.waitFor({ timeout: 10_000 });
		expect(await row.innerText()).toContain(`Hunyuan3D server at ${stand!.url}, textured`);
		await vs.screenshot('select-model');
		await quickPick(vs, BACKEND);
		await waitForNotification(vs, new RegExp(`Generate now uses ${BACKEND}\\.`), 15_000);
		// Saved in the user's settings, where Generate reads it.
		const settingsFile = path.join(vs.userDataDir, 'User', 'settings.json');
		await until('the model in the user settings', () => (readJsonIfWhole(settingsFile) as Record<string, unknown> | undefined)?.['orfeas.generate.model'] === BACKEND, { timeoutMs: 10_000, intervalMs: 100 });
	});

	it('generates on the server from the Explorer, with the remote stages in the notification, and writes its box beside the picture, 1 m tall', async () => {
		await explorerContextMenu(vs, 'pictures/box.png', GENERATE);
		const written = until('box.glb', () => existsSync(file('box.glb')), { timeoutMs: 120_000, intervalMs: 100 });
		const stages = await watchStages(written);
		await vs.screenshot('generate-done');

		// The notification named the server's stages, in the order of a remote run, and none of a local one.
		expect(stages, `stages seen: ${stages.join(', ')}`).toEqual(expect.arrayContaining(['shape', 'texture']));
		expect(stages.every((s) => REMOTE_RUN.includes(s)), `stages seen: ${stages.join(', ')}`).toBe(true);
		expect(stages.map((s) => REMOTE_RUN.indexOf(s))).toEqual(stages.map((s) => REMOTE_RUN.indexOf(s)).sort((a, b) => a - b));
		// The daemon ran the job through every stage of a remote run.
		const job = (await doneJobs()).find((j) => j.name === 'box');
		expect(Object.keys(job?.stats?.ms ?? {})).toEqual([...REMOTE_RUN]);

		// The server's box in Orfeas's frame: 1 m tall, as wide and deep as its sides say.
		const bytes = readFileSync(file('box.glb'));
		expect((await validateGlb(bytes)).errors).toBe(0);
		const { min, max } = bounds((await readGlb(bytes)).positions);
		expect(max[1] - min[1]).toBeCloseTo(1, 2);
		expect(Math.abs(max[0] - min[0] - BOX[0] / BOX[1]), `width ${max[0] - min[0]}`).toBeLessThan(0.01);
		expect(Math.abs(max[2] - min[2] - BOX[2] / BOX[1]), `depth ${max[2] - min[2]}`).toBeLessThan(0.01);

		// The picture went to the server once, as an image.
		const sent = stand!.requests().filter((r) => r.method === 'POST' && r.path === '/send');
		expect(sent).toHaveLength(1);
		expect(sent[0].image).toBe(true);
	}, 180_000);
});
