// Pulls a model's files into $ORFEAS_HOME/models/<id>/: each file is streamed into `<home>/tmp/pull-<id>/` (resumed
// with a Range request after an interruption), checked against the manifest's size and sha256, and the folder is
// installed in one rename (install.ts). The registry then finds the model; manifest.ts declares what a file is.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Home } from '../jobs/home';
import { isAbortError, OrfeasError } from '../protocol/errors';
import { claimStaging, installStaged, PART_SUFFIX, reclaimPart, stagingDir } from './install';
import type { ModelManifest } from './manifest';
import { INSTALLED_MANIFEST } from './registry';

export { removeModel } from './install';

export interface PullProgress {
	/** The file being transferred, as named in the manifest. */
	file: string;
	/** Bytes of that file on disk so far (a resumed file starts where it stopped). */
	received: number;
	/** Its size, from the manifest or else from the server; absent when neither says. */
	total?: number;
	/** Of the whole pull, 0 to 1; never goes back, and the last event is 1. */
	fraction: number;
}

export interface PullOptions {
	signal?: AbortSignal;
	onProgress?: (progress: PullProgress) => void;
	/** Pull a model whose licence is not permissive (the user has read and accepted it). */
	acceptLicence?: boolean;
	/** The HTTP client; the global fetch unless a test or a proxy-aware caller passes another. */
	fetch?: typeof fetch;
	/** Fewest milliseconds between two progress events (events at file boundaries always go out). */
	progressIntervalMs?: number;
	/** A transfer that receives nothing for this long is given up (E_MODEL_LOAD); pulling again resumes it. */
	idleTimeoutMs?: number;
}

export const PULL_DEFAULTS = {
	progressIntervalMs: 100,
	idleTimeoutMs: 60_000,
} as const;

export interface PulledModel {
	/** The installed folder, `<home>/models/<id>/`. */
	dir: string;
	/** Every file as verified on disk; `sha256` is computed whether or not the manifest states one. */
	files: Array<{ name: string; bytes: number; sha256: string }>;
}

type ModelFile = ModelManifest['files'][number];

/**
 * Downloads, verifies and installs a model. Any failure leaves the existing install (if any) untouched and the
 * staging folder in place, so pulling again resumes; a file that fails verification is deleted so the next pull
 * fetches it afresh.
 *
 * @example
 * const manifest = registry.manifest('u2netp');
 * const { dir } = await pullModel(manifest, home, { signal, onProgress: (p) => bar.update(p.fraction) });
 */
export async function pullModel(manifest: ModelManifest, home: Home, options: PullOptions = {}): Promise<PulledModel> {
	const { signal, acceptLicence = false } = options;
	const licence = manifest.licence;
	if (!licence.permissive && !acceptLicence) {
		throw new OrfeasError(
			'E_MODEL_MISSING',
			`Model "${manifest.id}" is under the ${licence.id} licence, which does not allow every use${licence.url ? ` (read it at ${licence.url})` : ''}. ` +
				`To pull it anyway, accept the licence with: orfeas models pull ${manifest.id} --accept-licence`,
			{ model: manifest.id, licence: licence.id, url: licence.url },
		);
	}
	const names = manifest.files.map((f) => f.name);
	if (new Set(names).size !== names.length || names.includes(INSTALLED_MANIFEST)) {
		throw new OrfeasError('E_MODEL_LOAD', `Model "${manifest.id}": file names must differ from each other and from ${INSTALLED_MANIFEST}.`);
	}
	throwIfCancelled(manifest.id, signal);

	const staging = stagingDir(home, manifest.id);
	const release = claimStaging(staging, manifest.id);
	try {
		await mkdir(staging, { recursive: true, mode: 0o700 });
		const progress = progressReporter(manifest.files, options.onProgress, options.progressIntervalMs ?? PULL_DEFAULTS.progressIntervalMs);
		const files: PulledModel['files'] = [];
		for (const [index, file] of manifest.files.entries()) {
			await reclaimPart(staging, file.name);
			const part = path.join(staging, file.name + PART_SUFFIX);
			const context: TransferContext = {
				id: manifest.id,
				signal,
				fetch: options.fetch ?? globalThis.fetch,
				idleTimeoutMs: options.idleTimeoutMs ?? PULL_DEFAULTS.idleTimeoutMs,
				report: (received, total, done) => progress(index, received, file.bytes ?? total, done),
			};
			await transfer(file, part, context);
			files.push(await verify(file, part));
		}
		throwIfCancelled(manifest.id, signal);
		const dir = await installStaged(manifest, staging, home);
		return { dir, files };
	} finally {
		release();
	}
}

/**
 * What a failed transfer means to the person pulling. HTTP 404 or 410 → `E_NOT_FOUND`: the file is gone and pulling
 * again will not help (the manifest needs a new URL). Anything else (another HTTP status, a DNS failure, a refused,
 * cut or stalled connection) → `E_MODEL_LOAD`: worth another try, and the next pull resumes where this one stopped.
 */
export function downloadError(file: Pick<ModelFile, 'name' | 'url'>, failure: number | unknown): OrfeasError {
	if (failure === 404 || failure === 410) {
		return new OrfeasError('E_NOT_FOUND', `The model file ${file.name} is no longer at ${file.url} (HTTP ${failure}).`, { url: file.url, status: failure });
	}
	const reason = typeof failure === 'number' ? `HTTP ${failure}` : reasonOf(failure);
	return new OrfeasError(
		'E_MODEL_LOAD',
		`Downloading ${file.name} from ${file.url} failed: ${reason}. Check your connection and pull again; the download resumes.`,
		{ url: file.url, ...(typeof failure === 'number' ? { status: failure } : {}) },
	);
}

interface TransferContext {
	id: string;
	signal?: AbortSignal;
	fetch: typeof fetch;
	idleTimeoutMs: number;
	report: (received: number, total: number | undefined, done: boolean) => void;
}

/** Brings `part` to the whole file: resumed when the server honours Range, started over when it does not. */
async function transfer(file: ModelFile, part: string, context: TransferContext): Promise<void> {
	// Two rounds at most: the second starts from nothing after the server refused to continue the part.
	for (let round = 0; round < 2; round++) {
		let offset = await sizeOf(part);
		if (file.bytes !== undefined && offset > file.bytes) {
			await rm(part, { force: true });
			offset = 0;
		}
		if (file.bytes !== undefined && offset === file.bytes) {
			context.report(offset, file.bytes, true);
			return;
		}
		context.report(offset, file.bytes, false);
		const outcome = await request(file, part, offset, context);
		if (outcome === 'complete') return;
		await rm(part, { force: true });
	}
	throw downloadError(file, new Error('the server sent another part of the file than the one asked for'));
}

/** One HTTP request, streamed into `part`. `restart` asks for the part to be dropped and the file fetched whole. */
async function request(file: ModelFile, part: string, offset: number, context: TransferContext): Promise<'complete' | 'restart'> {
	const { signal } = context;
	const controller = new AbortController();
	let stalled = false;
	const onAbort = () => controller.abort(signal?.reason);
	signal?.addEventListener('abort', onAbort, { once: true });
	const idle = setTimeout(() => {
		stalled = true;
		controller.abort();
	}, context.idleTimeoutMs);
	try {
		throwIfCancelled(context.id, signal);
		// `identity`: a compressed answer would make byte offsets meaningless for resuming.
		const headers: Record<string, string> = { 'accept-encoding': 'identity' };
		if (offset > 0) headers.range = `bytes=${offset}-`;
		const response = await context.fetch(file.url, { headers, signal: controller.signal });

		if (response.status === 416 && offset > 0) {
			await response.body?.cancel();
			// Nothing left to send: the part is whole, unless the server says the file has another size.
			const total = /^bytes \*\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
			if (total !== undefined && Number(total) !== offset) return 'restart';
			context.report(offset, offset, true);
			return 'complete';
		}
		if (response.status !== 200 && response.status !== 206) {
			await response.body?.cancel();
			throw downloadError(file, response.status);
		}
		let start = 0;
		let total = contentLength(response);
		if (response.status === 206) {
			const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
			if (!range || Number(range[1]) !== offset) {
				await response.body?.cancel();
				return 'restart';
			}
			start = offset;
			total = range[2] === '*' ? (total === undefined ? undefined : start + total) : Number(range[2]);
		}
		// A 200 answer to a Range request is the whole file: the part is overwritten.
		const handle = await open(part, start > 0 ? 'a' : 'w', 0o600).catch((error) => {
			throw diskError(part, error);
		});
		let received = start;
		try {
			for await (const chunk of response.body ?? []) {
				idle.refresh();
				await handle.write(chunk).catch((error) => {
					throw diskError(part, error);
				});
				received += chunk.byteLength;
				context.report(received, total, false);
			}
		} finally {
			await handle.sync().catch(() => {});
			await handle.close();
		}
		if (total !== undefined && received !== total) {
			throw downloadError(file, new Error(`the connection ended after ${received} of ${total} bytes`));
		}
		context.report(received, total, true);
		return 'complete';
	} catch (error) {
		if (error instanceof OrfeasError) throw error;
		throwIfCancelled(context.id, signal);
		if (stalled) throw downloadError(file, new Error(`nothing arrived for ${Math.round(context.idleTimeoutMs / 1000)} s`));
		throw downloadError(file, error);
	} finally {
		clearTimeout(idle);
		signal?.removeEventListener('abort', onAbort);
	}
}

/**
 * Size and sha256 of the file on disk, checked against the manifest; a file that fails is deleted. The hash is read
 * back from disk rather than kept while streaming: it checks what was written, and a resumed file needs no saved
 * hash state.
 */
async function verify(file: ModelFile, part: string): Promise<PulledModel['files'][number]> {
	const bytes = await sizeOf(part);
	const mismatch =
		file.bytes !== undefined && bytes !== file.bytes
			? { what: 'size', expected: `${file.bytes} bytes`, got: `${bytes} bytes` }
			: undefined;
	const sha256 = mismatch ? '' : await hashFile(part);
	const wrong = mismatch ?? (file.sha256 !== undefined && sha256 !== file.sha256 ? { what: 'sha256', expected: file.sha256, got: sha256 } : undefined);
	if (wrong) {
		await rm(part, { force: true });
		throw new OrfeasError(
			'E_MODEL_CHECKSUM',
			`The downloaded ${file.name} is not the expected file: its ${wrong.what} is ${wrong.got}, expected ${wrong.expected}. ` +
				'It was deleted; pulling again downloads it from the start.',
			{ file: file.name, url: file.url, expected: wrong.expected, got: wrong.got },
		);
	}
	return { name: file.name, bytes, sha256 };
}

/**
 * Progress over the whole pull. Files are weighted by their stated sizes when every file states one, else equally;
 * events inside a file are spaced at least `interval` ms apart, and `fraction` never goes back (a restarted file
 * starts its `received` from zero, the bar stays where it was).
 */
function progressReporter(files: readonly ModelFile[], onProgress: PullOptions['onProgress'], interval: number) {
	const sized = files.every((f) => f.bytes !== undefined);
	const weights = files.map((f) => (sized ? (f.bytes as number) : 1));
	const sum = weights.reduce((a, b) => a + b, 0);
	let last = 0;
	let lastAt = -Infinity;
	return (index: number, received: number, total: number | undefined, done: boolean): void => {
		if (!onProgress) return;
		const now = performance.now();
		if (!done && now - lastAt < interval) return;
		lastAt = now;
		const within = done ? 1 : total ? Math.min(1, received / total) : 0;
		const before = weights.slice(0, index).reduce((a, b) => a + b, 0);
		const fraction = done && index === files.length - 1 ? 1 : Math.max(last, Math.min(1, (before + within * weights[index]) / sum));
		last = fraction;
		onProgress({ file: files[index].name, received, ...(total === undefined ? {} : { total }), fraction });
	};
}

/** A failure on this side of the transfer, which a better connection would not fix. */
function diskError(part: string, error: unknown): OrfeasError {
	const message = error instanceof Error ? error.message : String(error);
	return new OrfeasError('E_MODEL_LOAD', `Cannot write ${part}: ${message}. Free some disk space or fix the folder's permissions, then pull again; the download resumes.`);
}

function throwIfCancelled(id: string, signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new OrfeasError('E_CANCELLED', `Pulling "${id}" was cancelled; pulling again resumes where it stopped.`, { model: id });
}

function contentLength(response: Response): number | undefined {
	const value = response.headers.get('content-length');
	return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

async function sizeOf(file: string): Promise<number> {
	return stat(file).then(
		(s) => s.size,
		() => 0,
	);
}

async function hashFile(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** The reason inside fetch's "fetch failed": `getaddrinfo ENOTFOUND host`, `connect ECONNREFUSED …`. */
function reasonOf(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	if (isAbortError(error)) return 'the transfer was stopped';
	const cause = (error as { cause?: unknown }).cause;
	return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
