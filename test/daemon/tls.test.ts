// A team server against a real daemon process (ARCHITECTURE.md § Security model): a non-loopback bind is
// refused without TLS or user tokens; with --tls-self-signed the fingerprint it prints is the certificate it
// presents, kept across restarts; clients that pin it reach HTTPS and WSS with a user token and a client
// pinning another one sends nothing; wrong, worker and revoked tokens, foreign Hosts and Origins are refused;
// the discovery token still works from this machine and nowhere else; and a user has one rate over all its
// connections. The daemon binds 0.0.0.0 but the tests reach it through 127.0.0.1 (and this machine's own
// addresses, which never leave it).
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ALL_FIXTURES } from '../fixtures/images';
import { CLI, ensureBuilt, orfeas } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { TestClient, type Received } from '../helpers/ws-client';

const SERVER_NAME = 'orfeas.test';
const USER_RATE = 20;
const TEAM_ARGS = ['--bind', '0.0.0.0', '--tls-self-signed', '--server-name', SERVER_NAME, '--user-rate', String(USER_RATE)];
const WRONG_FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':');

let home: string;
let daemon: TestDaemon;
let printed: string;
const tokens: Record<string, string> = {};

/** This machine's non-loopback IPv4 addresses: connections to them stay on the machine but do not come from loopback. */
const external = Object.values(os.networkInterfaces())
	.flat()
	.filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && a.family === 'IPv4')
	.map((a) => a.address);

function addUser(name: string, worker = false): string {
	const run = orfeas(['users', 'add', name, '--home', home, ...(worker ? ['--worker'] : [])], home);
	expect(run.code, run.stderr).toBe(0);
	expect(run.stderr).toMatch(/shown this once/);
	return run.stdout.trim();
}

/** Runs `orfeas daemon` that is expected to refuse to start, and returns how. */
function refusedStart(homeDir: string, args: string[]): { code: number | null; stderr: string } {
	ensureBuilt();
	const run = spawnSync(process.execPath, [CLI, 'daemon', '--port', '0', '--home', homeDir, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ORFEAS_DEBUG: '' } });
	return { code: run.status, stderr: run.stderr };
}

/** A TLS connection kept only if the server presents the pinned certificate; nothing is written before that check. */
function pinned(port: number, fingerprint256: string, host = '127.0.0.1'): Promise<tls.TLSSocket> {
	return new Promise((resolve, reject) => {
		const socket = tls.connect({ host, port, rejectUnauthorized: false });
		socket.once('secureConnect', () => {
			if (socket.getPeerX509Certificate()?.fingerprint256 === fingerprint256) return resolve(socket);
			socket.destroy();
			reject(new Error('certificate does not match the pinned fingerprint'));
		});
		socket.once('error', reject);
	});
}

interface Reply {
	status: number;
	body: Record<string, unknown>;
}

/** An HTTPS request over a pinned connection, every header as given (Host included). */
async function pinnedRequest(route: string, options: { method?: string; token?: string; headers?: Record<string, string>; body?: Uint8Array; host?: string } = {}): Promise<Reply> {
	const socket = await pinned(daemon.port, daemon.fingerprint256!, options.host);
	return new Promise((resolve, reject) => {
		const headers = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
		const req = http.request({ host: options.host ?? '127.0.0.1', port: daemon.port, method: options.method ?? 'GET', path: route, headers, createConnection: () => socket }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({ status: res.statusCode ?? 0, body: res.headers['content-type']?.startsWith('application/json') ? JSON.parse(text) : { text } });
			});
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

/** A WSS client over a pinned connection; says hello with `helloToken` unless hello is false. */
async function pinnedSocket(options: { headerToken?: string; helloToken?: string; headers?: Record<string, string>; hello?: boolean; host?: string } = {}): Promise<TestClient> {
	const connection = await pinned(daemon.port, daemon.fingerprint256!, options.host);
	const headers = { ...(options.headerToken ? { authorization: `Bearer ${options.headerToken}` } : {}), ...options.headers };
	const ws = new WebSocket(`wss://${options.host ?? '127.0.0.1'}:${daemon.port}/v1/ws`, { headers, createConnection: () => connection });
	const client = new TestClient(ws);
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
		ws.once('close', () => resolve());
	});
	if (options.hello !== false && ws.readyState === WebSocket.OPEN) {
		await client.request({ type: 'hello', protocol: 1, ...(options.helloToken ? { token: options.helloToken } : {}), client: { name: 'remote', version: '0' } });
	}
	return client;
}

/** Sends `count` pings spread over the clients at once and resolves with the answers (pong or error) to them. */
async function pings(clients: TestClient[], count: number): Promise<Received[]> {
	const before = clients.map((c) => c.messages.length);
	for (let i = 0; i < count; i++) clients[i % clients.length].sendRaw(JSON.stringify({ type: 'ping', id: `p${i}` }));
	const answers = () => clients.flatMap((c, i) => c.messages.slice(before[i]).filter((m) => m.type === 'pong' || m.type === 'error'));
	const deadline = Date.now() + 20_000;
	while (answers().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
	expect(answers().length).toBe(count);
	return answers();
}

function printedFingerprint(output: string): string | undefined {
	return /SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(output)?.[1];
}

beforeAll(async () => {
	home = tempHome();
	tokens.ana = addUser('ana');
	tokens.bob = addUser('bob');
	tokens.carol = addUser('carol');
	tokens.gpu = addUser('gpu-1', true);
	daemon = await startDaemon({ home, args: TEAM_ARGS });
	printed = daemon.output();
}, 60_000);

afterAll(async () => {
	await daemon?.stop();
	if (home) removeHome(home);
});

describe('start-up refusals', () => {
	it('refuses --bind 0.0.0.0 without TLS and without users (exit code 2), saying what to add', () => {
		const bare = tempHome();
		try {
			const neither = refusedStart(bare, ['--bind', '0.0.0.0']);
			expect(neither.code).toBe(2);
			expect(neither.stderr).toMatch(/--bind 0\.0\.0\.0 .*add --tls-self-signed \(or --tls-cert FILE --tls-key FILE\) and a user token .*orfeas users add NAME/);

			const noUsers = refusedStart(bare, ['--bind', '0.0.0.0', '--tls-self-signed']);
			expect(noUsers.code).toBe(2);
			expect(noUsers.stderr).toMatch(/orfeas users add NAME/);
			expect(noUsers.stderr).not.toMatch(/--tls-self-signed \(/);

			// A worker token alone is not a user token.
			expect(orfeas(['users', 'add', 'gpu', '--worker', '--home', bare], bare).code).toBe(0);
			expect(refusedStart(bare, ['--bind', '0.0.0.0', '--tls-self-signed']).code).toBe(2);
		} finally {
			removeHome(bare);
		}
		// Users but no TLS.
		const noTls = refusedStart(home, ['--bind', '0.0.0.0']);
		expect(noTls.code).toBe(2);
		expect(noTls.stderr).toMatch(/add --tls-self-signed \(or --tls-cert FILE --tls-key FILE\), or bind 127\.0\.0\.1/);
	}, 120_000);

	it('refuses half or mixed TLS flags and a bind that is not an address', () => {
		const bare = tempHome();
		try {
			expect(refusedStart(bare, ['--tls-cert', path.join(bare, 'c.pem')]).stderr).toMatch(/--tls-cert and --tls-key go together/);
			expect(refusedStart(bare, ['--tls-self-signed', '--tls-cert', 'c.pem', '--tls-key', 'k.pem']).code).toBe(2);
			expect(refusedStart(bare, ['--bind', 'example.com']).code).toBe(2);
		} finally {
			removeHome(bare);
		}
	}, 60_000);
});

describe('certificate', () => {
	it('prints the fingerprint of the certificate it presents, and writes it to daemon.json', async () => {
		const fingerprint = printedFingerprint(printed);
		expect(fingerprint).toBeDefined();
		const socket = tls.connect({ host: '127.0.0.1', port: daemon.port, rejectUnauthorized: false });
		await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
		const presented = socket.getPeerX509Certificate()!;
		socket.end();
		expect(presented.fingerprint256).toBe(fingerprint);
		expect(daemon.fingerprint256).toBe(fingerprint);
		const discovery = JSON.parse(readFileSync(path.join(home, 'daemon.json'), 'utf8'));
		expect(discovery).toMatchObject({ scheme: 'https', bind: '0.0.0.0', serverName: SERVER_NAME, fingerprint256: fingerprint });
		// Kept in the home folder: the same certificate, naming the server and loopback.
		expect(new X509Certificate(readFileSync(path.join(home, 'tls', 'cert.pem'))).fingerprint256).toBe(fingerprint);
		expect(presented.checkHost(SERVER_NAME, { subject: 'never' })).toBe(SERVER_NAME);
		expect(presented.checkIP('127.0.0.1')).toBe('127.0.0.1');
		// orfeas status shows it too.
		const status = orfeas(['status', '--home', home, '--json'], home);
		expect(JSON.parse(status.stdout)).toMatchObject({ running: true, url: `https://${SERVER_NAME}:${daemon.port}`, fingerprint256: fingerprint });
	});

	it('serves no plain HTTP', async () => {
		const reply = await new Promise<string>((resolve) => {
			const req = http.get({ host: '127.0.0.1', port: daemon.port, path: '/health', agent: false }, (res) => resolve(String(res.statusCode)));
			req.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
		});
		expect(reply).not.toBe('200');
	});

	it('sends nothing to a server whose certificate is not the pinned one', async () => {
		await expect(pinned(daemon.port, WRONG_FINGERPRINT)).rejects.toThrow(/pinned fingerprint/);
		// Node's own verification refuses a self-signed certificate outright.
		const verified = await new Promise<string>((resolve) => {
			const socket = tls.connect({ host: '127.0.0.1', port: daemon.port }, () => resolve('connected'));
			socket.once('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
		});
		expect(verified).toMatch(/SELF_SIGNED|DEPTH_ZERO/);
	});
});

describe('user tokens over HTTPS and WSS', () => {
	it('lets a pinned client with a user token use /v1 over HTTPS', async () => {
		const png = (await ALL_FIXTURES.disc(64)).bytes;
		const upload = await pinnedRequest('/v1/uploads', { method: 'POST', token: tokens.ana, headers: { 'content-type': 'image/png' }, body: png });
		expect(upload.status).toBe(201);
		expect(upload.body.uploadId).toMatch(/^u_/);
		const missing = await pinnedRequest('/v1/jobs/j_00000000000000000000', { token: tokens.ana });
		expect(missing).toMatchObject({ status: 404, body: { code: 'E_NOT_FOUND' } });
	});

	it('welcomes a WSS hello with a user token, in the hello or in the header', async () => {
		const inHello = await pinnedSocket({ helloToken: tokens.ana });
		expect(inHello.messages[0]).toMatchObject({ type: 'welcome', protocol: 1 });
		expect(await inHello.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		expect(inHello.invalid).toEqual([]);
		await inHello.close();
		const inHeader = await pinnedSocket({ headerToken: tokens.ana });
		expect(inHeader.messages[0]).toMatchObject({ type: 'welcome' });
		await inHeader.close();
	});

	it('does not let a user name files on the server', async () => {
		const client = await pinnedSocket({ helloToken: tokens.ana });
		const reply = await client.request({ type: 'generate', image: { path: '/etc/hostname.png' } });
		expect(reply).toMatchObject({ type: 'error', code: 'E_PATH' });
		const scene = await client.request({ type: 'scene.create', base: '/etc' });
		expect(scene).toMatchObject({ type: 'error', code: 'E_PATH' });
		await client.close();
		const overHttp = await pinnedRequest('/v1/jobs', { method: 'POST', token: tokens.ana, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ image: { path: '/etc/hostname.png' } })) });
		expect(overHttp).toMatchObject({ status: 400, body: { code: 'E_PATH' } });
	});
});

describe('a worker of a TLS gateway', () => {
	const worker = (fingerprint: string, workerHome: string) =>
		spawn(process.execPath, [CLI, 'worker', '--queue', 'redis://127.0.0.1:1/0', '--server', `https://127.0.0.1:${daemon.port}`, '--token', tokens.gpu, '--fingerprint', fingerprint, '--home', workerHome], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});

	it('refuses a gateway whose certificate is not the pinned one, before it sends its token', async () => {
		const workerHome = tempHome();
		const child = worker(WRONG_FINGERPRINT, workerHome);
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const code = await new Promise((resolve) => child.once('exit', resolve));
		expect(code).not.toBe(0);
		expect(stderr).toMatch(new RegExp(`Refused the gateway: .*presented certificate ${daemon.fingerprint256}, not the pinned ${WRONG_FINGERPRINT}.*\\[E_AUTH\\]`));
		removeHome(workerHome);
	});

	it('reaches the daemon with the right pin, which answers that it keeps no queue for workers', async () => {
		const workerHome = tempHome();
		const child = worker(daemon.fingerprint256!.toLowerCase(), workerHome);
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const code = await new Promise((resolve) => child.once('exit', resolve));
		expect(code).not.toBe(0);
		// The request went through the pinned connection and was answered: this daemon was not started with --queue.
		expect(stderr).toMatch(/keeps no job queue for workers\. Start it as a gateway with --queue .*\[E_NOT_FOUND\]/);
		removeHome(workerHome);
	});
});

describe('refusals', () => {
	it('refuses a wrong token with E_AUTH over HTTPS, in the WSS hello, and in the upgrade header', async () => {
		expect(await pinnedRequest('/metrics', { token: `${tokens.ana}x` })).toMatchObject({ status: 401, body: { code: 'E_AUTH' } });
		expect(await pinnedRequest('/metrics')).toMatchObject({ status: 401, body: { code: 'E_AUTH' } });
		const hello = await pinnedSocket({ hello: false });
		const refused = await hello.request({ type: 'hello', protocol: 1, token: 'ofu_guessed', client: { name: 'probe', version: '0' } });
		expect(refused).toMatchObject({ type: 'error', code: 'E_AUTH' });
		expect((await hello.closed).code).toBe(4001);
		const header = await pinnedSocket({ headerToken: 'ofu_guessed', hello: false });
		expect((await header.closed).code).toBe(4001);
		expect(header.messages).toEqual([]);
	});

	it('refuses a worker token on the client routes with E_AUTH', async () => {
		const reply = await pinnedRequest('/v1/jobs/j_00000000000000000000', { token: tokens.gpu });
		expect(reply).toMatchObject({ status: 401, body: { code: 'E_AUTH', message: expect.stringMatching(/worker token/) } });
		const hello = await pinnedSocket({ hello: false });
		const refused = await hello.request({ type: 'hello', protocol: 1, token: tokens.gpu, client: { name: 'probe', version: '0' } });
		expect(refused).toMatchObject({ type: 'error', code: 'E_AUTH', message: expect.stringMatching(/worker token/) });
		expect((await hello.closed).code).toBe(4001);
		const header = await pinnedSocket({ headerToken: tokens.gpu, hello: false });
		expect(await header.closed).toMatchObject({ code: 4001, reason: expect.stringMatching(/worker/) });
	});

	it('refuses a token revoked while the daemon runs, and closes its open sessions', async () => {
		expect((await pinnedRequest('/metrics', { token: tokens.bob })).status).toBe(200);
		const open = await pinnedSocket({ helloToken: tokens.bob });
		expect(open.messages[0]).toMatchObject({ type: 'welcome' });

		const revoke = orfeas(['users', 'revoke', 'bob', '--home', home], home);
		expect(revoke.code).toBe(0);
		expect(revoke.stdout).toMatch(/Revoked user bob/);

		expect(await pinnedRequest('/metrics', { token: tokens.bob })).toMatchObject({ status: 401, body: { code: 'E_AUTH' } });
		// The next message is answered (without `re`: it is not read) and the session closed.
		open.sendRaw(JSON.stringify({ type: 'ping', id: 'after-revoke' }));
		expect((await open.closed).code).toBe(4001);
		expect(open.messages.slice(1)).toEqual([{ type: 'error', code: 'E_AUTH', message: expect.stringMatching(/bob has been revoked/) }]);
		const again = await pinnedSocket({ hello: false });
		expect(await again.request({ type: 'hello', protocol: 1, token: tokens.bob, client: { name: 'probe', version: '0' } })).toMatchObject({ type: 'error', code: 'E_AUTH' });
		// Others are untouched, and the list says who is revoked (never a token).
		expect((await pinnedRequest('/metrics', { token: tokens.ana })).status).toBe(200);
		const list = orfeas(['users', 'list', '--home', home, '--json'], home);
		const users = JSON.parse(list.stdout) as Array<{ name: string; role: string; revoked: string | null }>;
		expect(users.map((u) => [u.name, u.role, u.revoked !== null])).toEqual([['ana', 'user', false], ['bob', 'user', true], ['carol', 'user', false], ['gpu-1', 'worker', false]]);
		for (const token of Object.values(tokens)) expect(list.stdout).not.toContain(token);
	});

	it('refuses daemon.stop from a remote user with E_FORBIDDEN, keeps the session open and keeps running', async () => {
		const remote = await pinnedSocket({ helloToken: tokens.ana });
		const refused = await remote.request({ type: 'daemon.stop' });
		expect(refused).toMatchObject({ type: 'error', code: 'E_FORBIDDEN', message: expect.stringMatching(/own machine/) });
		expect(await remote.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		expect(remote.invalid).toEqual([]);
		await remote.close();
		// The same user from another address of this machine: still a user, still refused.
		expect(external.length, 'this test reaches the daemon through a non-loopback IPv4 address of this machine, and it has none: give it a network interface').toBeGreaterThan(0);
		const elsewhere = await pinnedSocket({ host: external[0], helloToken: tokens.ana });
		expect(await elsewhere.request({ type: 'daemon.stop' })).toMatchObject({ type: 'error', code: 'E_FORBIDDEN' });
		await elsewhere.close();
		// A worker token opens no session at all, so it cannot ask.
		const worker = await pinnedSocket({ hello: false });
		expect(await worker.request({ type: 'hello', protocol: 1, token: tokens.gpu, client: { name: 'probe', version: '0' } })).toMatchObject({ type: 'error', code: 'E_AUTH' });
		expect((await worker.closed).code).toBe(4001);
		expect((await pinnedRequest('/health')).status).toBe(200);
		expect(daemon.process.exitCode).toBeNull();
	});

	it('refuses a foreign Host with E_ORIGIN and takes the server name and this machine\'s addresses', async () => {
		for (const host of ['evil.example', `evil.example:${daemon.port}`, `${SERVER_NAME}:${daemon.port + 1}`, SERVER_NAME, `0.0.0.0:${daemon.port}`]) {
			expect(await pinnedRequest('/health', { headers: { host } }), host).toMatchObject({ status: 403, body: { code: 'E_ORIGIN' } });
			expect(await pinnedRequest('/metrics', { token: tokens.ana, headers: { host } }), host).toMatchObject({ status: 403, body: { code: 'E_ORIGIN' } });
		}
		const socket = await pinnedSocket({ headerToken: tokens.ana, headers: { host: `evil.example:${daemon.port}` }, hello: false });
		expect(await socket.closed).toMatchObject({ code: 4003 });
		expect(socket.messages).toEqual([]);
		for (const host of [`${SERVER_NAME}:${daemon.port}`, `ORFEAS.TEST:${daemon.port}`, `127.0.0.1:${daemon.port}`, `localhost:${daemon.port}`, ...external.map((a) => `${a}:${daemon.port}`)]) {
			expect((await pinnedRequest('/metrics', { token: tokens.ana, headers: { host } })).status, host).toBe(200);
		}
		const named = await pinnedSocket({ headerToken: tokens.ana, headers: { host: `${SERVER_NAME}:${daemon.port}` } });
		expect(named.messages[0]).toMatchObject({ type: 'welcome' });
		await named.close();
	});

	it('refuses an Origin that is not allow-listed with E_ORIGIN, over HTTPS and WSS', async () => {
		for (const origin of ['https://evil.example', `https://${SERVER_NAME}:${daemon.port}`, 'null']) {
			expect(await pinnedRequest('/metrics', { token: tokens.ana, headers: { origin } }), origin).toMatchObject({ status: 403, body: { code: 'E_ORIGIN' } });
			const socket = await pinnedSocket({ headerToken: tokens.ana, headers: { origin }, hello: false });
			expect((await socket.closed).code, origin).toBe(4003);
		}
	});
});

describe('the discovery token', () => {
	it('still works from loopback, over HTTPS and WSS', async () => {
		expect((await pinnedRequest('/metrics', { token: daemon.token })).status).toBe(200);
		const local = await pinnedSocket({ helloToken: daemon.token });
		expect(local.messages[0]).toMatchObject({ type: 'welcome' });
		// A local client still names files on this machine: the path rules answer, not the remote refusal.
		const reply = await local.request({ type: 'generate', image: { path: '/nonexistent/a.png' } });
		expect(reply).toMatchObject({ type: 'error', code: 'E_NOT_FOUND' });
		await local.close();
	});

	it('is refused from a non-loopback address, where a user token is taken', async () => {
		expect(external.length, 'this test reaches the daemon through a non-loopback IPv4 address of this machine, and it has none: give it a network interface').toBeGreaterThan(0);
		const address = external[0];
		expect(await pinnedRequest('/metrics', { host: address, token: daemon.token })).toMatchObject({ status: 401, body: { code: 'E_AUTH' } });
		expect((await pinnedRequest('/metrics', { host: address, token: tokens.ana })).status).toBe(200);
		const socket = await pinnedSocket({ host: address, hello: false });
		expect(await socket.request({ type: 'hello', protocol: 1, token: daemon.token, client: { name: 'probe', version: '0' } })).toMatchObject({ type: 'error', code: 'E_AUTH' });
		expect((await socket.closed).code).toBe(4001);
	});
});

describe('per-user rate', () => {
	it('limits a user over all its connections with E_RATE_LIMIT, and not the local clients', async () => {
		const first = await pinnedSocket({ helloToken: tokens.carol });
		const second = await pinnedSocket({ helloToken: tokens.carol });
		// Wait for the bucket the hellos used to fill again.
		await new Promise((r) => setTimeout(r, 2500));
		// Each connection stays far under its own limit (200 a second, 400 at once); the user's bucket holds 40.
		// A refused message is not read, so its error carries no `re`: every ping gets a pong or an error.
		const fromFirst = await pings([first], 30);
		expect(fromFirst.every((r) => r.type === 'pong')).toBe(true);
		// The second connection is fresh, but its user has spent most of the bucket on the first.
		const fromSecond = await pings([second], 30);
		const limited = fromSecond.filter((r) => r.type === 'error');
		expect(limited.length).toBeGreaterThanOrEqual(15);
		expect(limited[0]).toMatchObject({ code: 'E_RATE_LIMIT', message: expect.stringMatching(/carol .*over all its connections/) });
		// And back on the first, the bucket is still empty.
		expect((await pings([first], 10)).filter((r) => r.code === 'E_RATE_LIMIT').length).toBeGreaterThanOrEqual(5);
		await first.close();
		await second.close();

		const local = await pinnedSocket({ helloToken: daemon.token });
		expect((await pings([local], 80)).every((r) => r.type === 'pong')).toBe(true);
		await local.close();
	});
});

describe('restart', () => {
	it('keeps the self-signed certificate, so the pinned fingerprint stays valid', async () => {
		const before = daemon.fingerprint256;
		expect(await daemon.stop()).toBe(0);
		daemon = await startDaemon({ home, args: TEAM_ARGS });
		expect(daemon.fingerprint256).toBe(before);
		expect(printedFingerprint(daemon.output())).toBe(before);
		expect(daemon.output()).not.toMatch(/made a self-signed certificate/);
		expect((await pinnedRequest('/metrics', { token: tokens.ana })).status).toBe(200);
	}, 60_000);

	it('stops with orfeas stop, which reaches the TLS daemon over pinned WSS with the discovery token', async () => {
		const run = orfeas(['stop', '--home', home], home);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(new RegExp(`Stopped the Orfeas daemon \\(pid ${daemon.pid}, port ${daemon.port}\\)`));
		expect(await daemon.exited).toBe(0);
		expect(daemon.output()).toMatch(/stop requested: daemon\.stop from "orfeas-cli /);
	}, 60_000);
});
