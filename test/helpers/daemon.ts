// A real daemon process for integration tests: the bundled `orfeas daemon` on a random port with its own home
// folder, found through its discovery file exactly as editors find it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { CLI, ensureBuilt } from './cli';
import type { TestClient } from './ws-client';

export interface TestDaemon {
	home: string;
	port: number;
	token: string;
	pid: number;
	/** SHA-256 fingerprint of its certificate when it serves TLS (daemon.json). */
	fingerprint256?: string;
	process: ChildProcess;
	/** Everything the daemon printed. */
	output(): string;
	url(route: string): string;
	/** Settles with the exit code when the process ends, however it is stopped (null after a signal). */
	exited: Promise<number | null>;
	/** SIGTERM and wait for exit. */
	stop(): Promise<number | null>;
	/** SIGKILL and wait for exit: a crash. */
	kill(): Promise<void>;
}

export interface DaemonOptions {
	home?: string;
	args?: string[];
	env?: Record<string, string>;
}

export function tempHome(): string {
	return mkdtempSync(path.join(tmpdir(), 'orfeas-home-'));
}

export async function startDaemon(options: DaemonOptions = {}): Promise<TestDaemon> {
	ensureBuilt();
	const home = options.home ?? tempHome();
	const child = spawn(process.execPath, [CLI, 'daemon', '--port', '0', '--home', home, ...(options.args ?? [])], {
		env: { ...process.env, ...options.env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout?.on('data', (d) => (output += d));
	child.stderr?.on('data', (d) => (output += d));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const deadline = Date.now() + 20_000;
	for (;;) {
		try {
			const discovery = JSON.parse(readFileSync(path.join(home, 'daemon.json'), 'utf8'));
			if (discovery.pid === child.pid) {
				return {
					home,
					port: discovery.port,
					token: discovery.token,
					pid: discovery.pid,
					fingerprint256: discovery.fingerprint256,
					process: child,
					output: () => output,
					exited,
					url: (route) => `${discovery.scheme ?? 'http'}://127.0.0.1:${discovery.port}${route}`,
					stop: async () => {
						child.kill('SIGTERM');
						return exited;
					},
					kill: async () => {
						child.kill('SIGKILL');
						await exited;
					},
				};
			}
		} catch {
			// Not written yet.
		}
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`daemon did not start:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
}

export function removeHome(home: string): void {
	rmSync(home, { recursive: true, force: true });
}

/**
 * The homes and daemons one test file makes, all gone after it: `home()` a fresh home, `start(options)` a daemon
 * (killed afterwards if still running), `daemons` every one started.
 */
export function daemonFleet() {
	const homes: string[] = [];
	const daemons: TestDaemon[] = [];
	afterAll(async () => {
		for (const daemon of daemons) if (daemon.process.exitCode === null && daemon.process.signalCode === null) await daemon.kill();
		for (const home of homes) removeHome(home);
	});
	return {
		daemons,
		home(): string {
			const home = tempHome();
			homes.push(home);
			return home;
		},
		async start(options: DaemonOptions): Promise<TestDaemon> {
			const daemon = await startDaemon(options);
			daemons.push(daemon);
			return daemon;
		},
	};
}

/** A job's record as the daemon keeps it on disk. */
export function jobRecord(home: string, jobId: string): Record<string, unknown> {
	return JSON.parse(readFileSync(path.join(home, 'jobs', jobId, 'job.json'), 'utf8'));
}

/** Submits a picture inline, expecting a new (uncached) job; resolves with its id. */
export async function submitInline(client: TestClient, bytes: Buffer, name: string, options: Record<string, number>): Promise<string> {
	const accepted = await client.request({ type: 'generate', image: { inline: true }, name, options }, bytes);
	expect(accepted, JSON.stringify(accepted)).toMatchObject({ type: 'accepted', cached: false });
	return accepted.jobId as string;
}
