// `npm run eval:shape [-- DIR] [--size N] [--only NAME,…]`: scores generated shapes the way single-image
// reconstruction papers do. Each ground-truth mesh is drawn from five views; every method of methods.ts makes a
// mesh from those pictures; both are normalised to height 1 and compared (F-score, Chamfer-L1, volume IoU).
// Without DIR the meshes are the project's fixtures plus the shared corpus beside the checkout when present.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runMain } from '../../helpers/main';
import { evaluateSubject } from './evaluate';
import { FIXTURES, fixtureSubject } from './fixtures';
import { listMeshFiles, loadSubject, type EvalSubject } from './load';
import { CARVE_CELLS, METHODS } from './methods';
import { F_THRESHOLDS, IOU_GRID } from './metrics';
import { formatMeans, formatMesh, meanRows, type MeshResult, type ShapeEvalResult } from './report';
import { SAMPLE_COUNT, SAMPLE_SEED } from './sample';

const OUT_DIR = path.join('out', 'eval-shape');
/** The shared corpus beside the checkout (read in place, never copied). */
const CORPUS_DIR = path.resolve('..', 'shared', 'corpus', 'meshes');
const DEFAULT_SIZE = 512;
const USAGE = 'usage: npm run eval:shape [-- DIR] [--size N] [--only NAME[,NAME…]]';

interface Candidate {
	name: string;
	load: () => Promise<EvalSubject>;
}

async function main(): Promise<number> {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			size: { type: 'string' },
			only: { type: 'string' },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	const size = values.size === undefined ? DEFAULT_SIZE : Number(values.size);
	if (positionals.length > 1 || !Number.isInteger(size) || size < 64 || size > 4096) {
		process.stderr.write(`${USAGE}\nGive at most one folder, and --size as a whole number from 64 to 4096.\n`);
		return 2;
	}

	const dir = positionals[0] ? path.resolve(positionals[0]) : null;
	const sources: string[] = [];
	const candidates: Candidate[] = [];
	const addFolder = async (folder: string) => {
		sources.push(folder);
		for (const file of await listMeshFiles(folder)) candidates.push({ name: path.basename(file, path.extname(file)), load: () => loadSubject(file) });
	};
	if (dir) {
		await addFolder(dir);
	} else {
		sources.push('fixtures');
		for (const name of Object.keys(FIXTURES)) candidates.push({ name, load: () => fixtureSubject(name) });
		if (existsSync(CORPUS_DIR)) await addFolder(CORPUS_DIR);
	}
	const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
	const chosen = only ? candidates.filter((c) => only.includes(c.name)) : candidates;
	if (chosen.length === 0) {
		const names = candidates.map((c) => c.name).join(', ') || 'none';
		process.stderr.write(`No meshes to evaluate${only ? ` named ${only.join(', ')}` : ''} in ${sources.join(' and ')} (found: ${names}).\n`);
		return 1;
	}

	const meshes: MeshResult[] = [];
	const skipped: ShapeEvalResult['skipped'] = [];
	for (const [k, candidate] of chosen.entries()) {
		process.stderr.write(`eval:shape ${k + 1}/${chosen.length} ${candidate.name}\n`);
		let result: MeshResult;
		try {
			result = await evaluateSubject(await candidate.load(), METHODS, { size, outDir: OUT_DIR });
		} catch (error) {
			// A mesh that cannot be read or drawn (no faces, no height) is reported; the others still count.
			const message = error instanceof Error ? error.message : String(error);
			skipped.push({ name: candidate.name, error: message });
			process.stdout.write(`${candidate.name}: skipped, ${message}\n\n`);
			continue;
		}
		meshes.push(result);
		process.stdout.write(`${formatMesh(result)}\n\n`);
	}
	const result: ShapeEvalResult = {
		tool: 'eval:shape',
		date: new Date().toISOString(),
		node: process.version,
		sources,
		protocol: { size, samples: SAMPLE_COUNT, seed: SAMPLE_SEED, thresholds: F_THRESHOLDS, iouGrid: IOU_GRID, carveCells: CARVE_CELLS },
		meshes,
		skipped,
		mean: meanRows(meshes, METHODS),
	};
	await mkdir(OUT_DIR, { recursive: true });
	const file = path.join(OUT_DIR, 'results.json');
	await writeFile(file, `${JSON.stringify(result, null, '\t')}\n`);
	process.stdout.write(`${formatMeans(result)}\n\npictures and models in ${OUT_DIR}${path.sep}<mesh>${path.sep}; results written to ${file}\n`);
	const failed = meshes.length === 0 || meshes.every((m) => m.rows.every((r) => !r.scores));
	return failed ? 1 : 0;
}

runMain(main);
