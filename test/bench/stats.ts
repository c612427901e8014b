// Summaries of timing samples for the bench: percentiles by linear interpolation between closest ranks (as
// numpy's default), so p95 of five runs lies between the two slowest rather than being the slowest.

export interface Summary {
	p50: number;
	p95: number;
	mean: number;
	min: number;
	max: number;
	count: number;
}

/** The q-quantile (0–1) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], q: number): number {
	if (samples.length === 0) return NaN;
	const sorted = Float64Array.from(samples).sort();
	const rank = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
	const below = Math.floor(rank);
	const above = Math.min(sorted.length - 1, below + 1);
	return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

export function summarize(samples: readonly number[]): Summary {
	const count = samples.length;
	return {
		p50: percentile(samples, 0.5),
		p95: percentile(samples, 0.95),
		mean: count === 0 ? NaN : samples.reduce((sum, s) => sum + s, 0) / count,
		min: count === 0 ? NaN : Math.min(...samples),
		max: count === 0 ? NaN : Math.max(...samples),
		count,
	};
}
