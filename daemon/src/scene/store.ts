// Daemon-held scenes ($ORFEAS_HOME/scenes/<sceneId>.json): the document, its revision and the folder its relative
// paths start from. Every change bumps the revision and is written atomically before it is answered; an edit made
// against an older revision is refused with E_CONFLICT, so two editors cannot silently overwrite each other.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../jobs/atomic';
import type { Home } from '../jobs/home';
import { randomId } from '../jobs/record';
import { OrfeasError } from '../protocol/errors';
import { checkClientPath } from '../paths';
import { emptyScene, SceneDocument, type SceneDocumentView, type SceneOpView } from '../protocol/scene';
import { applyOps } from './ops';

export interface HeldScene {
	sceneId: string;
	revision: number;
	/** Absolute folder the document's relative paths start from (the folder of its file), when known. */
	base?: string;
	document: SceneDocumentView;
	updatedAt: string;
}

/** Told of every committed change; `origin` is whoever asked for it (a session), when known. */
export type SceneListener = (scene: HeldScene, origin?: unknown) => void;

export class SceneStore {
	private readonly scenes = new Map<string, HeldScene>();
	private readonly listeners = new Set<SceneListener>();

	constructor(private readonly home: Home) {}

	/** Registers a listener of committed changes; returns its removal. */
	onChange(listener: SceneListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** A new scene from `document` (an empty one when absent); `base` must be an absolute folder. */
	async create(document: SceneDocumentView | undefined, base: string | undefined): Promise<HeldScene> {
		if (base !== undefined && !path.isAbsolute(base)) {
			throw new OrfeasError('E_PATH', `The scene's base folder must be absolute (got "${base}"): the folder of the .orfeas-scene.json file.`, { field: 'base' });
		}
		if (base !== undefined) checkClientPath(base, path, { field: 'base' });
		const scene: HeldScene = { sceneId: `sc_${randomId(20)}`, revision: 0, ...(base ? { base: path.resolve(base) } : {}), document: document ?? emptyScene('Scene'), updatedAt: new Date().toISOString() };
		await this.save(scene);
		return scene;
	}

	/** The scene, from memory or its file; E_NOT_FOUND when there is none. */
	async get(sceneId: string): Promise<HeldScene> {
		const known = this.scenes.get(sceneId);
		if (known) return known;
		let text: string;
		try {
			text = await readFile(this.file(sceneId), 'utf8');
		} catch {
			throw new OrfeasError('E_NOT_FOUND', `No scene ${sceneId}. Create it with scene.create.`);
		}
		const stored = JSON.parse(text) as HeldScene;
		const scene: HeldScene = { ...stored, document: SceneDocument.parse(stored.document) };
		this.scenes.set(sceneId, scene);
		return scene;
	}

	/** Applies edits made against `revision` (any revision when undefined); the new revision is the old + 1. */
	async update(sceneId: string, revision: number | undefined, ops: readonly SceneOpView[], origin?: unknown): Promise<HeldScene> {
		await this.get(sceneId);
		// Read, checked and committed in one tick: an update that waited for the file cannot act on a revision
		// another update has replaced meanwhile.
		const scene = this.scenes.get(sceneId)!;
		this.checkRevision(scene, revision);
		if (ops.length === 0) return scene;
		return this.commit(scene, applyOps(scene.document, ops), origin);
	}

	/** Replaces the document as a whole after a check of `revision` (layout uses this). */
	async replace(sceneId: string, revision: number | undefined, document: SceneDocumentView, origin?: unknown): Promise<HeldScene> {
		await this.get(sceneId);
		const scene = this.scenes.get(sceneId)!;
		this.checkRevision(scene, revision);
		return this.commit(scene, document, origin);
	}

	private checkRevision(scene: HeldScene, revision: number | undefined): void {
		if (revision !== undefined && revision !== scene.revision) {
			throw new OrfeasError('E_CONFLICT', `Scene ${scene.sceneId} is at revision ${scene.revision}, not ${revision}: someone changed it. Get it again (scene.get) and redo the edit.`, { revision: scene.revision });
		}
	}

	private async commit(scene: HeldScene, document: SceneDocumentView, origin: unknown): Promise<HeldScene> {
		// Memory first, in the same tick as the revision check, so two updates cannot both pass the check.
		const next: HeldScene = { ...scene, revision: scene.revision + 1, document, updatedAt: new Date().toISOString() };
		this.scenes.set(scene.sceneId, next);
		await writeFileAtomic(this.file(scene.sceneId), `${JSON.stringify(next, null, '\t')}\n`);
		for (const listener of this.listeners) listener(next, origin);
		return next;
	}

	private async save(scene: HeldScene): Promise<void> {
		this.scenes.set(scene.sceneId, scene);
		await writeFileAtomic(this.file(scene.sceneId), `${JSON.stringify(scene, null, '\t')}\n`);
	}

	private file(sceneId: string): string {
		return path.join(this.home.scenes, `${sceneId}.json`);
	}
}
