// A request to the daemon a discovery file describes, from this machine (`orfeas status`, `orfeas stop`, the
// second-daemon check): plain HTTP, or HTTPS when the daemon serves TLS, trusting exactly the certificate whose
// fingerprint it wrote in daemon.json. The fingerprint is compared before a byte of the request (and its token) is
// sent.
import http from 'node:http';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { sameDaemon, type Discovery, type HealthReply } from './discovery';

export interface Reply {
	status: number;
	body: string;
}

export async function requestDaemon(discovery: Discovery, route: string, options: { token?: string; timeoutMs?: number } = {}): Promise<Reply> {
	const timeoutMs = options.timeoutMs ?? 2000;
	const headers = { host: `127.0.0.1:${discovery.port}`, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
	const socket = discovery.fingerprint256 ? await pinnedSocket('127.0.0.1', discovery.port, discovery.fingerprint256, timeoutMs) : undefined;
	return new Promise((resolve, reject) => {
		const req = http.request(
			// With a connection of its own, no agent (an agent would open its own, unpinned one).
			{ host: '127.0.0.1', port: discovery.port, path: route, headers, timeout: timeoutMs, ...(socket ? { createConnection: () => socket } : { agent: false }) },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', reject);
		req.end();
	});
}

/**
 * The daemon's /health answer when the daemon daemon.json describes is the one answering on its port (`sameDaemon`:
 * its pid and start time), else null: nothing answers, something else does, or another daemon took the port.
 */
export async function answeringDaemon(discovery: Discovery, timeoutMs = 2000): Promise<HealthReply | null> {
	try {
		const reply = await requestDaemon(discovery, '/health', { timeoutMs });
		const health = JSON.parse(reply.body) as HealthReply;
		if (reply.status !== 200 || health?.ok !== true || typeof health.version !== 'string') return null;
		return sameDaemon(discovery, health) ? health : null;
	} catch {
		return null;
	}
}

/** The server presented another certificate than the pinned one (nothing was sent to it). */
export class PinMismatch extends Error {
	override readonly name = 'PinMismatch';
}

/**
 * A TLS connection that is kept only if the server's certificate has this SHA-256 fingerprint (a self-signed
 * certificate cannot be checked against a CA, so the pin is the check).
 */
export function pinnedSocket(host: string, port: number, fingerprint256: string, timeoutMs = 5000): Promise<tls.TLSSocket> {
	return new Promise((resolve, reject) => {
		const socket = tls.connect({ host, port, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
		const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake with ${host}:${port} in ${timeoutMs} ms`)), timeoutMs);
		socket.once('secureConnect', () => {
			clearTimeout(timer);
			const presented = socket.getPeerX509Certificate()?.fingerprint256;
			if (presented?.toUpperCase() === fingerprint256.toUpperCase()) return resolve(socket);
			socket.destroy();
			reject(new PinMismatch(`${host}:${port} presented certificate ${presented ?? 'none'}, not the pinned ${fingerprint256}.`));
		});
		socket.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
}
