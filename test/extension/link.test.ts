// The extension host's link to a real daemon process: hello and defaults, a generation followed to its file,
// cancel, coded errors, other views uploaded over HTTP, a daemon started when none runs, and one killed mid-job
// started again with the job still delivered — the same modules the extension uses, without VS Code around them.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonClient, DaemonError } from '../../extension/src/daemon/client';
import { Connection, type ConnectionState } from '../../extension/src/daemon/connection';
import { findRunning, stopDaemon } from '../../extension/src/daemon/launcher';
import { CancelledError, waitForJob } from '../../extension/src/jobs';
import { STAGES } from '../../daemon/src/pipeline/stages';
import { GENERATE_DEFAULTS } from '../../daemon/src/protocol/options';
import { processAlive } from '../../daemon/src/server/discovery';
import { CLI } from '../helpers/cli';
import { removeHome, startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';

const HEAVY = { resolution: 1024, textureSize: 4096 };
/** Quick jobs where only the exchange matters, not the model. */
const LIGHT = { resolution: 64, textureSize: 512 };
let pictures = 100;

/** Pictures live outside every home folder: the daemon refuses inputs from inside its own. */
const pictureDir = mkdtempSync(path.join(tmpdir(), 'orfeas-pictures-'));
afterAll(() => rmSync(pictureDir, { recursive: true, force: true }));

async function picture(size: number): Promise<string> {
	const file = path.join(pictureDir, `picture-${pictures}.png`);
	writeFileSync(file, await distinctPicture(size, pictures++));
	return file;
}

function connection(home: string, autoStart: boolean, states: ConnectionState['kind'][] = []): Connection {
	const c = new Connection({ home, port: 0, autoStart, script: CLI, node: process.execPath, client: { name: 'vscode', version: '0.0.0-test' }, log: () => {} });
	c.onState((s) => states.push(s.kind));
	return c;
}

describe('with a running daemon', () => {
	let daemon: TestDaemon;
	let link: Connection;
	beforeAll(async () => {
		daemon = await startDaemon({ args: ['--cpu-jobs', '1'] });
		link = connection(daemon.home, false);
	});
	afterAll(async () => {
		link?.dispose();
		await daemon?.stop();
		if (daemon) removeHome(daemon.home);
	});

	it('finds it through the discovery file, says hello and learns the defaults', async () => {
		const client = await link.get();
		expect(client.welcome.defaults).toEqual({ ...GENERATE_DEFAULTS });
		expect(link.state).toMatchObject({ kind: 'connected', pid: daemon.pid, port: daemon.port, startedHere: false });
	});

	it('follows a generation through its stages to a file whose checksum matches', async () => {
		const client = await link.get();
		const image = await picture(400);
		const accepted = (await client.request({ type: 'generate', image: { path: image }, name: 'ball' })) as { jobId: string };
		const stages: string[] = [];
		const done = await waitForJob(link, accepted.jobId, { onProgress: (p) => stages.includes(p.stage) || stages.push(p.stage) });
		// Progress is throttled to 10 a second, so a quick job may skip stages, but never goes back.
		expect(stages[0]).toBe('decode');
		expect(stages.map((s) => STAGES.indexOf(s as (typeof STAGES)[number]))).toEqual(stages.map((s) => STAGES.indexOf(s as (typeof STAGES)[number])).sort((a, b) => a - b));
		const glb = done.files.find((f) => f.format === 'glb')!;
		const bytes = await client.download(done.assetId!, glb.name);
		expect(bytes.byteLength).toBe(glb.bytes);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(glb.sha256);
		expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('glTF');
		// Waiting again on a finished job still gets its result (the snapshot after subscribe).
		await expect(waitForJob(link, accepted.jobId)).resolves.toMatchObject({ assetId: done.assetId });
	});

	it('cancels a running job and ends the wait with CancelledError', async () => {
		const client = await link.get();
		const image = await picture(3000);
		const accepted = (await client.request({ type: 'generate', image: { path: image }, options: HEAVY })) as { jobId: string };
		let cancel: () => void = () => {};
		const wait = waitForJob(link, accepted.jobId, { onCancel: (c) => (cancel = c), onProgress: () => cancel() });
		await expect(wait).rejects.toBeInstanceOf(CancelledError);
		const job = (await client.request({ type: 'job.get', jobId: accepted.jobId })) as { job: { state: string; files?: unknown } };
		expect(job.job.state).toBe('cancelled');
		expect(job.job.files).toBeUndefined();
	});

	it('turns refusals into coded errors with the daemon sentence, and keeps the connection', async () => {
		const client = await link.get();
		const refused = await client.request({ type: 'generate', image: { path: path.join(daemon.home, 'nope.png') } }).catch((e) => e);
		expect(refused).toBeInstanceOf(DaemonError);
		expect((refused as DaemonError).code).toMatch(/^E_(PATH|NOT_FOUND)$/);
		expect((refused as DaemonError).message.length).toBeGreaterThan(10);
		const failed = await client.request({ type: 'export', assetId: 'f'.repeat(64), format: 'fbx' }).catch((e) => e);
		expect((failed as DaemonError).code).toBe('E_NOT_FOUND');
		expect(client.open).toBe(true);
		await expect(client.request({ type: 'ping' })).resolves.toMatchObject({ type: 'pong' });
	});

	it('uploads other views over HTTP for a request to name, and a picture it cannot read fails naming its view', async () => {
		const client = await link.get();
		const right = await client.upload(readFileSync(await picture(300)), 'image/png');
		expect(right).toMatch(/^u_[a-z0-9]{20}$/);
		const accepted = (await client.request({ type: 'generate', image: { path: await picture(300) }, views: [{ view: 'right', image: { upload: right } }], options: LIGHT })) as { jobId: string };
		const done = await waitForJob(link, accepted.jobId);
		expect(Object.keys(done.stats?.views ?? {}).sort()).toEqual(['front', 'right']);
		// A PNG cut short passes the upload's check of the signature; refused at once or failed as a job, the error
		// is the daemon's, and says which picture to fix.
		const cut = await client.upload(readFileSync(await picture(300)).subarray(0, 200), 'image/png');
		const failed = await client
			.request({ type: 'generate', image: { path: await picture(300) }, views: [{ view: 'top', image: { upload: cut } }] })
			.then((reply) => waitForJob(link, (reply as { jobId: string }).jobId))
			.catch((e) => e);
		expect(failed).toBeInstanceOf(DaemonError);
		expect((failed as DaemonError).code).toMatch(/^E_IMAGE_/);
		expect((failed as DaemonError).message).toMatch(/^The top view: /);
		for (const [bytes, type, code] of [['not a picture', 'image/png', 'E_IMAGE_DECODE'], ['hello', 'text/plain', 'E_BAD_MESSAGE']]) {
			const refused = await client.upload(new TextEncoder().encode(bytes), type).catch((e) => e);
			expect(refused).toBeInstanceOf(DaemonError);
			expect((refused as DaemonError).code, type).toBe(code);
		}
	}, 60_000);

	it('is refused with E_AUTH for a wrong token', async () => {
		const refused = await DaemonClient.connect({ port: daemon.port, token: 'wrong', client: { name: 'vscode', version: '0' } }).catch((e) => e);
		expect(refused).toBeInstanceOf(DaemonError);
		expect((refused as DaemonError).code).toBe('E_AUTH');
	});
});

describe('daemon lifecycle', () => {
	const home = tempHome();
	const link = connection(home, true);
	afterAll(async () => {
		link.dispose();
		const running = await findRunning(path.join(home, 'daemon.json'));
		if (running) await stopDaemon(running, path.join(home, 'daemon.json'));
		removeHome(home);
	});

	it('reports idle when nothing runs, then starts the bundled daemon on first use', async () => {
		await link.connectIfRunning();
		expect(link.state.kind).toBe('idle');
		await link.get();
		const state = link.state;
		expect(state).toMatchObject({ kind: 'connected', startedHere: true });
		expect(processAlive((state as { pid: number }).pid)).toBe(true);
	});

	it('starts the daemon again after it is killed mid-job, follows the job again, and the job finishes', async () => {
		const client = await link.get();
		const before = (link.state as { pid: number }).pid;
		const image = await picture(2000);
		const accepted = (await client.request({ type: 'generate', image: { path: image }, options: { resolution: 512, textureSize: 2048 } })) as { jobId: string };
		let killed = false;
		const done = waitForJob(link, accepted.jobId, {
			onProgress: () => {
				if (killed) return;
				killed = true;
				process.kill(before, 'SIGKILL');
			},
		});
		const result = await done;
		expect(killed).toBe(true);
		const after = link.state as { kind: string; pid: number };
		expect(after.kind).toBe('connected');
		expect(after.pid).not.toBe(before);
		expect(result.files.some((f) => f.format === 'glb')).toBe(true);
	}, 90_000);

	it('restarts on request with a new process', async () => {
		const before = (link.state as { pid: number }).pid;
		await link.restart();
		const after = link.state as { kind: string; pid: number };
		expect(after.kind).toBe('connected');
		expect(after.pid).not.toBe(before);
		expect(processAlive(before)).toBe(false);
	});
});

describe('a daemon speaking another protocol', () => {
	it('ends in the mismatch state with a way out, and does not start a second daemon', async () => {
		const home = tempHome();
		const server = http.createServer((req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ok: true, version: '9.0.0', uptimeMs: 1 }));
		});
		const wss = new WebSocketServer({ server, path: '/v1/ws' });
		wss.on('connection', (socket) =>
			socket.on('message', (data) => {
				const hello = JSON.parse(String(data));
				socket.send(JSON.stringify({ type: 'error', re: hello.id, code: 'E_PROTOCOL', message: 'This daemon speaks protocol 2, the client 1. Update whichever is older.' }));
				socket.close(4002, 'protocol');
			}),
		);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		writeFileSync(path.join(home, 'daemon.json'), JSON.stringify({ version: '9.0.0', pid: process.pid, port, token: 't', startedAt: new Date().toISOString() }));
		const link = connection(home, true);
		try {
			const error = await link.get().catch((e) => e);
			expect((error as DaemonError).code).toBe('E_PROTOCOL');
			expect(link.state.kind).toBe('mismatch');
			expect((link.state as { reason: string }).reason).toMatch(/protocol 2.*Restart Daemon/);
			expect(JSON.parse(readFileSync(path.join(home, 'daemon.json'), 'utf8')).pid).toBe(process.pid);
		} finally {
			link.dispose();
			wss.close();
			server.close();
			removeHome(home);
		}
	});
});
