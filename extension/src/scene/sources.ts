// New scene objects from files: the source a file becomes (a `.glb` model or a picture), its path relative to the
// scene's folder with forward slashes, and an id made from its name that the scene does not use yet (`crate`,
// `crate-2`). Pure, free of `vscode`; the path module is passed in so Windows paths are tested on any machine.
import nodePath from 'node:path';
import { IMAGE_EXTENSIONS } from '../../../daemon/src/protocol/options';
import { IDENTITY_TRANSFORM, type SceneObjectView, type SceneSourceView } from '../../../daemon/src/protocol/scene';

type PathModule = typeof nodePath.posix;

/** Most characters of an id's stem, leaving room for a `-N` suffix within the schema's 64. */
const MAX_STEM = 56;
const MAX_NAME = 128;

/** A file that cannot become a scene object, and why, in a sentence for the user. */
export class SourceError extends Error {}

/**
 * What `file` becomes in a scene whose file is `sceneFile`: `{model}` for `.glb`, `{image}` for a picture, the path
 * relative to the scene's folder. Throws SourceError for other types, for a file on another drive, and for a
 * name the schema cannot hold.
 *
 * ```ts
 * sourceFor('/w/yard.orfeas-scene.json', '/w/models/crate.glb'); // { model: 'models/crate.glb' }
 * ```
 */
export function sourceFor(sceneFile: string, file: string, path: PathModule = nodePath): SceneSourceView {
	const name = path.basename(file);
	const ext = path.extname(file).toLowerCase();
	const relative = relativePath(path.dirname(sceneFile), file, path);
	if (ext === '.glb') return { model: relative };
	if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return { image: relative };
	if (ext === '.gltf') throw new SourceError(`${name} is a .gltf: scenes place binary glTF (.glb) models. Export it as GLB first.`);
	throw new SourceError(`${name} is neither a .glb model nor a picture (${IMAGE_EXTENSIONS.join(', ')}), so it cannot go into a scene.`);
}

/**
 * `file` relative to `folder` with forward slashes (`../pictures/cat.png` is fine). Throws SourceError when no
 * relative path exists: another drive or share on Windows.
 */
export function relativePath(folder: string, file: string, path: PathModule = nodePath): string {
	const name = path.basename(file);
	if (root(path, folder) !== root(path, file)) {
		throw new SourceError(`${name} is on another drive than the scene (${root(path, file)} and ${root(path, folder)}); scenes name files by relative paths. Copy it next to the scene first.`);
	}
	const relative = path.relative(folder, file).split(path.sep).join('/');
	if (relative === '' || relative.includes('\\') || relative.includes('\0')) throw new SourceError(`${name} cannot be named by a relative path from the scene's folder.`);
	return relative;
}

/** `crate` from `crate.glb`, `cat.photo` from `cat.photo.png`: the object's name. */
export function objectName(file: string, path: PathModule = nodePath): string {
	const base = path.basename(file, path.extname(file)) || path.basename(file);
	return base.slice(0, MAX_NAME);
}

/** An id for `name` that is not in `taken`: letters, digits, _ and - only; `crate`, then `crate-2`, `crate-3`… */
export function uniqueId(name: string, taken: ReadonlySet<string>): string {
	const stem =
		name
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[^A-Za-z0-9_-]+/g, '-')
			.replace(/-{2,}/g, '-')
			.replace(/^-|-$/g, '')
			.slice(0, MAX_STEM) || 'object';
	if (!taken.has(stem)) return stem;
	for (let n = 2; ; n++) {
		const candidate = `${stem}-${n}`;
		if (!taken.has(candidate)) return candidate;
	}
}

/**
 * Objects for `files` at the scene's origin, ids unique among `taken` and each other, in order. Files that cannot
 * be added are returned with the reason instead.
 */
export function newObjects(sceneFile: string, files: readonly string[], taken: Iterable<string>, path: PathModule = nodePath): { objects: SceneObjectView[]; refused: string[] } {
	const ids = new Set(taken);
	const objects: SceneObjectView[] = [];
	const refused: string[] = [];
	for (const file of files) {
		try {
			const source = sourceFor(sceneFile, file, path);
			const name = objectName(file, path);
			const id = uniqueId(name, ids);
			ids.add(id);
			objects.push({ id, name, source, transform: structuredClone(IDENTITY_TRANSFORM) as SceneObjectView['transform'] });
		} catch (error) {
			if (!(error instanceof SourceError)) throw error;
			refused.push(error.message);
		}
	}
	return { objects, refused };
}

function root(path: PathModule, file: string): string {
	return path.parse(path.resolve(file)).root.toLowerCase();
}
