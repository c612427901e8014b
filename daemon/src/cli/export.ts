// `orfeas export`: converts models people already have (GLB, or OBJ with its MTL and textures) to the formats,
// engine profiles, LOD chains and colliders of the export pipeline — the same code the daemon runs. Files are
// written next to their final names and renamed, and nothing existing is replaced without --force.
import path from 'node:path';
import { exportProgress } from '../export/asset';
import { exportScene, type ExportedFile } from '../export/export';
import { loadGlb } from '../export/load-glb';
import { loadObj } from '../export/load-obj';
import { PROFILES } from '../export/profiles';
import type { ExportScene, ExportTexture } from '../export/scene';
import { modelName } from '../naming';
import { samePath } from '../paths';
import { OrfeasError, toOrfeasError } from '../protocol/errors';
import type { Collider, ExportFormat, ExportProfile } from '../protocol/options';
import { readInput, writeAtomically } from './files';
import { checkWritable, formatsFor, outputTarget, placeFiles, planOutputs, type Placement } from './outputs';
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
	/** Output folder, or the model file for one input (see outputs.ts); beside each input when left out. */
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
	const target = outputTarget(cmd.out);
	const formats = formatsFor(target, cmd.formats) ?? [PROFILES[cmd.profile].format];
	const placements = planOutputs(inputs, target, 'models');
	let failed = 0;
	for (const [k, input] of inputs.entries()) {
		const outcome = await exportOne(input, placements[k], formats, cmd);
		if (!outcome.ok) failed++;
		report(outcome, cmd.json ?? false);
	}
	return failed === 0 ? 0 : 1;
}

async function exportOne(input: string, placement: Placement, formats: ExportFormat[], cmd: ExportCommandOptions): Promise<ExportOutcome> {
	const lines = new StageLines(process.stderr, path.basename(input));
	const started = performance.now();
	try {
		// Named after the placement, so every file (and the MTL's and OBJ's references) shares the stem of -o.
		const scene = await load(input, placement.name, cmd.texture);
		renameTextures(scene, modelName(input), placement.name);
		const { files, triangles } = await exportScene(scene, { formats, profile: cmd.profile, lods: cmd.lods, collider: cmd.collider, fbxCompress: cmd.fbxCompress ?? false, ...(cmd.lodError ? { lodError: cmd.lodError } : {}) }, {
			signal: new AbortController().signal,
			progress: cmd.json ? () => {} : (fraction, message) => lines.update(exportProgress(fraction, message)),
		});
		lines.finish();
		const written = await writeAll(files, placement, path.resolve(input), cmd.force ?? false);
		return { input, ok: true, files: written, triangles, ms: performance.now() - started };
	} catch (error) {
		lines.finish();
		const e = toOrfeasError(error);
		if (e.code === 'E_INTERNAL' && process.env.ORFEAS_DEBUG) console.error(error);
		return { input, ok: false, code: e.code, message: e.message };
	}
}

/** Reads a GLB or an OBJ (with the MTL and textures it names, looked up beside it). */
async function load(input: string, name: string, texture: string | undefined): Promise<ExportScene> {
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

/**
 * With `-o FILE` the model takes the file's name, and a texture named after the model (`Ball_baseColor.png`)
 * is renamed with it (`Crate_baseColor.png`), so that everything written beside the file shares its stem.
 * Textures with names of their own keep them.
 */
function renameTextures(scene: ExportScene, from: string, to: string): void {
	if (from === to) return;
	const renamed = new Set<ExportTexture>();
	for (const { texture } of scene.materials) {
		if (!texture || renamed.has(texture) || !namedAfter(texture.name, from)) continue;
		texture.name = `${to}${texture.name.slice(from.length)}`;
		renamed.add(texture);
	}
}

/** `Ball.png`, `Ball_baseColor.png`, `Ball-diffuse.jpg` are named after `Ball`; `Ballroom.png` is not. */
function namedAfter(file: string, model: string): boolean {
	const next = file.charAt(model.length);
	return file.startsWith(model) && next !== '' && '._-'.includes(next);
}

/** Writes every file where the placement puts it; checks all names first, so a refusal leaves nothing half-written. */
async function writeAll(files: ExportedFile[], placement: Placement, input: string, force: boolean): Promise<{ path: string; format: string; bytes: number }[]> {
	const targets = placeFiles(files, placement);
	for (const target of targets) {
		if (samePath(target, input)) throw new OrfeasError('E_PATH', `Exporting would replace the input ${input}. Pass -o with another folder or file name.`);
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
