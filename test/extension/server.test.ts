// The team server of the extension's settings (extension/src/daemon/server.ts): orfeas.server.url read and
// refused, fingerprints read however they were copied, the pin and CA decision, the token's key and its input
// check, and the TLS connection kept only after that decision, against a TLS server in this process that counts
// every byte a client writes.
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../daemon/src/server/certificate';
import { DaemonError } from '../../extension/src/daemon/errors';
import { certificateProblem, normalizeFingerprint, openTls, parseServer, tokenKey, tokenProblem, type TeamServer } from '../../extension/src/daemon/server';

const PIN = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');
const OTHER = Array.from({ length: 32 }, () => 'AB').join(':');

/** The DaemonError a call throws, or a failure. */
function thrown(run: () => unknown): DaemonError {
	try {
		run();
	} catch (error) {
		if (error instanceof DaemonError) return error;
		throw error;
	}
	throw new Error('expected a DaemonError');
}

describe('orfeas.server.url', () => {
	it('reads the address with or without https://, the WSS address too, and always keeps the port', () => {
		expect(parseServer('https://gpu-box:7878')).toEqual({ origin: 'https://gpu-box:7878', hostname: 'gpu-box', port: 7878, host: 'gpu-box:7878' });
		expect(parseServer('  gpu-box:7878/ ')).toMatchObject({ origin: 'https://gpu-box:7878', port: 7878 });
		expect(parseServer('wss://GPU-Box:7878/v1/ws')).toMatchObject({ origin: 'https://gpu-box:7878', host: 'gpu-box:7878' });
		expect(parseServer('https://gpu-box')).toMatchObject({ origin: 'https://gpu-box:443', port: 443, host: 'gpu-box:443' });
		expect(parseServer('https://10.0.0.5:7878')).toMatchObject({ hostname: '10.0.0.5', host: '10.0.0.5:7878' });
		// An IPv6 address: bracketed in the Host header and the origin, bare for the socket.
		expect(parseServer('https://[fd00::2]:7878')).toMatchObject({ hostname: 'fd00::2', host: '[fd00::2]:7878', origin: 'https://[fd00::2]:7878' });
	});

	it('refuses plain HTTP, credentials in the URL, other paths and what is no URL, naming the setting', () => {
		for (const [url, said] of [
			['http://gpu-box:7878', /must start with https:\/\/ \(it says http:\/\/\)/],
			['ws://gpu-box:7878/v1/ws', /must start with https:\/\//],
			['https://ana:secret@gpu-box:7878', /user name or password.*Set Server Token/],
			['https://gpu-box:7878/v1/jobs', /address alone.*not \/v1\/jobs/],
			['https://gpu-box:7878/?token=x', /address alone/],
			['https://gpu box', /is not a URL/],
		] as const) {
			const error = thrown(() => parseServer(url));
			expect(error.code, url).toBe('E_SETTINGS');
			expect(error.message, url).toMatch(/^The setting orfeas\.server\.url /);
			expect(error.message, url).toMatch(said);
		}
	});
});

describe('orfeas.server.fingerprint', () => {
	it('reads a fingerprint in either case, with or without colons or spaces, or as openssl prints it', () => {
		const bare = PIN.replace(/:/g, '');
		for (const text of [PIN, PIN.toLowerCase(), bare, bare.toLowerCase(), ` ${PIN.replace(/:/g, ' ')} `, `sha256 Fingerprint=${PIN}`, `SHA256 Fingerprint=${PIN}`, `SHA-256: ${bare}`]) {
			expect(normalizeFingerprint(text), text).toBe(PIN);
		}
		expect(parseServer('https://gpu-box:7878', PIN.toLowerCase()).fingerprint).toBe(PIN);
		expect(parseServer('https://gpu-box:7878', '   ').fingerprint).toBeUndefined();
	});

	it('refuses anything that is not 32 bytes of hex, naming the setting', () => {
		for (const text of [PIN.slice(3), `${PIN}:00`, PIN.replace('1', 'G'), 'sha1 Fingerprint=AB:CD']) {
			const error = thrown(() => normalizeFingerprint(text));
			expect(error.code).toBe('E_SETTINGS');
			expect(error.message).toMatch(/^The setting orfeas\.server\.fingerprint is not a SHA-256 fingerprint/);
		}
	});
});

describe('which certificate is trusted', () => {
	const pinned = parseServer('https://gpu-box:7878', PIN);
	const unpinned = parseServer('https://gpu-box:7878');

	it('with a pin, trusts exactly the pinned certificate, vouched for by a CA or not', () => {
		expect(certificateProblem(pinned, { fingerprint: PIN, authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).toBeNull();
		expect(certificateProblem(pinned, { fingerprint: PIN.toLowerCase(), authorized: false })).toBeNull();
		const refused = certificateProblem(pinned, { fingerprint: OTHER, authorized: true });
		expect(refused).toContain(`the server presented certificate ${OTHER}, not the pinned ${PIN}`);
		expect(refused).toMatch(/^Refused https:\/\/gpu-box:7878: .*Nothing was sent\./);
		expect(certificateProblem(pinned, { authorized: false })).toContain(`presented no certificate, not the pinned ${PIN}`);
	});

	it('without a pin, trusts what a CA vouches for and says how to pin what it does not', () => {
		expect(certificateProblem(unpinned, { fingerprint: OTHER, authorized: true })).toBeNull();
		const refused = certificateProblem(unpinned, { fingerprint: OTHER, authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
		expect(refused).toMatch(/no certificate authority vouches for its certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. Nothing was sent\./);
		expect(refused).toContain(`orfeas.server.fingerprint (this connection presented ${OTHER})`);
	});
});

describe('the token', () => {
	it('is kept under the server it was set for', () => {
		const a = tokenKey(parseServer('https://gpu-box:7878'));
		expect(tokenKey(parseServer('gpu-box:7878', PIN))).toBe(a);
		expect(tokenKey(parseServer('https://gpu-box:7879'))).not.toBe(a);
		expect(tokenKey(parseServer('https://other-box:7878'))).not.toBe(a);
	});

	it('is checked as it is typed', () => {
		expect(tokenProblem('ofu_abc')).toBeUndefined();
		expect(tokenProblem('  ofu_abc  ')).toBeUndefined();
		expect(tokenProblem('')).toMatch(/orfeas users add NAME/);
		expect(tokenProblem('ofu_a b')).toMatch(/no spaces/);
		expect(tokenProblem('ofw_abc')).toMatch(/worker token/);
	});
});

describe('the TLS connection', () => {
	const made = selfSignedCertificate({ commonName: 'orfeas.test', dnsNames: ['orfeas.test', 'localhost'], ipAddresses: ['127.0.0.1'] });
	let server: tls.Server;
	let port: number;
	/** Bytes clients wrote after their handshakes. */
	let received = 0;
	/** TCP connections made to the server, handshakes finished or not. */
	let connections = 0;
	const sockets = new Set<tls.TLSSocket>();

	beforeAll(async () => {
		server = tls.createServer({ cert: made.cert, key: made.key }, (socket) => {
			sockets.add(socket);
			socket.on('data', (chunk: Buffer) => (received += chunk.length));
			socket.on('error', () => undefined);
		});
		server.on('connection', () => connections++);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	const at = (fingerprint?: string, host = '127.0.0.1'): TeamServer => parseServer(`https://${host}:${port}`, fingerprint);

	it('is kept when the server presents the pinned certificate', async () => {
		const socket = await openTls(at(made.fingerprint256.toLowerCase()));
		expect(socket.authorized).toBe(false);
		socket.write('ping');
		await new Promise<void>((resolve) => socket.end(resolve));
		await expect.poll(() => received).toBe(4);
	});

	it('is refused before a byte is written when the server presents another, naming both fingerprints', async () => {
		const before = { received, connections };
		const error = await openTls(at(OTHER)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DaemonError);
		expect((error as DaemonError).code).toBe('E_TLS');
		expect((error as DaemonError).message).toContain(`the server presented certificate ${made.fingerprint256}, not the pinned ${OTHER}`);
		expect(connections).toBe(before.connections + 1);
		expect(received).toBe(before.received);
	});

	it('without a pin, is refused for a certificate no CA vouches for, saying how to pin it', async () => {
		const error = (await openTls(at(undefined, 'localhost')).catch((e: unknown) => e)) as DaemonError;
		expect(error.code).toBe('E_TLS');
		expect(error.message).toMatch(/no certificate authority vouches for its certificate \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
		expect(error.message).toContain(`this connection presented ${made.fingerprint256}`);
	});

	it('says so when nothing answers', async () => {
		const closed = tls.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const free = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const error = (await openTls(parseServer(`https://127.0.0.1:${free}`, PIN)).catch((e: unknown) => e)) as DaemonError;
		expect(error.code).toBe('E_CONNECTION');
		expect(error.message).toMatch(new RegExp(`^Cannot reach the Orfeas server https://127\\.0\\.0\\.1:${free}: .*ECONNREFUSED`));
	});
});
