// Where `generate` and `export` write: beside each input by default, into a folder with `-o DIR`, or, for one
// input, to the model file `-o FILE.fbx` (.glb, .obj, .stl, .ply) names, its companions beside it under its
// stem. An existing file is never replaced without --force. The path module is a parameter (default: this
// system's), so the Windows rules (`-o C:\out\`, case-insensitive names) are tested on any machine.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { modelName } from '../naming';
import { comparable, isDeviceName, isWin32, type PathModule } from '../paths';
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

/** What is on disk at a path: a folder, a file, or nothing. */
export type PathKind = 'folder' | 'file' | undefined;

function kindOnDisk(file: string): PathKind {
	if (!existsSync(file)) return undefined;
	return statSync(file).isDirectory() ? 'folder' : 'file';
}

/**
 * Reads `-o`: an existing folder or a path ending in a separator (`/`, and `\` on Windows) is a folder, as is a
 * path without a model extension; otherwise the extension (any case) names the model file and its format.
 */
export function outputTarget(out: string | undefined, p: PathModule = path, kindOf: (file: string) => PathKind = kindOnDisk): OutputTarget {
	if (out === undefined) return { kind: 'folder' };
	const format = modelFormat(out, p);
	const kind = kindOf(out);
	if (isWin32(p) && isDeviceName(p.basename(out))) {
		throw new OrfeasError('E_PATH', `-o ${out}: Windows keeps the name ${p.basename(out).split('.')[0]} for a device, so no file can have it. Choose another name.`);
	}
	if (format && kind !== 'folder' && !endsWithSeparator(out, p)) return { kind: 'file', file: p.resolve(out), format, out };
	if (kind === 'file') {
		throw new OrfeasError('E_PATH', `-o ${out} is an existing file, not a folder. Pass a folder, or a model file name (${EXPORT_FORMATS.map((f) => `.${f}`).join(', ')}).`);
	}
	return { kind: 'folder', dir: p.resolve(out) };
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

/**
 * Where each input's files go, in order; throws E_PATH for an impossible combination (a usage error). Two inputs
 * whose files would share a name collide; on Windows names differing only in case (`Cat.png`, `cat.jpg`) do too.
 */
export function planOutputs(inputs: string[], target: OutputTarget, what = 'inputs', p: PathModule = path): Placement[] {
	if (target.kind === 'file') {
		if (inputs.length !== 1) {
			throw new OrfeasError('E_PATH', `-o ${target.out} names one file, but ${inputs.length} ${what} were given. Pass a folder with -o (an existing one, or a path ending in /).`);
		}
		return [{ dir: p.dirname(target.file), name: modelName(target.file, p), file: { path: target.file, format: target.format } }];
	}
	const planned = inputs.map((input) => ({ dir: p.resolve(target.dir ?? p.dirname(input)), name: modelName(input, p) }));
	const seen = new Set<string>();
	for (const { dir, name } of planned) {
		const key = comparable(p.join(dir, name), p);
		if (seen.has(key)) throw new OrfeasError('E_PATH', `Two ${what} are both named ${name}, so their files would collide in ${dir}. Rename one, or pass -o with another folder for each.`);
		seen.add(key);
	}
	return planned;
}

/** Where each file goes: the model file `-o` names to that path, every other one beside it under its own name. */
export function placeFiles(files: readonly { name: string }[], placement: Placement, p: PathModule = path): string[] {
	const named = placement.file && `${placement.name}.${placement.file.format}`;
	return files.map((file) => (file.name === named ? placement.file!.path : p.join(placement.dir, file.name)));
}

/** The model file reported first: the one `-o` names, else the one of `format` in the folder. */
export function mainFile(placement: Placement, format: ExportFormat, p: PathModule = path): string {
	return placement.file?.path ?? p.join(placement.dir, `${placement.name}.${format}`);
}

/** Refuses to replace an existing file unless asked to. */
export function checkWritable(target: string, force: boolean): void {
	if (!force && existsSync(target)) {
		throw new OrfeasError('E_PATH', `${target} already exists. Pass --force to replace it, or -o to write elsewhere.`);
	}
}

function modelFormat(out: string, p: PathModule): ExportFormat | undefined {
	const extension = p.extname(out).slice(1).toLowerCase();
	return (EXPORT_FORMATS as readonly string[]).includes(extension) ? (extension as ExportFormat) : undefined;
}

function endsWithSeparator(out: string, p: PathModule): boolean {
	return out.endsWith('/') || out.endsWith(p.sep);
}
