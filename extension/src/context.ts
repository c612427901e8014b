// What every command and provider shares: the daemon connection, the log, the status bar, and the record of
// which files on disk came from which daemon asset (needed to export or send a model later).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { JobView } from '../../daemon/src/protocol/events';
import type { Connection } from './daemon/connection';
import type { Log } from './log';
import type { StatusBar } from './status-bar';

export interface Orfeas {
	readonly extension: vscode.ExtensionContext;
	readonly connection: Connection;
	readonly log: Log;
	readonly status: StatusBar;
	readonly assets: AssetIndex;
}

interface Entry {
	assetId: string;
	sha256: string;
}

const KEY = 'orfeas.assets';
/** Files remembered; the oldest are forgotten first. */
const MAX_ENTRIES = 2000;

/** Which daemon asset a model file on disk is, by path (remembered) or by content (asked from the daemon). */
export class AssetIndex {
	constructor(
		private readonly state: vscode.Memento,
		private readonly connection: Connection,
	) {}

	async remember(file: string, assetId: string, bytes: Uint8Array): Promise<void> {
		const entries = { ...this.state.get<Record<string, Entry>>(KEY, {}) };
		delete entries[file];
		entries[file] = { assetId, sha256: sha256(bytes) };
		const keys = Object.keys(entries);
		for (const key of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete entries[key];
		await this.state.update(KEY, entries);
	}

	/** The asset id of `file`, or null when neither this editor nor the daemon knows the file's content. */
	async lookup(file: string): Promise<string | null> {
		const bytes = await readFile(file);
		const hash = sha256(bytes);
		const known = this.state.get<Record<string, Entry>>(KEY, {})[file];
		if (known && known.sha256 === hash) return known.assetId;
		// Written by another client (the CLI, a colleague's editor on this machine): find the job whose output it is.
		const client = await this.connection.get();
		const reply = await client.request({ type: 'job.list', state: 'done', limit: 1000 });
		const jobs = (reply as { jobs?: JobView[] }).jobs ?? [];
		const job = jobs.find((j) => j.assetId && j.files?.some((f) => f.sha256 === hash));
		if (!job?.assetId) return null;
		await this.remember(file, job.assetId, bytes);
		return job.assetId;
	}
}

function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}
