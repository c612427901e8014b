// The extension's launcher against real processes: it starts the bundled daemon with orfeas.daemon.nodePath (quoted
// as Windows' "Copy as path" gives it), in its home folder; it takes a daemon for running only when it answers as
// the one daemon.json names; it stops a daemon through the daemon.stop request, and falls back to a signal only for
// a process that cannot take the request.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../daemon/src/server/discovery';
import { findRunning, startBundled, stopDaemon } from '../../extension/src/daemon/launcher';
import { CLI, ensureBuilt } from '../helpers/cli';
import { removeHome, startDaemon, tempHome } from '../helpers/daemon';
import { until } from '../helpers/poll';

const homes: string[] = [];
const pids: number[] = [];

afterAll(() => {
	for (const pid of pids) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
	for (const home of homes) removeHome(home);
});

function freshHome(): string {
	const home = tempHome();
	homes.push(home);
	return home;
}

async function exited(pid: number): Promise<void> {
	while (processAlive(pid)) await new Promise((r) => setTimeout(r, 50));
}

describe('the launcher', () => {
	it('starts the daemon with orfeas.daemon.nodePath, quotes and all, and stops it through daemon.stop', async () => {
		ensureBuilt();
		const home = freshHome();
		const file = path.join(home, 'daemon.json');
		const started = await startBundled({ home, port: 0, script: CLI, node: '/nonexistent/editor/Code Helper (Plugin)', nodePath: `"${process.execPath}"`, timeoutMs: 60_000 }, file, path.join(home, 'daemon.log'));
		pids.push(started.pid);
		expect(started.health).toMatchObject({ ok: true, pid: started.pid, startedAt: started.startedAt });
		// Its current folder is its home, not the editor's (which Windows would keep from being deleted); Linux shows it.
		expect(realpathSync(readlinkSync(`/proc/${started.pid}/cwd`))).toBe(realpathSync(home));

		const lines: string[] = [];
		expect(await stopDaemon(started, file, { log: (line) => lines.push(line), client: { name: 'vscode', version: '0.0.0-test' } })).toBe('request');
		// Gone from daemon.json and no longer answering, it ends on its own once its last lines are written.
		await until('the stopped daemon to end', () => !processAlive(started.pid), { timeoutMs: 60_000, intervalMs: 50 });
		expect(existsSync(file)).toBe(false);
		expect(lines).toEqual([]);
		expect(readFileSync(path.join(home, 'daemon.log'), 'utf8')).toMatch(/stop requested: daemon\.stop from "vscode 0\.0\.0-test"/);
	}, 90_000);

	it('takes a daemon for running only when /health answers with the pid and start time of daemon.json', async () => {
		const daemon = await startDaemon({ args: ['--cpu-jobs', '1'] });
		homes.push(daemon.home);
		pids.push(daemon.pid);
		const file = path.join(daemon.home, 'daemon.json');
		expect(await findRunning(file)).toMatchObject({ pid: daemon.pid, port: daemon.port, health: { pid: daemon.pid } });

		// The same pid and port, as a daemon.json left by a daemon whose pid and port were taken over would name them.
		const stale = freshHome();
		const staleFile = path.join(stale, 'daemon.json');
		const discovery = JSON.parse(readFileSync(file, 'utf8'));
		writeFileSync(staleFile, JSON.stringify({ ...discovery, startedAt: '2000-01-01T00:00:00.000Z' }));
		expect(await findRunning(staleFile)).toBeNull();
		writeFileSync(staleFile, JSON.stringify({ ...discovery, pid: process.pid }));
		expect(await findRunning(staleFile)).toBeNull();

		expect(await stopDaemon((await findRunning(file))!, file)).toBe('request');
		expect(await daemon.exited).toBe(0);
	}, 90_000);

	it('falls back to a signal for a process that does not take the request, and removes its daemon.json', async () => {
		const home = freshHome();
		const file = path.join(home, 'daemon.json');
		const stuck = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
		pids.push(stuck.pid!);
		const ended = new Promise<NodeJS.Signals | null>((resolve) => stuck.once('exit', (_code, signal) => resolve(signal)));
		// Nothing listens on port 9 on this machine: the request cannot be made.
		const running = { version: '0.1.0', pid: stuck.pid!, port: 9, token: 't', startedAt: new Date().toISOString() };
		writeFileSync(file, JSON.stringify(running));
		const lines: string[] = [];
		expect(await stopDaemon(running, file, { log: (line) => lines.push(line), graceMs: 10_000 })).toBe('signal');
		expect(await ended).toBe('SIGTERM');
		await exited(stuck.pid!);
		expect(existsSync(file)).toBe(false);
		expect(lines[0]).toMatch(/did not take the stop request \(cannot reach the daemon on port 9/);
		expect(lines[1]).toBe(`Sending SIGTERM to the daemon (pid ${stuck.pid}).`);
	}, 60_000);
});
