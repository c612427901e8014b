// The discovery file, $ORFEAS_HOME/daemon.json: how clients find the daemon and its token, and for a TLS daemon the
// certificate fingerprint to pin. Only its owner may read it: on macOS and Linux the file's mode 0600 (and the home
// folder's 0700) says so. Windows ignores those modes; there the file is as private as the folder it is in, and the
// default home, %USERPROFILE%\.orfeas, inherits the profile folder's access list, which grants only the user, SYSTEM
// and the Administrators. A home elsewhere on Windows is warned about at start (`discoveryExposure`).
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../jobs/atomic';
import { contains } from '../paths';

export interface Discovery {
	version: string;
	pid: number;
	port: number;
	token: string;
	/** When this daemon started (ISO 8601); /health reports the same value, so a client can tell it is this daemon. */
	startedAt: string;
	/** Absent from older daemons: http, 127.0.0.1. */
	scheme?: 'http' | 'https';
	bind?: string;
	/** SHA-256 of the TLS certificate (colon-hex) when the daemon serves HTTPS and WSS; clients pin it. */
	fingerprint256?: string;
	/** The name other machines reach a team server by (non-loopback bind only). */
	serverName?: string;
}

/** What GET /health answers. `pid` and `startedAt` are absent from older daemons. */
export interface HealthReply {
	ok: true;
	version: string;
	uptimeMs: number;
	pid?: number;
	startedAt?: string;
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

/**
 * Whether the daemon answering /health is the one daemon.json describes: its pid and start time, when it reports
 * them (an older daemon does not, and is taken at its word). A process that took over the pid of a daemon that
 * died, or another daemon now on its port, is not it.
 */
export function sameDaemon(discovery: Pick<Discovery, 'pid' | 'startedAt'>, health: Pick<HealthReply, 'pid' | 'startedAt'>): boolean {
	if (health.pid !== undefined && health.pid !== discovery.pid) return false;
	if (health.startedAt !== undefined && health.startedAt !== discovery.startedAt) return false;
	return true;
}

/**
 * Whether a process with this pid exists (it may belong to another user: EPERM still means alive). Signal 0 only
 * asks; Node implements it on Windows too (OpenProcess and its exit code), so this is portable. A pid can be
 * reused once its process has ended, so `true` proves nothing on its own: whether the daemon runs is decided by it
 * answering /health as itself (`sameDaemon`); `false` is a quick, certain "it has ended".
 */
export function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Where the daemon runs and whose it is, for `discoveryExposure`. */
export interface HomeSetting {
	platform: NodeJS.Platform;
	/** The user's profile folder: %USERPROFILE% on Windows (os.homedir()). */
	profile: string;
}

/**
 * A warning when daemon.json's token may be readable by other users of this machine, or undefined. On Windows the
 * 0600 mode is not applied, so a home outside the user's profile folder (a share, `C:\orfeas`, `D:\data`) keeps the
 * token only as private as that folder's access list, which by default lets every local user read it.
 *
 * @example
 * discoveryExposure('D:\\orfeas', { platform: 'win32', profile: 'C:\\Users\\ana' }); // 'The Orfeas home D:\\orfeas is outside …'
 */
export function discoveryExposure(homeRoot: string, setting: HomeSetting = { platform: process.platform, profile: os.homedir() }): string | undefined {
	if (setting.platform !== 'win32') return undefined;
	if (setting.profile && contains(setting.profile, homeRoot, path.win32)) return undefined;
	return (
		`The Orfeas home ${homeRoot} is outside your profile folder ${setting.profile || '(unknown)'}. Windows ignores the ` +
		'owner-only mode of daemon.json, so its token is as private as that folder: other users of this machine may be able ' +
		'to read it and use the daemon as you. Use a home under your profile (the default, %USERPROFILE%\\.orfeas), or limit ' +
		"the folder's access to your account (Properties > Security)."
	);
}
