// The extension's link to the daemon: connect to a running one or start the bundled one, or to the team server
// the settings name (never starting a daemon then), keep the link up (reconnect with the protocol's backoff,
// restart a daemon that crashed), and after every reconnect subscribe again to the jobs the user is waiting for,
// so their progress and results still arrive.
import path from 'node:path';
import { PROTOCOL_VERSION } from '../../../daemon/src/protocol/messages';
import { DaemonClient, DaemonError, type DaemonEvent, type Welcome } from './client';
import { findRunning, startBundled, stopDaemon } from './launcher';
import { parseServer, type TeamServer } from './server';

/** PROTOCOL.md § Session: reconnect backoff. */
export const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

export type ConnectionState =
	| { kind: 'idle' }
	| { kind: 'connecting' }
	| { kind: 'connected'; welcome: Welcome; pid: number; port: number; startedHere: boolean; server?: string }
	| { kind: 'offline'; reason: string }
	| { kind: 'mismatch'; reason: string };

export interface ConnectionOptions {
	home: string;
	port: number;
	/** Start the bundled daemon when none answers. */
	autoStart: boolean;
	script: string;
	/** The editor's own executable (process.execPath). */
	node: string;
	/** orfeas.daemon.nodePath: another Node to start the daemon with, when set. */
	nodePath?: string;
	client: { name: string; version: string };
	log: (line: string) => void;
	/** The team server to use instead, read at every connect (orfeas.server.*); none or an empty URL: the local daemon. */
	server?: () => ServerChoice;
}

export interface ServerChoice {
	url: string;
	fingerprint: string;
	/** The token kept for that server, if one is. */
	token(server: TeamServer): Promise<string | undefined>;
}

/** Refusals a team server gives again until a setting or the token changes: not retried on their own. */
const SETTLED = new Set(['E_SETTINGS', 'E_TLS', 'E_AUTH', 'E_ORIGIN', 'E_PROTOCOL']);

interface Opened {
	client: DaemonClient;
	pid: number;
	port: number;
	startedHere: boolean;
	server?: string;
}

export class Connection {
	private client: DaemonClient | null = null;
	private current: ConnectionState = { kind: 'connecting' };
	private connecting: Promise<DaemonClient> | null = null;
	private retry: NodeJS.Timeout | null = null;
	private attempt = 0;
	private disposed = false;
	/** Set by the first real use: from then on a lost daemon is started again, not just waited for. */
	private wanted = false;
	private hadClient = false;
	/** Counts reset(): a connection begun before the last one is not kept. */
	private generation = 0;
	private readonly stateListeners = new Set<(state: ConnectionState) => void>();
	private readonly eventListeners = new Set<(event: DaemonEvent) => void>();
	private readonly reconnectListeners = new Set<(client: DaemonClient) => void>();
	/** Jobs someone is waiting on: subscribed again after a reconnect. */
	readonly followed = new Set<string>();

	constructor(private readonly options: ConnectionOptions) {}

	get state(): ConnectionState {
		return this.current;
	}

	get discoveryFile(): string {
		return path.join(this.options.home, 'daemon.json');
	}

	get logFile(): string {
		return path.join(this.options.home, 'daemon.log');
	}

	onState(listener: (state: ConnectionState) => void): () => void {
		this.stateListeners.add(listener);
		return () => this.stateListeners.delete(listener);
	}

	onEvent(listener: (event: DaemonEvent) => void): () => void {
		this.eventListeners.add(listener);
		return () => this.eventListeners.delete(listener);
	}

	/** Called with the new client after the link came back (not on the first connection). */
	onReconnect(listener: (client: DaemonClient) => void): () => void {
		this.reconnectListeners.add(listener);
		return () => this.reconnectListeners.delete(listener);
	}

	/** A connected client, connecting (and starting the daemon) first if needed. */
	get(): Promise<DaemonClient> {
		this.wanted = true;
		return this.link(this.options.autoStart);
	}

	/** Whether a team server is set: then no local daemon is looked for or started. */
	get usesServer(): boolean {
		return !!this.options.server?.().url.trim();
	}

	/**
	 * Connects if a daemon is already running (at activation: starting one waits for the first command), or to the
	 * team server when one is set.
	 */
	async connectIfRunning(): Promise<void> {
		if (!this.usesServer && !(await findRunning(this.discoveryFile))) {
			if (!this.client && !this.connecting) this.setState({ kind: 'idle' });
			return;
		}
		await this.link(false).catch(() => {
			// reported through the state
		});
	}

	private link(start: boolean): Promise<DaemonClient> {
		if (this.client?.open) return Promise.resolve(this.client);
		if (!this.connecting) {
			const connecting: Promise<DaemonClient> = this.connect(start).finally(() => {
				if (this.connecting === connecting) this.connecting = null;
			});
			this.connecting = connecting;
		}
		return this.connecting;
	}

	/**
	 * Drops the link after orfeas.server.* or the server's token changed: the next use connects with the new ones.
	 * Jobs being followed are asked for again on the new link.
	 */
	reset(): void {
		this.generation++;
		if (this.retry) clearTimeout(this.retry);
		this.retry = null;
		this.attempt = 0;
		this.connecting = null;
		const client = this.client;
		this.client = null;
		client?.close();
		this.setState({ kind: 'idle' });
	}

	/**
	 * Stops the daemon this home belongs to (whoever started it) and starts the bundled one; with a team server,
	 * connects to it again.
	 */
	async restart(): Promise<DaemonClient> {
		if (this.usesServer) {
			this.reset();
			return this.get();
		}
		const running = await findRunning(this.discoveryFile);
		const client = this.client;
		this.client = null;
		client?.close();
		if (running) {
			this.options.log(`Stopping the daemon (pid ${running.pid}).`);
			await stopDaemon(running, this.discoveryFile, { log: this.options.log, client: this.options.client });
		}
		return this.get();
	}

	dispose(): void {
		this.disposed = true;
		if (this.retry) clearTimeout(this.retry);
		this.client?.close();
		this.client = null;
	}

	private async connect(start: boolean): Promise<DaemonClient> {
		if (this.retry) clearTimeout(this.retry);
		this.retry = null;
		this.setState({ kind: 'connecting' });
		const generation = this.generation;
		const choice = this.options.server?.();
		const useServer = !!choice?.url.trim();
		try {
			const { client, pid, port, startedHere, server } = useServer ? await this.openServer(choice!) : await this.openLocal(start);
			if (generation !== this.generation) {
				client.close();
				throw new DaemonError('E_CONNECTION', 'The Orfeas server settings changed while connecting; try again.');
			}
			const reconnected = this.hadClient;
			this.attempt = 0;
			this.hadClient = true;
			this.client = client;
			client.onEvent((event) => {
				for (const listener of this.eventListeners) listener(event);
			});
			client.onClose((code, reason) => this.lost(client, code, reason));
			const welcome = client.welcome;
			if (welcome.daemon.version !== this.options.client.version) {
				const other = server ? `${server} runs Orfeas ${welcome.daemon.version}` : `The daemon is version ${welcome.daemon.version}`;
				this.options.log(`${other}, this extension ${this.options.client.version}; both speak protocol ${PROTOCOL_VERSION}.${server ? '' : ' "Orfeas: Restart Daemon" switches to the bundled one.'}`);
			}
			this.setState({ kind: 'connected', welcome, pid, port, startedHere, ...(server ? { server } : {}) });
			for (const jobId of this.followed) client.request({ type: 'subscribe', jobId }).catch((e) => this.options.log(`Could not follow ${jobId} again: ${e.message}`));
			if (reconnected) for (const listener of this.reconnectListeners) listener(client);
			return client;
		} catch (error) {
			const e = error instanceof DaemonError || error instanceof Error ? error : new Error(String(error));
			if (generation !== this.generation) throw e;
			if (useServer && e instanceof DaemonError && SETTLED.has(e.code)) {
				// Trying again would meet the same certificate or token: wait for the settings or the token to change.
				this.options.log(`${e.code} ${e.message}`);
				this.setState({ kind: 'offline', reason: e.message });
			} else if (e instanceof DaemonError && e.code === 'E_PROTOCOL') {
				this.setState({ kind: 'mismatch', reason: `${e.message} Run "Orfeas: Restart Daemon" to switch to the daemon bundled with this extension.` });
			} else {
				this.setState({ kind: 'offline', reason: e.message });
				this.scheduleRetry();
			}
			throw e;
		}
	}

	/** The local daemon of this home: the running one, or the bundled one started when `start` says so. */
	private async openLocal(start: boolean): Promise<Opened> {
		let running = await findRunning(this.discoveryFile);
		let startedHere = false;
		if (!running) {
			if (!start) {
				throw new DaemonError(
					'E_CONNECTION',
					this.options.autoStart
						? 'The Orfeas daemon is not running; the next Orfeas command starts it.'
						: `No Orfeas daemon is running for ${this.options.home}. Start one with "orfeas daemon", or turn on orfeas.daemon.autoStart.`,
				);
			}
			this.options.log(`Starting the bundled daemon (home ${this.options.home}).`);
			running = await startBundled(this.options, this.discoveryFile, this.logFile);
			startedHere = true;
			this.options.log(`Daemon ${running.version} started: pid ${running.pid}, port ${running.port}.`);
		}
		const client = await DaemonClient.connect({ port: running.port, token: running.token, client: this.options.client, warn: (message) => this.options.log(message) });
		return { client, pid: running.pid, port: running.port, startedHere };
	}

	/** The team server of the settings, with the token kept for it; no daemon is started on this machine. */
	private async openServer(choice: ServerChoice): Promise<Opened> {
		const server = parseServer(choice.url, choice.fingerprint);
		const token = await choice.token(server);
		if (!token) {
			throw new DaemonError('E_AUTH', `No token for ${server.origin} yet: run "Orfeas: Set Server Token" and paste the user token that orfeas users add NAME printed on the server.`);
		}
		const client = await DaemonClient.connect({ server, token, client: this.options.client, warn: (message) => this.options.log(message) });
		this.options.log(`Connected to the Orfeas server ${server.origin}${server.fingerprint ? ` (certificate ${server.fingerprint}, pinned)` : ''}.`);
		return { client, pid: 0, port: server.port, startedHere: false, server: server.origin };
	}

	private lost(client: DaemonClient, code: number, reason: string): void {
		if (this.client !== client) return;
		this.client = null;
		if (this.disposed) return;
		this.options.log(`Lost the ${this.usesServer ? 'server' : 'daemon'} connection (${code}${reason ? ` ${reason}` : ''}); reconnecting.`);
		this.setState({ kind: 'offline', reason: 'Reconnecting to the Orfeas daemon…' });
		this.scheduleRetry(true);
	}

	private scheduleRetry(first = false): void {
		if (this.disposed || this.retry) return;
		const wait = first ? BACKOFF_MS[0] : BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
		this.attempt++;
		this.retry = setTimeout(() => {
			this.retry = null;
			this.link(this.wanted && this.options.autoStart).catch(() => {
				// connect() already reported the state and scheduled the next try
			});
		}, wait);
	}

	private setState(state: ConnectionState): void {
		this.current = state;
		for (const listener of this.stateListeners) listener(state);
	}
}
