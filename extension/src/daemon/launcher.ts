// Finding, starting and stopping the daemon process. A daemon that already answers (discovery file + /health)
// is reused, whoever started it; otherwise the bundled one is started with the editor's own Node, detached, so
// Blender and Unity keep their connection when VS Code closes.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { processAlive, readDiscovery, type Discovery } from '../../../daemon/src/server/discovery';

export interface Health {
	ok: boolean;
	version: string;
	uptimeMs: number;
}

export interface LaunchOptions {
	/** The Orfeas home folder (ORFEAS_HOME). */
	home: string;
	/** Port for a daemon we start; 0 picks a free one. */
	port: number;
	/** The bundled `dist/orfeas.cjs`. */
	script: string;
	/** Node to run it with: VS Code's own (process.execPath, with ELECTRON_RUN_AS_NODE). */
	node: string;
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

/** The daemon described by the discovery file, if its process is alive and it answers /health. */
export async function findRunning(discoveryFile: string): Promise<(Discovery & { health: Health }) | null> {
	const discovery = await readDiscovery(discoveryFile);
	if (!discovery || !processAlive(discovery.pid)) return null;
	const answer = await health(discovery.port);
	return answer ? { ...discovery, health: answer } : null;
}

/** Starts the bundled daemon and resolves once its discovery file names it and it answers /health. */
export async function startBundled(options: LaunchOptions, discoveryFile: string, logFile: string): Promise<Discovery & { health: Health }> {
	const child = spawn(options.node, [options.script, 'daemon', '--home', options.home, '--port', String(options.port)], {
		detached: true,
		stdio: 'ignore',
		env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ORFEAS_HOME: options.home },
		windowsHide: true,
	});
	let exited: number | null | undefined;
	child.once('exit', (code) => (exited = code));
	const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
	child.unref();
	const deadline = Date.now() + (options.timeoutMs ?? 30_000);
	while (Date.now() < deadline) {
		const failed = await Promise.race([spawnError, delay(200).then(() => undefined)]);
		if (failed) throw new Error(`Could not start the Orfeas daemon with ${options.node}: ${failed.message}`);
		if (exited !== undefined) throw new Error(`The Orfeas daemon stopped at once (exit ${exited}). ${await lastLines(logFile, 3)}`.trim());
		const running = await findRunning(discoveryFile);
		if (running && running.pid === child.pid) return running;
	}
	child.kill('SIGKILL');
	throw new Error(`The Orfeas daemon did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s. ${await lastLines(logFile, 3)}`.trim());
}

/** Asks a daemon to stop (SIGTERM: it finishes or re-queues running jobs), then insists after `graceMs`. */
export async function stopDaemon(pid: number, graceMs = 8000): Promise<void> {
	try {
		process.kill(pid, 'SIGTERM');
	} catch {
		return;
	}
	const deadline = Date.now() + graceMs;
	while (processAlive(pid) && Date.now() < deadline) await delay(100);
	if (processAlive(pid)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}

async function lastLines(file: string, count: number): Promise<string> {
	try {
		const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
		return `Its log says: ${lines.slice(-count).join(' | ')}`;
	} catch {
		return '';
	}
}
