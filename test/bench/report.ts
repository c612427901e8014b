// The bench's results: their JSON shape (written to out/bench/) and the table a person reads in the terminal.
import { BUILTIN_RUN, type StageName } from '../../daemon/src/generators/run';
import type { GenerateOptions } from '../../daemon/src/protocol/options';
import { formatMs, formatTable } from '../helpers/table';
import { formatDaemon, type DaemonBenchResult } from './daemon-report';
import { formatEngine, type EngineBenchResult } from './engine';
import { formatExport, type ExportBenchResult } from './export';
import type { Summary } from './stats';

/** The end-to-end goal the bench reports against; a statement, never a failure. */
export const TARGET = { size: 1024, p50Ms: 400 } as const;

export type BenchRow = StageName | 'total' | 'reference';
export const BENCH_ROWS: readonly BenchRow[] = [...BUILTIN_RUN, 'total', 'reference'];

export interface SizeResult {
	/** Longer side of every image at this step, in pixels. */
	size: number;
	/** Timings pooled over every image and timed run. */
	rows: Record<BenchRow, Summary>;
	/** p50 of the pipeline's total over p50 of the reference decode. */
	ratio: number;
	perImage: Array<{ label: string; width: number; height: number; totalP50: number; referenceP50: number }>;
}

export interface BenchResult {
	tool: 'bench-pipeline';
	date: string;
	machine: { cpu: string; cores: number; platform: string; arch: string; release: string };
	node: string;
	/** The folder the images came from, or null for the generated fixtures. */
	dir: string | null;
	images: string[];
	warmupRuns: number;
	runs: number;
	options: GenerateOptions;
	sizes: SizeResult[];
	/** Images left out at a size because the pipeline refused them. */
	skipped: Array<{ size: number; label: string; code: string; message: string }>;
	/** The daemon section; null when left out (--no-daemon) or when it failed. */
	daemon: DaemonBenchResult | null;
	/** The engine-overhead row; null when left out (--no-engine). */
	engine: EngineBenchResult | null;
	/** The export rows; null when left out (--no-export) or when they failed. */
	export: ExportBenchResult | null;
	target: { size: number; p50LimitMs: number; p50Ms: number | null; met: boolean | null };
}

export function formatBench(result: BenchResult): string {
	const rows: string[][] = [];
	for (const size of result.sizes) {
		BENCH_ROWS.forEach((row, k) => {
			const s = size.rows[row];
			rows.push([k === 0 ? String(size.size) : '', row, formatMs(s.p50), formatMs(s.p95)]);
		});
	}
	const table = formatTable(
		[
			{ header: 'long side', align: 'right' },
			{ header: 'stage' },
			{ header: 'p50 ms', align: 'right' },
			{ header: 'p95 ms', align: 'right' },
		],
		rows,
	);
	const ratios = result.sizes.map((s) => `${s.size} px ${s.ratio.toFixed(1)}×`).join('   ');
	const { machine, target } = result;
	const source = result.dir ?? 'generated fixtures';
	const lines = [
		table,
		'',
		`pipeline / reference decode (p50 total ÷ p50 reference): ${ratios}`,
		`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform} ${machine.arch}; node ${result.node}`,
		`images: ${result.images.length} from ${source}; ${result.runs} timed runs each after ${result.warmupRuns} ` +
			`warm-up; resolution ${result.options.resolution}, texture ${result.options.textureSize}`,
		targetLine(target),
	];
	for (const s of result.skipped) lines.push(`skipped at ${s.size} px: ${s.label}: ${s.code} ${s.message}`);
	if (result.daemon) lines.push('', formatDaemon(result.daemon));
	if (result.engine) lines.push('', formatEngine(result.engine));
	if (result.export) lines.push('', formatExport(result.export));
	return lines.join('\n');
}

function targetLine(target: BenchResult['target']): string {
	const goal = `target ≤ ${target.p50LimitMs} ms p50 end-to-end at ${target.size}²`;
	if (target.p50Ms === null) return `${goal}: not measured (no image ran at that size)`;
	return `${goal}: ${target.met ? 'met' : 'not met'} (p50 ${formatMs(target.p50Ms)} ms)`;
}
