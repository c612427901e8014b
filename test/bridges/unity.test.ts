// The Unity package: its engine-free Protocol assembly and the console tests compiled with Debian's mcs and run
// under mono against real daemon processes (handshake, generate, progress, download, cancel, push, several views
// and turnaround sheets, reconnect after a restart, no daemon) and every protocol vector as the TS side reads it;
// a team server started here (TLS with a self-signed certificate, a user token) that the client pins, and a spy
// presenting the same certificate that must receive nothing from a client whose check refuses it; the window's Start
// daemon code (finding `orfeas`, the home rule and the command lines on Windows, macOS and Linux) and a real start
// through an `orfeas` script written here, whose daemon must still answer after the Mono process that started it has
// exited, and is stopped here;
// and the package as Unity reads it: manifest, asmdefs, a .meta with a unique GUID beside every file and folder, no
// engine types in Protocol; and the Editor assembly compiled against declarations of the Unity API members it uses
// (Tests~/UnityApi).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, orfeas, ROOT } from '../helpers/cli';
import { removeHome, startDaemon, tempHome } from '../helpers/daemon';
import { requireProgram } from '../helpers/external';

const PACKAGE = path.join(ROOT, 'bridge-unity');
const EXE = path.join(ROOT, 'out', 'unity', 'Orfeas.Bridge.Tests.exe');

interface Spy {
	url: string;
	/** TCP connections, finished TLS handshakes, and bytes of requests received. */
	counts: { connections: number; handshakes: number; bytes: number };
	close(): Promise<void>;
}

/** A TLS server with the team server's own certificate and key, which only counts what reaches it. */
async function startSpy(home: string): Promise<Spy> {
	const counts = { connections: 0, handshakes: 0, bytes: 0 };
	const server = tls.createServer({ cert: readFileSync(path.join(home, 'tls', 'cert.pem')), key: readFileSync(path.join(home, 'tls', 'key.pem')) }, (socket) => {
		counts.handshakes++;
		socket.on('data', (data: Buffer) => (counts.bytes += data.length));
		socket.on('error', () => {});
	});
	server.on('connection', () => counts.connections++);
	server.on('tlsClientError', () => {}); // the client hung up in the handshake: what it should do
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
		counts,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/** Runs a program without blocking this process (the spy answers meanwhile). */
function runProgram(program: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number | null; output: string }> {
	return new Promise((resolve) => {
		const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.once('close', (status) => {
			clearTimeout(timer);
			resolve({ status, output });
		});
	});
}

/** Whether the process lives (a zombie that no parent has waited for does not: init may never reap one here). */
function running(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1).trimStart());
	} catch {
		return !existsSync('/proc/self'); // no /proc: kill(0) said it lives
	}
}

/** Checks `done` every 100 ms until it holds; fails with `what` if it has not after a minute. */
async function until(done: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (!done()) {
		if (Date.now() > deadline) throw new Error(`not within a minute: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** A folder with an executable `orfeas` that runs this build with this Node, as `npm install -g` would give one. */
function orfeasOnPath(dir: string): string {
	const bin = path.join(dir, 'orfeas bin');
	mkdirSync(bin);
	writeFileSync(path.join(bin, 'orfeas'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'dist', 'orfeas.cjs')}" "$@"\n`, { mode: 0o755 });
	return bin;
}

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? [full, ...walk(full)] : [full];
	});
}

describe('Unity bridge Protocol assembly under mono', () => {
	it('compiles with mcs and passes its console tests against real daemons, a pinned team server among them, and starts one that outlives it', async () => {
		ensureBuilt();
		requireProgram('mcs');
		const mono = requireProgram('mono');
		execFileSync('bash', [path.join(PACKAGE, 'Tests~', 'build.sh'), 'tests'], { cwd: ROOT, stdio: 'pipe' });
		const home = tempHome();
		const token = orfeas(['users', 'add', 'unity-artist', '--home', home], home).stdout.trim();
		expect(token).toMatch(/^ofu_/);
		const team = await startDaemon({ home, args: ['--bind', '0.0.0.0', '--tls-self-signed'] });
		const spy = await startSpy(home);
		// The Start daemon test: a home that does not exist yet, and paths with spaces.
		const started = mkdtempSync(path.join(tmpdir(), 'orfeas-unity-start-'));
		const startHome = path.join(started, 'Orfeas home');
		const discoveryFile = path.join(startHome, 'daemon.json');
		try {
			expect(team.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
			const env = {
				...process.env,
				ORFEAS_NODE: process.execPath,
				ORFEAS_TEST_SERVER: `https://127.0.0.1:${team.port}`,
				ORFEAS_TEST_TOKEN: token,
				ORFEAS_TEST_FINGERPRINT: team.fingerprint256,
				ORFEAS_TEST_SPY: spy.url,
				ORFEAS_TEST_START_BIN: orfeasOnPath(started),
				ORFEAS_TEST_START_HOME: startHome,
			};
			const { status, output } = await runProgram(mono, [EXE, '--root', ROOT], env, 600_000);
			expect(status, output.slice(-6000)).toBe(0);
			const summary = /(\d+) passed, (\d+) failed/.exec(output);
			expect(summary?.[2], output.slice(-3000)).toBe('0');
			expect(Number(summary?.[1])).toBeGreaterThanOrEqual(45);
			// Every group ran: a wiring mistake must not pass with fewer.
			for (const group of ['vectors', 'json', 'schema', 'client', 'jobs', 'views', 'team', 'home', 'launch', 'start']) expect(output).toMatch(new RegExp(`^ok ${group}: `, 'm'));
			expect(output).toMatch(/^ok team: a wrong pin is refused/m);
			expect(output).not.toMatch(/^left out (team|start)/m);
			expect(output).toMatch(/^ok start: starts the daemon detached/m);
			// The refused clients (a wrong pin over WSS and HTTPS, no pin over WSS) reached the spy, and it got no
			// finished handshake and not one byte of a request: no upgrade, no token, no hello.
			expect(spy.counts.connections).toBeGreaterThanOrEqual(3);
			expect(spy.counts).toMatchObject({ handshakes: 0, bytes: 0 });
			// Mono has exited (and its output pipes closed, so the daemon holds none of them); the daemon it started
			// still answers, with its output in the home's log.
			const discovery = JSON.parse(readFileSync(discoveryFile, 'utf8')) as { pid: number; port: number };
			expect(running(discovery.pid)).toBe(true);
			const health = await fetch(`http://127.0.0.1:${discovery.port}/health`);
			expect(health.status).toBe(200);
			expect(await health.json()).toMatchObject({ ok: true, pid: discovery.pid });
			expect(readFileSync(path.join(startHome, 'daemon-start.log'), 'utf8')).toMatch(/listening on http:\/\/127\.0\.0\.1:/);
			process.kill(discovery.pid, 'SIGTERM');
			await until(() => !running(discovery.pid), `the started daemon (pid ${discovery.pid}) ends on SIGTERM`);
			expect(existsSync(discoveryFile), 'a daemon that stopped removes daemon.json').toBe(false);
		} finally {
			await spy.close();
			await team.stop();
			removeHome(home);
			try {
				const left = JSON.parse(readFileSync(discoveryFile, 'utf8')) as { pid: number };
				if (running(left.pid)) process.kill(left.pid, 'SIGKILL');
			} catch {
				// no daemon left behind
			}
			rmSync(started, { recursive: true, force: true });
		}
	}, 600_000);
});

describe('Unity bridge Editor assembly', () => {
	it('compiles with mcs against declarations of the Unity 2021.3 API it uses (Unity itself cannot run here)', () => {
		requireProgram('mcs');
		const run = spawnSync('bash', [path.join(PACKAGE, 'Tests~', 'build.sh'), 'editor'], { cwd: ROOT, encoding: 'utf8' });
		expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
		expect(run.stdout).toMatch(/Orfeas\.Bridge\.EditorCheck\.dll from \d+/);
	});
});

describe('Unity package layout', () => {
	const assets = walk(PACKAGE).filter((file) => {
		const relative = path.relative(PACKAGE, file);
		return !relative.split(path.sep).some((part) => part.endsWith('~') || part.startsWith('.')) && !file.endsWith('.meta') && !file.endsWith('write-meta.mjs');
	});

	it('has a UPM manifest for Unity 2021.3 at the project version', () => {
		const manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
		const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
		expect(manifest).toMatchObject({ name: 'com.orfeas.bridge', version, unity: '2021.3', displayName: 'Orfeas' });
	});

	it('gives every file and folder a .meta with its own GUID', () => {
		const guids = new Map<string, string>();
		for (const asset of assets) {
			const meta = readFileSync(`${asset}.meta`, 'utf8');
			const guid = /^guid: ([0-9a-f]{32})$/m.exec(meta)?.[1];
			expect(guid, `${asset}.meta`).toBeDefined();
			expect(guids.get(guid!), `${asset} shares a GUID`).toBeUndefined();
			guids.set(guid!, asset);
		}
		expect(assets.length).toBeGreaterThan(30);
	});

	it('keeps the Protocol assembly engine-free and the Editor assembly on top of it', () => {
		const protocol = JSON.parse(readFileSync(path.join(PACKAGE, 'Editor/Protocol/Orfeas.Bridge.Protocol.asmdef'), 'utf8'));
		expect(protocol).toMatchObject({ name: 'Orfeas.Bridge.Protocol', noEngineReferences: true, references: [], includePlatforms: ['Editor'] });
		const editor = JSON.parse(readFileSync(path.join(PACKAGE, 'Editor/Bridge/Orfeas.Bridge.Editor.asmdef'), 'utf8'));
		expect(editor).toMatchObject({ name: 'Orfeas.Bridge.Editor', references: ['Orfeas.Bridge.Protocol'], includePlatforms: ['Editor'] });
		for (const file of assets.filter((f) => f.includes(`${path.sep}Protocol${path.sep}`) && f.endsWith('.cs'))) {
			expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bUnity(Engine|Editor)\b/);
		}
	});

	it('puts one type in each file, named after it', () => {
		for (const file of assets.filter((f) => f.endsWith('.cs'))) {
			const source = readFileSync(file, 'utf8');
			const types = [...source.matchAll(/^\s{4}(?:(?:public|internal|static|sealed|abstract|partial)\s+)*(?:class|struct|enum|interface)\s+(\w+)/gm)].map((m) => m[1]);
			expect(types, file).toEqual([path.basename(file, '.cs').replace(/\.g$/, '')]);
		}
	});
});
