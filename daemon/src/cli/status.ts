// `orfeas status`: is a daemon running for this home, on which port, and how busy is it.
import { Home } from '../jobs/home';
import { processAlive, readDiscovery } from '../server/discovery';

export interface DaemonStatus {
	running: boolean;
	home: string;
	pid?: number;
	port?: number;
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
	const base = { home: home.root, pid: discovery.pid, port: discovery.port };
	if (!processAlive(discovery.pid)) return { running: false, ...base, problem: `The daemon (pid ${discovery.pid}) is not running any more.` };
	try {
		const url = `http://127.0.0.1:${discovery.port}`;
		const health = (await (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).json()) as { version: string; uptimeMs: number };
		const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${discovery.token}` }, signal: AbortSignal.timeout(2000) })).text();
		const jobs: Record<string, number> = {};
		for (const match of metrics.matchAll(/^orfeas_jobs\{state="(\w+)"\} (\d+)/gm)) jobs[match[1]] = Number(match[2]);
		const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
		return { running: true, ...base, version: health.version, uptimeMs: health.uptimeMs, jobs, queue: gauge('orfeas_queue_length'), sessions: gauge('orfeas_ws_sessions') };
	} catch {
		return { running: false, ...base, problem: `Process ${discovery.pid} exists but does not answer on port ${discovery.port}.` };
	}
}

export async function statusCommand(flags: { home?: string; json?: boolean }): Promise<number> {
	const status = await readStatus(flags.home);
	if (flags.json) {
		process.stdout.write(`${JSON.stringify(status)}\n`);
	} else if (status.running) {
		const jobs = Object.entries(status.jobs ?? {}).map(([state, n]) => `${n} ${state}`).join(', ');
		process.stdout.write(
			`Orfeas daemon ${status.version} is running: pid ${status.pid}, http://127.0.0.1:${status.port}, up ${Math.round((status.uptimeMs ?? 0) / 1000)} s\n` +
				`  jobs: ${jobs}; ${status.queue} waiting; ${status.sessions} connected clients\n  home: ${status.home}\n`,
		);
	} else {
		process.stdout.write(`Orfeas daemon is not running. ${status.problem ?? ''}\n  Start it with: orfeas daemon${flags.home ? ` --home ${flags.home}` : ''}\n`);
	}
	return status.running ? 0 : 1;
}
