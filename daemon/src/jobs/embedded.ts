// The embedded driver, the default: the line is kept in this process (higher priority first, first come first
// served within one) and jobs run on this machine's worker threads. A job for a learned model waits for a GPU slot
// when the models run on a GPU; jobs on generation servers have workers of their own, so waiting on a server never
// holds up a job on this machine.
import { OrfeasError } from '../protocol/errors';
import type { DriverHost, QueueDriver, Ticket } from './driver';
import type { WorkerPool } from './pool';
import { JobQueue } from './queue';

export interface EmbeddedLimits {
	/** Jobs waiting at most. */
	maxQueue: number;
	/** Jobs for learned models at once on a GPU (`--gpu-jobs`); undefined on the CPU. */
	gpuSlots?: number;
	/** Workers kept for jobs on generation servers. */
	serverSlots: number;
}

export class EmbeddedDriver implements QueueDriver {
	readonly name = 'embedded';
	private readonly queue: JobQueue;
	private readonly tickets = new Map<string, Ticket>();
	private readonly active = new Set<string>();
	/** Running jobs whose cancel arrived before their worker had them. */
	private readonly cancelRequested = new Set<string>();
	private host?: DriverHost;
	private draining = false;
	private pumping = false;

	constructor(
		private readonly pool: WorkerPool,
		private readonly limits: EmbeddedLimits,
	) {
		this.queue = new JobQueue(limits.maxQueue);
	}

	get limit(): number {
		return this.queue.limit;
	}

	attach(host: DriverHost): void {
		this.host = host;
	}

	async add(ticket: Ticket, force = false): Promise<boolean> {
		if (!this.queue.push(ticket.jobId, ticket.priority, force)) return false;
		this.tickets.set(ticket.jobId, ticket);
		this.schedule();
		return true;
	}

	async remove(jobId: string): Promise<boolean> {
		const removed = this.queue.remove(jobId);
		if (removed) this.tickets.delete(jobId);
		return removed;
	}

	async cancel(jobId: string): Promise<void> {
		if (!this.pool.cancel(jobId)) this.cancelRequested.add(jobId);
	}

	position(jobId: string): number | undefined {
		const at = this.queue.position(jobId);
		return at >= 0 ? at : undefined;
	}

	waiting(): number {
		return this.queue.size;
	}

	running(): string[] {
		return [...this.active];
	}

	async drain(timeoutMs: number): Promise<string[]> {
		this.draining = true;
		const deadline = Date.now() + timeoutMs;
		while (this.active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
		return [...this.active];
	}

	async close(): Promise<void> {
		await this.pool.close();
	}

	private schedule(): void {
		if (this.pumping) return;
		this.pumping = true;
		// After the caller has answered `accepted` and subscribed its session.
		setImmediate(() => {
			this.pumping = false;
			while (!this.draining && this.active.size < this.pool.size && this.queue.size > 0) {
				const running = [...this.active].map((id) => this.tickets.get(id));
				const gpuFull = this.limits.gpuSlots !== undefined && running.filter((t) => t?.gpu).length >= this.limits.gpuSlots;
				const serversFull = running.filter((t) => t?.server).length >= this.limits.serverSlots;
				const localFull = running.filter((t) => !t?.server).length >= this.pool.size - this.limits.serverSlots;
				const jobId = this.queue.take((id) => {
					const t = this.tickets.get(id);
					return t?.server ? !serversFull : !localFull && (!gpuFull || !t?.gpu);
				});
				if (!jobId) break;
				this.run(jobId);
			}
		});
	}

	private run(jobId: string): void {
		const host = this.host;
		if (!host) throw new Error('EmbeddedDriver: attach a host before adding jobs');
		this.active.add(jobId);
		void (async () => {
			let outcome;
			try {
				const started = await host.begin(jobId);
				if (!started) return;
				if (this.cancelRequested.delete(jobId)) throw new OrfeasError('E_CANCELLED', 'The job was cancelled.');
				outcome = await this.pool.run(started.task, (event) => host.progress(jobId, event, started.times), (remoteJob) => host.submitted(jobId, remoteJob));
			} catch (error) {
				outcome = error instanceof OrfeasError ? error : new OrfeasError('E_INTERNAL', String(error));
			}
			await host.end(jobId, outcome);
		})()
			.catch(() => {})
			.finally(() => {
				this.active.delete(jobId);
				this.cancelRequested.delete(jobId);
				this.tickets.delete(jobId);
				this.schedule();
			});
	}
}
