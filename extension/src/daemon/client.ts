// One WebSocket connection to the daemon, as the extension host sees it: hello, requests matched to replies by
// id, events for listeners, files downloaded as `asset` frames, and pictures uploaded over HTTP. Everything
// received is checked against the protocol's schemas; a message that does not match is dropped and logged, never
// acted on. The daemon is this machine's (ws://127.0.0.1, the discovery file's token in the upgrade) or a team
// server (wss over the checked TLS connection of server.ts, the user's token in the hello).
import WebSocket from 'ws';
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { DaemonMessages, type DaemonMessage, type DaemonMessageOf, type DaemonType } from '../../../daemon/src/protocol/events';
import { decodeFrame, encodeFrame } from '../../../daemon/src/protocol/frames';
import { PROTOCOL_VERSION } from '../../../daemon/src/protocol/messages';
import { UploadId } from '../../../daemon/src/protocol/ids';
import { http } from './direct-http';
import { DaemonError } from './errors';
import { openTls, type TeamServer } from './server';

export { DaemonError } from './errors';

export type Welcome = DaemonMessageOf<'welcome'>;
export type DaemonEvent = DaemonMessageOf<'job.state' | 'job.progress' | 'job.done' | 'job.failed' | 'job.cancelled' | 'import' | 'scene.changed'>;

export interface ClientOptions {
	/** The local daemon's port on 127.0.0.1; ignored with `server`. */
	port?: number;
	/** A team server instead of the local daemon. */
	server?: TeamServer;
	token: string;
	client: { name: string; version: string };
	roles?: string[];
	/** Reports messages that failed validation. */
	warn?: (message: string) => void;
	timeoutMs?: number;
}

interface Pending {
	resolve: (message: DaemonMessage) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
	/** Chunks of an `asset` reply, placed at their offsets. */
	file?: Uint8Array;
}

type Refusals = Record<number, { code: string; message: string }>;

/** Close codes that answer a hello (PROTOCOL.md § Errors), for a refusal that came without an `error` reply. */
const CLOSE_REFUSALS: Refusals = {
	4001: { code: 'E_AUTH', message: 'The daemon refused the token from daemon.json; restart it, or check orfeas.daemon.home.' },
	4002: { code: 'E_PROTOCOL', message: 'The daemon speaks another protocol version.' },
	4003: { code: 'E_ORIGIN', message: 'The daemon refused this connection (Host/Origin check).' },
};

/** The same refusals from a team server, where the token is the user's own. */
function serverRefusals(server: TeamServer): Refusals {
	return {
		4001: { code: 'E_AUTH', message: `${server.origin} refused the token. Set yours again with "Orfeas: Set Server Token" (orfeas users add NAME prints one on the server).` },
		4002: { code: 'E_PROTOCOL', message: `${server.origin} speaks another protocol version; update whichever of it and this extension is older.` },
		4003: { code: 'E_ORIGIN', message: `${server.origin} refused this connection (Host check): use the name or address the server's certificate was made for.` },
	};
}

const EVENT_TYPES = new Set<string>(['job.state', 'job.progress', 'job.done', 'job.failed', 'job.cancelled', 'import', 'scene.changed']);

export class DaemonClient {
	private next = 1;
	private readonly pending = new Map<string, Pending>();
	private readonly eventListeners = new Set<(event: DaemonEvent) => void>();
	private readonly closeListeners = new Set<(code: number, reason: string) => void>();
	private closeCode = 0;
	private readonly refusals: Refusals;
	welcome!: Welcome;

	private constructor(
		private readonly socket: WebSocket,
		private readonly options: ClientOptions,
	) {
		this.refusals = options.server ? serverRefusals(options.server) : CLOSE_REFUSALS;
		socket.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
		socket.on('close', (code, reason) => {
			this.closeCode = code;
			const refusal = this.refusals[code];
			for (const [id, p] of this.pending) {
				clearTimeout(p.timer);
				p.reject(refusal ? new DaemonError(refusal.code, refusal.message) : new DaemonError('E_CONNECTION', 'The connection to the Orfeas daemon closed.'));
				this.pending.delete(id);
			}
			for (const listener of this.closeListeners) listener(code, reason.toString());
		});
		socket.on('error', () => {
			// 'close' follows and carries what the listeners need.
		});
	}

	/**
	 * Opens the socket and says hello; rejects with the daemon's own code (E_AUTH, E_PROTOCOL) when refused, and
	 * for a team server with E_TLS, before anything is sent, when its certificate is not the one trusted.
	 */
	static async connect(options: ClientOptions): Promise<DaemonClient> {
		const { server } = options;
		const timeoutMs = options.timeoutMs ?? 10_000;
		const where = server ? `the Orfeas server ${server.origin}` : `the Orfeas daemon on port ${options.port}`;
		let socket: WebSocket;
		/** Whether the WebSocket went over the checked connection: the hello, with the token, goes only over that one. */
		let checked = !server;
		let connection: TLSSocket | undefined;
		if (server) {
			const secured = await openTls(server, timeoutMs);
			connection = secured;
			const createConnection = () => {
				checked = true;
				return secured;
			};
			socket = new WebSocket(`wss://${server.host}/v1/ws`, { createConnection, headers: { host: server.host }, handshakeTimeout: timeoutMs });
		} else {
			socket = new WebSocket(`ws://127.0.0.1:${options.port}/v1/ws`, { headers: { authorization: `Bearer ${options.token}` }, handshakeTimeout: timeoutMs });
		}
		const client = new DaemonClient(socket, options);
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', (error) => reject(new DaemonError('E_CONNECTION', `Cannot reach ${where}: ${error.message}`)));
			// The upgrade refused over HTTP: 401 is the token, 403 the Host/Origin check (PROTOCOL.md § Finding).
			socket.once('unexpected-response', (request, response) => {
				request.destroy();
				const status = response.statusCode ?? 0;
				const refusal = client.refusals[status === 401 ? 4001 : status === 403 ? 4003 : 0];
				if (refusal) reject(new DaemonError(refusal.code, refusal.message));
				else reject(new DaemonError('E_CONNECTION', `${server ? server.origin : 'The daemon'} answered the connection with HTTP ${status}.`));
			});
		});
		if (!checked) {
			socket.terminate();
			connection?.destroy();
			throw new DaemonError('E_TLS', `The connection to ${server!.origin} was not made over the checked TLS connection (an HTTP agent of the editor's took it over), so nothing was sent.`);
		}
		// A team server takes the token in the hello, whose refusal then comes with the daemon's own reason
		// (revoked, a worker's token) rather than a bare close code.
		const welcome = await client.request({
			type: 'hello',
			protocol: PROTOCOL_VERSION,
			...(server ? { token: options.token } : {}),
			client: options.client,
			...(options.roles ? { roles: options.roles } : {}),
		});
		client.welcome = welcome as Welcome;
		return client;
	}

	get open(): boolean {
		return this.socket.readyState === WebSocket.OPEN;
	}

	/** Whether this is a team server, which cannot read this machine's files: pictures go to it as uploads. */
	get remote(): boolean {
		return this.options.server !== undefined;
	}

	onEvent(listener: (event: DaemonEvent) => void): () => void {
		this.eventListeners.add(listener);
		return () => this.eventListeners.delete(listener);
	}

	onClose(listener: (code: number, reason: string) => void): () => void {
		this.closeListeners.add(listener);
		return () => this.closeListeners.delete(listener);
	}

	/**
	 * Sends a request with a fresh id; resolves with its reply, rejects with DaemonError on an `error` reply.
	 * With `payload`, the request goes as a binary frame (an inline image for `generate`).
	 */
	request(message: { type: string; [key: string]: unknown }, payload?: Uint8Array): Promise<DaemonMessage> {
		const id = `x${this.next++}`;
		return new Promise((resolve, reject) => {
			if (this.socket.readyState === WebSocket.CLOSED) {
				const refusal = this.refusals[this.closeCode];
				return reject(refusal ? new DaemonError(refusal.code, refusal.message) : new DaemonError('E_CONNECTION', 'Not connected to the Orfeas daemon.'));
			}
			// While closing, the request waits for the close code, which says why (a refused hello, say).
			const timer = setTimeout(() => {
				this.pending.delete(id);
				reject(new DaemonError('E_TIMEOUT', `The Orfeas daemon did not answer "${message.type}" in time.`));
			}, this.options.timeoutMs ?? 30_000);
			this.pending.set(id, { resolve, reject, timer });
			if (!this.open) return;
			if (payload) this.socket.send(encodeFrame({ ...message, id }, payload), { binary: true });
			else this.socket.send(JSON.stringify({ ...message, id }));
		});
	}

	/** Downloads one file of an asset and checks its sha256. */
	async download(assetId: string, file: string): Promise<Uint8Array> {
		const reply = (await this.request({ type: 'asset.get', assetId, file })) as DaemonMessageOf<'asset'> & { payload?: Uint8Array };
		const bytes = reply.payload ?? new Uint8Array();
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		if (sha256 !== reply.sha256) throw new DaemonError('E_DOWNLOAD', `${file} arrived damaged (checksum mismatch); try again.`);
		return bytes;
	}

	/**
	 * Uploads a picture over HTTP (POST /v1/uploads) for a request to name as `{ upload }`: a binary frame carries
	 * one picture, so the other views of a picture that is no local file go this way, and to a team server every
	 * picture does (over HTTPS, on a connection checked like the WebSocket's). Resolves with the upload id.
	 */
	async upload(bytes: Uint8Array, contentType: string): Promise<string> {
		let response: { status: number; text: string };
		try {
			response = await post(this.options, '/v1/uploads', { authorization: `Bearer ${this.options.token}`, 'content-type': contentType }, bytes);
		} catch (error) {
			if (error instanceof DaemonError) throw error;
			throw new DaemonError('E_CONNECTION', `Cannot upload the picture to the Orfeas ${this.remote ? 'server' : 'daemon'}: ${error instanceof Error ? error.message : String(error)}`);
		}
		let body: { uploadId?: unknown; code?: unknown; message?: unknown } = {};
		try {
			body = JSON.parse(response.text) as typeof body;
		} catch {
			// not JSON: answered below by its status
		}
		if (response.status >= 200 && response.status < 300 && UploadId.safeParse(body.uploadId).success) return body.uploadId as string;
		if (typeof body.code === 'string' && typeof body.message === 'string') throw new DaemonError(body.code, body.message);
		throw new DaemonError('E_CONNECTION', `The ${this.remote ? 'server' : 'daemon'} answered the upload with HTTP ${response.status}.`);
	}

	close(): void {
		this.socket.close(1000, 'bye');
	}

	private receive(data: Buffer, isBinary: boolean): void {
		let raw: unknown;
		let payload: Uint8Array | undefined;
		try {
			if (isBinary) ({ header: raw, payload } = decodeFrame(data));
			else raw = JSON.parse(data.toString('utf8'));
		} catch {
			return this.options.warn?.('Dropped an unreadable frame from the daemon.');
		}
		const type = (raw as { type?: unknown })?.type;
		const schema = typeof type === 'string' && Object.prototype.hasOwnProperty.call(DaemonMessages, type) ? DaemonMessages[type as DaemonType] : undefined;
		const parsed = schema?.safeParse(raw);
		if (!parsed?.success) return this.options.warn?.(`Dropped a message the protocol does not allow: ${String(type).slice(0, 40)}.`);
		const message = parsed.data as DaemonMessage;
		if ('re' in message && message.re !== undefined) return this.settle(message, payload);
		if (EVENT_TYPES.has(message.type)) for (const listener of this.eventListeners) listener(message as DaemonEvent);
		else if (message.type === 'error') this.options.warn?.(`Daemon: ${message.code} ${message.message}`);
	}

	private settle(message: DaemonMessage & { re?: string }, payload: Uint8Array | undefined): void {
		const pending = this.pending.get(message.re!);
		if (!pending) return;
		if (message.type === 'asset') {
			pending.file ??= new Uint8Array(message.bytes);
			if (payload) pending.file.set(payload.subarray(0, Math.max(0, message.bytes - message.offset)), message.offset);
			if (!message.last) return;
			Object.assign(message, { payload: pending.file });
		}
		clearTimeout(pending.timer);
		this.pending.delete(message.re!);
		if (message.type === 'error') pending.reject(new DaemonError(message.code, message.message));
		else pending.resolve(message);
	}
}

/** Largest HTTP answer read: an upload's is a few dozen bytes of JSON. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST to the daemon: plain HTTP to 127.0.0.1, or to a team server over a TLS connection that openTls has
 * checked (direct-http.ts says why not through VS Code's `http`).
 */
async function post(options: ClientOptions, route: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; text: string }> {
	const { server } = options;
	const timeoutMs = options.timeoutMs ?? 30_000;
	const connection = server ? await openTls(server, timeoutMs) : undefined;
	return new Promise((resolve, reject) => {
		const target = server && connection ? { host: server.hostname, port: server.port, createConnection: () => connection } : { host: '127.0.0.1', port: options.port, agent: false as const };
		const request = http.request(
			{ ...target, method: 'POST', path: route, headers: { ...headers, ...(server ? { host: server.host } : {}), 'content-length': String(body.byteLength) }, timeout: timeoutMs },
			(response) => {
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
				});
				response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
				response.on('error', reject);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
		request.on('error', reject);
		request.end(body);
	});
}
