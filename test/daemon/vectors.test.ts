// Every protocol vector sent to a real daemon on one connection after hello: invalid messages and frames come
// back as the coded error the vector names, valid ones get a reply to their id (a result or a coded error,
// since they point at paths and ids that do not exist), and the connection stays open throughout. A valid
// daemon.stop does what it says, so it goes to a daemon of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { clientText, loadVectors, type ClientVector, type FrameVector } from '../helpers/protocol-vectors';
import { TestClient, type Received } from '../helpers/ws-client';

const isStop = (vector: ClientVector) => vector.expect.valid && vector.expect.type === 'daemon.stop';
const stopVectors = loadVectors<ClientVector>('client/valid').filter(({ vector }) => isStop(vector));
const clientVectors = [...loadVectors<ClientVector>('client/valid').filter(({ vector }) => !isStop(vector)), ...loadVectors<ClientVector>('client/invalid')];
const frameVectors = loadVectors<FrameVector>('frames');

let daemon: TestDaemon;
let client: TestClient;

beforeAll(async () => {
	daemon = await startDaemon();
	client = await TestClient.connect(daemon);
});

afterAll(async () => {
	await client?.close();
	await daemon?.stop();
	removeHome(daemon.home);
});

/**
 * Sends one frame and resolves with its answer: the first later message carrying `re`, or, when no id can be
 * read, the first later error without one. Vectors go one at a time, so nothing else is in flight.
 */
async function exchange(data: string | Uint8Array, re: string | undefined): Promise<Received> {
	const before = client.messages.length;
	const after = (m: Received) => client.messages.indexOf(m) >= before;
	client.sendRaw(data);
	return client.waitFor((m) => after(m) && (re !== undefined ? m.re === re : m.type === 'error' && m.re === undefined), 10_000);
}

/** The id of a frame header that carries a usable one (as the daemon reads it for `re`). */
function requestId(header: unknown): string | undefined {
	const id = (header as { id?: unknown } | null)?.id;
	return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

describe('protocol vectors against a daemon', () => {
	it.each(clientVectors)('text frame $name', async ({ vector }) => {
		const expected = vector.expect;
		const text = clientText(vector);
		if (expected.valid) {
			const re = requestId(JSON.parse(text));
			expect(re, 'a valid vector carries an id').toBeDefined();
			const reply = await exchange(text, re);
			if (reply.type === 'error') expect(reply.code, JSON.stringify(reply)).not.toBe('E_INTERNAL');
		} else {
			const reply = await exchange(text, expected.re);
			expect(reply).toMatchObject({ type: 'error', code: expected.code });
			expect(reply.re).toBe(expected.re);
			expect((reply.details as { field?: string } | undefined)?.field).toBe(expected.field);
		}
		expect(client.socket.readyState).toBe(WebSocket.OPEN);
	});

	it.each(frameVectors)('binary frame $name', async ({ vector }) => {
		const bytes = Buffer.from(vector.hex, 'hex');
		const expected = vector.expect;
		const re = expected.valid ? requestId(expected.header) : undefined;
		const reply = await exchange(bytes, re);
		if (expected.valid) {
			if (reply.type === 'error') expect(reply.code, JSON.stringify(reply)).not.toBe('E_INTERNAL');
		} else {
			expect(reply).toMatchObject({ type: 'error', code: expected.code });
		}
		expect(client.socket.readyState).toBe(WebSocket.OPEN);
	});

	it('still answers on the same connection, and everything it sent matched the schemas', async () => {
		expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		expect(client.invalid).toEqual([]);
	});

	it('answers each valid daemon.stop with ok, then the daemon stops and exits 0', async () => {
		expect(stopVectors.length).toBeGreaterThan(0);
		for (const { vector } of stopVectors) {
			const own = await startDaemon();
			try {
				const stopper = await TestClient.connect(own);
				stopper.sendRaw(clientText(vector));
				expect(await stopper.waitFor((m) => m.re === (vector.json as { id: string }).id)).toMatchObject({ type: 'ok' });
				expect((await stopper.closed).code).toBe(1001);
				expect(await own.exited).toBe(0);
				expect(stopper.invalid).toEqual([]);
			} finally {
				if (own.process.exitCode === null && own.process.signalCode === null) await own.kill();
				removeHome(own.home);
			}
		}
	});

	it('answers each valid hello as the first message of a connection: welcome for protocol 1, else E_PROTOCOL and 4002', async () => {
		const hellos = loadVectors<ClientVector>('client/valid').filter(({ vector }) => vector.expect.valid && vector.expect.type === 'hello');
		expect(hellos.length).toBeGreaterThan(0);
		for (const { vector } of hellos) {
			const fresh = await TestClient.connect(daemon, { hello: false });
			const hello = vector.json as { id: string; protocol: number };
			fresh.sendRaw(clientText(vector));
			const reply = await fresh.waitFor((m) => m.re === hello.id);
			if (hello.protocol === 1) {
				expect(reply).toMatchObject({ type: 'welcome', protocol: 1 });
				await fresh.close();
			} else {
				expect(reply).toMatchObject({ type: 'error', code: 'E_PROTOCOL' });
				expect((await fresh.closed).code).toBe(4002);
			}
			expect(fresh.invalid).toEqual([]);
		}
	});
});
