// The one job-queue contract inside the daemon: where a job waits and where it runs. The manager keeps the
// records, the events and the assets; a driver keeps the line and hands jobs to workers. Two drivers: the embedded
// one (embedded.ts: an in-process line and this machine's worker threads, the default) and BullMQ on Redis
// (bullmq.ts: a line shared by `orfeas worker` processes on other machines). test/jobs/driver-contract.test.ts
// runs the same suite against both.
import type { StageProgress } from '../generators/run';
import type { OrfeasError } from '../protocol/errors';
import type { Priority } from '../protocol/messages';
import type { StageTimes } from './eta';
import type { PoolResult, PoolTask } from './pool';

/** What a driver needs to know about a job to place it. */
export interface Ticket {
	jobId: string;
	priority: Priority;
	/** It uses a learned model, so on a GPU it waits for a GPU slot. */
	gpu: boolean;
	/** It runs on a generation server, in the workers kept for those. */
	server: boolean;
}

/** The manager's side: what happens to a job as a driver runs it. */
export interface DriverHost {
	/**
	 * A worker takes the job: the manager moves it to running and gives what it needs (its task; the stage averages
	 * its ETA comes from), or undefined when it must not run (cancelled in the meantime).
	 */
	begin(jobId: string): Promise<{ task: PoolTask; times: StageTimes } | undefined>;
	progress(jobId: string, event: StageProgress, times: StageTimes): void;
	/** A generation server accepted the job under this id. */
	submitted(jobId: string, remoteJob: string): void;
	/** The job ended: its result, or an error (E_CANCELLED when it was stopped). */
	end(jobId: string, outcome: PoolResult | OrfeasError): Promise<void>;
}

export interface QueueDriver {
	readonly name: 'embedded' | 'bullmq';
	attach(host: DriverHost): void;
	/** Puts a job in line; false when the line is full (`force` ignores the limit, for jobs accepted before a restart). */
	add(ticket: Ticket, force?: boolean): Promise<boolean>;
	/** Takes a waiting job out of line: true when it was waiting. */
	remove(jobId: string): Promise<boolean>;
	/** Stops a running job wherever it runs; its end follows through the host (E_CANCELLED). */
	cancel(jobId: string): Promise<void>;
	/** 0-based place in line, undefined when the job is not waiting (or the driver cannot tell). */
	position(jobId: string): number | undefined;
	/** Jobs waiting in line. */
	waiting(): number;
	/** Jobs running now. */
	running(): string[];
	readonly limit: number;
	/** Stops taking work and waits up to `timeoutMs` for running jobs; resolves with those still running. */
	drain(timeoutMs: number): Promise<string[]>;
	close(): Promise<void>;
}
