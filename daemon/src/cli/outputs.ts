// Where `generate` and `export` write: beside each input by default, into a folder with `-o DIR`, or, for one
// input, to the model file `-o FILE.fbx` (.glb, .obj, .stl, .ply) names, its companions beside it under its
// stem. An existing file is never replaced without --force.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { modelName } from '../naming';
import { OrfeasError } from '../protocol/errors';
import { EXPORT_FORMATS, type ExportFormat } from '../protocol/options';

/** What `-o` names: one model file, or a folder (undefined: beside each input). */
export type OutputTarget = { kind: 'file'; file: string; format: ExportFormat; out: string } | { kind: 'folder'; dir?: string };

/** Where one input's files go. */
export interface Placement {
	/** The folder every file goes in. */
	dir: string;
	/** The model's name: the writers name the files after it (`name.fbx`, `name.mtl`, `name_LOD1.stl`) and the objects in them. */
	name: string;
	/** The file `-o` names, when it names one: the model file of that format is written there, under exactly that name. */
	file?: { path: string; format: ExportFormat };
}

/**
 * Reads `-o`: an existing folder or a path ending in a separator is a folder, as is a path without a model
 * extension; otherwise the extension (any case) names the model file and its format.
 */
export function outputTarget(out: string | undefined): OutputTarget {
	if (out === undefined) return { kind: 'folder' };
	const format = modelFormat(out);
	const isFolder = existsSync(out) && statSync(out).isDirectory();
	if (format && !isFolder && !endsWithSeparator(out)) return { kind: 'file', file: path.resolve(out), format, out };
	if (existsSync(out) && !isFolder) {
		throw new OrfeasError('E_PATH', `-o ${out} is an existing file, not a folder. Pass a folder, or a model file name (${EXPORT_FORMATS.map((f) => `.${f}`).join(', ')}).`);
	}
	return { kind: 'folder', dir: path.resolve(out) };
}

/**
 * The formats to write. `-o FILE` picks its extension's format when --format is left out; a --format list
 * that has neither it nor one of the formats written anyway (`kept`: generate always keeps the GLB) is a usage
 * error. The file's format comes first, so it is the one reported first.
 */
export function formatsFor(target: OutputTarget, asked: ExportFormat[] | undefined, kept: readonly ExportFormat[] = []): ExportFormat[] | undefined {
	if (target.kind === 'folder') return asked?.length ? asked : undefined;
	const { format, out } = target;
	if (!asked?.length) return [format];
	if (asked.includes(format)) return [format, ...asked.filter((f) => f !== format)];
	if (kept.includes(format)) return asked;
	throw new OrfeasError(
		'E_BAD_MESSAGE',
		`-o ${out} names a .${format} file, but --format asks for ${asked.join(', ')}. Leave out --format, add ${format} to it, or end -o in .${asked[0]}.`,
	);
}

/** Where each input's files go, in order; throws E_PATH for an impossible combination (a usage error). */
export function planOutputs(inputs: string[], target: OutputTarget, what = 'inputs'): Placement[] {
	if (target.kind === 'file') {
		if (inputs.length !== 1) {
			throw new OrfeasError('E_PATH', `-o ${target.out} names one file, but ${inputs.length} ${what} were given. Pass a folder with -o (an existing one, or a path ending in /).`);
		}
		return [{ dir: path.dirname(target.file), name: modelName(target.file), file: { path: target.file, format: target.format } }];
	}
	const planned = inputs.map((input) => ({ dir: path.resolve(target.dir ?? path.dirname(input)), name: modelName(input) }));
	const seen = new Set<string>();
	for (const { dir, name } of planned) {
		const key = path.join(dir, name);
		if (seen.has(key)) throw new OrfeasError('E_PATH', `Two ${what} are both named ${name}, so their files would collide in ${dir}. Rename one, or pass -o with another folder for each.`);
		seen.add(key);
	}
	return planned;
}

/** Where each file goes: the model file `-o` names to that path, every other one beside it under its own name. */
export function placeFiles(files: readonly { name: string }[], placement: Placement): string[] {
	const named = placement.file && `${placement.name}.${placement.file.format}`;
	return files.map((file) => (file.name === named ? placement.file!.path : path.join(placement.dir, file.name)));
}

/** The model file reported first: the one `-o` names, else the one of `format` in the folder. */
export function mainFile(placement: Placement, format: ExportFormat): string {
	return placement.file?.path ?? path.join(placement.dir, `${placement.name}.${format}`);
}

/** Refuses to replace an existing file unless asked to. */
export function checkWritable(target: string, force: boolean): void {
	if (!force && existsSync(target)) {
		throw new OrfeasError('E_PATH', `${target} already exists. Pass --force to replace it, or -o to write elsewhere.`);
	}
}

function modelFormat(out: string): ExportFormat | undefined {
	const extension = path.extname(out).slice(1).toLowerCase();
	return (EXPORT_FORMATS as readonly string[]).includes(extension) ? (extension as ExportFormat) : undefined;
}

function endsWithSeparator(out: string): boolean {
	return out.endsWith('/') || out.endsWith(path.sep);
}
