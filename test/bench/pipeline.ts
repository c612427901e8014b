// `npm run bench [-- DIR] [--runs N] [--json] [--no-daemon] [--no-engine] [--no-export] [--no-vscode] [--no-blender] [--no-views] [--no-triplane] [--no-team] [--meshes DIR]`: times the
// pipeline per stage on every image at three input sizes, next to a bare sharp decode of the same bytes, then a
// real daemon (daemon.ts), the engine (engine.ts) and the exporters against gltfpack and assimp (export.ts), and
// writes the numbers to out/bench/ for later comparison.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_RUN } from '../../daemon/src/generators/run';
import { loadRuntime } from '../../daemon/src/generators/runtime';
import { toOrfeasError } from '../../daemon/src/protocol/errors';
import { parseGenerateOptions } from '../../daemon/src/protocol/options';
import { writeResults } from '../helpers/results-file';
import { benchEngine } from './engine';
import { benchDaemon } from './daemon';
import { benchExport, DEFAULT_MESH_DIR, MissingToolError } from './export';
import { benchVsCode, type VsCodeBench } from './vscode';
import { benchTeam, type TeamBench } from './team';
import { benchTriplane, type TriplaneBench } from './triplane';
import { benchViews, type ViewsBench } from './views';
import { benchBlender, type BlenderBench } from './blender';
import { loadBenchImages, scaleTo } from './inputs';
import { timeImage } from './measure';
import { BENCH_ROWS, formatBench, TARGET, type BenchResult, type BenchRow, type SizeResult } from './report';
import { percentile, summarize } from './stats';
import { runMain } from '../helpers/main';

/** Long side of the input pictures, in pixels: small web images, a typical photo crop, a phone photo. */
const SIZES = [512, 1024, 2048] as const;
const DEFAULT_RUNS = 5;
const WARMUP_RUNS = 1;
const OUT_DIR = path.join('out', 'bench');

const USAGE = 'usage: npm run bench [-- DIR] [--runs N] [--json] [--no-daemon] [--no-engine] [--no-export] [--no-vscode] [--no-blender] [--no-views] [--no-triplane] [--no-team] [--meshes DIR]';

async function main(): Promise<number> {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			runs: { type: 'string' },
			json: { type: 'boolean', default: false },
			'no-daemon': { type: 'boolean', default: false },
			'no-engine': { type: 'boolean', default: false },
			'no-export': { type: 'boolean', default: false },
			'no-vscode': { type: 'boolean', default: false },
			'no-blender': { type: 'boolean', default: false },
			'no-views': { type: 'boolean', default: false },
			'no-triplane': { type: 'boolean', default: false },
			'no-team': { type: 'boolean', default: false },
			meshes: { type: 'string' },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	const runs = Number(values.runs ?? DEFAULT_RUNS);
	if (!Number.isInteger(runs) || runs < 1 || positionals.length > 1) {
		process.stderr.write(`${USAGE}\n--runs takes a whole number of at least 1; give at most one folder.\n`);
		return 2;
	}
	const dir = positionals[0] ? path.resolve(positionals[0]) : null;
	const images = await loadBenchImages(dir ?? undefined);
	if (images.length === 0) {
		process.stderr.write(`No image files in ${dir}.\n`);
		return 1;
	}

	const options = parseGenerateOptions({});
	const runtime = await loadRuntime();
	const skipped: BenchResult['skipped'] = [];
	const sizes: SizeResult[] = [];
	for (const size of SIZES) {
		const started = performance.now();
		process.stderr.write(`bench, long side ${size} px: ${images.length} images × (${WARMUP_RUNS} + ${runs}) runs… `);
		const scaled = await Promise.all(images.map((image) => scaleTo(image, size)));
		const pooled = Object.fromEntries(BENCH_ROWS.map((r) => [r, [] as number[]])) as Record<BenchRow, number[]>;
		const perImage: SizeResult['perImage'] = [];
		for (const image of scaled) {
			try {
				const t = await timeImage(image, options, runtime, runs);
				for (const s of BUILTIN_RUN) pooled[s].push(...t.stages[s]);
				pooled.total.push(...t.total);
				pooled.reference.push(...t.reference);
				perImage.push({
					label: image.label,
					width: image.width,
					height: image.height,
					totalP50: percentile(t.total, 0.5),
					referenceP50: percentile(t.reference, 0.5),
				});
			} catch (error) {
				const e = toOrfeasError(error);
				skipped.push({ size, label: image.label, code: e.code, message: e.message });
			}
		}
		const rows = Object.fromEntries(BENCH_ROWS.map((r) => [r, summarize(pooled[r])])) as SizeResult['rows'];
		sizes.push({ size, rows, ratio: rows.total.p50 / rows.reference.p50, perImage });
		process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
	}

	let views: ViewsBench | null = null;
	let viewsText = '';
	if (!values['no-views']) {
		const started = performance.now();
		process.stderr.write('bench, several views: four 512² pictures against the front alone… ');
		({ result: views, text: viewsText } = await benchViews(runs, options, runtime));
		process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
	}

	let triplane: TriplaneBench | null = null;
	let triplaneText = '';
	if (!values['no-triplane']) {
		const started = performance.now();
		process.stderr.write('bench, triplane isosurface at 256³: coarse-to-fine against dense… ');
		({ result: triplane, text: triplaneText } = await benchTriplane(runs));
		process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
	}

	let team: TeamBench | null = null;
	let teamText = '';
	if (!values['no-team']) {
		const started = performance.now();
		process.stderr.write('bench, team server: 8 jobs on one and two workers, BullMQ latency against embedded… ');
		try {
			({ result: team, text: teamText } = await benchTeam(runs, os.availableParallelism()));
			process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
		} catch (error) {
			process.stderr.write(`failed:\n${error instanceof Error ? error.message : String(error)}\n`);
		}
	}

	let daemon: BenchResult['daemon'] = null;
	let daemonFailed = false;
	if (!values['no-daemon']) {
		const started = performance.now();
		process.stderr.write('bench, daemon: /health, event-loop lag, progress events, 50 MiB downloads… ');
		try {
			daemon = await benchDaemon(runs);
			process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
		} catch (error) {
			daemonFailed = true;
			process.stderr.write(`failed:\n${error instanceof Error ? error.stack : String(error)}\n`);
		}
	}

	let engine: BenchResult['engine'] = null;
	if (!values['no-engine']) {
		const started = performance.now();
		process.stderr.write('bench, engine overhead on the 25 M-parameter conv net… ');
		engine = await benchEngine(runs);
		process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
	}

	let exported: BenchResult['export'] = null;
	let exportFailed = false;
	if (!values['no-export']) {
		const started = performance.now();
		process.stderr.write('bench, export: LOD chain against gltfpack, OBJ → FBX against assimp… ');
		try {
			exported = await benchExport(runs, values.meshes ? path.resolve(values.meshes) : DEFAULT_MESH_DIR);
			process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
		} catch (error) {
			exportFailed = true;
			const detail = error instanceof MissingToolError ? error.message : error instanceof Error ? error.stack : String(error);
			process.stderr.write(`failed: ${detail}\n`);
		}
	}

	let vscode: VsCodeBench | null = null;
	let vscodeText = '';
	let vscodeFailed = false;
	if (!values['no-vscode']) {
		const started = performance.now();
		process.stderr.write('bench, VS Code: shipped sizes, activation in code-server, preview first frame in Chromium… ');
		try {
			({ result: vscode, text: vscodeText } = await benchVsCode(runs));
			process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
		} catch (error) {
			vscodeFailed = true;
			process.stderr.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
		}
	}

	let blender: BlenderBench | null = null;
	let blenderText = '';
	let blenderFailed = false;
	if (!values['no-blender']) {
		const started = performance.now();
		process.stderr.write('bench, Blender: add-on download and import in headless Blender… ');
		try {
			({ result: blender, text: blenderText } = await benchBlender(runs));
			process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
		} catch (error) {
			blenderFailed = true;
			process.stderr.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
		}
	}

	const atTarget = sizes.find((s) => s.size === TARGET.size);
	const targetP50 = atTarget && atTarget.rows.total.count > 0 ? atTarget.rows.total.p50 : null;
	const date = new Date();
	const cpus = os.cpus();
	const result: BenchResult = {
		tool: 'bench-pipeline',
		date: date.toISOString(),
		machine: {
			cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
			cores: cpus.length,
			platform: os.platform(),
			arch: os.arch(),
			release: os.release(),
		},
		node: process.version,
		dir,
		images: images.map((i) => i.label),
		warmupRuns: WARMUP_RUNS,
		runs,
		options,
		sizes,
		skipped,
		daemon,
		engine,
		export: exported,
		target: {
			size: TARGET.size,
			p50LimitMs: TARGET.p50Ms,
			p50Ms: targetP50,
			met: targetP50 === null ? null : targetP50 <= TARGET.p50Ms,
		},
	};
	const file = await writeResults(OUT_DIR, 'pipeline', { ...result, views, triplane, team, vscode, blender }, date);
	if (values.json) {
		process.stdout.write(`${JSON.stringify({ ...result, views, triplane, team, vscode, blender }, null, '\t')}\n`);
		process.stderr.write(`results written to ${file}\n`);
	} else {
		process.stdout.write(`${formatBench(result)}\n${viewsText ? `\n${viewsText}\n` : ''}${triplaneText ? `\n${triplaneText}\n` : ''}${teamText ? `\n${teamText}\n` : ''}${vscodeText ? `\n${vscodeText}` : ''}${blenderText ? `\n${blenderText}` : ''}\nresults written to ${file}\n`);
	}
	if (exportFailed || vscodeFailed || blenderFailed) process.stderr.write('the export, VS Code or Blender rows failed (see above), so the bench exits with 1.\n');
	return daemonFailed || exportFailed || vscodeFailed || blenderFailed || sizes.every((s) => s.rows.total.count === 0) ? 1 : 0;
}

runMain(main);
