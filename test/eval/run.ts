// `npm run eval [-- DIR] [--resolution N] [--texture-size N]`: generates a model per image into out/eval/, then
// reports what each GLB looks like when read back (watertight, genus, parts, silhouette IoU) and writes JSON.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadRuntime } from '../../daemon/src/generators/runtime';
import { toOrfeasError } from '../../daemon/src/protocol/errors';
import { parseGenerateOptions, type GenerateOptions } from '../../daemon/src/protocol/options';
import { writeResults } from '../helpers/results-file';
import { fixtureInputs, folderInputs } from './inputs';
import { judgeImage, type EvalOutcome } from './judge';
import { formatEval, summarizeEval, type EvalResult } from './report';
import { runMain } from '../helpers/main';

const OUT_DIR = path.join('out', 'eval');
const USAGE = 'usage: npm run eval [-- DIR] [--resolution N] [--texture-size N]';

async function main(): Promise<number> {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			resolution: { type: 'string' },
			'texture-size': { type: 'string' },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	if (positionals.length > 1) {
		process.stderr.write(`${USAGE}\nGive at most one folder.\n`);
		return 2;
	}
	let options: GenerateOptions;
	try {
		options = parseGenerateOptions({
			...(values.resolution !== undefined ? { resolution: Number(values.resolution) } : {}),
			...(values['texture-size'] !== undefined ? { textureSize: Number(values['texture-size']) } : {}),
		});
	} catch (error) {
		process.stderr.write(`${toOrfeasError(error).message}\n${USAGE}\n`);
		return 2;
	}

	const dir = positionals[0] ? path.resolve(positionals[0]) : null;
	const inputs = dir ? await folderInputs(dir) : await fixtureInputs();
	try {
		if (inputs.files.length === 0) {
			process.stderr.write(`No image files in ${dir}.\n`);
			return 1;
		}
		const runtime = await loadRuntime();
		const images: EvalOutcome[] = [];
		for (const [k, file] of inputs.files.entries()) {
			process.stderr.write(`eval ${k + 1}/${inputs.files.length} ${path.basename(file)}\n`);
			images.push(await judgeImage(file, inputs.truth.get(file), options, runtime, OUT_DIR));
		}
		const date = new Date();
		const result: EvalResult = {
			tool: 'eval',
			date: date.toISOString(),
			node: process.version,
			dir,
			options,
			iouAgainst: dir ? 'segmentation' : 'ground truth',
			images,
			summary: summarizeEval(images),
		};
		const file = await writeResults(OUT_DIR, 'eval', result, date);
		process.stdout.write(`${formatEval(result)}\nmodels in ${OUT_DIR}${path.sep}; results written to ${file}\n`);
		return result.summary.failed === result.summary.images ? 1 : 0;
	} finally {
		await inputs.cleanup();
	}
}

runMain(main);
