// Finding, starting and stopping the daemon process. A daemon that answers as itself (the discovery file's pid and
// start time, reported again by /health) is reused, whoever started it; otherwise the bundled one is started with
// the editor's own Node (spawn.ts says how on each system), detached, so Blender and Unity keep their connection
// when VS Code closes. Stopping asks the daemon (daemon.stop) on every system; a signal is only the fallback.
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { processAlive, readDiscovery, removeDiscovery, sameDaemon, type Discovery } from '../../../daemon/src/server/discovery';
import { requestStop, waitUntilGone } from '../../../daemon/src/server/stop-request';
import { daemonSpawn } from './spawn';

export interface Health {
	ok: boolean;
	version: string;
	uptimeMs: number;
	/** As in daemon.json; absent from older daemons. */
	pid?: number;
	startedAt?: string;
}

export interface LaunchOptions {
	/** The Orfeas home folder (ORFEAS_HOME). */
	home: string;
	/** Port for a daemon we start; 0 picks a free one. */
	port: number;
	/** The bundled `dist/orfeas.cjs`. */
	script: string;
	/** The editor's own executable (process.execPath), run as Node with ELECTRON_RUN_AS_NODE. */
	node: string;
	/** orfeas.daemon.nodePath: another Node to run it with, when set. */
	nodePath?: string;
	/** How long to wait for a new daemon to answer. */
	timeoutMs?: number;
}

/** GET /health on 127.0.0.1:port; null when nothing answers as an Orfeas daemon. */
export function health(port: number, timeoutMs = 2000): Promise<Health | null> {
	return new Promise((resolve) => {
		const request = http.get({ host: '127.0.0.1', port, path: '/health', timeout: timeoutMs }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (body += chunk.length + body.length < 4096 ? chunk : ''));
			response.on('end', () => {
				try {
					const value = JSON.parse(body) as Health;
					resolve(response.statusCode === 200 && value.ok === true && typeof value.version === 'string' ? value : null);
				} catch {
					resolve(null);
				}
			});
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(null));
	});
}

/**
 * The daemon described by the discovery file, if it answers /health as itself (`sameDaemon`): a pid taken over by
 * another process, or another daemon on the port, is not it. A dead pid is the quick "no".
 */
export async function findRunning(discoveryFile: string): Promise<(Discovery & { health: Health }) | null> {
	const discovery = await readDiscovery(discoveryFile);
	if (!discovery || !processAlive(discovery.pid)) return null;
	const answer = await health(discovery.port);
	return answer && sameDaemon(discovery, answer) ? { ...discovery, health: answer } : null;
}

/** Starts the bundled daemon and resolves once its discovery file names it and it answers /health. */
export async function startBundled(options: LaunchOptions, discoveryFile: string, logFile: string): Promise<Discovery & { health: Health }> {
	const plan = daemonSpawn({ platform: process.platform, execPath: options.node, nodePath: options.nodePath, env: process.env, script: options.script, home: options.home, port: options.port });
	// It starts in its home folder, which must exist for that.
	await mkdir(options.home, { recursive: true, mode: 0o700 });
	const child = spawn(plan.command, plan.args, plan.options);
	let exited: number | null | undefined;
	child.once('exit', (code) => (exited = code));
	const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
	child.unref();
	const deadline = Date.now() + (options.timeoutMs ?? 30_000);
	while (Date.now() < deadline) {
		const failed = await Promise.race([spawnError, delay(200).then(() => undefined)]);
		if (failed) throw new Error(`Could not start the Orfeas daemon with ${plan.command}: ${failed.message}`);
		if (exited !== undefined) throw new Error(`The Orfeas daemon stopped at once (exit ${exited}). ${await lastLines(logFile, 3)}`.trim());
		const running = await findRunning(discoveryFile);
		if (running && running.pid === child.pid) return running;
	}
	child.kill('SIGKILL');
	throw new Error(`The Orfeas daemon did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s. ${await lastLines(logFile, 3)}`.trim());
}

export interface StopOptions {
	/** How long the daemon may take to end after the request, and after each fallback signal. */
	graceMs?: number;
	platform?: NodeJS.Platform;
	/** Says why the request did not do it, when a signal has to. */
	log?: (line: string) => void;
	client?: { name: string; version: string };
}

/**
 * Stops the daemon `running` describes (findRunning's answer): daemon.stop first, on every system, so that it
 * finishes or re-queues running jobs and removes daemon.json itself; only when that fails, the signals of
 * `fallbackSignals`. Resolves with what stopped it.
 */
export async function stopDaemon(running: Discovery, discoveryFile: string, options: StopOptions = {}): Promise<'request' | 'signal' | 'gone'> {
	const graceMs = options.graceMs ?? 15_000;
	try {
		await requestStop(running, { timeoutMs: 5000, ...(options.client ? { client: options.client } : {}) });
		if (await waitUntilGone(running, discoveryFile, graceMs)) return 'request';
		options.log?.(`The daemon (pid ${running.pid}) accepted the stop request but had not ended after ${Math.round(graceMs / 1000)} s.`);
	} catch (error) {
		options.log?.(`The daemon (pid ${running.pid}) did not take the stop request (${error instanceof Error ? error.message : String(error)}).`);
	}
	if (!processAlive(running.pid)) return 'gone';
	for (const signal of fallbackSignals(options.platform ?? process.platform)) {
		options.log?.(`Sending ${signal} to the daemon (pid ${running.pid}).`);
		try {
			process.kill(running.pid, signal);
		} catch {
			break; // ended meanwhile
		}
		if (await waitUntilGone(running, discoveryFile, graceMs)) break;
	}
	// Ended by a signal, it may not have removed its discovery file: Blender and Unity would look for it there.
	if (!processAlive(running.pid)) await removeDiscovery(discoveryFile, running.pid);
	return 'signal';
}

/**
 * The signals that end a daemon that did not take the stop request, in order. On macOS and Linux SIGTERM still
 * stops it gracefully, then SIGKILL insists. Windows has no signals: process.kill terminates the process at once
 * whatever the name (TerminateProcess), so one is all there is.
 */
export function fallbackSignals(platform: NodeJS.Platform): NodeJS.Signals[] {
	return platform === 'win32' ? ['SIGTERM'] : ['SIGTERM', 'SIGKILL'];
}

async function lastLines(file: string, count: number): Promise<string> {
	try {
		const lines = (await readFile(file, 'utf8')).trimEnd().split(/\r?\n/);
		return `Its log says: ${lines.slice(-count).join(' | ')}`;
	} catch {
		return '';
	}
}
