// `orfeas worker --queue redis://… --server URL --token TOKEN`: runs jobs for a gateway daemon (team server) until
// SIGTERM or SIGINT, then finishes or hands back what it runs (BullMQ closes the worker gracefully).
import path from 'node:path';
import { defaultCpuJobs } from '../jobs/cores';
import { Home } from '../jobs/home';
import { startWorkerNode } from '../jobs/worker-node';
import { OrfeasError } from '../protocol/errors';
import { createLogger } from '../server/log';
import { CATALOGUE_DIR } from './daemon';

export interface WorkerFlags {
	queue: string;
	server: string;
	token?: string;
	fingerprint?: string;
	home?: string;
	cpuJobs?: number;
	lockMs?: number;
}

export async function workerCommand(flags: WorkerFlags): Promise<void> {
	const token = flags.token ?? process.env.ORFEAS_WORKER_TOKEN;
	if (!token) throw new OrfeasError('E_AUTH', 'A worker needs a worker token: --token TOKEN or ORFEAS_WORKER_TOKEN (made on the gateway with orfeas users add NAME --worker).');
	const home = Home.resolve(flags.home);
	await home.prepare();
	const log = createLogger({ file: path.join(home.root, 'worker.log') });
	const worker = await startWorkerNode({
		home,
		catalogueDir: CATALOGUE_DIR,
		redisUrl: flags.queue,
		server: flags.server,
		token,
		...(flags.fingerprint ? { fingerprint: flags.fingerprint } : {}),
		cpuJobs: flags.cpuJobs ?? defaultCpuJobs(),
		workerScript: path.join(__dirname, 'worker.cjs'),
		log,
		...(flags.lockMs ? { lockMs: flags.lockMs } : {}),
	});
	process.stdout.write(`Orfeas worker running jobs from ${flags.queue} for ${flags.server}\n`);
	await new Promise<void>((resolve) => {
		const stop = (signal: string) => {
			log.info(`${signal} received`);
			worker.close().then(resolve, resolve);
		};
		process.once('SIGTERM', () => stop('SIGTERM'));
		process.once('SIGINT', () => stop('SIGINT'));
	});
}
