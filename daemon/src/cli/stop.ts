// `orfeas stop`: asks the daemon of a home folder to stop (daemon.stop, on every system: Windows has no SIGTERM to
// send) and waits until it has ended: running jobs finish or go back to the queue, daemon.json is removed.
import { Home } from '../jobs/home';
import { readDiscovery } from '../server/discovery';
import { answeringDaemon } from '../server/reach';
import { requestStop, waitUntilGone } from '../server/stop-request';
import { toOrfeasError } from '../protocol/errors';
import { VERSION } from '../version';

export interface StopFlags {
	home?: string;
	/** Seconds to wait for the daemon to end after it has accepted the request. */
	timeout?: number;
	json?: boolean;
}

export interface StopOutcome {
	stopped: boolean;
	home: string;
	pid?: number;
	port?: number;
	problem?: string;
	code?: string;
}

/** Stops the daemon of the home folder; resolves with what happened (never throws). */
export async function stopDaemonOf(homeDir: string | undefined, timeoutMs: number): Promise<StopOutcome> {
	const home = Home.resolve(homeDir);
	const discovery = await readDiscovery(home.discovery);
	if (!discovery) return { stopped: false, home: home.root, problem: `No daemon is running for ${home.root} (it has no daemon.json).` };
	const base = { home: home.root, pid: discovery.pid, port: discovery.port };
	if (!(await answeringDaemon(discovery))) {
		return { stopped: false, ...base, problem: `No daemon is running for ${home.root}: daemon.json names pid ${discovery.pid} on port ${discovery.port}, which does not answer as that daemon.` };
	}
	try {
		await requestStop(discovery, { client: { name: 'orfeas-cli', version: VERSION } });
	} catch (error) {
		const e = toOrfeasError(error);
		return { stopped: false, ...base, code: e.code, problem: `The daemon (pid ${discovery.pid}) did not accept the stop request: ${e.message}` };
	}
	if (!(await waitUntilGone(discovery, home.discovery, timeoutMs))) {
		return {
			stopped: false,
			...base,
			problem: `The daemon (pid ${discovery.pid}) accepted the stop request but has not ended within ${Math.round(timeoutMs / 1000)} s. See its log, ${home.log}.`,
		};
	}
	return { stopped: true, ...base };
}

/** Exit code 0 when the daemon has stopped, 1 when none was running or it did not stop. */
export async function stopCommand(flags: StopFlags): Promise<number> {
	const outcome = await stopDaemonOf(flags.home, (flags.timeout ?? 60) * 1000);
	if (flags.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
	else if (outcome.stopped) process.stdout.write(`Stopped the Orfeas daemon (pid ${outcome.pid}, port ${outcome.port}) of ${outcome.home}.\n`);
	else process.stderr.write(`orfeas stop: ${outcome.problem}\n`);
	return outcome.stopped ? 0 : 1;
}
