// The WebSocket endpoint /v1/ws on the daemon's HTTP server: checks the upgrade (Host, Origin, token), makes a
// Session per connection, fans job events out to sessions, and keeps connections alive with pings.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE } from '../protocol/errors';
import { LIMITS } from '../protocol/options';
import type { DaemonContext } from './context';
import { bearer, checkOrigin, tokenMatches } from './guard';
import { Session } from './session';

/** A connection that has not said hello by then is closed. */
const HELLO_TIMEOUT_MS = 10_000;

export interface SocketEndpoint {
	sessions: ReadonlySet<Session>;
	/** Closes every connection with `code` (1001 when the daemon shuts down). */
	close(code: number, reason: string): Promise<void>;
}

export function attachWebSocket(server: Server, ctx: DaemonContext): SocketEndpoint {
	// ws enforces its own cap before buffering; frames between the protocol limit and this get a coded error.
	const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxPayload + 64 * 1024, perMessageDeflate: false });
	const sessions = new Set<Session>();
	const alive = new WeakMap<WebSocket, boolean>();

	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
		if (pathname !== '/v1/ws') {
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		wss.handleUpgrade(req, socket, head, (ws) => {
			const origin = checkOrigin(req, ctx.guard);
			if (!origin.ok) return ws.close(CLOSE.origin, origin.message.slice(0, 120));
			const token = bearer(req);
			if (token !== undefined && !tokenMatches(token, ctx.guard.token)) return ws.close(CLOSE.auth, 'wrong token');
			const session = new Session(ws, ctx, token !== undefined, sessions);
			sessions.add(session);
			alive.set(ws, true);
			const helloTimer = setTimeout(() => {
				if (!session.ready) ws.close(CLOSE.auth, 'no hello');
			}, HELLO_TIMEOUT_MS);
			ws.on('pong', () => alive.set(ws, true));
			ws.on('message', (data: Buffer, isBinary: boolean) => {
				void session.receive(data, isBinary);
			});
			ws.on('error', (error) => ctx.log.warn(`session ${session.id}: ${error.message}`));
			ws.on('close', () => {
				clearTimeout(helloTimer);
				sessions.delete(session);
			});
		});
	});

	const unsubscribe = ctx.manager.on((event) => {
		for (const session of sessions) session.deliver(event);
	});
	const keepAlive = setInterval(() => {
		for (const ws of wss.clients) {
			if (!alive.get(ws)) {
				ws.terminate();
				continue;
			}
			alive.set(ws, false);
			ws.ping();
		}
	}, ctx.keepAliveMs);
	keepAlive.unref();

	return {
		sessions,
		async close(code, reason) {
			clearInterval(keepAlive);
			unsubscribe();
			const closing = [...wss.clients].map(
				(ws) =>
					new Promise<void>((resolve) => {
						ws.once('close', () => resolve());
						ws.close(code, reason);
						setTimeout(() => {
							ws.terminate();
							resolve();
						}, 1000).unref();
					}),
			);
			await Promise.all(closing);
			wss.close();
		},
	};
}
