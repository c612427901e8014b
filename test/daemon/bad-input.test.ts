// Hostile and unusual input against a real daemon process: broken, disguised and oversized pictures over the
// WebSocket and over HTTP, oversized frames, malformed JSON and ten thousand seeded random and mutated
// messages. Each is answered with its stable code (or made into a model when it is a picture after all), and
// the daemon stays up, stays small and still generates afterwards.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../daemon/src/protocol/frames';
import { ERROR_CODES, type ErrorCode } from '../../daemon/src/protocol/errors';
import { readGlb } from '../../daemon/src/quality/glb';
import { ALL_FIXTURES, badImages } from '../fixtures/images';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { hostileFrame } from '../helpers/hostile-frames';
import { bearerHeader, jsonBody, rawRequest } from '../helpers/http';
import { TestClient, type Received } from '../helpers/ws-client';

const MiB = 1024 * 1024;
const SMALL = { resolution: 48, textureSize: 512 };
/** The daemon is never allowed this much resident memory while it refuses a hostile input. */
const RSS_CEILING_MiB = 400;
const EVENTS = new Set(['job.state', 'job.progress', 'job.done', 'job.failed', 'job.cancelled', 'import', 'scene.changed']);

let daemon: TestDaemon;
let client: TestClient;
let disc: Buffer;
const pictures: Record<string, { bytes: Buffer; type: string }> = {};

/** Resident memory of a process in MiB, from /proc (Linux, where these tests run). */
function rssMiB(pid: number): number {
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(match[1]) / 1024;
}

/** Samples a process's resident memory every few milliseconds until stopped; returns the peak. */
function watchRss(pid: number): { stop(): number } {
	let peak = rssMiB(pid);
	const timer = setInterval(() => {
		try {
			peak = Math.max(peak, rssMiB(pid));
		} catch {
			// The process is gone; the test that follows says so.
		}
	}, 5);
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, rssMiB(pid));
		},
	};
}

/** A two-frame GIF: a disc on a clear background, then a wide bar. Only the first frame makes the model. */
async function animatedGif(): Promise<Buffer> {
	const frame = await sharp((await ALL_FIXTURES.disc(128)).bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	const { width, height } = frame.info;
	const frames = Buffer.alloc(width * height * 8);
	frame.data.copy(frames, 0);
	for (let y = 48; y < 80; y++) {
		for (let x = 8; x < 120; x++) frames.set([200, 40, 40, 255], (width * (height + y) + x) * 4);
	}
	return sharp(frames, { raw: { width, height: 2 * height, channels: 4, pageHeight: height } }).gif({ delay: [200, 200], loop: 0 }).toBuffer();
}

async function buildPictures(): Promise<void> {
	const bad = badImages();
	const discRaw = await sharp(disc).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	const raw = { raw: { width: discRaw.info.width, height: discRaw.info.height, channels: 4 as const } };
	Object.assign(pictures, {
		zeroBytes: { bytes: bad.zeroBytes, type: 'image/png' },
		truncatedPng: { bytes: bad.truncatedPng, type: 'image/png' },
		textAsPng: { bytes: bad.textAsPng, type: 'image/png' },
		pixelBomb: { bytes: bad.pixelBomb, type: 'image/png' },
		svg: {
			bytes: Buffer.from(
				'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="128" height="128">' +
					'<image xlink:href="file:///etc/passwd" width="128" height="128"/><circle cx="64" cy="64" r="40" fill="red"/></svg>\n',
			),
			type: 'image/svg+xml',
		},
		animatedGif: { bytes: await animatedGif(), type: 'image/gif' },
		cmykJpeg: { bytes: await sharp(discRaw.data, raw).flatten({ background: '#ffffff' }).toColourspace('cmyk').jpeg({ quality: 92 }).toBuffer(), type: 'image/jpeg' },
		png16: { bytes: await sharp(discRaw.data, raw).toColourspace('rgb16').png().toBuffer(), type: 'image/png' },
	});
	// The fixtures are what they claim to be.
	expect((await sharp(pictures.animatedGif.bytes).metadata()).pages).toBe(2);
	expect((await sharp(pictures.cmykJpeg.bytes).metadata()).space).toBe('cmyk');
	expect((await sharp(pictures.png16.bytes).metadata()).depth).toBe('ushort');
}

beforeAll(async () => {
	daemon = await startDaemon();
	client = await TestClient.connect(daemon);
	disc = (await ALL_FIXTURES.disc(128)).bytes;
	await buildPictures();
}, 60_000);

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	if (daemon) removeHome(daemon.home);
});

/** One line a person can read and act on: no stack, no newline, ending with a full stop. */
function expectSentence(message: unknown): void {
	expect(typeof message).toBe('string');
	const text = message as string;
	expect(text.length).toBeGreaterThan(10);
	expect(text.length).toBeLessThan(400);
	expect(text).not.toMatch(/\n|\s+at\s+\S+\s+\(|Error:/);
	expect(text).toMatch(/^[A-Z"].*\.$/);
}

/** How a picture fared: refused at the door (before a job exists), or the job's end. */
type Outcome = { at: 'door'; code: string; message: string; status?: number } | { at: 'job'; state: string; code?: string; message?: string; stage?: string; assetId?: string };

async function overSocket(bytes: Buffer, name: string): Promise<Outcome> {
	const reply = await client.request({ type: 'generate', image: { inline: true }, name, options: SMALL }, bytes);
	if (reply.type === 'error') return { at: 'door', code: reply.code as string, message: reply.message as string };
	expect(reply.type).toBe('accepted');
	const end = await client.finished(reply.jobId as string);
	return { at: 'job', state: end.type.slice(4), code: end.code as string | undefined, message: end.message as string | undefined, stage: end.stage as string | undefined, assetId: end.assetId as string | undefined };
}

async function overHttp(bytes: Buffer, contentType: string): Promise<Outcome> {
	const auth = bearerHeader(daemon.token);
	const upload = await rawRequest(daemon.port, { method: 'POST', path: '/v1/uploads', headers: { ...auth, 'content-type': contentType }, body: bytes });
	if (upload.status !== 201) {
		const body = jsonBody<{ code: string; message: string }>(upload);
		return { at: 'door', code: body.code, message: body.message, status: upload.status };
	}
	const { uploadId } = jsonBody<{ uploadId: string }>(upload);
	const submit = await rawRequest(daemon.port, {
		method: 'POST',
		path: '/v1/jobs',
		headers: { ...auth, 'content-type': 'application/json' },
		body: JSON.stringify({ image: { upload: uploadId }, options: SMALL }),
	});
	if (submit.status !== 202) {
		const body = jsonBody<{ code: string; message: string }>(submit);
		return { at: 'door', code: body.code, message: body.message, status: submit.status };
	}
	const { jobId } = jsonBody<{ jobId: string }>(submit);
	const deadline = Date.now() + 60_000;
	for (;;) {
		const job = jsonBody<{ state: string; assetId?: string; error?: { code: string; message: string; stage?: string } }>(
			await rawRequest(daemon.port, { path: `/v1/jobs/${jobId}`, headers: auth }),
		);
		if (['done', 'failed', 'cancelled'].includes(job.state)) {
			return { at: 'job', state: job.state, code: job.error?.code, message: job.error?.message, stage: job.error?.stage, assetId: job.assetId };
		}
		if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/**
 * What the daemon does with each picture. Files that are not a picture at all are refused at the door by
 * their first bytes; files that look like a PNG but are broken or too large are taken, and their job fails
 * in `decode`, where the header is read without decoding a pixel.
 */
const REFUSED: Record<string, { code: ErrorCode; at: 'door' | 'decode'; status?: number }> = {
	zeroBytes: { code: 'E_IMAGE_DECODE', at: 'door', status: 422 },
	truncatedPng: { code: 'E_IMAGE_DECODE', at: 'decode' },
	textAsPng: { code: 'E_IMAGE_DECODE', at: 'door', status: 422 },
	pixelBomb: { code: 'E_IMAGE_TOO_LARGE', at: 'decode' },
	// SVG is refused on purpose, not for want of a decoder: an SVG can pull in other files (here /etc/passwd)
	// and URLs when rendered, so the daemon does not render it at all.
	svg: { code: 'E_IMAGE_DECODE', at: 'door', status: 422 },
};
const MADE = ['animatedGif', 'cmykJpeg', 'png16'];

function expectRefused(name: string, outcome: Outcome): void {
	const want = REFUSED[name];
	const seen = `${name}: ${JSON.stringify(outcome)}`;
	if (want.at === 'door') {
		expect(outcome, seen).toMatchObject({ at: 'door', code: want.code });
		if (outcome.at === 'door' && outcome.status !== undefined) expect(outcome.status, seen).toBe(want.status);
	} else {
		expect(outcome, seen).toMatchObject({ at: 'job', state: 'failed', code: want.code, stage: 'decode' });
	}
	expectSentence(outcome.message);
}

async function expectDaemonServes(): Promise<void> {
	expect(daemon.process.exitCode).toBeNull();
	const health = await rawRequest(daemon.port, { path: '/health' });
	expect(health.status).toBe(200);
	const fresh = await TestClient.connect(daemon);
	const accepted = await fresh.request({ type: 'generate', image: { inline: true }, name: `after ${randomBytes(4).toString('hex')}`, options: SMALL }, disc);
	expect(accepted).toMatchObject({ type: 'accepted', cached: false });
	expect((await fresh.finished(accepted.jobId as string)).type).toBe('job.done');
	await fresh.close();
}

describe('pictures that are broken, disguised or too large', () => {
	for (const transport of ['WebSocket', 'HTTP'] as const) {
		it(`are refused with their code over ${transport}; the bomb never makes the daemon big`, async () => {
			for (const name of Object.keys(REFUSED)) {
				const { bytes, type } = pictures[name];
				const watch = watchRss(daemon.pid);
				const outcome = transport === 'WebSocket' ? await overSocket(bytes, `${name} ws`) : await overHttp(bytes, type);
				const peak = watch.stop();
				expectRefused(name, outcome);
				// A 20000×20000 RGBA decode would take 1.5 GiB; the header check stops it before any pixel.
				expect(peak, `${name}: peak RSS ${peak.toFixed(0)} MiB`).toBeLessThan(RSS_CEILING_MiB);
			}
			expect(client.invalid).toEqual([]);
			await expectDaemonServes();
		}, 120_000);
	}
});

describe('pictures in unusual but valid forms', () => {
	it('makes models from an animated GIF (its first frame), a CMYK JPEG and a 16-bit PNG over the WebSocket', async () => {
		const assets: Record<string, string> = {};
		for (const name of MADE) {
			const outcome = await overSocket(pictures[name].bytes, `${name} ws`);
			expect(outcome, `${name}: ${JSON.stringify(outcome)}`).toMatchObject({ at: 'job', state: 'done' });
			if (outcome.at === 'job') assets[name] = outcome.assetId as string;
		}
		// The GIF's first frame is a disc and its second a bar seven times as wide as it is tall; the model is round.
		const done = client.messages.find((m) => m.type === 'job.done' && m.assetId === assets.animatedGif) as Received;
		const file = (done.files as Array<{ name: string }>)[0].name;
		const { bytes } = await client.download(assets.animatedGif, file);
		const { positions } = await readGlb(bytes);
		const extent = (axis: number) => {
			let lo = Infinity;
			let hi = -Infinity;
			for (let i = axis; i < positions.length; i += 3) {
				lo = Math.min(lo, positions[i]);
				hi = Math.max(hi, positions[i]);
			}
			return hi - lo;
		};
		const aspect = extent(0) / extent(1);
		expect(aspect, `width/height of the GIF's model: ${aspect}`).toBeGreaterThan(0.8);
		expect(aspect).toBeLessThan(1.25);
		expect(client.invalid).toEqual([]);
	}, 120_000);

	it('makes the same three over HTTP', async () => {
		for (const name of MADE) {
			const outcome = await overHttp(pictures[name].bytes, pictures[name].type);
			expect(outcome, `${name}: ${JSON.stringify(outcome)}`).toMatchObject({ at: 'job', state: 'done' });
		}
	}, 120_000);
});

/** Opens a WebSocket by hand and returns the raw TCP socket, to send frames no WebSocket library would build. */
function rawUpgrade(port: number, token: string): Promise<Duplex> {
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: '127.0.0.1',
			port,
			path: '/v1/ws',
			headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), ...bearerHeader(token) },
		});
		req.on('upgrade', (_res, socket) => resolve(socket));
		req.on('response', (res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
		req.on('error', reject);
		req.end();
	});
}

describe('frames over the size limit', () => {
	it('answers a 33 MiB frame with E_PAYLOAD_TOO_LARGE and closes 4008', async () => {
		const big = await TestClient.connect(daemon);
		big.sendRaw(encodeFrame({ type: 'generate', id: 'big', image: { inline: true } }, new Uint8Array(33 * MiB)));
		const error = await big.waitFor((m) => m.type === 'error');
		expect(error).toMatchObject({ code: 'E_PAYLOAD_TOO_LARGE' });
		expectSentence(error.message);
		expect((await big.closed).code).toBe(4008);
		await expectDaemonServes();
	}, 60_000);

	it('never buffers a 200 MiB frame: the connection is closed from its header (1009) and the daemon stays small', async () => {
		const before = rssMiB(daemon.pid);
		const watch = watchRss(daemon.pid);
		const socket = await rawUpgrade(daemon.port, daemon.token);
		const received: Buffer[] = [];
		const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
		socket.on('data', (d: Buffer) => received.push(d));
		socket.on('error', () => {});
		const length = 200 * MiB;
		// FIN + binary opcode; masked, 64-bit length; a zero mask key, so the zero payload goes as it is.
		const header = Buffer.alloc(14);
		header[0] = 0x82;
		header[1] = 0x80 | 127;
		header.writeBigUInt64BE(BigInt(length), 2);
		socket.write(header);
		const chunk = Buffer.alloc(MiB);
		let sent = 0;
		let open = true;
		void ended.then(() => (open = false));
		while (sent < length && open && received.length === 0) {
			if (!socket.write(chunk)) await Promise.race([new Promise((r) => socket.once('drain', r)), ended]);
			sent += chunk.length;
		}
		const closeFrame = await waitUntil(() => Buffer.concat(received), (b) => b.length >= 4, 10_000);
		socket.destroy();
		await ended;
		const peak = watch.stop();
		console.log(`200 MiB frame: ${sent / MiB} MiB sent before the close; RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB`);
		expect(closeFrame[0]).toBe(0x88);
		expect(closeFrame.readUInt16BE(2)).toBe(1009);
		expect(peak - before, `RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB after sending ${sent / MiB} MiB`).toBeLessThan(64);
		expect(peak).toBeLessThan(RSS_CEILING_MiB);
		await expectDaemonServes();
	}, 60_000);
});

async function waitUntil<T>(read: () => T, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out; last value ${String(value).slice(0, 200)}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('malformed messages', () => {
	it('answers malformed JSON with E_BAD_MESSAGE and keeps the connection open', async () => {
		const socket = await TestClient.connect(daemon);
		for (const text of ['{not json', '', '{"type":"ping","id":"1"', 'null', '[]', '"ping"', '{"type":"ping","id":"x"}}']) {
			const before = socket.messages.length;
			socket.sendRaw(text);
			const answer = await socket.waitFor((m) => socket.messages.indexOf(m) >= before && m.type === 'error');
			expect(answer, JSON.stringify(text)).toMatchObject({ code: 'E_BAD_MESSAGE' });
			expectSentence(answer.message);
		}
		expect(await socket.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		expect(socket.invalid).toEqual([]);
		await socket.close();
	});

	it('leaves a text frame that is not UTF-8 to ws, which closes with 1007; the daemon stays up', async () => {
		const socket = await TestClient.connect(daemon);
		socket.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false);
		expect((await socket.closed).code).toBe(1007);
		expect(socket.messages.filter((m) => m.type !== 'welcome')).toEqual([]);
		expect((await rawRequest(daemon.port, { path: '/health' })).status).toBe(200);
	});
});

describe('ten thousand random and mutated messages', () => {
	const TOTAL = 10_000;
	const CONNECTIONS = 5;
	/** Sent together, then answered before the next batch: at most 200 a second per connection, the daemon's rate. */
	const BATCH = 40;
	const BATCH_MS = 200;
	const ALLOWED = new Set(Object.keys(ERROR_CODES).filter((c) => !['E_INTERNAL', 'E_AUTH', 'E_PROTOCOL', 'E_ORIGIN'].includes(c)));
	const REPLIES = new Set(['pong', 'ok', 'job', 'jobs', 'models', 'accepted']);

	it('answers every one with a known code or a normal reply, and never falls over', async () => {
		const codes = new Map<string, number>();
		const kinds = new Map<string, number>();
		const missingImage = '/nonexistent-orfeas-test/picture.png';
		const run = async (connection: number) => {
			const socket = await TestClient.connect(daemon, { client: `hostile-${connection}` });
			const answers = () => socket.messages.filter((m) => m.type !== 'welcome' && !EVENTS.has(m.type));
			let sent = 0;
			for (let start = connection; start < TOTAL; start += CONNECTIONS * BATCH) {
				const batchStarted = Date.now();
				const batch = [];
				for (let i = start; i < Math.min(TOTAL, start + CONNECTIONS * BATCH); i += CONNECTIONS) {
					const frame = hostileFrame(0x0bad1dea, i, { missingImage });
					kinds.set(frame.kind, (kinds.get(frame.kind) ?? 0) + 1);
					batch.push({ i, kind: frame.kind, head: typeof frame.data === 'string' ? frame.data.slice(0, 120) : `<${frame.data.length} bytes>` });
					socket.sendRaw(frame.data, frame.binary);
					sent++;
				}
				try {
					await waitUntil(() => answers().length, (n) => n >= sent, 30_000);
				} catch {
					throw new Error(`connection ${connection}: ${sent - answers().length} of this batch unanswered: ${JSON.stringify(batch)}`);
				}
				const wait = BATCH_MS - (Date.now() - batchStarted);
				if (wait > 0) await new Promise((r) => setTimeout(r, wait));
			}
			// Exactly one answer per message, no more.
			await new Promise((r) => setTimeout(r, 200));
			expect(answers().length).toBe(sent);
			for (const answer of answers()) {
				const label = JSON.stringify(answer).slice(0, 300);
				if (answer.type === 'error') {
					expect(ALLOWED.has(answer.code as string), label).toBe(true);
					codes.set(answer.code as string, (codes.get(answer.code as string) ?? 0) + 1);
				} else {
					expect(REPLIES.has(answer.type), label).toBe(true);
					codes.set(answer.type, (codes.get(answer.type) ?? 0) + 1);
				}
			}
			expect(socket.invalid, 'every answer matches its schema').toEqual([]);
			expect(socket.socket.readyState, 'the connection is still open').toBe(socket.socket.OPEN);
			await socket.close();
			return sent;
		};
		const rssBefore = rssMiB(daemon.pid);
		const watch = watchRss(daemon.pid);
		const sent = await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => run(c)));
		const peak = watch.stop();
		expect(sent.reduce((a, b) => a + b, 0)).toBe(TOTAL);
		console.log(`hostile frames by kind: ${JSON.stringify(Object.fromEntries(kinds))}\nanswers: ${JSON.stringify(Object.fromEntries(codes))}\nRSS ${rssBefore.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB`);
		// Parsing megabyte strings and 100 000-deep nesting costs heap while it lasts; it must not pile up.
		expect(peak - rssBefore).toBeLessThan(200);
		expect(daemon.output()).not.toMatch(/ error |Internal error|RangeError|TypeError/);
		await expectDaemonServes();
	}, 180_000);
});
