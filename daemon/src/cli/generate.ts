// `orfeas generate`: images in, models out (a GLB, and the formats asked for beside it), one after another,
// with progress on a terminal and a stats line (or a JSON line with --json) per model. A failed image does
// not stop the batch; the exit code reports it.
import path from 'node:path';
import { availableParallelism } from 'node:os';
import type { EngineConfig } from '../engine/engine';
import { Home } from '../jobs/home';
import { runPipeline, type GenerateStats } from '../generators/run';
import { loadRuntime } from '../generators/runtime';
import { BUILTIN_SHAPE, isBuiltinSegmentation } from '../pipeline/supported';
import { toOrfeasError } from '../protocol/errors';
import { parseGenerateOptions, type GenerateOptions, type GenerateOptionsInput } from '../protocol/options';
import { renderSample, SAMPLE_NAME } from '../sample/donut';
import { CATALOGUE_DIR } from './daemon';
import { readInput, writeAtomically } from './files';
import { checkWritable, formatsFor, mainFile, outputTarget, placeFiles, planOutputs, type OutputTarget, type Placement } from './outputs';
import { StageLines } from './progress';
import { forView, type ExtraView, type ViewName } from '../protocol/views';

export interface GenerateCommandOptions {
	/** Other views of the one image's object. */
	views?: { view: ExtraView; path: string }[];
	/** The one image is a turnaround sheet holding these views, left to right. */
	sheet?: ViewName[];
	out?: string;
	/** Where installed models are (learned models only). */
	home?: string;
	json?: boolean;
	force?: boolean;
	options: GenerateOptionsInput;
}

export type GenerateOutcome =
	| { input: string; output: string; ok: true; stats: GenerateStats; /** Files written beside `output` (the GLB, or the file -o names). */ files: string[] }
	| { input: string; output?: string; ok: false; code: string; message: string };

/** Runs the command; resolves to the process exit code (0 all done, 1 some image failed). */
export async function generateCommand(images: string[], cmd: GenerateCommandOptions): Promise<number> {
	const target = outputTarget(cmd.out);
	// The GLB is written whatever the formats (see runPipeline), so `-o FILE.glb` agrees with any --format.
	const options = parseGenerateOptions({ ...cmd.options, formats: formatsFor(target, cmd.options.formats, ['glb']) });
	let force = Boolean(cmd.force);
	if (images.length === 0) {
		images = [await writeSample(target)];
		force = true;
		if (!cmd.json) process.stderr.write(`No image given: using the built-in sample ${path.relative(process.cwd(), images[0])}\n`);
	}
	const placements = planOutputs(images, target, 'images');
	const runtime = await loadRuntime(usesLearnedModels(options) ? { engine: cliEngine(cmd.home) } : {});
	let failed = 0;
	for (let k = 0; k < images.length; k++) {
		const outcome = await generateOne(images[k], { views: cmd.views, sheet: cmd.sheet }, placements[k], force, options, runtime, cmd.json ?? false);
		if (!outcome.ok) failed++;
		report(outcome, cmd.json ?? false);
	}
	return failed === 0 ? 0 : 1;
}

async function generateOne(
	input: string,
	pictures: Pick<GenerateCommandOptions, 'views' | 'sheet'>,
	placement: Placement,
	force: boolean,
	options: GenerateOptions,
	runtime: Awaited<ReturnType<typeof loadRuntime>>,
	json: boolean,
): Promise<GenerateOutcome> {
	const lines = new StageLines(process.stderr, path.basename(input));
	const output = mainFile(placement, 'glb');
	try {
		// Refused before the work when the main file is there already; the other names are known only after it.
		checkWritable(output, force);
		const bytes = await readInput(input);
		const views = [];
		for (const [i, { view, path: file }] of (pictures.views ?? []).entries()) views.push({ view, bytes: await forView(view, `views.${i}.image`, () => readInput(file)) });
		// Named after the placement, so every file (and the MTL's and OBJ's references) shares the stem of -o.
		const generateInput = { bytes, name: placement.name, ...(views.length ? { views } : {}), ...(pictures.sheet ? { sheet: pictures.sheet } : {}) };
		const { files, stats } = await runPipeline(generateInput, options, runtime, {
			onProgress: json ? undefined : (event) => lines.update(event),
		});
		lines.finish();
		const targets = placeFiles(files, placement);
		for (const target of targets) checkWritable(target, force);
		for (const [i, file] of files.entries()) await writeAtomically(targets[i], file.bytes);
		return { input, output, ok: true, stats, files: targets.filter((t) => t !== output) };
	} catch (error) {
		lines.finish();
		const e = toOrfeasError(error);
		if (e.code === 'E_INTERNAL' && process.env.ORFEAS_DEBUG) console.error(error);
		return { input, output, ok: false, code: e.code, message: e.message };
	}
}

function usesLearnedModels(options: GenerateOptions): boolean {
	return options.model !== BUILTIN_SHAPE || !isBuiltinSegmentation(options.segmentation);
}

/** The engine for a one-off CLI run: the CPU, all cores for one job. */
function cliEngine(homeDir: string | undefined): EngineConfig {
	return {
		home: Home.resolve(homeDir),
		catalogueDir: CATALOGUE_DIR,
		providers: ['cpu'],
		intraOpThreads: availableParallelism(),
		budgetBytes: 2 * 1024 ** 3,
	};
}

async function writeSample(target: OutputTarget): Promise<string> {
	const dir = (target.kind === 'folder' && target.dir) || 'out';
	const file = path.resolve(dir, `${SAMPLE_NAME}.png`);
	await writeAtomically(file, await renderSample());
	return file;
}

function report(outcome: GenerateOutcome, json: boolean): void {
	if (json) {
		process.stdout.write(`${JSON.stringify(outcome)}\n`);
		return;
	}
	if (outcome.ok) {
		const { stats } = outcome;
		const where = path.relative(process.cwd(), outcome.output) || outcome.output;
		const more = outcome.files.length > 0 ? ` (+ ${outcome.files.map((f) => path.relative(process.cwd(), f) || f).join(', ')})` : '';
		// With several views, how well each agrees with the model (its outline against the model's, as IoU).
		const views = stats.views ? `; views ${Object.entries(stats.views).map(([view, iou]) => `${view} ${iou.toFixed(2)}`).join(', ')}` : '';
		process.stdout.write(
			`✓ ${path.basename(outcome.input)} → ${where}${more}: ${stats.vertices} vertices, ${stats.triangles} triangles, ${Math.round(stats.totalMs)} ms${views}\n`,
		);
	} else {
		process.stderr.write(`✗ ${path.basename(outcome.input)}: ${outcome.message} [${outcome.code}]\n`);
	}
}
