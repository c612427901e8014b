// A small protocol client for tests: connects with the real `ws` library, says hello, matches replies to
// requests by id, records every event, and validates everything the daemon sends against the protocol schemas.
import WebSocket from 'ws';
import { DaemonMessages, type DaemonType } from '../../daemon/src/protocol/events';
import { decodeFrame, encodeFrame } from '../../daemon/src/protocol/frames';
import type { TestDaemon } from './daemon';

export interface Received {
	type: string;
	re?: string;
	[key: string]: unknown;
}

export interface ConnectOptions {
	/** Token for the Authorization header; `null` sends none. Default: the daemon's. */
	headerToken?: string | null;
	headers?: Record<string, string>;
	/** Say hello with this token in the message (default: no token field when the header carries it). */
	helloToken?: string;
	hello?: boolean;
	client?: string;
	roles?: string[];
}

export class TestClient {
	readonly messages: Received[] = [];
	/** Payloads of binary frames, keyed by the header's `re`. */
	readonly payloads = new Map<string, Uint8Array>();
	readonly invalid: string[] = [];
	readonly closed: Promise<{ code: number; reason: string }>;
	private next = 1;
	private waiters: Array<{ test: (m: Received) => boolean; resolve: (m: Received) => void }> = [];

	constructor(readonly socket: WebSocket) {
		this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
		socket.on('message', (data: Buffer, isBinary: boolean) => {
			let message: Received;
			if (isBinary) {
				const frame = decodeFrame(data);
				message = frame.header as Received;
				if (message.re) this.collect(message, frame.payload);
			} else {
				message = JSON.parse(data.toString('utf8')) as Received;
			}
			this.check(message);
			this.messages.push(message);
			this.waiters = this.waiters.filter((w) => {
				if (!w.test(message)) return true;
				w.resolve(message);
				return false;
			});
		});
	}

	static async connect(daemon: TestDaemon, options: ConnectOptions = {}): Promise<TestClient> {
		const headers: Record<string, string> = { ...options.headers };
		const headerToken = options.headerToken === undefined ? daemon.token : options.headerToken;
		if (headerToken !== null) headers.authorization = `Bearer ${headerToken}`;
		const socket = new WebSocket(`ws://127.0.0.1:${daemon.port}/v1/ws`, { headers });
		const client = new TestClient(socket);
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
			socket.once('close', () => resolve());
		});
		if (options.hello !== false && socket.readyState === WebSocket.OPEN) {
			await client.request({
				type: 'hello',
				protocol: 1,
				...(options.helloToken !== undefined ? { token: options.helloToken } : {}),
				client: { name: options.client ?? 'test', version: '0' },
				...(options.roles ? { roles: options.roles } : {}),
			});
		}
		return client;
	}

	/** Sends a request with a fresh id and resolves with the reply that carries it. */
	request(message: Record<string, unknown>, payload?: Uint8Array, timeoutMs = 30_000): Promise<Received> {
		const id = String(message.id ?? `r${this.next++}`);
		const full = { ...message, id };
		const reply = this.waitFor((m) => m.re === id, timeoutMs);
		if (payload) this.socket.send(encodeFrame(full, payload), { binary: true });
		else this.socket.send(JSON.stringify(full));
		return reply;
	}

	sendRaw(data: string | Uint8Array, binary = typeof data !== 'string'): void {
		this.socket.send(data, { binary });
	}

	/** The first message (already received or coming) that passes `test`. */
	waitFor(test: (m: Received) => boolean, timeoutMs = 30_000): Promise<Received> {
		const seen = this.messages.find(test);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`timed out waiting; last messages: ${JSON.stringify(this.messages.slice(-5))}`)), timeoutMs);
			this.waiters.push({
				test,
				resolve: (m) => {
					clearTimeout(timer);
					resolve(m);
				},
			});
		});
	}

	/** Fetches a whole asset file over the socket (one or more binary frames) and returns its bytes. */
	async download(assetId: string, file: string, timeoutMs = 60_000): Promise<{ header: Received; bytes: Uint8Array }> {
		const id = `dl${this.next++}`;
		const last = this.waitFor((m) => m.re === id && (m.last === true || m.type === 'error'), timeoutMs);
		this.socket.send(JSON.stringify({ type: 'asset.get', id, assetId, file }));
		const header = await last;
		return { header, bytes: this.payloads.get(id) ?? new Uint8Array() };
	}

	/** Resolves with the job's final event (done, failed or cancelled). */
	finished(jobId: string, timeoutMs = 60_000): Promise<Received> {
		return this.waitFor((m) => m.jobId === jobId && ['job.done', 'job.failed', 'job.cancelled'].includes(m.type), timeoutMs);
	}

	events(jobId: string, type?: string): Received[] {
		return this.messages.filter((m) => m.jobId === jobId && (!type || m.type === type));
	}

	async close(): Promise<void> {
		if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close();
		await this.closed;
	}

	/** Puts an asset frame's payload at its offset in the file being assembled for that request. */
	private collect(header: Received, payload: Uint8Array): void {
		const re = header.re as string;
		const total = typeof header.bytes === 'number' ? header.bytes : payload.length;
		let file = this.payloads.get(re);
		if (!file || file.length !== total) {
			file = new Uint8Array(total);
			this.payloads.set(re, file);
		}
		file.set(payload, typeof header.offset === 'number' ? header.offset : 0);
	}

	/** Every daemon message must match its schema; mismatches are collected for the tests to assert on. */
	private check(message: Received): void {
		const schema = DaemonMessages[message.type as DaemonType];
		const result = schema?.safeParse(message);
		if (!result?.success) this.invalid.push(`${message.type}: ${result ? result.error.issues[0]?.message : 'unknown type'}`);
	}
}
