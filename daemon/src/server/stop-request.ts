// Asking the daemon a discovery file describes to stop, from this machine: the daemon.stop request over its
// WebSocket with the discovery token (pinned to its certificate when it serves TLS), then waiting until it has
// ended. It works the same on Windows, where no SIGTERM can be sent. Used by `orfeas stop` and by the VS Code
// extension's Restart Daemon (extension/src/daemon/launcher.ts).
import { setTimeout as delay } from 'node:timers/promises';
import WebSocket from 'ws';
import { isErrorCode, OrfeasError } from '../protocol/errors';
import { PROTOCOL_VERSION } from '../protocol/messages';
import { VERSION } from '../version';
import { processAlive, readDiscovery, type Discovery } from './discovery';
import { answeringDaemon, pinnedSocket } from './reach';

export interface StopRequestOptions {
	/** How long the connection, the hello and the reply may take together. */
	timeoutMs?: number;
	/** Who asks, as the daemon's log will say. */
	client?: { name: string; version: string };
}

/**
 * Sends daemon.stop and resolves once the daemon has answered `ok` (it then stops as it does on SIGTERM). Rejects
 * with the daemon's own OrfeasError when it refuses (E_AUTH, E_FORBIDDEN), and with an Error when it cannot be
 * reached or does not answer in time.
 *
 * @example
 * const discovery = await readDiscovery(home.discovery);
 * if (discovery) await requestStop(discovery, { client: { name: 'cli', version: VERSION } });
 */
export async function requestStop(discovery: Discovery, options: StopRequestOptions = {}): Promise<void> {
	const timeoutMs = options.timeoutMs ?? 10_000;
	const host = `127.0.0.1:${discovery.port}`;
	const connection = discovery.fingerprint256 ? await pinnedSocket('127.0.0.1', discovery.port, discovery.fingerprint256, timeoutMs) : undefined;
	const socket = new WebSocket(`${connection ? 'wss' : 'ws'}://${host}/v1/ws`, {
		headers: { host, authorization: `Bearer ${discovery.token}` },
		handshakeTimeout: timeoutMs,
		perMessageDeflate: false,
		...(connection ? { createConnection: () => connection } : {}),
	});
	try {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`the daemon on port ${discovery.port} did not answer daemon.stop within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
			const finish = (error?: Error) => {
				clearTimeout(timer);
				if (error) reject(error);
				else resolve();
			};
			socket.once('open', () => {
				socket.send(JSON.stringify({ type: 'hello', id: 'hello', protocol: PROTOCOL_VERSION, client: options.client ?? { name: 'orfeas-cli', version: VERSION } }));
			});
			socket.on('message', (data: Buffer, isBinary: boolean) => {
				if (isBinary) return;
				let message: { type?: string; re?: string; code?: unknown; message?: unknown };
				try {
					message = JSON.parse(data.toString('utf8'));
				} catch {
					return;
				}
				if (message.type === 'error' && (message.re === 'hello' || message.re === 'stop' || message.re === undefined)) {
					const code = isErrorCode(message.code) ? message.code : 'E_INTERNAL';
					finish(new OrfeasError(code, typeof message.message === 'string' ? message.message : `The daemon refused daemon.stop (${code}).`));
				} else if (message.type === 'welcome' && message.re === 'hello') {
					socket.send(JSON.stringify({ type: 'daemon.stop', id: 'stop' }));
				} else if (message.type === 'ok' && message.re === 'stop') {
					finish();
				}
			});
			socket.once('unexpected-response', (_request, response) =>
				finish(response.statusCode === 401 ? new OrfeasError('E_AUTH', 'The daemon refused the token from daemon.json.') : new Error(`the daemon answered the connection with HTTP ${response.statusCode}`)),
			);
			socket.once('error', (error) => finish(new Error(`cannot reach the daemon on port ${discovery.port}: ${error.message}`)));
			socket.once('close', (code) => finish(new Error(`the daemon closed the connection (${code}) before it answered daemon.stop`)));
		});
	} finally {
		socket.removeAllListeners('close');
		socket.on('error', () => {});
		socket.terminate();
	}
}

export interface GoneCheck {
	/** Whether a process with this pid exists (default: signal 0, discovery.ts). */
	alive?: (pid: number) => boolean;
	/** How often to look. */
	intervalMs?: number;
}

/** How long a daemon that has let go of daemon.json and stopped answering is given to end its process. */
const EXIT_AFTER_RELEASE_MS = 5000;

/**
 * Waits until the daemon `discovery` describes has ended; resolves true then, false after `timeoutMs`. It has ended
 * when its process is gone. Its stop removes daemon.json and closes its server a moment before the process exits,
 * so once daemon.json no longer names it and it no longer answers /health as itself, its process is given a few
 * seconds more to end; should the pid by then belong to another process, the daemon has ended all the same.
 */
export async function waitUntilGone(discovery: Discovery, discoveryFile: string, timeoutMs: number, check: GoneCheck = {}): Promise<boolean> {
	const alive = check.alive ?? processAlive;
	const deadline = Date.now() + timeoutMs;
	let released: number | undefined;
	for (;;) {
		if (!alive(discovery.pid)) return true;
		if (released === undefined) {
			const current = await readDiscovery(discoveryFile);
			const named = current?.pid === discovery.pid && current.startedAt === discovery.startedAt;
			if (!named && !(await answeringDaemon(discovery, 1000))) released = Date.now();
		}
		if (released !== undefined && Date.now() - released >= Math.min(EXIT_AFTER_RELEASE_MS, timeoutMs)) return true;
		if (Date.now() >= deadline) return released !== undefined;
		await delay(check.intervalMs ?? 100);
	}
}
