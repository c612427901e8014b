// How many pipeline jobs run at once on the CPU by default, kept apart from the daemon's code so the command
// line can show it in `--help` without loading the daemon.
import os from 'node:os';

/** One job per core but one (the event loop keeps a core), at least one. */
export function defaultCpuJobs(): number {
	return Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
}
