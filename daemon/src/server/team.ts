// Where the daemon listens and what that asks of it (ARCHITECTURE.md § Security model). A loopback bind keeps
// the local rules; any other bind makes a team server, which must have TLS and at least one user token, and
// which answers to its server name and its addresses in the Host header. daemon.ts calls `planExposure`
// before any other start-up work, so a refused start is quick and says what to add, then `openExposure`.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isIP } from 'node:net';
import os from 'node:os';
import { OrfeasError } from '../protocol/errors';
import { isLoopback } from './guard';
import type { Logger } from './log';
import { checkTlsFlags, loadTls, tlsWanted, type CertificateNames, type TlsFlags, type TlsMaterial } from './tls';
import { activeCount, readUsers, usersFile } from './users';

export const DEFAULT_BIND = '127.0.0.1';

export type DaemonServer = HttpServer | HttpsServer;

export interface ExposureOptions {
	/** Address to listen on (an IP literal). */
	bind: string;
	/** The name other machines reach this one by; default the host name. */
	serverName?: string;
	tls: TlsFlags;
	homeRoot: string;
	log: Logger;
}

/** What the checks decided, before any file is written. */
export interface ExposurePlan {
	bind: string;
	serverName?: string;
	tls: TlsFlags;
	names: CertificateNames;
	homeRoot: string;
	log: Logger;
}

export interface Exposure {
	bind: string;
	scheme: 'http' | 'https';
	/** Set when the bind is not loopback. */
	serverName?: string;
	tls?: TlsMaterial;
}

/** 0.0.0.0 or :: (every interface). */
export function isUnspecified(address: string): boolean {
	return address === '0.0.0.0' || (isIP(address) === 6 && /^[0:]+$/.test(address));
}

/** This machine's own addresses other machines may use (link-local IPv6 needs a scope id and is left out). */
export function machineAddresses(): string[] {
	return Object.values(os.networkInterfaces())
		.flat()
		.filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && !a.address.toLowerCase().startsWith('fe80'))
		.map((a) => a.address);
}

/** Host header values, with the port, that name this daemon besides the loopback ones (none for a loopback bind). */
export function teamHosts(exposure: Exposure, port: number): string[] {
	if (!exposure.serverName) return [];
	const addresses = isUnspecified(exposure.bind) ? machineAddresses() : [exposure.bind];
	return [exposure.serverName, ...addresses].map((host) => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`.toLowerCase());
}

/** Checks the flags and refuses an open bind without TLS or users. */
export async function planExposure(options: ExposureOptions): Promise<ExposurePlan> {
	const { bind } = options;
	checkTlsFlags(options.tls);
	if (!isIP(bind)) throw new OrfeasError('E_BAD_MESSAGE', `--bind wants an IP address such as 127.0.0.1 or 0.0.0.0, not "${bind.slice(0, 80)}".`);
	const local = isLoopback(bind);
	const serverName = local ? undefined : (options.serverName ?? os.hostname()).toLowerCase();
	if (!local) {
		const users = activeCount(await readUsers(usersFile(options.homeRoot)), 'user');
		const missing = [
			...(tlsWanted(options.tls) ? [] : ['--tls-self-signed (or --tls-cert FILE --tls-key FILE)']),
			...(users > 0 ? [] : ['a user token first (orfeas users add NAME, with the same home folder)']),
		];
		if (missing.length > 0) {
			throw new OrfeasError('E_BAD_MESSAGE', `--bind ${bind} lets other machines connect, which needs TLS and user tokens: add ${missing.join(' and ')}, or bind 127.0.0.1.`);
		}
	}
	return { bind, ...(serverName ? { serverName } : {}), tls: options.tls, names: certificateNames(bind, serverName), homeRoot: options.homeRoot, log: options.log };
}

/** Loads the certificate, or makes (and keeps) the self-signed one. */
export async function openExposure(plan: ExposurePlan): Promise<Exposure> {
	const tls = await loadTls(plan.tls, plan.homeRoot, plan.names, plan.log);
	return { bind: plan.bind, scheme: tls ? 'https' : 'http', ...(plan.serverName ? { serverName: plan.serverName } : {}), ...(tls ? { tls } : {}) };
}

/** The names a self-signed certificate must cover, and the extra addresses it is made with. */
function certificateNames(bind: string, serverName: string | undefined): CertificateNames {
	// The host name always, so a certificate made for a team server still serves the same daemon bound to loopback.
	const dnsNames = [...new Set([...(serverName ? [serverName] : []), os.hostname().toLowerCase(), 'localhost'])];
	const ipAddresses = ['127.0.0.1', '::1', ...(isUnspecified(bind) ? [] : [bind])];
	// A bind to every interface names the addresses the machine has now; they are not required of a kept
	// certificate, so a changed address does not change the fingerprint clients have pinned.
	const extraAddresses = isUnspecified(bind) ? machineAddresses() : [];
	return { dnsNames, ipAddresses: [...new Set(ipAddresses)], extraAddresses };
}

/** The HTTP server, or the HTTPS one when there is a certificate: same routes, same upgrade to the WebSocket. */
export function createDaemonServer(exposure: Exposure): DaemonServer {
	const options = { requestTimeout: 60_000 };
	return exposure.tls ? createHttpsServer({ ...options, cert: exposure.tls.cert, key: exposure.tls.key }) : createHttpServer(options);
}

/** How clients reach it, for the log and `orfeas status`. */
export function daemonUrl(exposure: Exposure, port: number): string {
	const host = exposure.serverName ?? (isIP(exposure.bind) === 6 ? `[${exposure.bind}]` : exposure.bind);
	return `${exposure.scheme}://${host}:${port}`;
}
