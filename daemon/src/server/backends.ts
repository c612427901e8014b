// Keeps the generation servers' reachability current for models.list: a job's outcome on a server says whether it
// answered, and a list request checks in the background those whose last check is older than CHECK_AGE_MS (the
// list itself never waits for a server).
import { readBackends, recordCheck } from '../engine/backends';
import { SERVERS } from '../generators/remote/server';
import type { Home } from '../jobs/home';
import type { JobManager } from '../jobs/manager';
import { toOrfeasError } from '../protocol/errors';
import type { Logger } from './log';

/** A server checked longer ago than this is checked again when models are listed. */
export const CHECK_AGE_MS = 60_000;

/** Records reachability from finished jobs on servers: done means it answered, E_BACKEND_UNREACHABLE that it did not. */
export function followServerJobs(home: Home, manager: JobManager, isServer: (model: string) => boolean): void {
	manager.on((event) => {
		if (event.type !== 'job.done' && event.type !== 'job.failed') return;
		const model = manager.get(event.jobId).options.model;
		if (!model || !isServer(model)) return;
		if (event.type === 'job.done' && event.assetId) void recordCheck(home, model, true, 'a job finished on it').catch(() => {});
		if (event.type === 'job.failed' && event.code === 'E_BACKEND_UNREACHABLE') void recordCheck(home, model, false, event.message).catch(() => {});
	});
}

const checking = new Set<string>();

/** Checks, in the background, each server not checked for CHECK_AGE_MS. */
export function checkStaleServers(home: Home, log: Logger, now = Date.now()): void {
	void readBackends(home)
		.then((backends) => {
			for (const backend of backends) {
				const age = backend.lastCheck ? now - Date.parse(backend.lastCheck.at) : Infinity;
				if (age < CHECK_AGE_MS || checking.has(backend.name)) continue;
				checking.add(backend.name);
				SERVERS[backend.kind]
					.health(backend)
					.then(
						(line) => recordCheck(home, backend.name, true, line),
						(error: unknown) => recordCheck(home, backend.name, false, toOrfeasError(error).message),
					)
					.catch((error: unknown) => log.warn(`backend ${backend.name}: ${toOrfeasError(error).message}`))
					.finally(() => checking.delete(backend.name));
			}
		})
		.catch((error: unknown) => log.warn(`backends: ${toOrfeasError(error).message}`));
}
