// The self-signed certificate builder (daemon/src/server/certificate.ts): what Node's own X.509 parser reads back
// from it, that TLS serves it, that a client trusting it verifies names and addresses, and the IP encodings.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ipBytes, selfSignedCertificate } from '../../daemon/src/server/certificate';

const DAY_MS = 24 * 3600 * 1000;

describe('selfSignedCertificate', () => {
	const made = selfSignedCertificate({ commonName: 'gpu-box', dnsNames: ['gpu-box', 'localhost'], ipAddresses: ['127.0.0.1', '::1', '10.1.2.3', 'fd00::2'] });
	const x509 = new X509Certificate(made.cert);

	it('parses, signs itself, matches its key, and its fingerprint is the one reported', () => {
		expect(x509.fingerprint256).toBe(made.fingerprint256);
		expect(made.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
		expect(x509.subject).toBe('CN=gpu-box');
		expect(x509.issuer).toBe('CN=gpu-box');
		expect(x509.verify(x509.publicKey)).toBe(true);
		expect(x509.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
		expect(x509.publicKey.asymmetricKeyType).toBe('ec');
		expect(x509.ca).toBe(false);
		expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
	});

	it('names every DNS name and address given, and nothing else', () => {
		expect(x509.subjectAltName).toBe('DNS:gpu-box, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.1.2.3, IP Address:FD00:0:0:0:0:0:0:2');
		expect(x509.checkHost('gpu-box', { subject: 'never' })).toBe('gpu-box');
		expect(x509.checkHost('other-box', { subject: 'never' })).toBeUndefined();
		expect(x509.checkIP('fd00::2')).toBe('fd00::2');
		expect(x509.checkIP('10.1.2.4')).toBeUndefined();
	});

	it('is valid from a little before now for a year', () => {
		const now = Date.now();
		const from = Date.parse(x509.validFrom);
		const to = Date.parse(x509.validTo);
		expect(from).toBeLessThan(now);
		expect(now - from).toBeLessThan(2 * 3600 * 1000);
		expect(Math.abs(to - now - 365 * DAY_MS)).toBeLessThan(60_000);
	});

	it('writes GeneralizedTime past 2049', () => {
		const late = selfSignedCertificate({ commonName: 'x', dnsNames: ['x'], ipAddresses: [], now: new Date('2049-12-01T00:00:00Z'), days: 365 });
		const parsed = new X509Certificate(late.cert);
		expect(new Date(parsed.validFrom).getUTCFullYear()).toBe(2049);
		expect(new Date(parsed.validTo).getUTCFullYear()).toBe(2050);
	});

	it('loads in a secure context and serves TLS that a client trusting it verifies by name and by address', async () => {
		tls.createSecureContext({ cert: made.cert, key: made.key });
		const server = tls.createServer({ cert: made.cert, key: made.key }, (socket) => socket.end('ok'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		const connect = (options: tls.ConnectionOptions) =>
			new Promise<{ authorized: boolean; fingerprint?: string; error?: string }>((resolve) => {
				const socket = tls.connect({ host: '127.0.0.1', port, ca: made.cert, ...options }, () => {
					resolve({ authorized: socket.authorized, fingerprint: socket.getPeerX509Certificate()?.fingerprint256 });
					socket.end();
				});
				socket.on('error', (error) => resolve({ authorized: false, error: (error as NodeJS.ErrnoException).code ?? error.message }));
			});
		try {
			expect(await connect({ servername: 'gpu-box' })).toEqual({ authorized: true, fingerprint: made.fingerprint256 });
			// No SNI name: the address is checked against the iPAddress entries.
			expect(await connect({})).toMatchObject({ authorized: true });
			expect(await connect({ servername: 'elsewhere' })).toMatchObject({ authorized: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
			// Another certificate of the same names is not trusted.
			const other = selfSignedCertificate({ commonName: 'gpu-box', dnsNames: ['gpu-box'], ipAddresses: ['127.0.0.1'] });
			expect(await connect({ servername: 'gpu-box', ca: other.cert })).toMatchObject({ authorized: false });
		} finally {
			server.close();
		}
	});

	it('refuses a certificate with no name', () => {
		expect(() => selfSignedCertificate({ commonName: 'x', dnsNames: [], ipAddresses: [] })).toThrow(/at least one name/);
	});
});

describe('ipBytes', () => {
	it('encodes IPv4, IPv6 with and without ::, an IPv4 tail and a scope id', () => {
		expect(ipBytes('192.0.2.1').toString('hex')).toBe('c0000201');
		expect(ipBytes('::').toString('hex')).toBe('0'.repeat(32));
		expect(ipBytes('::1').toString('hex')).toBe(`${'0'.repeat(31)}1`);
		expect(ipBytes('2001:db8::8:800:200c:417a').toString('hex')).toBe('20010db80000000000080800200c417a');
		expect(ipBytes('1:2:3:4:5:6:7:8').toString('hex')).toBe('00010002000300040005000600070008');
		expect(ipBytes('::ffff:192.0.2.1').toString('hex')).toBe('00000000000000000000ffffc0000201');
		expect(ipBytes('fe80::1%eth0').toString('hex')).toBe('fe800000000000000000000000000001');
		expect(() => ipBytes('example.com')).toThrow(/not an IP address/);
	});
});
