// The language-neutral protocol vectors in test/protocol-vectors/ (format in its README): loading one folder
// and the exact text frame a client vector stands for. Shared by the schema test and the daemon test.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const VECTORS_DIR = path.resolve(__dirname, '../protocol-vectors');

export type VectorFolder = 'client/valid' | 'client/invalid' | 'daemon/valid' | 'daemon/invalid' | 'frames';

export interface ClientVector {
	description: string;
	frame: 'text';
	/** The message object, sent as its JSON text. */
	json?: unknown;
	/** The exact text of the frame, for what `json` cannot express (broken JSON, `256.0`, whitespace). */
	raw?: string;
	expect: { valid: true; type: string } | { valid: false; code: string; field?: string; re?: string };
}

export interface DaemonVector {
	description: string;
	/** `binary` when the message is the header of a binary frame (`asset`). */
	frame: 'text' | 'binary';
	json: Record<string, unknown>;
	expect: { valid: boolean };
}

export interface FrameVector {
	description: string;
	hex: string;
	expect: { valid: true; header: unknown; payloadHex: string } | { valid: false; code: string };
}

export interface Loaded<T> {
	/** File name without `.json`. */
	name: string;
	vector: T;
}

/** Every vector of a folder, sorted by file name. */
export function loadVectors<T>(folder: VectorFolder): Loaded<T>[] {
	const dir = path.join(VECTORS_DIR, folder);
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ name: file.slice(0, -'.json'.length), vector: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T }));
}

/** The text frame a client vector describes: `raw` verbatim, else `json` serialised. */
export function clientText(vector: ClientVector): string {
	if (vector.raw !== undefined) return vector.raw;
	if (!('json' in vector)) throw new Error(`vector "${vector.description}" has neither json nor raw`);
	return JSON.stringify(vector.json);
}
