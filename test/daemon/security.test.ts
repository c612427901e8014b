// The daemon's security rules (PROTOCOL.md § Finding and reaching the daemon) against a real daemon process:
// the token on every /v1 route and on the WebSocket, the Host/Origin guard against DNS rebinding and
// cross-site WebSocket hijacking, the discovery file, the loopback-only listener, the rules for picture paths,
// asset files served only by id, and a real browser on another origin that must get nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FIXTURES } from '../fixtures/images';
import { launchChromium, requireChromium } from '../helpers/chromium';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { bearerHeader, jsonBody, rawRequest } from '../helpers/http';
import { TestClient, type Received } from '../helpers/ws-client';

const SMALL = { resolution: 32, textureSize: 512 };

let daemon: TestDaemon;
let client: TestClient;
let imageDir: string;
let disc: Buffer;

beforeAll(async () => {
	daemon = await startDaemon();
	client = await TestClient.connect(daemon);
	imageDir = mkdtempSync(path.join(tmpdir(), 'orfeas-images-'));
	disc = (await ALL_FIXTURES.disc(128)).bytes;
	writeFileSync(path.join(imageDir, 'disc.png'), disc);
}, 60_000);

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	if (daemon) removeHome(daemon.home);
	if (imageDir) removeHome(imageDir);
});

/** Every request the daemon must refuse without the token, each one that would do something if it were let in. */
function protectedRoutes(): Array<{ method: string; path: string; headers?: Record<string, string>; body?: string | Uint8Array }> {
	return [
		{ method: 'POST', path: '/v1/uploads', headers: { 'content-type': 'image/png' }, body: disc },
		{ method: 'POST', path: '/v1/jobs', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: { path: path.join(imageDir, 'disc.png') }, options: SMALL }) },
		{ method: 'GET', path: '/v1/jobs/j_00000000000000000000' },
		{ method: 'DELETE', path: '/v1/jobs/j_00000000000000000000' },
		{ method: 'GET', path: `/v1/assets/${'0'.repeat(64)}/model.glb` },
		{ method: 'GET', path: '/metrics' },
	];
}

async function jobCount(): Promise<number> {
	const reply = await client.request({ type: 'job.list', limit: 1000 });
	expect(reply.type).toBe('jobs');
	return (reply.jobs as unknown[]).length;
}

/** A sentence a person can act on: one line, starting with a capital (or a quote/path) and ending with a full stop. */
function expectSentence(message: unknown): void {
	expect(typeof message).toBe('string');
	const text = message as string;
	expect(text.length).toBeGreaterThan(10);
	expect(text).not.toMatch(/\n|\s+at\s+\S+\s+\(/);
	expect(text).toMatch(/\.$/);
}

/**
 * Opens a WebSocket with these headers (and the right token unless told otherwise), says hello with the right
 * token if the socket opens at all, and returns how it closed and every message the daemon sent.
 */
async function refusedSocket(headers: Record<string, string>): Promise<{ code: number; messages: Received[] }> {
	const socket = await TestClient.connect(daemon, { headers, hello: false });
	socket.sendRaw(JSON.stringify({ type: 'hello', id: '1', protocol: 1, token: daemon.token, client: { name: 'probe', version: '0' } }));
	const { code } = await socket.closed;
	// Anything the daemon sent would have arrived before its close frame.
	return { code, messages: socket.messages };
}

function connectable(host: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host, port, timeout: 3000 });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

describe('token', () => {
	it('answers every /v1 route and /metrics with 401 E_AUTH without the token, with a wrong one, or with it anywhere but the header', async () => {
		const wrongSameLength = daemon.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
		const attempts: Array<{ label: string; headers: Record<string, string>; query?: string }> = [
			{ label: 'no token', headers: {} },
			{ label: 'wrong token', headers: bearerHeader('not-the-token') },
			{ label: 'wrong token of the same length', headers: bearerHeader(wrongSameLength) },
			{ label: 'empty bearer', headers: { authorization: 'Bearer ' } },
			{ label: 'basic scheme', headers: { authorization: `Basic ${Buffer.from(`orfeas:${daemon.token}`).toString('base64')}` } },
			{ label: 'raw token without scheme', headers: { authorization: daemon.token } },
			{ label: 'token in the query', headers: {}, query: `?token=${encodeURIComponent(daemon.token)}` },
		];
		for (const route of protectedRoutes()) {
			for (const attempt of attempts) {
				const response = await rawRequest(daemon.port, {
					method: route.method,
					path: route.path + (attempt.query ?? ''),
					headers: { ...route.headers, ...attempt.headers },
					body: route.body,
				});
				const label = `${route.method} ${route.path} (${attempt.label})`;
				expect(response.status, label).toBe(401);
				expect(jsonBody(response), label).toMatchObject({ type: 'error', code: 'E_AUTH', message: expect.any(String) });
				expect(response.body, label).not.toContain(daemon.token);
			}
		}
		// Nothing those requests asked for happened.
		expect(await jobCount()).toBe(0);
		// The same routes with the token get past the guard (whatever they answer then, it is not 401).
		for (const route of protectedRoutes()) {
			const response = await rawRequest(daemon.port, { method: route.method, path: route.path, headers: { ...route.headers, ...bearerHeader(daemon.token) }, body: route.body });
			expect(response.status, `${route.method} ${route.path} with the token`).not.toBe(401);
		}
	});

	it('serves /health and /openapi.json without a token; the document is OpenAPI 3.1 listing the routes and their security', async () => {
		const health = await rawRequest(daemon.port, { path: '/health' });
		expect(health.status).toBe(200);
		expect(jsonBody(health)).toMatchObject({ ok: true, version: expect.any(String), uptimeMs: expect.any(Number) });
		expect(health.body).not.toContain(daemon.token);

		const openapi = await rawRequest(daemon.port, { path: '/openapi.json' });
		expect(openapi.status).toBe(200);
		expect(openapi.headers['content-type']).toMatch(/^application\/json/);
		const doc = jsonBody<{ openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>; components: { securitySchemes: Record<string, { type: string; scheme: string }> } }>(openapi);
		expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
		expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
		expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
		const routes = {
			'/health': ['get'],
			'/openapi.json': ['get'],
			'/metrics': ['get'],
			'/v1/uploads': ['post'],
			'/v1/jobs': ['post'],
			'/v1/jobs/{id}': ['get', 'delete'],
			'/v1/assets/{assetId}/{file}': ['get'],
		};
		expect(Object.keys(doc.paths).sort()).toEqual(Object.keys(routes).sort());
		for (const [route, methods] of Object.entries(routes)) {
			for (const method of methods) {
				const operation = doc.paths[route][method];
				expect(operation, `${method} ${route}`).toBeDefined();
				expect(Object.keys(operation.responses).length, `${method} ${route}`).toBeGreaterThan(0);
				const open = route === '/health' || route === '/openapi.json';
				expect(operation.security, `${method} ${route}`).toEqual(open ? undefined : [{ bearer: [] }]);
			}
		}
		expect(openapi.body).not.toContain(daemon.token);
	});

	it('closes a WebSocket with a wrong token in the header with 4001, without a word', async () => {
		const socket = await TestClient.connect(daemon, { headerToken: 'not-the-token', hello: false });
		expect((await socket.closed).code).toBe(4001);
		expect(socket.messages).toEqual([]);
	});

	it('answers a hello with a wrong token (no header) with E_AUTH and closes 4001; the right token in hello is welcomed', async () => {
		const guess = await TestClient.connect(daemon, { headerToken: null, hello: false });
		const refused = await guess.request({ type: 'hello', protocol: 1, token: 'guessed-token', client: { name: 'probe', version: '0' } });
		expect(refused).toMatchObject({ type: 'error', code: 'E_AUTH' });
		expectSentence(refused.message);
		expect((await guess.closed).code).toBe(4001);
		expect(guess.messages.map((m) => m.type)).toEqual(['error']);

		const silent = await TestClient.connect(daemon, { headerToken: null, hello: false });
		const noToken = await silent.request({ type: 'hello', protocol: 1, client: { name: 'probe', version: '0' } });
		expect(noToken).toMatchObject({ type: 'error', code: 'E_AUTH' });
		expect((await silent.closed).code).toBe(4001);

		const right = await TestClient.connect(daemon, { headerToken: null, hello: false });
		const welcome = await right.request({ type: 'hello', protocol: 1, token: daemon.token, client: { name: 'probe', version: '0' } });
		expect(welcome).toMatchObject({ type: 'welcome', protocol: 1 });
		expect(await right.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		expect(right.invalid).toEqual([]);
		await right.close();
	});
});

describe('Host and Origin', () => {
	it('refuses a foreign Host header with 403 E_ORIGIN on every route, even with the token (DNS rebinding)', async () => {
		for (const host of ['evil.example', `evil.example:${daemon.port}`, '127.0.0.1', `127.0.0.1:${daemon.port + 1}`, `localhost.evil.example:${daemon.port}`, `127.0.0.1.nip.io:${daemon.port}`]) {
			for (const route of ['/health', '/openapi.json', '/metrics', '/v1/jobs/j_00000000000000000000']) {
				const response = await rawRequest(daemon.port, { path: route, headers: { host, ...bearerHeader(daemon.token) } });
				expect(response.status, `${host} ${route}`).toBe(403);
				expect(jsonBody(response), `${host} ${route}`).toMatchObject({ type: 'error', code: 'E_ORIGIN' });
				expect(response.body).not.toContain(daemon.token);
			}
		}
		// The three names of this daemon are let in.
		for (const host of [`127.0.0.1:${daemon.port}`, `localhost:${daemon.port}`, `[::1]:${daemon.port}`, `LOCALHOST:${daemon.port}`]) {
			expect((await rawRequest(daemon.port, { path: '/health', headers: { host } })).status, host).toBe(200);
		}
	});

	it('closes a WebSocket upgrade with a foreign Host with 4003 before any message, even with the token', async () => {
		const refused = await refusedSocket({ host: 'evil.example' });
		expect(refused.code).toBe(4003);
		expect(refused.messages).toEqual([]);
		const otherPort = await refusedSocket({ host: `127.0.0.1:${daemon.port + 1}` });
		expect(otherPort).toEqual({ code: 4003, messages: [] });
	});

	it('refuses a request carrying an Origin header with 403 E_ORIGIN, and such a WebSocket with 4003 (cross-site hijacking)', async () => {
		const jobsBefore = await jobCount();
		for (const origin of ['http://evil.example', `http://127.0.0.1:${daemon.port}`, 'null', 'vscode-webview://abc']) {
			const response = await rawRequest(daemon.port, { path: '/health', headers: { origin } });
			expect(response.status, origin).toBe(403);
			expect(jsonBody(response)).toMatchObject({ type: 'error', code: 'E_ORIGIN' });
			const authed = await rawRequest(daemon.port, { method: 'POST', path: '/v1/jobs', headers: { origin, 'content-type': 'application/json', ...bearerHeader(daemon.token) }, body: JSON.stringify({ image: { path: path.join(imageDir, 'disc.png') } }) });
			expect(authed.status, origin).toBe(403);
			expect(await refusedSocket({ origin }), origin).toEqual({ code: 4003, messages: [] });
		}
		expect(await jobCount()).toBe(jobsBefore);
	});

	it('lets an allow-listed Origin in (--allow-origin) and still refuses every other one', async () => {
		const allowing = await startDaemon({ args: ['--allow-origin', 'http://good.example'] });
		try {
			const ok = await rawRequest(allowing.port, { path: '/health', headers: { origin: 'http://good.example' } });
			expect(ok.status).toBe(200);
			const welcomed = await TestClient.connect(allowing, { headers: { origin: 'http://good.example' } });
			expect(welcomed.messages[0]).toMatchObject({ type: 'welcome' });
			await welcomed.close();
			// The allow-list opens the Origin check only: the token is still required.
			const anonymous = await rawRequest(allowing.port, { path: '/metrics', headers: { origin: 'http://good.example' } });
			expect(anonymous.status).toBe(401);

			for (const origin of ['http://evil.example', 'https://good.example', 'http://good.example:8080', 'http://good.example.evil.example', 'http://GOOD.example.']) {
				const response = await rawRequest(allowing.port, { path: '/health', headers: { origin } });
				expect(response.status, origin).toBe(403);
				expect(jsonBody(response)).toMatchObject({ code: 'E_ORIGIN' });
				const socket = await TestClient.connect(allowing, { headers: { origin }, hello: false });
				expect((await socket.closed).code, origin).toBe(4003);
				expect(socket.messages).toEqual([]);
			}
			const evilHost = await rawRequest(allowing.port, { path: '/health', headers: { origin: 'http://good.example', host: 'good.example' } });
			expect(evilHost.status).toBe(403);
		} finally {
			await allowing.stop();
			removeHome(allowing.home);
		}
	}, 60_000);
});

describe('discovery and listening', () => {
	it('writes daemon.json with mode 0600 holding pid, port, token, version and startedAt', () => {
		const file = path.join(daemon.home, 'daemon.json');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const discovery = JSON.parse(readFileSync(file, 'utf8'));
		expect(discovery).toMatchObject({ pid: daemon.pid, port: daemon.port, token: daemon.token, version: expect.any(String) });
		expect(Number.isNaN(Date.parse(discovery.startedAt))).toBe(false);
		// 32 random bytes in base64url: not guessable, not shared between daemons.
		expect(discovery.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
	});

	it('listens on 127.0.0.1 only', async () => {
		expect(await connectable('127.0.0.1', daemon.port)).toBe(true);
		// What can be checked on any machine: the IPv6 loopback is not served either (refused, or no IPv6 at all).
		expect(await connectable('::1', daemon.port)).toBe(false);
		// This machine's own non-loopback addresses (here eth0, e.g. 192.0.2.2 and fd00::2) reach the local stack
		// without leaving it, so a refusal there shows the socket is bound to 127.0.0.1, not to 0.0.0.0 or ::.
		// Link-local IPv6 needs a scope id and adds nothing; a machine with no other address checks loopback only.
		const external = Object.values(os.networkInterfaces())
			.flat()
			.filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && !a.address.toLowerCase().startsWith('fe80'));
		for (const address of external) {
			expect(await connectable(address.address, daemon.port), address.address).toBe(false);
		}
	});
});

describe('paths', () => {
	let accepted: Received;

	it('refuses picture paths that are relative, step out with .., name a folder, a device, a non-image or the home folder', async () => {
		const jobsBefore = await jobCount();
		const home = daemon.home;
		writeFileSync(path.join(home, 'inside.png'), disc);
		// A name beginning with two dots is still inside the folder.
		writeFileSync(path.join(home, '..inside.png'), disc);
		mkdirSync(path.join(imageDir, 'folder.png'));
		symlinkSync(path.join(home, 'inside.png'), path.join(imageDir, 'link-into-home.png'));
		symlinkSync('/dev/zero', path.join(imageDir, 'zero.png'));
		const cases: Array<[string, string]> = [
			['images/a.png', 'E_PATH'],
			['./disc.png', 'E_PATH'],
			[`${imageDir}/../../../../../../etc/passwd`, 'E_PATH'],
			[`${imageDir}/../${path.basename(home)}/inside.png`, 'E_PATH'],
			[`${imageDir}/folder.png`, 'E_PATH'],
			['/etc/passwd', 'E_PATH'],
			[path.join(home, 'daemon.json'), 'E_PATH'],
			[path.join(home, 'inside.png'), 'E_PATH'],
			[path.join(home, '..inside.png'), 'E_PATH'],
			[path.join(imageDir, 'link-into-home.png'), 'E_PATH'],
			[path.join(imageDir, 'zero.png'), 'E_PATH'],
			[`${imageDir}/disc.png\0.png`, 'E_PATH'],
			[path.join(imageDir, 'missing.png'), 'E_NOT_FOUND'],
		];
		for (const [given, code] of cases) {
			const reply = await client.request({ type: 'generate', image: { path: given }, options: SMALL });
			expect(reply, JSON.stringify(given)).toMatchObject({ type: 'error', code });
			expectSentence(reply.message);
		}
		for (const given of ['/etc/passwd', path.join(home, 'inside.png'), 'images/a.png']) {
			const response = await rawRequest(daemon.port, {
				method: 'POST',
				path: '/v1/jobs',
				headers: { 'content-type': 'application/json', ...bearerHeader(daemon.token) },
				body: JSON.stringify({ image: { path: given }, options: SMALL }),
			});
			expect(response.status, given).toBe(400);
			expect(jsonBody(response), given).toMatchObject({ type: 'error', code: 'E_PATH' });
		}
		expect(await jobCount()).toBe(jobsBefore);

		// The rules refuse what they should, not everything: a picture outside the home is taken.
		accepted = await client.request({ type: 'generate', image: { path: path.join(imageDir, 'disc.png') }, options: SMALL });
		expect(accepted).toMatchObject({ type: 'accepted' });
		expect(client.invalid).toEqual([]);
	}, 60_000);

	it('serves files only by asset id and listed name: traversal attempts answer 404 and never the token', async () => {
		const done = await client.finished(accepted.jobId as string);
		expect(done.type).toBe('job.done');
		const assetId = done.assetId as string;
		const file = (done.files as Array<{ name: string }>)[0].name;
		const auth = bearerHeader(daemon.token);
		const real = await rawRequest(daemon.port, { path: `/v1/assets/${assetId}/${file}`, headers: auth });
		expect(real.status).toBe(200);

		const attempts = [
			`/v1/assets/${assetId}/..%2F..%2Fdaemon.json`,
			`/v1/assets/${assetId}/..%2f..%2fdaemon.json`,
			`/v1/assets/${assetId}/%2e%2e%2f%2e%2e%2fdaemon.json`,
			`/v1/assets/${assetId}/..%5C..%5Cdaemon.json`,
			`/v1/assets/${assetId}/../../daemon.json`,
			`/v1/assets/${assetId}/%2Fetc%2Fpasswd`,
			`/v1/assets/${assetId}/${encodeURIComponent(path.join(daemon.home, 'daemon.json'))}`,
			`/v1/assets/${assetId}/....%2F%2F....%2F%2Fdaemon.json`,
			`/v1/assets/${assetId}/asset.json`,
			`/v1/assets/${assetId}/.`,
			`/v1/assets/${assetId}/${file}%00.json`,
			`/v1/assets/${'0'.repeat(64)}/..%2F..%2Fdaemon.json`,
			'/v1/assets/../../daemon.json',
			'/v1/assets/..%2F..%2Fdaemon.json/x',
			'/v1/assets/%2e%2e/daemon.json',
			`/v1/assets/..%2F${assetId}/${file}`,
			'/daemon.json',
			'/../daemon.json',
			'/v1/../daemon.json',
		];
		for (const attempt of attempts) {
			const response = await rawRequest(daemon.port, { path: attempt, headers: auth });
			expect(response.status, attempt).toBe(404);
			expect(jsonBody(response), attempt).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
			expect(response.body, attempt).not.toContain(daemon.token);
		}

		const overSocket = await client.request({ type: 'asset.get', assetId, file: '../../daemon.json' });
		expect(overSocket).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
		const badId = await client.request({ type: 'asset.get', assetId: '../..', file: 'daemon.json' });
		expect(badId).toMatchObject({ type: 'error', code: 'E_BAD_MESSAGE' });
		expect(client.messages.some((m) => JSON.stringify(m).includes(daemon.token))).toBe(false);
	}, 60_000);
});

describe('a home folder reached through a symbolic link', () => {
	it('still refuses pictures inside it, by either of its names', async () => {
		const real = mkdtempSync(path.join(tmpdir(), 'orfeas-real-home-'));
		const linkParent = mkdtempSync(path.join(tmpdir(), 'orfeas-link-'));
		const link = path.join(linkParent, 'home');
		symlinkSync(real, link);
		const linked = await startDaemon({ home: link });
		try {
			writeFileSync(path.join(real, 'inside.png'), disc);
			const socket = await TestClient.connect(linked);
			for (const given of [path.join(real, 'inside.png'), path.join(link, 'inside.png')]) {
				const reply = await socket.request({ type: 'generate', image: { path: given }, options: SMALL });
				expect(reply, given).toMatchObject({ type: 'error', code: 'E_PATH' });
			}
			await socket.close();
		} finally {
			await linked.stop();
			removeHome(real);
			removeHome(linkParent);
		}
	}, 60_000);
});

describe('a real browser on another origin', () => {
	it('gets nothing from the daemon: no WebSocket message, no readable response, no job', async () => {
		requireChromium();
		const jobsBefore = await jobCount();
		const target = `127.0.0.1:${daemon.port}`;
		const page = `<!doctype html><meta charset="utf-8"><title>elsewhere</title><script>
const daemon = ${JSON.stringify(target)};
window.results = { ws: { events: [], messages: [], close: null }, fetches: {} };
async function attempt(name, url, init) {
	try {
		const response = await fetch(url, init);
		let body = null;
		try { body = await response.text(); } catch (e) { body = 'unreadable: ' + e; }
		results.fetches[name] = { outcome: 'response', status: response.status, type: response.type, body };
	} catch (e) {
		results.fetches[name] = { outcome: 'error', error: e.name + ': ' + e.message };
	}
}
const socketDone = new Promise((resolve) => {
	const ws = new WebSocket('ws://' + daemon + '/v1/ws');
	ws.onopen = () => {
		results.ws.events.push('open');
		ws.send(JSON.stringify({ type: 'hello', id: '1', protocol: 1, token: 'guessed-token', client: { name: 'page', version: '0' } }));
		ws.send(JSON.stringify({ type: 'job.list', id: '2' }));
	};
	ws.onmessage = (e) => results.ws.messages.push(String(e.data));
	ws.onerror = () => results.ws.events.push('error');
	ws.onclose = (e) => { results.ws.close = { code: e.code, reason: e.reason }; resolve(); };
});
const job = JSON.stringify({ image: { path: '/tmp/picture.png' } });
Promise.all([
	socketDone,
	attempt('health', 'http://' + daemon + '/health'),
	attempt('jobs', 'http://' + daemon + '/v1/jobs', { method: 'POST', body: '{}' }),
	attempt('jobsWithToken', 'http://' + daemon + '/v1/jobs', { method: 'POST', body: job, headers: { 'content-type': 'application/json', authorization: 'Bearer guessed-token' } }),
	attempt('jobsNoCors', 'http://' + daemon + '/v1/jobs', { method: 'POST', body: job, mode: 'no-cors' }),
	attempt('metrics', 'http://' + daemon + '/metrics'),
]).then(() => { window.done = true; });
</script>`;
		const site = http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			res.end(page);
		});
		await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
		const sitePort = (site.address() as net.AddressInfo).port;
		const browser = await launchChromium();
		try {
			const tab = await browser.newPage();
			await tab.goto(`http://127.0.0.1:${sitePort}/`);
			await tab.waitForFunction(() => (globalThis as unknown as { done?: boolean }).done === true, undefined, { timeout: 20_000 });
			const results = (await tab.evaluate(() => (globalThis as unknown as { results: unknown }).results)) as {
				ws: { events: string[]; messages: string[]; close: { code: number; reason: string } | null };
				fetches: Record<string, { outcome: string; status?: number; type?: string; body?: string; error?: string }>;
			};
			const seen = JSON.stringify(results, null, 1);
			console.log(`browser on http://127.0.0.1:${sitePort} saw:\n${seen}`);

			expect(results.ws.messages, seen).toEqual([]);
			// Chromium completes the upgrade and then reports the daemon's close code; a browser that fails the
			// upgrade reports 1006 with an error event. Either way the page learned nothing.
			expect([4003, 1006], seen).toContain(results.ws.close?.code);
			for (const name of ['health', 'jobs', 'jobsWithToken', 'metrics']) {
				expect(results.fetches[name], `${name}: ${seen}`).toMatchObject({ outcome: 'error', error: expect.stringMatching(/^TypeError/) });
			}
			// A no-cors request is sent and its answer hidden from the page; the daemon must still do nothing.
			expect(results.fetches.jobsNoCors.outcome === 'error' || (results.fetches.jobsNoCors.type === 'opaque' && results.fetches.jobsNoCors.body === ''), seen).toBe(true);
			expect(seen).not.toContain(daemon.token);
		} finally {
			await browser.close();
			await new Promise((resolve) => site.close(resolve));
		}
		expect(await jobCount()).toBe(jobsBefore);
		const metrics = await rawRequest(daemon.port, { path: '/metrics', headers: bearerHeader(daemon.token) });
		expect(metrics.status).toBe(200);
		// The page's socket never became a session: the only one is this test's client.
		expect(metrics.body).toMatch(/^orfeas_ws_sessions 1$/m);
	}, 90_000);
});

describe('secrets', () => {
	it('never writes the token to the log or the console', () => {
		expect(daemon.output()).not.toContain(daemon.token);
		const log = path.join(daemon.home, 'daemon.log');
		if (existsSync(log)) {
			expect(readFileSync(log, 'utf8')).not.toContain(daemon.token);
			expect(statSync(log).mode & 0o777).toBe(0o600);
		}
	});
});
