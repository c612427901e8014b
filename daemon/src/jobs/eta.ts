// Per-stage duration averages, kept in stats.json across restarts: they weight overall progress and give each
// job.progress its ETA. An exponential moving average follows the machine as it warms up or gets busier.
import { readFile } from 'node:fs/promises';
import { BUILTIN_RUN, STAGES, STAGE_WEIGHTS, type StageName } from '../pipeline/stages';
import { writeFileAtomic } from './atomic';

/** Weight of the newest run in the average. */
const ALPHA = 0.2;
/** Typical end-to-end time before anything is measured, spread over the stages by STAGE_WEIGHTS. */
const FIRST_GUESS_MS = 400;

export class StageTimes {
	private readonly averages: Record<StageName, number>;
	private runs = 0;
	private saving: Promise<void> = Promise.resolve();

	private constructor(
		private readonly file: string,
		saved: Partial<Record<StageName, number>>,
		runs: number,
	) {
		this.averages = Object.fromEntries(
			STAGES.map((s) => [s, positive(saved[s]) ?? STAGE_WEIGHTS[s] * FIRST_GUESS_MS]),
		) as Record<StageName, number>;
		this.runs = runs;
	}

	static async load(file: string): Promise<StageTimes> {
		try {
			const saved = JSON.parse(await readFile(file, 'utf8')) as { stages?: Partial<Record<StageName, number>>; runs?: number };
			return new StageTimes(file, saved.stages ?? {}, saved.runs ?? 0);
		} catch {
			return new StageTimes(file, {}, 0);
		}
	}

	/** Stage weights for overall progress: the current averages. */
	weights(): Record<StageName, number> {
		return { ...this.averages };
	}

	/** Milliseconds left when `stage` is `stageProgress` done, in a run of `stages` (by default the built-in generator's). */
	eta(stage: StageName, stageProgress: number, stages: readonly StageName[] = BUILTIN_RUN): number {
		let left = this.averages[stage] * (1 - stageProgress);
		for (let i = stages.indexOf(stage) + 1; i < stages.length; i++) left += this.averages[stages[i]];
		return Math.max(0, Math.round(left));
	}

	/** Folds in a finished run and saves (writes are serialized; a failed save only loses the newest run). */
	record(ms: Partial<Record<StageName, number>>): Promise<void> {
		for (const stage of STAGES) {
			const value = positive(ms[stage]);
			if (value !== undefined) this.averages[stage] += ALPHA * (value - this.averages[stage]);
		}
		this.runs++;
		const snapshot = `${JSON.stringify({ runs: this.runs, stages: this.averages }, null, 1)}\n`;
		this.saving = this.saving.then(() => writeFileAtomic(this.file, snapshot)).catch(() => {});
		return this.saving;
	}
}

function positive(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
