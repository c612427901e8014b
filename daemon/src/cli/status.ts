// `orfeas status`: is a daemon running for this home, on which port, and how busy is it (a TLS daemon is asked
// over HTTPS pinned to the fingerprint in daemon.json, which is shown for remote clients to pin too).
import { readFile } from 'node:fs/promises';
import { Home } from '../jobs/home';
import { workerStatusFile, type WorkerStatus } from '../jobs/worker-node';
import { processAlive, readDiscovery, sameDaemon, type HealthReply } from '../server/discovery';
import { requestDaemon } from '../server/reach';

export interface DaemonStatus {
	running: boolean;
	home: string;
	pid?: number;
	port?: number;
	/** How clients reach it: http://127.0.0.1:PORT, or https://NAME:PORT for a team server. */
	url?: string;
	/** SHA-256 fingerprint of its TLS certificate, when it serves TLS. */
	fingerprint256?: string;
	version?: string;
	uptimeMs?: number;
	jobs?: Record<string, number>;
	queue?: number;
	sessions?: number;
	problem?: string;
}

export async function readStatus(homeDir?: string): Promise<DaemonStatus> {
	const home = Home.resolve(homeDir);
	const discovery = await readDiscovery(home.discovery);
	if (!discovery) return { running: false, home: home.root, problem: 'No daemon.json: no daemon has started with this home.' };
	const scheme = discovery.scheme ?? 'http';
	const base = {
		home: home.root,
		pid: discovery.pid,
		port: discovery.port,
		url: `${scheme}://${discovery.serverName ?? '127.0.0.1'}:${discovery.port}`,
		...(discovery.fingerprint256 ? { fingerprint256: discovery.fingerprint256 } : {}),
	};
	if (!processAlive(discovery.pid)) return { running: false, ...base, problem: `The daemon (pid ${discovery.pid}) is not running any more.` };
	try {
		const health = JSON.parse((await requestDaemon(discovery, '/health')).body) as HealthReply;
		// The pid may since belong to another process, and the port to another daemon: it must answer as itself.
		if (!sameDaemon(discovery, health)) {
			return { running: false, ...base, problem: `The daemon daemon.json names (pid ${discovery.pid}) is not running any more; another one (pid ${health.pid}) answers on port ${discovery.port}.` };
		}
		const metrics = (await requestDaemon(discovery, '/metrics', { token: discovery.token })).body;
		const jobs: Record<string, number> = {};
		for (const match of metrics.matchAll(/^orfeas_jobs\{state="(\w+)"\} (\d+)/gm)) jobs[match[1]] = Number(match[2]);
		const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
		return { running: true, ...base, version: health.version, uptimeMs: health.uptimeMs, jobs, queue: gauge('orfeas_queue_length'), sessions: gauge('orfeas_ws_sessions') };
	} catch {
		return { running: false, ...base, problem: `Process ${discovery.pid} exists but does not answer on port ${discovery.port}.` };
	}
}

/** A team-server worker running with this home, and whether it reaches Redis. */
export async function readWorkerStatus(homeDir?: string): Promise<WorkerStatus | undefined> {
	try {
		const status = JSON.parse(await readFile(workerStatusFile(Home.resolve(homeDir)), 'utf8')) as WorkerStatus;
		// A worker has no port to ask, so its pid is what says it runs (signal 0 works on Windows too; discovery.ts).
		return processAlive(status.pid) ? status : undefined;
	} catch {
		return undefined;
	}
}

export async function statusCommand(flags: { home?: string; json?: boolean }): Promise<number> {
	const worker = await readWorkerStatus(flags.home);
	if (worker) {
		if (flags.json) process.stdout.write(`${JSON.stringify({ worker })}\n`);
		else
			process.stdout.write(
				`Orfeas worker is running: pid ${worker.pid}, gateway ${worker.gateway}\n` +
					(worker.redis === 'connected'
						? `  Redis at ${worker.redisUrl}: connected since ${worker.since}\n`
						: `  Redis at ${worker.redisUrl}: CANNOT BE REACHED since ${worker.since}; it keeps retrying. Check that Redis runs and that this machine reaches it.\n`),
			);
		return worker.redis === 'connected' ? 0 : 1;
	}
	const status = await readStatus(flags.home);
	if (flags.json) {
		process.stdout.write(`${JSON.stringify(status)}\n`);
	} else if (status.running) {
		const jobs = Object.entries(status.jobs ?? {}).map(([state, n]) => `${n} ${state}`).join(', ');
		process.stdout.write(
			`Orfeas daemon ${status.version} is running: pid ${status.pid}, ${status.url}, up ${Math.round((status.uptimeMs ?? 0) / 1000)} s\n` +
				(status.fingerprint256 ? `  TLS certificate SHA-256 fingerprint: ${status.fingerprint256}\n` : '') +
				`  jobs: ${jobs}; ${status.queue} waiting; ${status.sessions} connected clients\n  home: ${status.home}\n`,
		);
	} else {
		process.stdout.write(`Orfeas daemon is not running. ${status.problem ?? ''}\n  Start it with: orfeas daemon${flags.home ? ` --home ${flags.home}` : ''}\n`);
	}
	return status.running ? 0 : 1;
}
