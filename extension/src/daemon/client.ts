// One WebSocket connection to the daemon, as the extension host sees it: hello, requests matched to replies by
// id, events for listeners, files downloaded as `asset` frames, and pictures uploaded over HTTP. Everything
// received is checked against the protocol's schemas; a message that does not match is dropped and logged, never
// acted on.
import WebSocket from 'ws';
import { createHash } from 'node:crypto';
import { DaemonMessages, type DaemonMessage, type DaemonMessageOf, type DaemonType } from '../../../daemon/src/protocol/events';
import { decodeFrame, encodeFrame } from '../../../daemon/src/protocol/frames';
import { PROTOCOL_VERSION } from '../../../daemon/src/protocol/messages';
import { UploadId } from '../../../daemon/src/protocol/ids';

/** A coded refusal from the daemon (`error` reply), or a lost connection (`E_CONNECTION`). */
export class DaemonError extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

export type Welcome = DaemonMessageOf<'welcome'>;
export type DaemonEvent = DaemonMessageOf<'job.state' | 'job.progress' | 'job.done' | 'job.failed' | 'job.cancelled' | 'import' | 'scene.changed'>;

export interface ClientOptions {
	port: number;
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

/** Close codes that answer a hello (PROTOCOL.md § Errors), for a refusal that came without an `error` reply. */
const CLOSE_REFUSALS: Record<number, { code: string; message: string }> = {
	4001: { code: 'E_AUTH', message: 'The daemon refused the token from daemon.json; restart it, or check orfeas.daemon.home.' },
	4002: { code: 'E_PROTOCOL', message: 'The daemon speaks another protocol version.' },
	4003: { code: 'E_ORIGIN', message: 'The daemon refused this connection (Host/Origin check).' },
};

const EVENT_TYPES = new Set<string>(['job.state', 'job.progress', 'job.done', 'job.failed', 'job.cancelled', 'import', 'scene.changed']);

export class DaemonClient {
	private next = 1;
	private readonly pending = new Map<string, Pending>();
	private readonly eventListeners = new Set<(event: DaemonEvent) => void>();
	private readonly closeListeners = new Set<(code: number, reason: string) => void>();
	private closeCode = 0;
	welcome!: Welcome;

	private constructor(
		private readonly socket: WebSocket,
		private readonly options: ClientOptions,
	) {
		socket.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
		socket.on('close', (code, reason) => {
			this.closeCode = code;
			const refusal = CLOSE_REFUSALS[code];
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

	/** Opens the socket and says hello; rejects with the daemon's own code (E_AUTH, E_PROTOCOL) when refused. */
	static async connect(options: ClientOptions): Promise<DaemonClient> {
		const socket = new WebSocket(`ws://127.0.0.1:${options.port}/v1/ws`, {
			headers: { authorization: `Bearer ${options.token}` },
			handshakeTimeout: options.timeoutMs ?? 10_000,
		});
		const client = new DaemonClient(socket, options);
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', (error) => reject(new DaemonError('E_CONNECTION', `Cannot reach the Orfeas daemon on port ${options.port}: ${error.message}`)));
			// The upgrade refused over HTTP: 401 is the token, 403 the Host/Origin check (PROTOCOL.md § Finding).
			socket.once('unexpected-response', (request, response) => {
				request.destroy();
				const status = response.statusCode ?? 0;
				const refusal = CLOSE_REFUSALS[status === 401 ? 4001 : status === 403 ? 4003 : 0];
				if (refusal) reject(new DaemonError(refusal.code, refusal.message));
				else reject(new DaemonError('E_CONNECTION', `The daemon answered the connection with HTTP ${status}.`));
			});
		});
		const welcome = await client.request({
			type: 'hello',
			protocol: PROTOCOL_VERSION,
			client: options.client,
			...(options.roles ? { roles: options.roles } : {}),
		});
		client.welcome = welcome as Welcome;
		return client;
	}

	get open(): boolean {
		return this.socket.readyState === WebSocket.OPEN;
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
				const refusal = CLOSE_REFUSALS[this.closeCode];
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
	 * one picture, so the other views of a picture that is no local file go this way. Resolves with the upload id.
	 */
	async upload(bytes: Uint8Array, contentType: string): Promise<string> {
		let response: Response;
		try {
			response = await fetch(`http://127.0.0.1:${this.options.port}/v1/uploads`, {
				method: 'POST',
				headers: { authorization: `Bearer ${this.options.token}`, 'content-type': contentType },
				body: bytes,
				signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
			});
		} catch (error) {
			throw new DaemonError('E_CONNECTION', `Cannot upload the picture to the Orfeas daemon: ${error instanceof Error ? error.message : String(error)}`);
		}
		const body = (await response.json().catch(() => ({}))) as { uploadId?: unknown; code?: unknown; message?: unknown };
		if (response.ok && UploadId.safeParse(body.uploadId).success) return body.uploadId as string;
		if (typeof body.code === 'string' && typeof body.message === 'string') throw new DaemonError(body.code, body.message);
		throw new DaemonError('E_CONNECTION', `The daemon answered the upload with HTTP ${response.status}.`);
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
