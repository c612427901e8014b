// Auto layout through the daemon. The document as the editor holds it (saved or not) goes to a daemon-held scene
// whose base is the file's folder, scene.layout arranges it, and its document comes back for edits.ts to take
// the positions from. One daemon scene per editor document is kept and replaced on every layout, so repeated
// layouts do not leave a new scene file in the daemon's home each time.
import type { DaemonMessage, DaemonMessageOf } from '../../../daemon/src/protocol/events';
import type { LayoutMode, SceneDocumentView } from '../../../daemon/src/protocol/scene';
import { DaemonError } from '../daemon/client';

/** The part of DaemonClient this needs. */
export interface SceneRequester {
	request(message: { type: string; [key: string]: unknown }): Promise<DaemonMessage>;
}

type SceneReply = DaemonMessageOf<'scene'>;

interface Held {
	sceneId: string;
	base: string;
}

export class DaemonScenes {
	private readonly held = new Map<string, Held>();

	/** `client` connects (starting the daemon) on first use. */
	constructor(private readonly client: () => Promise<SceneRequester>) {}

	/**
	 * `document` laid out by the daemon in `mode`. `key` names the editor document (its URI); `base` is the
	 * absolute folder its relative paths start from. Rejects with the daemon's DaemonError (E_NOT_FOUND for a
	 * missing model, E_CONFLICT for a picture not generated yet).
	 */
	async layout(key: string, document: SceneDocumentView, base: string, mode: LayoutMode): Promise<SceneDocumentView> {
		const client = await this.client();
		const { sceneId, revision } = await this.push(client, key, document, base);
		const reply = (await client.request({ type: 'scene.layout', sceneId, revision, mode })) as SceneReply;
		return reply.document;
	}

	/** The daemon scene of `key` (if one was made), for commands that act on it. */
	sceneId(key: string): string | undefined {
		return this.held.get(key)?.sceneId;
	}

	/** Forgets the daemon scene of a closed document (the daemon keeps its file; it is small). */
	forget(key: string): void {
		this.held.delete(key);
	}

	/** The daemon scene holding `document` now (created or replaced), and its revision: what build, export and send act on. */
	async sync(key: string, document: SceneDocumentView, base: string): Promise<{ sceneId: string; revision: number }> {
		return this.push(await this.client(), key, document, base);
	}

	private async push(client: SceneRequester, key: string, document: SceneDocumentView, base: string): Promise<{ sceneId: string; revision: number }> {
		const held = this.held.get(key);
		if (held && held.base === base) {
			try {
				const reply = (await client.request({ type: 'scene.update', sceneId: held.sceneId, ops: [{ op: 'replace', document }] })) as SceneReply;
				return { sceneId: reply.sceneId, revision: reply.revision };
			} catch (error) {
				// Another daemon home since (a setting changed, a new daemon): make the scene again.
				if (!(error instanceof DaemonError && error.code === 'E_NOT_FOUND')) throw error;
			}
		}
		const created = (await client.request({ type: 'scene.create', document, base })) as SceneReply;
		this.held.set(key, { sceneId: created.sceneId, base });
		return { sceneId: created.sceneId, revision: created.revision };
	}
}
