// The WebSocket endpoint /v1/ws on the daemon's HTTP or HTTPS server: checks the upgrade (Host, Origin, a
// client token), makes a Session per connection, fans job events out to sessions, keeps connections alive with
// pings, and closes the sessions of a token revoked meanwhile.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE } from '../protocol/errors';
import { MAX_HEADER_BYTES } from '../protocol/frames';
import { LIMITS } from '../protocol/options';
import type { DaemonContext } from './context';
import { bearer, checkOrigin } from './guard';
import { Session } from './session';
import type { DaemonServer } from './team';
import { CLIENT_ROLES } from './users';

/** A connection that has not said hello by then is closed. */
const HELLO_TIMEOUT_MS = 10_000;
/** Largest frame ws reads at all: the largest picture accepted over HTTP plus the largest frame header. */
export const WS_HARD_CAP = 4 + MAX_HEADER_BYTES + LIMITS.maxImageBytes;

export interface SocketEndpoint {
	sessions: ReadonlySet<Session>;
	/** Closes every connection with `code` (1001 when the daemon shuts down). */
	close(code: number, reason: string): Promise<void>;
}

export function attachWebSocket(server: DaemonServer, ctx: DaemonContext): SocketEndpoint {
	// ws enforces its own cap from the frame header, before buffering, and closes with a bare 1009. Frames
	// between the protocol limit and this cap get the protocol's answer (E_PAYLOAD_TOO_LARGE, close 4008), so a
	// client that inlined any picture the daemon would take over HTTP learns to send it there instead.
	const wss = new WebSocketServer({ noServer: true, maxPayload: WS_HARD_CAP, perMessageDeflate: false });
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
			if (!origin.ok) return ws.close(CLOSE.origin, 'Host or Origin not allowed');
			const token = bearer(req);
			const remote = req.socket.remoteAddress;
			const principal = token === undefined ? undefined : ctx.auth.authenticate(token, remote);
			if (token !== undefined && !principal) return ws.close(CLOSE.auth, 'wrong token');
			if (principal && !CLIENT_ROLES.includes(principal.role)) return ws.close(CLOSE.auth, `${principal.role} token: editors need a user token`);
			const session = new Session(ws, ctx, principal, remote, sessions);
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
	const unsubscribeScenes = ctx.scenes.onChange((scene, origin) => {
		for (const session of sessions) session.offerSceneChange(scene.sceneId, scene.revision, origin);
	});
	const keepAlive = setInterval(() => {
		for (const session of sessions) session.closeIfRevoked();
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
			unsubscribeScenes();
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
