// Generation servers the user has added (`orfeas backends add`), kept in ORFEAS_HOME/backends.json: a name to use
// as a model, the server's kind (hunyuan3d) and URL, the options sent with every job, and the last health check.
// The model registry lists them as models of kind `remote`; the remote generator (generators/remote) talks to
// them. Only http(s) URLs are accepted, without credentials in them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../jobs/atomic';
import type { Home } from '../jobs/home';
import { OrfeasError } from '../protocol/errors';

export const BACKEND_KINDS = ['hunyuan3d'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** Defaults a backend gets when `backends add` leaves them out. */
export const BACKEND_DEFAULTS = { texture: false, timeoutS: 900, maxReplyMB: 256 } as const;

export const BackendSchema = z.object({
	name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, 'lower-case letters, digits, dot, dash or underscore'),
	kind: z.enum(BACKEND_KINDS),
	url: z.string().url(),
	/** Ask the server for its textured model (slower; more GPU memory). */
	texture: z.boolean().default(BACKEND_DEFAULTS.texture),
	steps: z.number().int().min(1).max(200).optional(),
	octree: z.number().int().min(16).max(1024).optional(),
	seed: z.number().int().min(0).optional(),
	/** A job that has not finished after this many seconds fails (E_BACKEND). */
	timeoutS: z.number().int().min(10).max(24 * 3600).default(BACKEND_DEFAULTS.timeoutS),
	/** Largest reply accepted from the server, base64 included, in MiB. */
	maxReplyMB: z.number().min(0.01).max(4096).default(BACKEND_DEFAULTS.maxReplyMB),
	addedAt: z.string(),
	lastCheck: z.object({ at: z.string(), ok: z.boolean(), message: z.string() }).optional(),
});

export type Backend = z.infer<typeof BackendSchema>;
export type BackendInput = Omit<z.input<typeof BackendSchema>, 'addedAt' | 'lastCheck'>;

const FileSchema = z.object({ version: z.literal(1), backends: z.array(BackendSchema) });

export function backendsFile(home: Home): string {
	return path.join(home.root, 'backends.json');
}

/** Every configured backend; none when the file is missing. A broken file is an error that says where it is. */
export async function readBackends(home: Home): Promise<Backend[]> {
	let text: string;
	try {
		text = await readFile(backendsFile(home), 'utf8');
	} catch {
		return [];
	}
	const parsed = FileSchema.safeParse(safeJson(text));
	if (!parsed.success) {
		throw new OrfeasError('E_BAD_MESSAGE', `${backendsFile(home)} is not a valid backends file (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}). Fix or delete it, then add the backends again.`);
	}
	return parsed.data.backends;
}

async function writeBackends(home: Home, backends: Backend[]): Promise<void> {
	await home.prepare();
	await writeFileAtomic(backendsFile(home), `${JSON.stringify({ version: 1, backends }, null, 1)}\n`);
}

/** Checks a server URL: http or https, a host, no user name or password in it. */
export function checkServerUrl(url: string): URL {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new OrfeasError('E_BAD_MESSAGE', `"${url}" is not a URL. Give the server's address, e.g. http://gpu-box:8081.`, { field: 'url' });
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new OrfeasError('E_BAD_MESSAGE', `A generation server is reached over http or https, not ${parsed.protocol.replace(':', '')}: give an address like http://gpu-box:8081.`, { field: 'url' });
	}
	if (parsed.username || parsed.password) {
		throw new OrfeasError('E_BAD_MESSAGE', 'Leave the user name and password out of the server URL: they would be stored in plain text.', { field: 'url' });
	}
	return parsed;
}

/**
 * Adds (or with `replace` updates) a backend. `taken` says whether a name is already a model's, so a backend never
 * hides one.
 */
export async function addBackend(home: Home, input: BackendInput, options: { replace?: boolean; taken?: (name: string) => boolean } = {}): Promise<Backend> {
	checkServerUrl(input.url);
	const parsed = BackendSchema.safeParse({ ...input, addedAt: new Date().toISOString() });
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new OrfeasError('E_BAD_MESSAGE', `Backend ${issue.path.join('.') || 'entry'}: ${issue.message}.`, { field: issue.path.join('.') });
	}
	const backend = parsed.data;
	if (options.taken?.(backend.name)) throw new OrfeasError('E_CONFLICT', `"${backend.name}" is already a model's name; give the backend another name.`);
	const backends = await readBackends(home);
	const at = backends.findIndex((b) => b.name === backend.name);
	if (at >= 0 && !options.replace) throw new OrfeasError('E_CONFLICT', `A backend "${backend.name}" exists already. Remove it first (orfeas backends rm ${backend.name}), or pick another name.`);
	if (at >= 0) backends[at] = backend;
	else backends.push(backend);
	await writeBackends(home, backends);
	return backend;
}

export async function removeBackend(home: Home, name: string): Promise<void> {
	const backends = await readBackends(home);
	if (!backends.some((b) => b.name === name)) throw new OrfeasError('E_NOT_FOUND', `No backend "${name}". See them with: orfeas backends list`);
	await writeBackends(home, backends.filter((b) => b.name !== name));
}

/** Keeps the outcome of a health check with the backend (listed as reachable or not, and when). */
export async function recordCheck(home: Home, name: string, ok: boolean, message: string): Promise<void> {
	const backends = await readBackends(home);
	const backend = backends.find((b) => b.name === name);
	if (!backend) return;
	backend.lastCheck = { at: new Date().toISOString(), ok, message };
	await writeBackends(home, backends);
}

/** What identifies a backend's results: its kind, address and the options it sends (the cache key includes it). */
export function backendIdentity(backend: Backend): Record<string, unknown> {
	const { kind, url, texture, steps, octree, seed } = backend;
	return { kind, url, texture, steps, octree, seed };
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
