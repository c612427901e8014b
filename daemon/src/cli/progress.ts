// Progress for a terminal: one line per stage, redrawn in place while the stage runs and left behind with its
// time when it ends. Writes nothing when the stream is not a TTY (logs and pipes get only the stats lines).
import type { StageProgress } from '../generators/run';

const BAR = 20;

export class StageLines {
	private current: string | null = null;
	private startedAt = 0;

	constructor(
		private readonly stream: NodeJS.WriteStream,
		private readonly label: string,
	) {}

	get enabled(): boolean {
		return Boolean(this.stream.isTTY);
	}

	update(event: StageProgress): void {
		if (!this.enabled) return;
		if (event.stage !== this.current) {
			if (this.current) this.stream.write('\n');
			this.current = event.stage;
			this.startedAt = performance.now();
		}
		const filled = Math.round(event.stageProgress * BAR);
		const bar = '█'.repeat(filled) + '░'.repeat(BAR - filled);
		const tail =
			event.stageProgress >= 1
				? `${Math.round(performance.now() - this.startedAt)} ms`
				: `${Math.round(event.progress * 100)}% overall`;
		const stage = `${event.stageIndex + 1}/${event.stageCount} ${event.stage}`.padEnd(13);
		this.stream.write(`\r\x1b[2K  ${this.label} ${stage} ${bar} ${tail}`);
	}

	/** Ends the last line, so whatever is printed next starts on a fresh one. */
	finish(): void {
		if (this.enabled && this.current) this.stream.write('\n');
		this.current = null;
	}
}
