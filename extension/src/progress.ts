// Words for a job's progress in a notification: the stage, the percentage and a rounded estimate of time left.

/** `texture · 45% · about 3 s left`. */
export function describeProgress(stage: string, progress: number, etaMs: number): string {
	const percent = Math.round(Math.min(1, Math.max(0, progress)) * 100);
	return `${stage} · ${percent}%${etaMs > 0 && percent < 100 ? ` · ${describeEta(etaMs)}` : ''}`;
}

/** `about 3 s left`, `about 2 min left`, `less than a second left`. */
export function describeEta(etaMs: number): string {
	if (etaMs < 1000) return 'less than a second left';
	if (etaMs < 60_000) return `about ${Math.round(etaMs / 1000)} s left`;
	return `about ${Math.round(etaMs / 60_000)} min left`;
}

/**
 * VS Code's progress API takes increments; this turns a series of overall fractions into them, never going
 * backwards (a re-queued job starts again from zero, the bar stays where it was).
 */
export class ProgressIncrements {
	private reported = 0;

	/** The increment to report for a new overall fraction (0–1), in percent. */
	next(fraction: number): number {
		const percent = Math.min(100, Math.max(0, fraction * 100));
		const increment = Math.max(0, percent - this.reported);
		this.reported += increment;
		return increment;
	}
}
