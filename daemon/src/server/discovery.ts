// The discovery file, $ORFEAS_HOME/daemon.json (mode 0600): how clients find the daemon and its token, and
// for a TLS daemon the certificate fingerprint to pin.
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../jobs/atomic';

export interface Discovery {
	version: string;
	pid: number;
	port: number;
	token: string;
	startedAt: string;
	/** Absent from older daemons: http, 127.0.0.1. */
	scheme?: 'http' | 'https';
	bind?: string;
	/** SHA-256 of the TLS certificate (colon-hex) when the daemon serves HTTPS and WSS; clients pin it. */
	fingerprint256?: string;
	/** The name other machines reach a team server by (non-loopback bind only). */
	serverName?: string;
}

export async function writeDiscovery(file: string, discovery: Discovery): Promise<void> {
	await writeFileAtomic(file, `${JSON.stringify(discovery, null, 1)}\n`, 0o600);
}

export async function readDiscovery(file: string): Promise<Discovery | null> {
	try {
		const value = JSON.parse(await readFile(file, 'utf8')) as Discovery;
		return typeof value.port === 'number' && typeof value.token === 'string' ? value : null;
	} catch {
		return null;
	}
}

/** Removes the file if it still describes this process (a newer daemon may have replaced it). */
export async function removeDiscovery(file: string, pid: number): Promise<void> {
	const current = await readDiscovery(file);
	if (current?.pid === pid) await rm(file, { force: true });
}

/** Whether a process with this pid exists (it may belong to another user: EPERM still means alive). */
export function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
