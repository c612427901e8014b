// A self-signed X.509 certificate built with node:crypto alone (Node 20 signs and parses certificates but has
// no builder): an EC P-256 key, an ECDSA-SHA256 signature, subjectAltName with DNS names and IP addresses, for
// `orfeas daemon --tls-self-signed` (tls.ts keeps it in the home folder). DER is written by hand below; only
// the few ASN.1 types a certificate needs are here.
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export interface CertificateOptions {
	/** Subject and issuer common name. */
	commonName: string;
	/** Names a client may connect by (subjectAltName dNSName). */
	dnsNames: readonly string[];
	/** Addresses a client may connect by (subjectAltName iPAddress), IPv4 or IPv6. */
	ipAddresses: readonly string[];
	/** Days from `now` until it expires. */
	days?: number;
	now?: Date;
}

export interface SelfSigned {
	/** PEM certificate. */
	cert: string;
	/** PEM PKCS#8 private key. */
	key: string;
	/** SHA-256 of the DER certificate, colon-hex as `X509Certificate.fingerprint256` gives it. */
	fingerprint256: string;
}

export const CERTIFICATE_DAYS = 365;
/** notBefore is set this far back, so a client whose clock is a little behind still accepts the certificate. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;

const OID = {
	ecPublicKey: '1.2.840.10045.2.1',
	ecdsaWithSha256: '1.2.840.10045.4.3.2',
	commonName: '2.5.4.3',
	basicConstraints: '2.5.29.19',
	keyUsage: '2.5.29.15',
	extKeyUsage: '2.5.29.37',
	subjectAltName: '2.5.29.17',
	serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/**
 * Makes a key pair and a certificate for it, signed by itself.
 *
 * @example
 * const { cert, key, fingerprint256 } = selfSignedCertificate({ commonName: 'gpu-box', dnsNames: ['gpu-box', 'localhost'], ipAddresses: ['127.0.0.1'] });
 */
export function selfSignedCertificate(options: CertificateOptions): SelfSigned {
	if (options.dnsNames.length + options.ipAddresses.length === 0) throw new Error('selfSignedCertificate: at least one name or address is required');
	const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	const now = options.now ?? new Date();
	const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
	const notAfter = new Date(now.getTime() + (options.days ?? CERTIFICATE_DAYS) * 24 * 3600 * 1000);
	const name = sequence(set(sequence(oid(OID.commonName), utf8(options.commonName))));
	const algorithm = sequence(oid(OID.ecdsaWithSha256));
	const serial = randomBytes(16);
	serial[0] &= 0x7f;
	serial[0] |= 0x01;
	const altNames = [
		...unique(options.dnsNames).map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))),
		...unique(options.ipAddresses).map((ip) => tlv(0x87, ipBytes(ip))),
	];
	const extensions = [
		extension(OID.basicConstraints, true, sequence()),
		// digitalSignature only: the key signs the TLS handshake and nothing else.
		extension(OID.keyUsage, true, tlv(0x03, Buffer.from([0x07, 0x80]))),
		extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
		extension(OID.subjectAltName, false, sequence(...altNames)),
	];
	const tbs = sequence(
		tlv(0xa0, integer(Buffer.from([2]))),
		integer(serial),
		algorithm,
		name,
		sequence(time(notBefore), time(notAfter)),
		name,
		publicKey.export({ type: 'spki', format: 'der' }),
		tlv(0xa3, sequence(...extensions)),
	);
	const signature = sign('sha256', tbs, privateKey);
	const der = sequence(tbs, algorithm, bitString(signature));
	const cert = pem('CERTIFICATE', der);
	return {
		cert,
		key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		fingerprint256: new X509Certificate(der).fingerprint256,
	};
}

/** The 4 or 16 bytes of an IP address; throws on anything else. */
export function ipBytes(address: string): Buffer {
	if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
	if (!isIPv6(address)) throw new Error(`selfSignedCertificate: "${address}" is not an IP address`);
	let text = address.replace(/%.*$/, '').toLowerCase();
	// An IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
	const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (v4) {
		const b = v4[1].split('.').map(Number);
		text = text.slice(0, v4.index) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
	}
	const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
	const bytes = Buffer.alloc(16);
	groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
	return bytes;
}

function unique(values: readonly string[]): string[] {
	return [...new Set(values)];
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
	return sequence(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 § 4.1.2.5), to the second. */
function time(date: Date): Buffer {
	const iso = date.toISOString().replace(/[-:T]|\.\d+/g, '');
	return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

function tlv(tag: number, content: Buffer): Buffer {
	const n = content.length;
	let length: Buffer;
	if (n < 0x80) length = Buffer.from([n]);
	else {
		const bytes: number[] = [];
		for (let rest = n; rest > 0; rest >>>= 8) bytes.unshift(rest & 0xff);
		length = Buffer.from([0x80 | bytes.length, ...bytes]);
	}
	return Buffer.concat([Buffer.from([tag]), length, content]);
}

function sequence(...parts: Buffer[]): Buffer {
	return tlv(0x30, Buffer.concat(parts));
}

function set(...parts: Buffer[]): Buffer {
	return tlv(0x31, Buffer.concat(parts));
}

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps the sign bit clear). */
function integer(bytes: Buffer): Buffer {
	return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function bitString(bytes: Buffer): Buffer {
	return tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}

function utf8(text: string): Buffer {
	return tlv(0x0c, Buffer.from(text, 'utf8'));
}

function oid(dotted: string): Buffer {
	const arcs = dotted.split('.').map(Number);
	const out = [40 * arcs[0] + arcs[1]];
	for (const arc of arcs.slice(2)) {
		const chunk = [arc & 0x7f];
		for (let rest = arc >>> 7; rest > 0; rest >>>= 7) chunk.unshift(0x80 | (rest & 0x7f));
		out.push(...chunk);
	}
	return tlv(0x06, Buffer.from(out));
}

function pem(label: string, der: Buffer): string {
	const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
