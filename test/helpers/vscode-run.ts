// The frame of an Orfeas e2e file in real VS Code (code-server.ts): the packed .vsix, an emptied artifacts folder,
// a fresh workspace and daemon home; at the end, a last screenshot and the logs kept, VS Code and the daemon the
// extension started stopped, the folders removed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processAlive, readDiscovery } from '../../daemon/src/server/discovery';
import { stopDaemon } from '../../extension/src/daemon/launcher';
import type { VsCode } from './code-server';
import { packageVsix } from './vsix';

export interface VsCodeRun {
	/** The packed .vsix to install. */
	vsix: string;
	/** The folder VS Code opens, empty. */
	workspace: string;
	/** The daemon's home (discovery file, cache), empty. */
	home: string;
}

/** Packs the .vsix, empties `artifacts` and makes a workspace and daemon home named after `name` in the temp folder. */
export async function prepareVsCodeRun(artifacts: string, name: string): Promise<VsCodeRun> {
	const vsix = await packageVsix();
	rmSync(artifacts, { recursive: true, force: true });
	mkdirSync(artifacts, { recursive: true });
	const workspace = mkdtempSync(path.join(tmpdir(), `orfeas-${name}-workspace-`));
	const home = mkdtempSync(path.join(tmpdir(), `orfeas-${name}-home-`));
	return { vsix, workspace, home };
}

/** VS Code settings that keep the daemon the extension starts in `home`, on a free port. */
export function daemonSettings(home: string): Record<string, unknown> {
	return { 'orfeas.daemon.home': home, 'orfeas.daemon.port': 0 };
}

/** The daemon's pid from its discovery file in `home`, if it wrote one. */
export async function daemonPid(home: string): Promise<number | undefined> {
	return (await readDiscovery(path.join(home, 'daemon.json')))?.pid;
}

/**
 * For `afterAll`, after however much of the setup ran: saves a last screenshot and VS Code's logs under `artifacts`,
 * stops VS Code and the daemon it started, and removes the workspace and the daemon home.
 */
export async function finishVsCodeRun(vs: VsCode | undefined, artifacts: string, { workspace, home }: Partial<VsCodeRun>): Promise<void> {
	if (vs) {
		await vs.screenshot('last').catch(() => undefined);
		writeFileSync(path.join(artifacts, 'extension-host.log'), vs.extensionHostLogs());
		writeFileSync(path.join(artifacts, 'console.log'), vs.consoleLogs().join('\n'));
		writeFileSync(path.join(artifacts, 'code-server.log'), vs.logs());
	}
	await vs?.stop();
	const discovery = home ? await readDiscovery(path.join(home, 'daemon.json')) : null;
	if (discovery && processAlive(discovery.pid)) await stopDaemon(discovery, path.join(home!, 'daemon.json'));
	if (workspace) rmSync(workspace, { recursive: true, force: true });
	if (home) rmSync(home, { recursive: true, force: true });
}
