// The team server that orfeas.server.url and orfeas.server.fingerprint name (README § Remote editors): the URL
// checked and split, the fingerprint read however it was copied, and the TLS connection that the WebSocket and
// every upload go over (client.ts). A connection is kept only when the certificate is the pinned one, or with no
// pin one that a certificate authority vouches for under that name; the check comes before a byte is written on
// it, so the token never reaches another server.
import { isIP } from 'node:net';
import tls from 'node:tls';
import { DaemonError } from './errors';

/** A team server, as the settings name it. */
export interface TeamServer {
	/** `https://gpu-box:7878`, always with the port: shown to the user, and the key its token is kept under. */
	origin: string;
	/** The name or address connected to (an IPv6 address without brackets). */
	hostname: string;
	port: number;
	/** The Host header: name and port, which the daemon checks (guard.ts), so the port is never left out. */
	host: string;
	/** SHA-256 of the certificate to accept, colon hex in capitals; undefined: a CA must vouch for it. */
	fingerprint?: string;
}

/** What a TLS handshake showed of the server's certificate. */
export interface Presented {
	/** Colon-hex SHA-256, as `X509Certificate.fingerprint256` gives it. */
	fingerprint?: string;
	/** Whether Node's own verification (a trusted CA, the right name) passed. */
	authorized: boolean;
	authorizationError?: string;
}

const HTTPS_PORT = 443;
const ROUTE = '/v1/ws';

/**
 * The server of orfeas.server.url (`https://gpu-box:7878`; `gpu-box:7878` and the `wss://…/v1/ws` address are
 * read the same way) and orfeas.server.fingerprint. Throws DaemonError E_SETTINGS saying which setting is wrong.
 */
export function parseServer(url: string, fingerprint = ''): TeamServer {
	const text = url.trim();
	let parsed: URL;
	try {
		parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		throw settingError('url', `"${text}" is not a URL. Write the server's address, e.g. https://gpu-box:7878.`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'wss:') {
		throw settingError('url', `must start with https:// (it says ${parsed.protocol}//): a team server serves TLS only (orfeas daemon --tls-self-signed).`);
	}
	if (parsed.username || parsed.password) throw settingError('url', 'holds a user name or password. Remove it: the token goes in secret storage with "Orfeas: Set Server Token".');
	if ((parsed.pathname !== '/' && parsed.pathname !== ROUTE) || parsed.search || parsed.hash) {
		throw settingError('url', `should be the server's address alone, e.g. https://gpu-box:7878 (not ${parsed.pathname}${parsed.search}${parsed.hash}).`);
	}
	const port = parsed.port ? Number(parsed.port) : HTTPS_PORT;
	// URL keeps an IPv6 address in brackets: the Host header and the origin want them, a socket does not.
	const host = `${parsed.hostname}:${port}`;
	const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
	const pin = fingerprint.trim() ? normalizeFingerprint(fingerprint) : undefined;
	return { origin: `https://${host}`, hostname, port, host, ...(pin ? { fingerprint: pin } : {}) };
}

/**
 * A SHA-256 fingerprint as `orfeas daemon` prints it (`AB:CD:…`), from any of the ways one is copied: either
 * case, with or without colons or spaces, or the whole `sha256 Fingerprint=AB:…` line of `openssl x509`.
 * Throws DaemonError E_SETTINGS when it is not 32 bytes of hex.
 */
export function normalizeFingerprint(text: string): string {
	const hex = text
		.trim()
		.replace(/^sha-?256(\s+fingerprint)?\s*[=:]?\s*/i, '')
		.replace(/[\s:]/g, '')
		.toUpperCase();
	if (!/^[0-9A-F]{64}$/.test(hex)) {
		throw settingError('fingerprint', 'is not a SHA-256 fingerprint: 32 bytes in hex, AB:CD:… as the server printed it at start (orfeas status on the server shows it too).');
	}
	return hex.match(/../g)!.join(':');
}

/** Null when a connection to `server` that presented this may carry a token; otherwise why not, in sentences. */
export function certificateProblem(server: TeamServer, presented: Presented): string | null {
	const shown = presented.fingerprint?.toUpperCase();
	if (server.fingerprint) {
		if (shown === server.fingerprint) return null;
		return (
			`Refused ${server.origin}: the server presented ${shown ? `certificate ${shown}` : 'no certificate'}, not the pinned ${server.fingerprint}. Nothing was sent. ` +
			'Compare orfeas.server.fingerprint with the fingerprint the server printed at start (orfeas status on the server).'
		);
	}
	if (presented.authorized) return null;
	return (
		`Refused ${server.origin}: no certificate authority vouches for its certificate (${presented.authorizationError ?? 'not verified'}). Nothing was sent. ` +
		`A self-signed team server is trusted by its fingerprint: put the one it printed at start in orfeas.server.fingerprint${shown ? ` (this connection presented ${shown})` : ''}.`
	);
}

/**
 * A TLS connection to `server`, resolved only once its certificate passed certificateProblem; nothing is written
 * on it before. Rejects with DaemonError E_TLS for a certificate refused, E_CONNECTION when nothing answers.
 */
export function openTls(server: TeamServer, timeoutMs = 10_000): Promise<tls.TLSSocket> {
	return new Promise((resolve, reject) => {
		// Node verifies the chain and the name either way (`authorized`); the decision is taken below, where the
		// refusal can name the certificate that was presented.
		const socket = tls.connect({ host: server.hostname, port: server.port, rejectUnauthorized: false, ...(isIP(server.hostname) ? {} : { servername: server.hostname }) });
		const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
		socket.once('secureConnect', () => {
			clearTimeout(timer);
			const problem = certificateProblem(server, {
				fingerprint: socket.getPeerX509Certificate()?.fingerprint256,
				authorized: socket.authorized,
				authorizationError: socket.authorizationError === undefined ? undefined : String(socket.authorizationError),
			});
			if (!problem) return resolve(socket);
			socket.destroy();
			reject(new DaemonError('E_TLS', problem));
		});
		socket.once('error', (error) => {
			clearTimeout(timer);
			reject(new DaemonError('E_CONNECTION', `Cannot reach the Orfeas server ${server.origin}: ${error.message}`));
		});
	});
}

/** The secret-storage key of the token for `server`: one per server, so a token only ever goes where it was set for. */
export function tokenKey(server: TeamServer): string {
	return `orfeas.server.token ${server.origin}`;
}

/** Why the text typed as a token cannot be one (for the input box), or undefined. */
export function tokenProblem(text: string): string | undefined {
	const token = text.trim();
	if (!token) return 'Paste the token that `orfeas users add NAME` printed on the server.';
	if (/\s/.test(token)) return 'A token has no spaces in it.';
	if (token.startsWith('ofw_')) return 'This is a worker token; editors need a user token (orfeas users add NAME, without --worker).';
	return undefined;
}

function settingError(setting: 'url' | 'fingerprint', problem: string): DaemonError {
	return new DaemonError('E_SETTINGS', `The setting orfeas.server.${setting} ${problem}`);
}
