// The models behind a scene's objects: a model file named relative to the scene's folder, or the asset a picture
// was generated into. Each distinct model is read once (objects that share it are instances of it); paths get the
// same checks as pictures (inside no one's daemon home, an existing regular .glb file).
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadGlb } from '../export/load-glb';
import type { ExportScene } from '../export/scene';
import { readAsset } from '../jobs/assets';
import type { Home } from '../jobs/home';
import { checkClientPath, contains, type PathModule } from '../paths';
import { OrfeasError } from '../protocol/errors';
import type { SceneDocumentView, SceneObjectView } from '../protocol/scene';
import type { SceneModel } from './export';
import { localMatrix, multiply, transformBox, type Box, type Mat4 } from './transform';

/** Largest model file a scene may name. */
const MAX_MODEL_BYTES = 512 * 1024 * 1024;

/**
 * Reads the model of every object; throws E_PATH / E_NOT_FOUND naming the object and the file, or E_CONFLICT for
 * a picture that has not been generated yet (build the scene first).
 */
export async function loadSceneModels(document: SceneDocumentView, base: string | undefined, home: Home): Promise<Map<string, SceneModel>> {
	const byKey = new Map<string, Promise<ExportScene>>();
	const models = new Map<string, SceneModel>();
	for (const object of document.objects) {
		const { key, read } = await locate(object, base, home);
		if (!byKey.has(key)) byKey.set(key, read().then((bytes) => loadGlb(bytes, { name: object.name })));
		models.set(object.id, { key, model: await byKey.get(key)! });
	}
	return models;
}

/**
 * Each top-level object's box in its own frame (before its transform), its descendants' models included, as
 * layout needs them.
 */
export function rootBounds(document: SceneDocumentView, models: ReadonlyMap<string, SceneModel>): Map<string, Box> {
	const byId = new Map(document.objects.map((o) => [o.id, o]));
	const rootOf = (o: SceneObjectView): SceneObjectView => (o.parent === undefined ? o : rootOf(byId.get(o.parent)!));
	// Matrix of each object relative to its root's frame: the chain of local matrices below the root.
	const relative = new Map<string, Mat4>();
	const relativeOf = (o: SceneObjectView): Mat4 => {
		const known = relative.get(o.id);
		if (known) return known;
		const matrix = o.parent === undefined ? localMatrix({ position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] }) : multiply(relativeOf(byId.get(o.parent)!), localMatrix(o.transform));
		relative.set(o.id, matrix);
		return matrix;
	};
	const boxes = new Map<string, Box>();
	for (const object of document.objects) {
		const own = transformBox(relativeOf(object), modelBox(models.get(object.id)!.model));
		const root = rootOf(object).id;
		const sofar = boxes.get(root);
		boxes.set(root, sofar ? { min: [0, 1, 2].map((k) => Math.min(sofar.min[k], own.min[k])) as Box['min'], max: [0, 1, 2].map((k) => Math.max(sofar.max[k], own.max[k])) as Box['max'] } : own);
	}
	return boxes;
}

/** The box around a model's full mesh, in its own frame. */
export function modelBox(model: ExportScene): Box {
	const p = model.lods[0].positions;
	const box: Box = { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
	for (let i = 0; i < p.length; i += 3) {
		for (let k = 0; k < 3; k++) {
			box.min[k] = Math.min(box.min[k], p[i + k]);
			box.max[k] = Math.max(box.max[k], p[i + k]);
		}
	}
	return box;
}

async function locate(object: SceneObjectView, base: string | undefined, home: Home): Promise<{ key: string; read: () => Promise<Uint8Array> }> {
	const source = object.source;
	if ('model' in source) {
		if (base === undefined) {
			throw new OrfeasError('E_PATH', `Object "${object.id}" names ${source.model}, but the scene has no base folder: create it with the folder of its file (scene.create.base).`);
		}
		const file = resolveSceneFile(base, source.model);
		return { key: file, read: () => readModelFile(file, object, home) };
	}
	if (source.assetId === undefined) {
		throw new OrfeasError('E_CONFLICT', `Object "${object.id}" has no model yet: generate it from ${source.image} first (build the scene).`);
	}
	const asset = await readAsset(home, source.assetId);
	const glb = asset?.files.find((f) => f.format === 'glb');
	if (!asset || !glb) throw new OrfeasError('E_NOT_FOUND', `Object "${object.id}": the daemon no longer has asset ${source.assetId}; build the scene again.`);
	return { key: asset.assetId, read: () => readFile(path.join(home.assetDir(asset.assetId), glb.name)) };
}

/**
 * The file a scene names relative to its base folder, held to the rules for paths a client names (paths.ts): on
 * Windows, `models/con.glb` or `pics/a:b.png` resolve to a device or a data stream and are refused with E_PATH.
 */
export function resolveSceneFile(base: string, relative: string, p: PathModule = path): string {
	const file = p.resolve(base, relative);
	checkClientPath(file, p);
	return file;
}

async function readModelFile(file: string, object: SceneObjectView, home: Home): Promise<Uint8Array> {
	if (path.extname(file).toLowerCase() !== '.glb') {
		throw new OrfeasError('E_PATH', `Object "${object.id}": ${path.basename(file)} is not a .glb file; scenes place binary glTF models.`);
	}
	let real: string;
	try {
		real = await realpath(file);
	} catch {
		throw new OrfeasError('E_NOT_FOUND', `Object "${object.id}": ${file} does not exist or cannot be read.`);
	}
	const realRoot = await realpath(home.root).catch(() => home.root);
	if (contains(home.root, real) || contains(realRoot, real)) {
		throw new OrfeasError('E_PATH', `Object "${object.id}": models inside the Orfeas home folder cannot be placed by path.`);
	}
	const info = await stat(real);
	if (!info.isFile()) throw new OrfeasError('E_PATH', `Object "${object.id}": ${file} is not a regular file.`);
	if (info.size > MAX_MODEL_BYTES) throw new OrfeasError('E_PATH', `Object "${object.id}": ${path.basename(file)} is larger than ${MAX_MODEL_BYTES / 2 ** 20} MiB.`);
	return readFile(real);
}
