// Seeded hostile WebSocket frames for the daemon's robustness tests: random bytes, random text and JSON,
// valid requests with fields deleted, retyped, blown up into huge strings or deep nesting, and binary frames
// whose header length lies. Every frame is reproducible from (seed, index).
import { encodeFrame } from '../../daemon/src/protocol/frames';
import { mulberry32 } from './random';

export interface HostileFrame {
	kind: string;
	data: string | Uint8Array;
	binary: boolean;
}

export interface HostileOptions {
	/** An absolute path to a picture that does not exist, for generate requests that must not start jobs. */
	missingImage: string;
}

type Rand = () => number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const KINDS = ['bytes', 'text', 'json', 'valid', 'mutated', 'mutated', 'mutated', 'binary', 'bad-header', 'huge', 'deep'] as const;
const KEYS = ['type', 'id', 'image', 'path', 'inline', 'upload', 'options', 'jobId', 'assetId', '__proto__', 'constructor', 'token', 'protocol', ''];
const TYPES = ['ping', 'hello', 'generate', 'cancel', 'job.get', 'job.list', 'asset.get', 'models.load', 'push', 'export', 'subscribe', 'scene.get', 'toString', '__proto__', 'PING', ''];

const int = (rand: Rand, below: number) => Math.floor(rand() * below);
const pick = <T>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)];
const word = (rand: Rand, alphabet: string, length: number) => Array.from({ length }, () => alphabet[int(rand, alphabet.length)]).join('');
const jobId = (rand: Rand) => `j_${word(rand, 'abcdefghijklmnopqrstuvwxyz0123456789', 20)}`;
const assetId = (rand: Rand) => word(rand, '0123456789abcdef', 64);

/** Any string, including controls, quotes, non-BMP characters and lone surrogates. */
function randomString(rand: Rand, length: number): string {
	let s = '';
	for (let i = 0; i < length; i++) {
		const r = rand();
		s += r < 0.6 ? String.fromCharCode(32 + int(rand, 95)) : r < 0.8 ? String.fromCharCode(int(rand, 32)) : String.fromCodePoint(int(rand, 0x10ffff + 1));
	}
	return s;
}

function randomValue(rand: Rand, depth: number): Json {
	const r = rand();
	if (depth <= 0 || r < 0.55) {
		return pick(rand, [null, true, false, 0, -1, 1.5, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, int(rand, 5000), randomString(rand, int(rand, 20)), '', '*', 'j_', '/', '..', '../../daemon.json']);
	}
	if (r < 0.8) return Array.from({ length: int(rand, 5) }, () => randomValue(rand, depth - 1));
	const object: { [key: string]: Json } = {};
	for (let i = int(rand, 5); i > 0; i--) object[rand() < 0.5 ? pick(rand, KEYS) : randomString(rand, int(rand, 8))] = randomValue(rand, depth - 1);
	return object;
}

/** Requests that are valid as sent yet cannot start work: unknown ids, a missing picture, a repeated hello. */
function validMessage(rand: Rand, id: string, options: HostileOptions): { [key: string]: Json } {
	const messages: Array<{ [key: string]: Json }> = [
		{ type: 'ping' },
		{ type: 'job.list', state: 'done', limit: 5 },
		{ type: 'job.get', jobId: jobId(rand) },
		{ type: 'cancel', jobId: jobId(rand) },
		{ type: 'subscribe', jobId: jobId(rand) },
		{ type: 'unsubscribe', jobId: jobId(rand) },
		{ type: 'asset.get', assetId: assetId(rand), file: 'model.glb' },
		{ type: 'models.list' },
		{ type: 'models.load', modelId: word(rand, 'abc:', 8) },
		{ type: 'export', assetId: assetId(rand), format: 'glb' },
		{ type: 'push', target: 'blender', assetId: assetId(rand), placement: { position: [1, 2, 3] } },
		{ type: 'generate', image: { path: options.missingImage }, options: { resolution: 64, textureSize: 512 }, name: 'hostile' },
		{ type: 'generate', image: { upload: `u_${word(rand, 'abcdefghijklmnopqrstuvwxyz0123456789', 20)}` } },
		{ type: 'hello', protocol: 1, client: { name: 'again', version: '1' } },
		{ type: 'scene.get', sceneId: `sc_${word(rand, 'abcdefghijklmnopqrstuvwxyz0123456789', 20)}` },
	];
	return { ...pick(rand, messages), id };
}

/** Every path to a value inside `value` (object keys and array indices). */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
	if (value === null || typeof value !== 'object') return [];
	const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
	return keys.flatMap((k) => [[...prefix, k], ...paths((value as Record<string | number, Json>)[k], [...prefix, k])]);
}

function setAt(root: Json, at: Array<string | number>, replace: (old: Json) => Json | undefined): void {
	let node = root as Record<string | number, Json>;
	for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, Json>;
	const last = at[at.length - 1];
	const next = replace(node[last]);
	if (next === undefined) delete node[last];
	else node[last] = next;
}

/** Stands for the deep value in a message until it is serialised (JSON.stringify itself recurses). */
const DEEP = '\u2063deep\u2063';

/** Nesting `depth` levels deep, as JSON text. */
function deepText(rand: Rand, depth: number): string {
	const arrays = rand() < 0.5;
	return arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
}

function huge(rand: Rand): string {
	// Mostly tens of kilobytes; one in ten a megabyte.
	const size = rand() < 0.1 ? 1_000_000 + int(rand, 100_000) : 10_000 + int(rand, 90_000);
	return rand() < 0.5 ? 'A'.repeat(size) : randomString(rand, 200).repeat(Math.ceil(size / 200));
}

function mutate(rand: Rand, message: { [key: string]: Json }, how: 'any' | 'huge' | 'deep'): void {
	const rounds = how === 'any' ? 1 + int(rand, 3) : 1;
	for (let i = 0; i < rounds; i++) {
		const at = pick(rand, paths(message));
		const r = rand();
		if (how === 'huge') setAt(message, at, () => huge(rand));
		else if (how === 'deep') setAt(message, at, () => DEEP);
		else if (r < 0.25) setAt(message, at, () => undefined);
		else if (r < 0.5) setAt(message, at, () => randomValue(rand, 3));
		else if (r < 0.6) message.type = pick(rand, TYPES);
		else if (r < 0.7) message[randomString(rand, 1 + int(rand, 10))] = randomValue(rand, 2);
		else if (r < 0.8) message.id = pick(rand, [7, '', 'x'.repeat(65), null, ['a'], { id: 'a' }]);
		else if (r < 0.9) setAt(message, at, (old) => (typeof old === 'string' ? `${old}${randomString(rand, 3)}` : typeof old === 'number' ? -old * 1e6 : [old]));
		else setAt(message, at, () => pick(rand, ['', '*', '..', '/etc/passwd', 'images/a.png', '\u0000', -1, 0, 1e9]));
	}
}

function randomBytes(rand: Rand, length: number): Uint8Array {
	return Uint8Array.from({ length }, () => int(rand, 256));
}

/** A binary frame whose 4-byte header length does not describe it. */
function badHeader(rand: Rand, id: string): Uint8Array {
	const frame = encodeFrame({ type: 'ping', id }, randomBytes(rand, int(rand, 64)));
	const headerLength = new DataView(frame.buffer).getUint32(0, false);
	const lie = pick(rand, [0, frame.length, frame.length - 3, headerLength + 1, headerLength - 1, 0xffffffff, 65_537, int(rand, 2 ** 32)]);
	new DataView(frame.buffer).setUint32(0, lie >>> 0, false);
	// Some frames are cut short, to or below the 4 length bytes.
	return rand() < 0.15 ? frame.subarray(0, int(rand, 5)) : frame;
}

/** The `index`-th hostile frame of the sequence `seed`. */
export function hostileFrame(seed: number, index: number, options: HostileOptions): HostileFrame {
	const rand = mulberry32((seed * 0x9e3779b1 + index) >>> 0);
	const id = `h${index}`;
	const kind = pick(rand, KINDS);
	switch (kind) {
		case 'bytes':
			return { kind, binary: true, data: randomBytes(rand, rand() < 0.1 ? int(rand, 100_000) : int(rand, 300)) };
		case 'text':
			return { kind, binary: false, data: randomString(rand, int(rand, 300)) };
		case 'json':
			return { kind, binary: false, data: JSON.stringify(randomValue(rand, 4)) ?? 'null' };
		case 'valid':
			return { kind, binary: false, data: JSON.stringify(validMessage(rand, id, options)) };
		case 'binary': {
			const message = validMessage(rand, id, options);
			if (message.type === 'generate') message.image = { inline: true };
			if (rand() < 0.5) mutate(rand, message, 'any');
			return { kind, binary: true, data: encodeFrame(message, randomBytes(rand, int(rand, 4096))) };
		}
		case 'bad-header':
			return { kind, binary: true, data: badHeader(rand, id) };
		default: {
			const message = validMessage(rand, id, options);
			mutate(rand, message, kind === 'mutated' ? 'any' : kind);
			const text = JSON.stringify(message);
			return { kind, binary: false, data: kind === 'deep' ? text.replace(JSON.stringify(DEEP), deepText(rand, rand() < 0.1 ? 100_000 + int(rand, 100_000) : 1000 + int(rand, 4000))) : text };
		}
	}
}
