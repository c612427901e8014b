import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullModel, removeModel, type PullProgress } from '../../daemon/src/engine/download';
import { parseManifest, type ModelManifest } from '../../daemon/src/engine/manifest';
import { Home } from '../../daemon/src/jobs/home';
import { OrfeasError } from '../../daemon/src/protocol/errors';

const MiB = 1024 * 1024;

/** What the test server does to the next requests; reset before every test. */
interface Behaviour {
	/** Send this many bytes of the answer, then cut the connection. */
	cutAfter?: number;
	/** Send this many bytes of the answer, then send nothing more (the connection stays open). */
	stallAfter?: number;
	/** Answer 200 with the whole file, whatever the Range header says. */
	ignoreRange?: boolean;
	/** Answer 404 for these paths. */
	missing?: Set<string>;
	/** Flip one byte in the middle of the file. */
	corrupt?: boolean;
}

interface Logged {
	path: string;
	range?: string;
	status: number;
}

/** A local file server honouring Range, with switches for the ways a real download goes wrong. */
class TestServer {
	readonly files = new Map<string, Buffer>();
	readonly log: Logged[] = [];
	behaviour: Behaviour = {};
	private server: Server = createServer((req, res) => {
		const name = req.url ?? '/';
		const range = req.headers.range;
		const answer = (status: number) => {
			this.log.push({ path: name, range, status });
			res.statusCode = status;
		};
		let data = this.files.get(name);
		if (!data || this.behaviour.missing?.has(name)) {
			answer(404);
			res.end('not found');
			return;
		}
		if (this.behaviour.corrupt) {
			data = Buffer.from(data);
			data[data.length >> 1] ^= 0xff;
		}
		let start = 0;
		const match = /^bytes=(\d+)-$/.exec(range ?? '');
		if (match && !this.behaviour.ignoreRange) {
			start = Number(match[1]);
			if (start >= data.length) {
				answer(416);
				res.setHeader('content-range', `bytes */${data.length}`);
				res.end();
				return;
			}
			answer(206);
			res.setHeader('content-range', `bytes ${start}-${data.length - 1}/${data.length}`);
		} else {
			answer(200);
		}
		res.setHeader('accept-ranges', 'bytes');
		res.setHeader('content-length', data.length - start);
		const body = data.subarray(start);
		const limit = this.behaviour.cutAfter ?? this.behaviour.stallAfter;
		if (limit === undefined) {
			res.end(body);
			return;
		}
		res.write(body.subarray(0, limit), () => {
			// Give the bytes time to reach the client before the connection goes.
			if (this.behaviour.cutAfter !== undefined) setTimeout(() => res.socket?.destroy(), 50);
		});
	});

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
	}

	url(name: string): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${name}`;
	}

	/** Serves `bytes` random bytes at `name`; returns them. */
	serve(name: string, bytes: number): Buffer {
		const data = randomBytes(bytes);
		this.files.set(name, data);
		return data;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let server: TestServer;
let home: Home;
let encoder: Buffer;
let decoder: Buffer;

beforeEach(async () => {
	server = new TestServer();
	await server.start();
	home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-pull-')));
	await home.prepare();
	encoder = server.serve('/encoder.onnx', 3 * MiB);
	decoder = server.serve('/decoder.onnx', 200 * 1024);
});

afterEach(async () => {
	await server.stop();
	rmSync(home.root, { recursive: true, force: true });
});

interface FileOptions {
	bytes?: boolean;
	sha256?: boolean;
}

/** A two-file implicit model served by the test server; sizes and checksums stated unless told otherwise. */
function implicitManifest(overrides: Partial<{ id: string; version: string; permissive: boolean }> = {}, files: FileOptions = {}): ModelManifest {
	const { bytes = true, sha256 = true } = files;
	const file = (role: string, name: string, data: Buffer) => ({
		role,
		name,
		url: server.url(`/${name}`),
		...(bytes ? { bytes: data.length } : {}),
		...(sha256 ? { sha256: sha(data) } : {}),
	});
	return parseManifest(
		{
			id: overrides.id ?? 'tiny-implicit',
			name: 'Tiny implicit',
			kind: 'implicit',
			version: overrides.version ?? '1',
			files: [file('encoder', 'encoder.onnx', encoder), file('decoder', 'decoder.onnx', decoder)],
			input: { size: [64, 64] },
			licence: { id: overrides.permissive === false ? 'CC-BY-NC-4.0' : 'MIT', url: 'https://example.com/licence', permissive: overrides.permissive ?? true },
		},
		'test manifest',
	);
}

function singleManifest(name: string, data: Buffer, id = 'tiny-single'): ModelManifest {
	return parseManifest(
		{
			id,
			name: 'Tiny single',
			kind: 'segmentation',
			files: [{ role: 'model', name, url: server.url(`/${name}`), bytes: data.length, sha256: sha(data) }],
			input: { size: [32, 32] },
			licence: { id: 'MIT', permissive: true },
		},
		'test manifest',
	);
}

const modelDir = (id = 'tiny-implicit') => path.join(home.models, id);
const stagedPart = (name: string, id = 'tiny-implicit') => path.join(home.tmp, `pull-${id}`, `${name}.part`);

async function codeOf(promise: Promise<unknown>): Promise<OrfeasError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(OrfeasError);
	return error as OrfeasError;
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 5));
	}
}

describe('pullModel', () => {
	it('downloads, verifies and installs every file with the manifest beside them', async () => {
		const events: PullProgress[] = [];
		const manifest = implicitManifest();
		const result = await pullModel(manifest, home, { onProgress: (p) => events.push(p) });

		expect(result.dir).toBe(modelDir());
		expect(readdirSync(modelDir()).sort()).toEqual(['decoder.onnx', 'encoder.onnx', 'manifest.json']);
		expect(readFileSync(path.join(modelDir(), 'encoder.onnx')).equals(encoder)).toBe(true);
		expect(readFileSync(path.join(modelDir(), 'decoder.onnx')).equals(decoder)).toBe(true);
		expect(result.files).toEqual([
			{ name: 'encoder.onnx', bytes: encoder.length, sha256: sha(encoder) },
			{ name: 'decoder.onnx', bytes: decoder.length, sha256: sha(decoder) },
		]);
		expect(parseManifest(JSON.parse(readFileSync(path.join(modelDir(), 'manifest.json'), 'utf8')), 'installed')).toEqual(manifest);
		// The staging folder became the install.
		expect(existsSync(path.join(home.tmp, 'pull-tiny-implicit'))).toBe(false);

		expect(events.length).toBeGreaterThan(1);
		for (let i = 1; i < events.length; i++) expect(events[i].fraction).toBeGreaterThanOrEqual(events[i - 1].fraction);
		expect(events.at(-1)).toMatchObject({ file: 'decoder.onnx', received: decoder.length, total: decoder.length, fraction: 1 });
		expect(events.some((e) => e.file === 'encoder.onnx' && e.received === encoder.length)).toBe(true);
	});

	it('records the sha256 of files whose manifest states none', async () => {
		const result = await pullModel(implicitManifest({}, { bytes: false, sha256: false }), home);
		expect(result.files.map((f) => f.sha256)).toEqual([sha(encoder), sha(decoder)]);
	});

	it('resumes an interrupted download with a Range request', async () => {
		server.behaviour = { cutAfter: MiB };
		const first = await codeOf(pullModel(implicitManifest(), home));
		expect(first.code).toBe('E_MODEL_LOAD');
		expect(first.message).toMatch(/pull again; the download resumes/);
		expect(existsSync(modelDir())).toBe(false);
		const part = readFileSync(stagedPart('encoder.onnx'));
		expect(part.length).toBeGreaterThan(0);
		expect(part.length).toBeLessThanOrEqual(MiB);
		expect(part.equals(encoder.subarray(0, part.length))).toBe(true);

		server.behaviour = {};
		server.log.length = 0;
		await pullModel(implicitManifest(), home);
		expect(server.log[0]).toEqual({ path: '/encoder.onnx', range: `bytes=${part.length}-`, status: 206 });
		expect(readFileSync(path.join(modelDir(), 'encoder.onnx')).equals(encoder)).toBe(true);
		expect(readFileSync(path.join(modelDir(), 'decoder.onnx')).equals(decoder)).toBe(true);
	});

	it('starts over when the server ignores Range', async () => {
		server.behaviour = { cutAfter: MiB };
		await codeOf(pullModel(implicitManifest(), home));
		const partBytes = statSync(stagedPart('encoder.onnx')).size;

		server.behaviour = { ignoreRange: true };
		server.log.length = 0;
		const result = await pullModel(implicitManifest(), home);
		expect(server.log[0]).toEqual({ path: '/encoder.onnx', range: `bytes=${partBytes}-`, status: 200 });
		expect(result.files[0].sha256).toBe(sha(encoder));
		expect(readFileSync(path.join(modelDir(), 'encoder.onnx')).equals(encoder)).toBe(true);
	});

	it('keeps a complete file from a failed pull and does not fetch it again', async () => {
		server.behaviour = { missing: new Set(['/decoder.onnx']) };
		await codeOf(pullModel(implicitManifest(), home));
		expect(statSync(stagedPart('encoder.onnx')).size).toBe(encoder.length);

		// Size stated: the complete part is not asked for at all.
		server.behaviour = {};
		server.log.length = 0;
		await pullModel(implicitManifest(), home);
		expect(server.log.map((l) => l.path)).toEqual(['/decoder.onnx']);
	});

	it('takes an unsatisfiable Range (416) as a complete part when no size is stated', async () => {
		server.behaviour = { missing: new Set(['/decoder.onnx']) };
		await codeOf(pullModel(implicitManifest({}, { bytes: false }), home));

		server.behaviour = {};
		server.log.length = 0;
		const result = await pullModel(implicitManifest({}, { bytes: false }), home);
		expect(server.log[0]).toEqual({ path: '/encoder.onnx', range: `bytes=${encoder.length}-`, status: 416 });
		expect(result.files[0]).toEqual({ name: 'encoder.onnx', bytes: encoder.length, sha256: sha(encoder) });
	});

	it('refuses corrupt bytes (E_MODEL_CHECKSUM), deletes them and installs nothing', async () => {
		server.behaviour = { corrupt: true };
		const error = await codeOf(pullModel(implicitManifest(), home));
		expect(error.code).toBe('E_MODEL_CHECKSUM');
		expect(error.message).toContain('encoder.onnx');
		expect(error.message).toContain(sha(encoder));
		expect(error.message).toMatch(/pulling again downloads it from the start/);
		expect(existsSync(modelDir())).toBe(false);
		expect(existsSync(stagedPart('encoder.onnx'))).toBe(false);

		// The next pull starts that file over and succeeds.
		server.behaviour = {};
		server.log.length = 0;
		await pullModel(implicitManifest(), home);
		expect(server.log[0].range).toBeUndefined();
		expect(readFileSync(path.join(modelDir(), 'encoder.onnx')).equals(encoder)).toBe(true);
	});

	it('refuses a file whose size differs from the stated one', async () => {
		const manifest = implicitManifest({}, { sha256: false });
		manifest.files[1].bytes = decoder.length + 1;
		const error = await codeOf(pullModel(manifest, home));
		expect(error.code).toBe('E_MODEL_CHECKSUM');
		expect(error.message).toContain(`${decoder.length} bytes, expected ${decoder.length + 1} bytes`);
		expect(existsSync(modelDir())).toBe(false);
		expect(existsSync(stagedPart('decoder.onnx'))).toBe(false);
	});

	it('answers E_NOT_FOUND for a file that is gone (404), installing nothing', async () => {
		server.behaviour = { missing: new Set(['/encoder.onnx']) };
		const error = await codeOf(pullModel(implicitManifest(), home));
		expect(error.code).toBe('E_NOT_FOUND');
		expect(error.message).toBe(`The model file encoder.onnx is no longer at ${server.url('/encoder.onnx')} (HTTP 404).`);
		expect(existsSync(modelDir())).toBe(false);
	});

	it('answers E_MODEL_LOAD when nothing listens at the address', async () => {
		const closed = new TestServer();
		await closed.start();
		const url = closed.url('/encoder.onnx');
		await closed.stop();
		const manifest = implicitManifest();
		manifest.files[0].url = url;
		const error = await codeOf(pullModel(manifest, home));
		expect(error.code).toBe('E_MODEL_LOAD');
		expect(error.message).toMatch(/ECONNREFUSED.*Check your connection and pull again/);
	});

	it('refuses a non-permissive licence before any request unless it is accepted', async () => {
		const manifest = implicitManifest({ permissive: false });
		const error = await codeOf(pullModel(manifest, home));
		expect(error.code).toBe('E_MODEL_MISSING');
		expect(error.message).toContain('orfeas models pull tiny-implicit --accept-licence');
		expect(error.details).toMatchObject({ licence: 'CC-BY-NC-4.0', url: 'https://example.com/licence' });
		expect(server.log).toEqual([]);
		expect(existsSync(path.join(home.tmp, 'pull-tiny-implicit'))).toBe(false);

		await pullModel(manifest, home, { acceptLicence: true });
		expect(readdirSync(modelDir()).sort()).toEqual(['decoder.onnx', 'encoder.onnx', 'manifest.json']);
	});

	it('stops promptly when cancelled, keeps the part and resumes later', async () => {
		server.behaviour = { stallAfter: 512 * 1024 };
		const controller = new AbortController();
		const pull = codeOf(pullModel(implicitManifest(), home, { signal: controller.signal }));
		await until(() => existsSync(stagedPart('encoder.onnx')) && statSync(stagedPart('encoder.onnx')).size === 512 * 1024);
		const abortedAt = Date.now();
		controller.abort();
		const error = await pull;
		expect(Date.now() - abortedAt).toBeLessThan(1000);
		expect(error.code).toBe('E_CANCELLED');
		expect(statSync(stagedPart('encoder.onnx')).size).toBe(512 * 1024);
		expect(existsSync(modelDir())).toBe(false);

		server.behaviour = {};
		server.log.length = 0;
		await pullModel(implicitManifest(), home);
		expect(server.log[0].range).toBe(`bytes=${512 * 1024}-`);
		expect(readFileSync(path.join(modelDir(), 'encoder.onnx')).equals(encoder)).toBe(true);
	});

	it('gives up on a transfer that stalls', async () => {
		server.behaviour = { stallAfter: 64 * 1024 };
		const error = await codeOf(pullModel(implicitManifest(), home, { idleTimeoutMs: 200 }));
		expect(error.code).toBe('E_MODEL_LOAD');
		expect(error.message).toMatch(/nothing arrived/);
		expect(statSync(stagedPart('encoder.onnx')).size).toBe(64 * 1024);
	});

	it('refuses a second pull of the same model while one is running', async () => {
		server.behaviour = { stallAfter: 1024 };
		const controller = new AbortController();
		const first = codeOf(pullModel(implicitManifest(), home, { signal: controller.signal }));
		const second = await codeOf(pullModel(implicitManifest(), home));
		expect(second.code).toBe('E_CONFLICT');
		controller.abort();
		expect((await first).code).toBe('E_CANCELLED');
	});

	it('replaces an existing install in one step', async () => {
		await pullModel(implicitManifest(), home);
		const model = server.serve('/model-v2.onnx', 100 * 1024);
		const v2 = singleManifest('model-v2.onnx', model, 'tiny-implicit');
		await pullModel(v2, home);
		expect(readdirSync(modelDir()).sort()).toEqual(['manifest.json', 'model-v2.onnx']);
		expect(readFileSync(path.join(modelDir(), 'model-v2.onnx')).equals(model)).toBe(true);
		expect(JSON.parse(readFileSync(path.join(modelDir(), 'manifest.json'), 'utf8')).kind).toBe('segmentation');
		// Nothing left aside or staged.
		expect(readdirSync(home.models)).toEqual(['tiny-implicit']);
		expect(readdirSync(home.tmp)).toEqual([]);
	});

	it('leaves an existing install untouched when a new pull fails', async () => {
		await pullModel(implicitManifest(), home);
		server.behaviour = { missing: new Set(['/decoder.onnx']) };
		await codeOf(pullModel(implicitManifest({ version: '2' }), home));
		expect(readdirSync(modelDir()).sort()).toEqual(['decoder.onnx', 'encoder.onnx', 'manifest.json']);
		expect(readFileSync(path.join(modelDir(), 'decoder.onnx')).equals(decoder)).toBe(true);
	});

	it('drops stray files from the staging folder and reclaims files an interrupted install had renamed', async () => {
		const staging = path.join(home.tmp, 'pull-tiny-implicit');
		await mkdir(staging, { recursive: true });
		await writeFile(path.join(staging, 'old-weights.onnx.part'), 'stale');
		// As if a crash came between renaming encoder.onnx.part and renaming the folder.
		await writeFile(path.join(staging, 'encoder.onnx'), encoder);
		await pullModel(implicitManifest(), home);
		expect(server.log.map((l) => l.path)).toEqual(['/decoder.onnx']);
		expect(readdirSync(modelDir()).sort()).toEqual(['decoder.onnx', 'encoder.onnx', 'manifest.json']);
	});
});

describe('removeModel', () => {
	it('removes an installed model', async () => {
		await pullModel(implicitManifest(), home);
		expect(await removeModel(home, 'tiny-implicit')).toEqual({ installed: true, staged: false });
		expect(existsSync(modelDir())).toBe(false);
		expect(readdirSync(home.models)).toEqual([]);
	});

	it('removes an unfinished pull', async () => {
		server.behaviour = { cutAfter: MiB };
		await codeOf(pullModel(implicitManifest(), home));
		expect(await removeModel(home, 'tiny-implicit')).toEqual({ installed: false, staged: true });
		expect(readdirSync(home.tmp)).toEqual([]);
	});

	it('answers E_NOT_FOUND for a model that is not there', async () => {
		expect((await codeOf(removeModel(home, 'nothing-here'))).code).toBe('E_NOT_FOUND');
		expect((await codeOf(removeModel(home, '../jobs'))).code).toBe('E_NOT_FOUND');
	});
});
