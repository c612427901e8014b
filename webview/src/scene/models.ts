// The scene view's models by relative path: asked of the host once, parsed once with the previewer's GLTFLoader
// wrapper, and shared by every object that names the same file (each object draws a clone that shares the
// geometry and materials). A path no object names any more is dropped and its GPU memory freed.
import type { Object3D } from 'three';
import { disposeObject } from '../dispose';
import { parseGltf } from '../preview/gltf';
import { hideColliders, levels, showLevel } from '../preview/lods';

export type ModelEntry = { state: 'pending' } | { state: 'loaded'; scene: Object3D } | { state: 'failed'; message: string };

export class ModelCache {
	private readonly entries = new Map<string, ModelEntry>();
	/** Parses still running, so a newer copy of the same file wins over an older one. */
	private readonly tickets = new Map<string, number>();
	private nextTicket = 0;

	get(path: string): ModelEntry | undefined {
		return this.entries.get(path);
	}

	/** Of `paths`, those not asked for yet; they are marked pending. */
	request(paths: Iterable<string>): string[] {
		const missing = [...new Set(paths)].filter((p) => !this.entries.has(p));
		for (const p of missing) this.entries.set(p, { state: 'pending' });
		return missing;
	}

	/** Whether every one of `paths` is loaded or failed. */
	settled(paths: Iterable<string>): boolean {
		for (const p of paths) if (this.entries.get(p)?.state !== 'loaded' && this.entries.get(p)?.state !== 'failed') return false;
		return true;
	}

	/**
	 * Parses a model's bytes; resolves with the entry it became, or undefined when the path is no longer wanted or
	 * newer bytes arrived meanwhile. Only LOD0 is shown and colliders are hidden, as in the previewer.
	 */
	async load(path: string, bytes: Uint8Array): Promise<ModelEntry | undefined> {
		const ticket = ++this.nextTicket;
		this.tickets.set(path, ticket);
		let entry: ModelEntry;
		try {
			const { scene } = await parseGltf({ format: 'glb', bytes });
			hideColliders(scene);
			showLevel(levels(scene), 0);
			entry = { state: 'loaded', scene };
		} catch (error) {
			entry = { state: 'failed', message: `${path} could not be read: ${error instanceof Error ? error.message : String(error)}` };
		}
		if (this.tickets.get(path) !== ticket || !this.entries.has(path)) {
			if (entry.state === 'loaded') disposeObject(entry.scene);
			return undefined;
		}
		this.tickets.delete(path);
		this.replace(path, entry);
		return entry;
	}

	fail(path: string, message: string): void {
		if (this.entries.has(path)) this.replace(path, { state: 'failed', message });
	}

	/** Frees every model not in `keep`. Call after the objects that drew them are gone. */
	retain(keep: ReadonlySet<string>): void {
		for (const p of [...this.entries.keys()]) {
			if (keep.has(p)) continue;
			this.replace(p, undefined);
			this.tickets.delete(p);
		}
	}

	private replace(path: string, entry: ModelEntry | undefined): void {
		const old = this.entries.get(path);
		if (old?.state === 'loaded') disposeObject(old.scene);
		if (entry) this.entries.set(path, entry);
		else this.entries.delete(path);
	}
}
