// The waiting line: higher priority first, first come first served within a priority, with a hard length limit.
import type { Priority } from '../protocol/messages';

const RANK: Readonly<Record<Priority, number>> = { high: 0, normal: 1, low: 2 };

interface Entry {
	jobId: string;
	rank: number;
	seq: number;
}

export class JobQueue {
	private entries: Entry[] = [];
	private seq = 0;

	constructor(readonly limit: number) {}

	get size(): number {
		return this.entries.length;
	}

	get full(): boolean {
		return this.entries.length >= this.limit;
	}

	/** Adds a job; `force` ignores the limit (jobs recovered after a restart were accepted already). */
	push(jobId: string, priority: Priority, force = false): boolean {
		if (this.full && !force) return false;
		const entry = { jobId, rank: RANK[priority], seq: this.seq++ };
		let at = this.entries.length;
		while (at > 0 && compare(this.entries[at - 1], entry) > 0) at--;
		this.entries.splice(at, 0, entry);
		return true;
	}

	shift(): string | undefined {
		return this.entries.shift()?.jobId;
	}

	/** Takes the first job in line that `eligible` accepts, leaving the others in place. */
	take(eligible: (jobId: string) => boolean): string | undefined {
		const at = this.entries.findIndex((e) => eligible(e.jobId));
		return at < 0 ? undefined : this.entries.splice(at, 1)[0].jobId;
	}

	remove(jobId: string): boolean {
		const at = this.entries.findIndex((e) => e.jobId === jobId);
		if (at < 0) return false;
		this.entries.splice(at, 1);
		return true;
	}

	/** 0-based place in line, or -1 when the job is not waiting. */
	position(jobId: string): number {
		return this.entries.findIndex((e) => e.jobId === jobId);
	}

	ids(): string[] {
		return this.entries.map((e) => e.jobId);
	}
}

function compare(a: Entry, b: Entry): number {
	return a.rank - b.rank || a.seq - b.seq;
}
