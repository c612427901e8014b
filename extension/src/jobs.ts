// Waiting for one daemon job: progress as it comes, the result at the end, cancel on request. The waiter follows
// the job through reconnects (the connection subscribes again), and asks for a snapshot after registering so a
// result that raced ahead of the `accepted` reply is not missed.
import type { DaemonMessageOf } from '../../daemon/src/protocol/events';
import { DaemonError, type DaemonEvent } from './daemon/client';
import type { Connection } from './daemon/connection';

export type JobDone = DaemonMessageOf<'job.done'>;
export type JobProgress = DaemonMessageOf<'job.progress'>;

/** The user cancelled; not an error to report. */
export class CancelledError extends Error {
	constructor() {
		super('Cancelled.');
	}
}

export interface WaitOptions {
	onProgress?: (progress: JobProgress) => void;
	onQueued?: (position: number | undefined) => void;
	/** Resolves or fires when the user asks to cancel. */
	onCancel?: (cancel: () => void) => void;
}

export async function waitForJob(connection: Connection, jobId: string, options: WaitOptions = {}): Promise<JobDone> {
	connection.followed.add(jobId);
	try {
		const result = new Promise<JobDone>((resolve, reject) => {
			const stop = connection.onEvent((event: DaemonEvent) => {
				if (!('jobId' in event) || event.jobId !== jobId) return;
				switch (event.type) {
					case 'job.progress':
						return options.onProgress?.(event);
					case 'job.state':
						if (event.state === 'queued') options.onQueued?.(event.position);
						return;
					case 'job.done':
						stop();
						return resolve(event);
					case 'job.failed':
						stop();
						return reject(new DaemonError(event.code, event.message));
					case 'job.cancelled':
						stop();
						return reject(new CancelledError());
				}
			});
			options.onCancel?.(() => {
				connection
					.get()
					.then((client) => client.request({ type: 'cancel', jobId }))
					.catch(() => {
						// The job may have just ended; its own event settles the wait.
					});
			});
		});
		const client = await connection.get();
		await client.request({ type: 'subscribe', jobId });
		return await result;
	} finally {
		connection.followed.delete(jobId);
	}
}
