// `orfeas export`: converts models people already have (GLB, or OBJ with its MTL and textures) to the formats,
// engine profiles, LOD chains and colliders of the export pipeline — the same code the daemon runs. Files are
// written next to their final names and renamed, and nothing existing is replaced without --force.
import path from 'node:path';
import { exportProgress } from '../export/asset';
import { exportScene, type ExportedFile } from '../export/export';
import { loadGlb } from '../export/load-glb';
import { loadObj } from '../export/load-obj';
import { PROFILES } from '../export/profiles';
import type { ExportScene } from '../export/scene';
import { modelName } from '../naming';
import { OrfeasError, toOrfeasError } from '../protocol/errors';
import type { Collider, ExportFormat, ExportProfile } from '../protocol/options';
import { readInput, writeAtomically } from './files';
import { checkWritable } from './outputs';
import { StageLines } from './progress';

export interface ExportCommandOptions {
	formats?: ExportFormat[];
	profile: ExportProfile;
	lods: number[];
	lodError?: number;
	collider: Collider;
	/** Deflate FBX arrays. */
	fbxCompress?: boolean;
	/** Texture for an OBJ without an MTL (a scan and its picture). */
	texture?: string;
	/** Output folder; beside each input when left out. */
	out?: string;
	force?: boolean;
	json?: boolean;
}

export type ExportOutcome =
	| { input: string; ok: true; files: { path: string; format: string; bytes: number }[]; triangles: number[]; ms: number }
	| { input: string; ok: false; code: string; message: string };

/** Runs the command; resolves to the exit code (0 all exported, 1 some input failed). */
export async function exportCommand(inputs: string[], cmd: ExportCommandOptions): Promise<number> {
	if (inputs.length === 0) throw new OrfeasError('E_BAD_MESSAGE', 'Give one or more .glb or .obj files to export.');
	const formats = cmd.formats?.length ? cmd.formats : [PROFILES[cmd.profile].format];
	let failed = 0;
	for (const input of inputs) {
		const outcome = await exportOne(input, formats, cmd);
		if (!outcome.ok) failed++;
		report(outcome, cmd.json ?? false);
	}
	return failed === 0 ? 0 : 1;
}

async function exportOne(input: string, formats: ExportFormat[], cmd: ExportCommandOptions): Promise<ExportOutcome> {
	const lines = new StageLines(process.stderr, path.basename(input));
	const started = performance.now();
	try {
		const scene = await load(input, cmd.texture);
		const { files, triangles } = await exportScene(scene, { formats, profile: cmd.profile, lods: cmd.lods, collider: cmd.collider, fbxCompress: cmd.fbxCompress ?? false, ...(cmd.lodError ? { lodError: cmd.lodError } : {}) }, {
			signal: new AbortController().signal,
			progress: cmd.json ? () => {} : (fraction, message) => lines.update(exportProgress(fraction, message)),
		});
		lines.finish();
		const dir = path.resolve(cmd.out ?? path.dirname(input));
		const written = await writeAll(files, dir, path.resolve(input), cmd.force ?? false);
		return { input, ok: true, files: written, triangles, ms: performance.now() - started };
	} catch (error) {
		lines.finish();
		const e = toOrfeasError(error);
		if (e.code === 'E_INTERNAL' && process.env.ORFEAS_DEBUG) console.error(error);
		return { input, ok: false, code: e.code, message: e.message };
	}
}

/** Reads a GLB or an OBJ (with the MTL and textures it names, looked up beside it). */
async function load(input: string, texture: string | undefined): Promise<ExportScene> {
	const name = modelName(input);
	const extension = path.extname(input).toLowerCase();
	if (extension === '.glb') {
		if (texture) throw new OrfeasError('E_BAD_MESSAGE', '--texture is for OBJ files; a GLB carries its own textures.');
		return loadGlb(await readInput(input), { name });
	}
	if (extension === '.obj') {
		const text = new TextDecoder().decode(await readInput(input));
		const extra = texture ? { name: path.basename(texture), bytes: await readInput(texture) } : undefined;
		return loadObj(text, { name, dir: path.dirname(path.resolve(input)), texture: extra });
	}
	throw new OrfeasError('E_EXPORT', `${input} is not a .glb or .obj file. Export it from your tool as GLB or OBJ first.`);
}

/** Writes every file into `dir`; checks all names first, so a refusal leaves nothing half-written. */
async function writeAll(files: ExportedFile[], dir: string, input: string, force: boolean): Promise<{ path: string; format: string; bytes: number }[]> {
	const targets = files.map((file) => path.join(dir, file.name));
	for (const target of targets) {
		if (target === input) throw new OrfeasError('E_PATH', `Exporting would replace the input ${input}. Pass -o with another folder.`);
		checkWritable(target, force);
	}
	for (const [i, file] of files.entries()) await writeAtomically(targets[i], file.bytes);
	return files.map((file, i) => ({ path: targets[i], format: file.format, bytes: file.bytes.length }));
}

function report(outcome: ExportOutcome, json: boolean): void {
	if (json) {
		process.stdout.write(`${JSON.stringify(outcome)}\n`);
		return;
	}
	if (!outcome.ok) {
		process.stderr.write(`✗ ${path.basename(outcome.input)}: ${outcome.message} [${outcome.code}]\n`);
		return;
	}
	const [main, ...rest] = outcome.files.map((f) => path.relative(process.cwd(), f.path) || f.path);
	const more = rest.length > 0 ? ` (+ ${rest.join(', ')})` : '';
	process.stdout.write(`✓ ${path.basename(outcome.input)} → ${main}${more}: ${outcome.triangles.join('/')} triangles, ${Math.round(outcome.ms)} ms\n`);
}
