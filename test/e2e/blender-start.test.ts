// The Blender add-on's Start daemon button in real headless Blender (Debian's 3.4), the add-on installed from
// `dist/orfeas_bridge.zip`. With an `orfeas` command first on the PATH and no daemon in a fresh home: the panel
// offers Start daemon and names the command, the operator starts `orfeas daemon --home <home>`, the add-on's timer
// connects to that daemon, and the daemon, in a session of its own, still answers after Blender has exited (the
// test then stops it). With no command anywhere (an empty PATH folder, a home folder without VS Code): the panel
// says how to install the daemon, and the operator's poll refuses. blender_start.py does the Blender side.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health } from '../../extension/src/daemon/launcher';
import { processAlive, readDiscovery } from '../../daemon/src/server/discovery';
import { CLI, ensureBuilt, ROOT } from '../helpers/cli';
import { requireProgram } from '../helpers/external';
import { until } from '../helpers/poll';

const SCRIPT = path.join(__dirname, 'blender_start.py');
const ZIP = path.join(ROOT, 'dist', 'orfeas_bridge.zip');
const BEGIN = '@@ORFEAS-START-REPORT-BEGIN@@';
const END = '@@ORFEAS-START-REPORT-END@@';
const INSTALL =
	'Install the Orfeas daemon: `npm install -g orfeas` (Node.js 20 or newer from nodejs.org), or install the Orfeas extension in VS Code, or set the Orfeas command\'s path in the add-on preferences.';

interface Report {
	error?: string;
	steps: string[];
	offline: { home: string; message: string; panel: string[]; poll: boolean; command: string[] | null; problem: string };
	refused?: { error: string | null; starting: boolean; files: string[] };
	started?: {
		result: string[];
		pid: number;
		startingPanel: string[];
		connectedPanel: string[];
		message: string;
		notice: string;
		port: number;
		discovery: { pid: number; port: number } | null;
		session: { daemon: number; blender: number };
		blenderPid: number;
		pollWhenConnected: boolean;
		log: boolean;
	};
}

let blender: string;
let work: string;
const started: number[] = [];

beforeAll(() => {
	blender = requireProgram('blender');
	ensureBuilt();
	execFileSync(process.execPath, [path.join(ROOT, 'bridge-blender', 'package-zip.mjs')], { stdio: 'pipe' });
	work = mkdtempSync(path.join(tmpdir(), 'orfeas-blender-start-'));
});

afterAll(() => {
	// A daemon left by a failed run must not outlive the test.
	for (const pid of started) {
		if (processAlive(pid)) process.kill(pid, 'SIGKILL');
	}
	if (work) rmSync(work, { recursive: true, force: true });
});

/** Headless Blender running blender_start.py with `env` on top of this process's; its report and output. */
async function runBlender(name: string, args: Record<string, unknown>, env: Record<string, string>): Promise<{ report: Report; output: string }> {
	const argsFile = path.join(work, `${name}-args.json`);
	writeFileSync(argsFile, JSON.stringify({ zip: ZIP, ...args }));
	const child = spawn(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python', SCRIPT, '--', argsFile], {
		// Blender installs the add-on into its user folders: a throwaway pair, so the machine's own stay untouched.
		env: { ...process.env, BLENDER_USER_SCRIPTS: path.join(work, `${name}-scripts`), BLENDER_USER_CONFIG: path.join(work, `${name}-config`), ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (data) => (output += data));
	child.stderr.on('data', (data) => (output += data));
	// `close`, not `exit`: it waits for Blender's output pipes, which a daemon that kept them would hold open.
	await new Promise((resolve) => child.once('close', resolve));
	const start = output.lastIndexOf(BEGIN);
	const end = output.lastIndexOf(END);
	if (start < 0 || end < start) throw new Error(`Blender printed no report:\n${output.slice(-4000)}`);
	return { report: JSON.parse(output.slice(start + BEGIN.length, end)) as Report, output };
}

/** Whether the process has ended: gone, or a zombie nobody has reaped yet (it was Blender's child). */
function ended(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
	} catch {
		return !processAlive(pid);
	}
}

function joined(lines: string[]): string {
	return lines.join(' ');
}

describe('Start daemon in the Blender add-on (headless Blender 3.4)', () => {
	it('starts the `orfeas` found on the PATH, connects to it, and leaves it running after Blender exits', async () => {
		const home = mkdtempSync(path.join(work, 'home-'));
		const bin = path.join(work, 'bin');
		const userHome = mkdtempSync(path.join(work, 'user-'));
		const argsSeen = path.join(work, 'orfeas-args.txt');
		mkdirSync(bin);
		// The real CLI behind an `orfeas` on the PATH, as `npm install -g orfeas` makes it. It records the arguments
		// the add-on passed, and adds --port 0: the daemon's default port may be taken on a machine running tests
		// side by side (a later --port wins).
		const orfeas = path.join(bin, 'orfeas');
		writeFileSync(orfeas, `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsSeen}"\nexec "${process.execPath}" "${CLI}" "$@" --port 0\n`);
		chmodSync(orfeas, 0o755);

		const { report, output } = await runBlender('start', { mode: 'start' }, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: userHome, ORFEAS_HOME: home });
		if (report.started) started.push(report.started.pid);
		expect(report.error, `${report.error}\n${output.slice(-4000)}`).toBeUndefined();
		expect(report.steps).toEqual(['offline', 'started']);

		// No daemon: the panel offers Start daemon and names the command it runs.
		const { offline } = report;
		expect(offline.home).toBe(home);
		expect(offline.message).toMatch(/^The Orfeas daemon is not running \(no daemon\.json in /);
		expect(offline.panel[0]).toBe('Offline');
		expect(offline.panel).toContain('Start daemon');
		expect(joined(offline.panel)).toContain(`Runs ${orfeas} (on the PATH)`);
		expect(joined(offline.panel)).not.toContain('Install the Orfeas daemon');
		expect(offline.poll).toBe(true);
		expect(offline.command).toEqual([orfeas]);

		// The operator started it and the timer connected to that very process.
		const run = report.started!;
		expect(run.result).toEqual(['FINISHED']);
		expect(readFileSync(argsSeen, 'utf8').trimEnd().split('\n')).toEqual(['daemon', '--home', home]);
		expect(run.startingPanel).not.toContain('Start daemon');
		expect(joined(run.startingPanel)).toMatch(/Starting the Orfeas daemon… \d+ s/);
		expect(run.discovery).toEqual({ pid: run.pid, port: run.port });
		expect(run.message).toMatch(new RegExp(`^Connected to Orfeas \\S+ on port ${run.port} `));
		expect(run.notice).toContain(`Started the daemon (pid ${run.pid}); it keeps running when Blender closes.`);
		expect(run.connectedPanel[0]).toBe('Connected');
		expect(run.connectedPanel).not.toContain('Start daemon');
		expect(run.pollWhenConnected).toBe(false);
		expect(run.log).toBe(true);
		// A session of its own, not Blender's: nothing Blender's end sends its session reaches the daemon.
		expect(run.session.daemon).toBe(run.pid);
		expect(run.session.daemon).not.toBe(run.session.blender);
		expect(run.pid).not.toBe(run.blenderPid);

		// Blender has exited: the daemon it started still runs, named by daemon.json, and answers /health.
		const discovery = await readDiscovery(path.join(home, 'daemon.json'));
		expect(discovery).toMatchObject({ pid: run.pid, port: run.port });
		expect(ended(run.pid)).toBe(false);
		expect(await health(run.port)).toMatchObject({ ok: true });

		// Stopped as a user would stop it; it goes, and takes its discovery file with it.
		process.kill(run.pid, 'SIGTERM');
		await until('the started daemon to stop', () => ended(run.pid) && !existsSync(path.join(home, 'daemon.json')), { timeoutMs: 60_000, intervalMs: 100 });
		expect(await health(run.port, 500)).toBeNull();
	}, 300_000);

	it('says how to install the daemon when no command is found, and offers no Start daemon', async () => {
		const home = mkdtempSync(path.join(work, 'home-'));
		const emptyBin = mkdtempSync(path.join(work, 'empty-bin-'));
		const userHome = mkdtempSync(path.join(work, 'user-'));
		const { report, output } = await runBlender('missing', { mode: 'missing' }, { PATH: emptyBin, HOME: userHome, ORFEAS_HOME: home });
		expect(report.error, `${report.error}\n${output.slice(-4000)}`).toBeUndefined();
		expect(report.steps).toEqual(['offline', 'refused']);

		const { offline, refused } = report;
		expect(offline.home).toBe(home);
		expect(offline.panel[0]).toBe('Offline');
		expect(joined(offline.panel)).toContain('The Orfeas daemon is not running (no daemon.json in');
		expect(joined(offline.panel)).toContain(INSTALL);
		expect(offline.panel).not.toContain('Start daemon');
		expect(offline.problem).toBe(INSTALL);
		expect(offline.command).toBeNull();
		expect(offline.poll).toBe(false);
		// Calling it anyway is refused by its poll, with the same sentence; nothing was started or written.
		expect(refused!.error).toContain('orfeas.start_daemon.poll()');
		expect(refused!.error).toContain(INSTALL);
		expect(refused!.starting).toBe(false);
		expect(refused!.files).toEqual([]);
	}, 300_000);
});
