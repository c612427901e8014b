// The front door, shared by HTTP and the WebSocket upgrade (ARCHITECTURE.md § Security model): the Host header
// must name this daemon on a loopback address, or a team server by its name (DNS rebinding), a browser Origin
// must be allow-listed (cross-site WebSocket hijacking), and /v1 needs a token (users.ts says whose), compared
// in constant time.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface GuardConfig {
	port: number;
	token: string;
	allowOrigins: readonly string[];
	/** Further Host values (with the port) naming this daemon: a team server's name and addresses (team.ts). */
	hosts?: readonly string[];
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; code: 'E_AUTH' | 'E_ORIGIN'; message: string };

const OK: Verdict = { ok: true };

/** Host and Origin checks, for every request including the public ones. */
export function checkOrigin(req: IncomingMessage, config: GuardConfig): Verdict {
	const host = req.headers.host;
	const allowedHosts = [`127.0.0.1:${config.port}`, `localhost:${config.port}`, `[::1]:${config.port}`, ...(config.hosts ?? [])];
	if (!host || !allowedHosts.includes(host.toLowerCase())) {
		const name = config.hosts?.[0] ?? `127.0.0.1:${config.port}`;
		return { ok: false, status: 403, code: 'E_ORIGIN', message: `Host "${host ?? ''}" is not this daemon. Connect to ${name}.` };
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

/** Whether an address is this machine's loopback (127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6). */
export function isLoopback(address: string | undefined): boolean {
	if (!address) return false;
	const a = address.toLowerCase().replace(/^::ffff:/, '');
	return a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}
