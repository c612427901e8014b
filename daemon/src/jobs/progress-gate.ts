// At most one job.progress per job every `interval` ms: the first goes out at once, later ones wait, and only
// the newest waiting one is delivered, so clients always end on the latest state without being flooded.
import type { DaemonMessageOf } from '../protocol/events';

type Progress = DaemonMessageOf<'job.progress'>;

interface Gate {
	last: number;
	pending?: Progress;
	timer?: NodeJS.Timeout;
}

export class ProgressGate {
	private readonly gates = new Map<string, Gate>();

	constructor(
		private readonly emit: (message: Progress) => void,
		private readonly interval: number,
	) {}

	push(message: Progress): void {
		const gate = this.gates.get(message.jobId) ?? { last: 0 };
		this.gates.set(message.jobId, gate);
		const wait = gate.last + this.interval - Date.now();
		if (wait <= 0 && !gate.timer) {
			gate.last = Date.now();
			this.emit(message);
			return;
		}
		gate.pending = message;
		gate.timer ??= setTimeout(() => {
			gate.timer = undefined;
			const pending = gate.pending;
			gate.pending = undefined;
			if (!pending) return;
			gate.last = Date.now();
			this.emit(pending);
		}, Math.max(0, wait));
	}

	/** Forgets a job's pending progress (it has finished; its final event says the rest). */
	drop(jobId: string): void {
		const gate = this.gates.get(jobId);
		if (gate) clearTimeout(gate.timer);
		this.gates.delete(jobId);
	}

	clear(): void {
		for (const jobId of [...this.gates.keys()]) this.drop(jobId);
	}
}
