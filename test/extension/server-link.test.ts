// The extension host's link to a team server, against a real daemon process serving TLS with a self-signed
// certificate and a user token (`orfeas users add`): the same modules the extension uses, without VS Code. Pinned
// to the printed fingerprint it says hello with the user's token, uploads the picture (the server refuses paths
// from users) and downloads the model; pinned to another, or with no pin, it sends nothing, which the daemon's log
// shows (it logs every user's hello); no token is refused before any connection, and a link to a server never
// starts a daemon of its own.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonClient, DaemonError } from '../../extension/src/daemon/client';
import { Connection, type ConnectionState, type ServerChoice } from '../../extension/src/daemon/connection';
import { parseServer } from '../../extension/src/daemon/server';
import { waitForJob } from '../../extension/src/jobs';
import { CLI, orfeas } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { sleep } from '../helpers/poll';

const WRONG = Array.from({ length: 32 }, () => 'AB').join(':');
const CLIENT = { name: 'vscode', version: '0.0.0-test' };

let home: string;
let daemon: TestDaemon;
let token: string;
let url: string;

/** The user hellos in the daemon's log. */
function hellos(): string[] {
	return readFileSync(path.join(home, 'daemon.log'), 'utf8')
		.split('\n')
		.filter((line) => / hello from ana /.test(line));
}

function link(choice: Partial<ServerChoice>, states: ConnectionState[] = []): { connection: Connection; own: string } {
	const own = tempHome();
	const connection = new Connection({
		home: own,
		port: 0,
		autoStart: true,
		script: CLI,
		node: process.execPath,
		client: CLIENT,
		log: () => {},
		server: () => ({ url, fingerprint: daemon.fingerprint256!, token: async () => token, ...choice }),
	});
	connection.onState((s) => states.push(s));
	return { connection, own };
}

beforeAll(async () => {
	home = tempHome();
	const added = orfeas(['users', 'add', 'ana', '--home', home], home);
	expect(added.code, added.stderr).toBe(0);
	token = added.stdout.trim();
	daemon = await startDaemon({ home, args: ['--bind', '127.0.0.1', '--tls-self-signed', '--cpu-jobs', '1'] });
	expect(daemon.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
	url = `https://127.0.0.1:${daemon.port}`;
}, 60_000);

afterAll(async () => {
	await daemon?.stop();
	if (home) removeHome(home);
});

describe('a team server', () => {
	it('pinned to its certificate: hello with the user token, the picture uploaded, the model downloaded intact', async () => {
		const before = hellos().length;
		const client = await DaemonClient.connect({ server: parseServer(url, daemon.fingerprint256!.toLowerCase()), token, client: CLIENT });
		try {
			expect(client.remote).toBe(true);
			expect(hellos()).toHaveLength(before + 1);
			expect(hellos().at(-1)).toMatch(/hello from ana at (::ffff:)?127\.0\.0\.1 \("vscode 0\.0\.0-test"\)/);
			// A path is refused from a user, so the picture goes over HTTPS on a pinned connection too.
			const byPath = await client.request({ type: 'generate', image: { path: '/tmp/ball.png' } }).catch((e) => e);
			expect(byPath).toMatchObject({ code: 'E_PATH' });
			const upload = await client.upload(await distinctPicture(300, 33_001), 'image/png');
			expect(upload).toMatch(/^u_/);
			const { connection, own } = link({});
			try {
				const linked = await connection.get();
				const accepted = (await linked.request({ type: 'generate', image: { upload }, name: 'ball', options: { resolution: 64, textureSize: 512 } })) as { jobId: string };
				const done = await waitForJob(connection, accepted.jobId);
				const glb = done.files.find((f) => f.format === 'glb')!;
				const bytes = await linked.download(done.assetId!, glb.name);
				expect(createHash('sha256').update(bytes).digest('hex')).toBe(glb.sha256);
				expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('glTF');
				expect(connection.state).toMatchObject({ kind: 'connected', server: url, startedHere: false });
				expect(existsSync(path.join(own, 'daemon.json'))).toBe(false);
			} finally {
				connection.dispose();
				removeHome(own);
			}
		} finally {
			client.close();
		}
	}, 120_000);

	it('pinned to another certificate, or to none, sends nothing and says what it was shown', async () => {
		const before = hellos().length;
		const wrong = (await DaemonClient.connect({ server: parseServer(url, WRONG), token, client: CLIENT }).catch((e) => e)) as DaemonError;
		expect(wrong).toBeInstanceOf(DaemonError);
		expect(wrong.code).toBe('E_TLS');
		expect(wrong.message).toContain(`the server presented certificate ${daemon.fingerprint256}, not the pinned ${WRONG}`);
		const unpinned = (await DaemonClient.connect({ server: parseServer(url), token, client: CLIENT }).catch((e) => e)) as DaemonError;
		expect(unpinned.code).toBe('E_TLS');
		expect(unpinned.message).toMatch(/no certificate authority vouches for its certificate/);
		// Only the connection pinned to the right certificate said hello.
		const client = await DaemonClient.connect({ server: parseServer(url, daemon.fingerprint256), token, client: CLIENT });
		client.close();
		expect(hellos()).toHaveLength(before + 1);
		await sleep(500);
		expect(hellos()).toHaveLength(before + 1);
	});

	it('is refused with the daemon sentence for a token it does not know', async () => {
		const refused = (await DaemonClient.connect({ server: parseServer(url, daemon.fingerprint256), token: `${token}x`, client: CLIENT }).catch((e) => e)) as DaemonError;
		expect(refused.code).toBe('E_AUTH');
		expect(refused.message.length).toBeGreaterThan(10);
	});

	it('as the connection of the extension: no token, a wrong pin or a bad URL wait for new settings, and no daemon is started here', async () => {
		for (const [choice, code, said] of [
			[{ token: async () => undefined }, 'E_AUTH', /No token for https:\/\/127\.0\.0\.1:\d+ yet: run "Orfeas: Set Server Token"/],
			[{ fingerprint: WRONG }, 'E_TLS', /the server presented certificate .*, not the pinned/],
			[{ url: 'http://127.0.0.1:1' }, 'E_SETTINGS', /orfeas\.server\.url must start with https:\/\//],
		] as const) {
			const states: ConnectionState[] = [];
			const { connection, own } = link(choice, states);
			try {
				const refused = (await connection.get().catch((e) => e)) as DaemonError;
				expect(refused.code).toBe(code);
				expect(refused.message).toMatch(said);
				expect(connection.state).toEqual({ kind: 'offline', reason: refused.message });
				// Not tried again on its own: the same settings meet the same refusal.
				await sleep(1500);
				expect(states.map((s) => s.kind)).toEqual(['connecting', 'offline']);
				expect(existsSync(path.join(own, 'daemon.json'))).toBe(false);
			} finally {
				connection.dispose();
				removeHome(own);
			}
		}
	});

	it('connects again with new settings after reset', async () => {
		let fingerprint = WRONG;
		const states: ConnectionState[] = [];
		const { connection, own } = link({ get fingerprint() { return fingerprint; } }, states);
		try {
			await expect(connection.get()).rejects.toMatchObject({ code: 'E_TLS' });
			fingerprint = daemon.fingerprint256!;
			connection.reset();
			expect(connection.state).toEqual({ kind: 'idle' });
			await connection.get();
			expect(connection.state).toMatchObject({ kind: 'connected', server: url });
			expect(states.map((s) => s.kind)).toEqual(['connecting', 'offline', 'idle', 'connecting', 'connected']);
		} finally {
			connection.dispose();
			removeHome(own);
		}
	});
});
