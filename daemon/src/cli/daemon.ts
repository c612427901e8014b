// `orfeas daemon`: runs the daemon in the foreground until it is asked to stop — SIGTERM or Ctrl-C (SIGINT), on
// Windows also Ctrl-Break and closing its console window, or on any system a daemon.stop request (`orfeas stop`) —
// then stops gracefully.
import { defaultCpuJobs } from '../jobs/cores';
import path from 'node:path';
import type { ProviderPreference } from '../engine/providers';
import { Home } from '../jobs/home';
import { DEFAULT_PORT, startDaemon } from '../server/daemon';
import { createLogger } from '../server/log';

export interface DaemonFlags {
	port?: number;
	bind?: string;
	serverName?: string;
	tlsCert?: string;
	tlsKey?: string;
	tlsSelfSigned?: boolean;
	userRate?: number;
	home?: string;
	cpuJobs?: number;
	gpuJobs?: number;
	remoteJobs?: number;
	queue?: string;
	allowOrigin?: string[];
	providers?: ProviderPreference;
	webgpu?: boolean;
	catalogue?: string;
}

/** The model manifests shipped beside the bundle (dist/ → models/). */
export const CATALOGUE_DIR = path.resolve(__dirname, '..', 'models');

/** Default CPU workers: all cores but one, at least one (the event loop keeps a core for itself). */
export async function daemonCommand(flags: DaemonFlags): Promise<void> {
	const home = Home.resolve(flags.home);
	await home.prepare();
	const log = createLogger({ file: home.log });
	// A stray rejection is a bug to report, not a reason to take every client's work down with the process.
	process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));
	const daemon = await startDaemon({
		home,
		port: flags.port ?? DEFAULT_PORT,
		...(flags.bind !== undefined ? { bind: flags.bind } : {}),
		...(flags.serverName !== undefined ? { serverName: flags.serverName } : {}),
		tls: { certFile: flags.tlsCert, keyFile: flags.tlsKey, selfSigned: flags.tlsSelfSigned },
		...(flags.userRate !== undefined ? { userRate: flags.userRate } : {}),
		cpuJobs: flags.cpuJobs ?? defaultCpuJobs(),
		gpuJobs: flags.gpuJobs ?? 1,
		...(flags.remoteJobs !== undefined ? { remoteJobs: flags.remoteJobs } : {}),
		...(flags.queue ? { queue: flags.queue } : {}),
		allowOrigins: flags.allowOrigin ?? [],
		catalogueDir: flags.catalogue ? path.resolve(flags.catalogue) : CATALOGUE_DIR,
		providers: flags.providers ?? 'auto',
		webgpu: flags.webgpu ?? process.env.ORFEAS_WEBGPU === '1',
		workerScript: path.join(__dirname, 'worker.cjs'),
		log,
	});
	const signals = stopSignals(process.platform);
	const onSignal = (signal: NodeJS.Signals) => {
		log.info(`${signal} received`);
		void daemon.stop();
	};
	for (const signal of signals) process.once(signal, onSignal);
	// Stopped by a signal or by daemon.stop alike; the handlers go, so the event loop can empty and the process end.
	await daemon.stopped;
	for (const signal of signals) process.removeListener(signal, onSignal);
}

/**
 * The signals that stop the daemon gracefully. Windows has no SIGTERM to receive (another process can only
 * terminate it outright, which is why daemon.stop exists); Node maps Ctrl-C to SIGINT, Ctrl-Break to SIGBREAK and
 * the closing of the console window to SIGHUP, after which Windows allows a few seconds. Elsewhere SIGHUP keeps its
 * usual meaning (a daemon run under nohup ignores it).
 */
export function stopSignals(platform: NodeJS.Platform): NodeJS.Signals[] {
	return platform === 'win32' ? ['SIGINT', 'SIGBREAK', 'SIGHUP'] : ['SIGTERM', 'SIGINT'];
}
