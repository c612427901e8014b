// The daemon's certificate: the PEM files given with --tls-cert/--tls-key, or with --tls-self-signed one made
// by certificate.ts and kept in $ORFEAS_HOME/tls/, so its fingerprint (what remote clients pin) stays the same
// across restarts. A kept certificate is made again only when it nears its end or no longer names this server.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import path from 'node:path';
import { writeFileAtomic } from '../jobs/atomic';
import { OrfeasError } from '../protocol/errors';
import { selfSignedCertificate } from './certificate';
import type { Logger } from './log';

export interface TlsFlags {
	certFile?: string;
	keyFile?: string;
	selfSigned?: boolean;
}

export interface TlsMaterial {
	cert: string;
	key: string;
	/** SHA-256 of the (first) certificate, colon-hex as `X509Certificate.fingerprint256` gives it. */
	fingerprint256: string;
	/** Where the certificate lives, for the log. */
	certFile: string;
	/** Whether it was made at this start. */
	made: boolean;
}

export interface CertificateNames {
	/** Names and addresses a kept certificate must cover. */
	dnsNames: string[];
	ipAddresses: string[];
	/** Addresses a new certificate also names, not required of a kept one. */
	extraAddresses: string[];
}

/** A kept self-signed certificate closer than this to its end is made again. */
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

export function tlsWanted(flags: TlsFlags): boolean {
	return Boolean(flags.selfSigned || flags.certFile);
}

export function checkTlsFlags(flags: TlsFlags): void {
	if (flags.selfSigned && (flags.certFile || flags.keyFile)) {
		throw new OrfeasError('E_BAD_MESSAGE', 'Give either --tls-self-signed or --tls-cert FILE --tls-key FILE, not both.');
	}
	if (Boolean(flags.certFile) !== Boolean(flags.keyFile)) {
		throw new OrfeasError('E_BAD_MESSAGE', '--tls-cert and --tls-key go together: give the certificate and its private key, both PEM files.');
	}
}

export function selfSignedFiles(homeRoot: string): { cert: string; key: string } {
	const dir = path.join(homeRoot, 'tls');
	return { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}

/** The certificate to serve with, or undefined for plain HTTP. */
export async function loadTls(flags: TlsFlags, homeRoot: string, names: CertificateNames, log: Logger): Promise<TlsMaterial | undefined> {
	if (flags.certFile && flags.keyFile) {
		const certFile = path.resolve(flags.certFile);
		const keyFile = path.resolve(flags.keyFile);
		const [cert, key] = await Promise.all([readPem(certFile, '--tls-cert'), readPem(keyFile, '--tls-key')]);
		return { ...usable(cert, key, `${certFile} and ${keyFile}`), certFile, made: false };
	}
	if (!flags.selfSigned) return undefined;
	const files = selfSignedFiles(homeRoot);
	const kept = await keptCertificate(files, names);
	if (kept) return { ...kept, certFile: files.cert, made: false };
	const made = selfSignedCertificate({
		commonName: names.dnsNames[0],
		dnsNames: names.dnsNames,
		ipAddresses: [...new Set([...names.ipAddresses, ...names.extraAddresses])],
	});
	await mkdir(path.dirname(files.cert), { recursive: true, mode: 0o700 });
	await writeFileAtomic(files.key, made.key, 0o600);
	await writeFileAtomic(files.cert, made.cert, 0o644);
	log.info(`made a self-signed certificate for ${[...new Set([...names.dnsNames, ...names.ipAddresses, ...names.extraAddresses])].join(', ')} in ${files.cert}`);
	return { cert: made.cert, key: made.key, fingerprint256: made.fingerprint256, certFile: files.cert, made: true };
}

/** The kept self-signed certificate if it is whole, matches its key, has time left and names this server. */
async function keptCertificate(files: { cert: string; key: string }, names: CertificateNames): Promise<{ cert: string; key: string; fingerprint256: string } | undefined> {
	try {
		const [cert, key] = await Promise.all([readFile(files.cert, 'utf8'), readFile(files.key, 'utf8')]);
		const x509 = new X509Certificate(cert);
		if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined;
		if (Date.parse(x509.validTo) - Date.now() < RENEW_BEFORE_MS) return undefined;
		if (!names.dnsNames.every((name) => x509.checkHost(name, { subject: 'never' }))) return undefined;
		if (!names.ipAddresses.every((ip) => x509.checkIP(ip))) return undefined;
		createSecureContext({ cert, key });
		return { cert, key, fingerprint256: x509.fingerprint256 };
	} catch {
		return undefined;
	}
}

async function readPem(file: string, flag: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		throw new OrfeasError('E_NOT_FOUND', `${flag} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Give the path of a PEM file.`);
	}
}

/** Checks that TLS will take the pair, and fingerprints the leaf certificate. */
function usable(cert: string, key: string, where: string): { cert: string; key: string; fingerprint256: string } {
	try {
		const x509 = new X509Certificate(cert);
		if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error('the key is not the certificate\'s');
		createSecureContext({ cert, key });
		return { cert, key, fingerprint256: x509.fingerprint256 };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new OrfeasError('E_BAD_MESSAGE', `The certificate and key in ${where} cannot be used (${reason}). Give a PEM certificate and its unencrypted PEM private key.`);
	}
}
