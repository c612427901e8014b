// The front door, shared by HTTP and the WebSocket upgrade (ARCHITECTURE.md § Security model): the Host header
// must name this daemon on a loopback address (DNS rebinding), a browser Origin must be allow-listed
// (cross-site WebSocket hijacking), and /v1 needs the token, compared in constant time.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardConfig {
	port: number;
	token: string;
	allowOrigins: readonly string[];
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; code: 'E_AUTH' | 'E_ORIGIN'; message: string };

const OK: Verdict = { ok: true };

/** Host and Origin checks, for every request including the public ones. */
export function checkOrigin(req: IncomingMessage, config: GuardConfig): Verdict {
	const host = req.headers.host;
	const allowedHosts = [`127.0.0.1:${config.port}`, `localhost:${config.port}`, `[::1]:${config.port}`];
	if (!host || !allowedHosts.includes(host.toLowerCase())) {
		return { ok: false, status: 403, code: 'E_ORIGIN', message: `Host "${host ?? ''}" is not this daemon. Connect to 127.0.0.1:${config.port}.` };
	}
	const origin = req.headers.origin;
	if (origin !== undefined && !config.allowOrigins.includes(origin)) {
		return {
			ok: false,
			status: 403,
			code: 'E_ORIGIN',
			message: `Requests from web pages (Origin ${origin}) are refused. Start the daemon with --allow-origin ${origin} to allow this one.`,
		};
	}
	return OK;
}

/** The bearer token in the Authorization header: undefined when absent. */
export function bearer(req: IncomingMessage): string | undefined {
	const header = req.headers.authorization;
	if (!header) return undefined;
	const match = /^Bearer\s+(\S+)$/i.exec(header);
	return match ? match[1] : '';
}

export function tokenMatches(given: string | undefined, token: string): boolean {
	if (given === undefined) return false;
	const a = Buffer.from(given);
	const b = Buffer.from(token);
	return a.length === b.length && timingSafeEqual(a, b);
}

export function checkToken(req: IncomingMessage, config: GuardConfig): Verdict {
	if (tokenMatches(bearer(req), config.token)) return OK;
	return { ok: false, status: 401, code: 'E_AUTH', message: 'Missing or wrong token. Read it from daemon.json in the Orfeas home folder.' };
}
