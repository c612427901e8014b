// One WebSocket connection: the hello handshake (whose token: users.ts), the rate limits (per connection and
// per user), request dispatch (fixed verbs only — nothing received is evaluated), job subscriptions and delivery of events. A session owns no work: closing it
// cancels nothing, and a new session can subscribe to the same jobs.
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { WebSocket } from 'ws';
import { MIME, readAsset } from '../jobs/assets';
import type { JobEvent } from '../jobs/manager';
import { randomId } from '../jobs/record';
import type { DaemonMessage } from '../protocol/events';
import { CLOSE, OrfeasError, toOrfeasError, type ErrorCode } from '../protocol/errors';
import { decodeFrame, encodeFrame } from '../protocol/frames';
import { PROTOCOL_VERSION, type ClientMessage, type ClientMessageOf } from '../protocol/messages';
import { GENERATE_DEFAULTS, LIMITS } from '../protocol/options';
import { parseClientMessage } from '../protocol/parse';
import { VERSION } from '../version';
import { checkStaleServers } from './backends';
import { acceptGenerate, type DaemonContext } from './context';
import { pullAsJob } from './pulls';
import { RateLimiter } from './rate';
import { CLIENT_ROLES, refuseServerPaths, type Principal } from './users';
import { arrangeScene } from '../scene/arrange';
import { buildScene } from '../scene/build';
import { exportSceneAsJob } from '../scene/jobs';
import { publishScene } from '../scene/publish';
import type { HeldScene } from '../scene/store';

/** Events that end a job; a subscription hears exactly one of them. */
const FINAL_EVENTS: ReadonlySet<string> = new Set(['job.done', 'job.failed', 'job.cancelled']);
/** A session that keeps breaking the rate limit this many times in a row is closed (4008). */
const RATE_STRIKES = 1000;
/** Largest payload of one `asset` frame, well under the frame limit. */
export const ASSET_CHUNK_BYTES = 16 * 1024 * 1024;
/** Progress events are dropped for a client this far behind in reading (state and results never are). */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

export class Session {
	readonly id = `s_${randomId(16)}`;
	client = { name: 'unknown', version: '' };
	roles = new Set<string>();
	private greeted = false;
	private readonly jobs = new Set<string>();
	/** Followed jobs whose final event this session has already been sent since it last subscribed to them. */
	private readonly ended = new Set<string>();
	/** Scenes this session has created, read or changed: it hears of their later changes. */
	private readonly scenes = new Set<string>();
	private everything = false;
	private readonly limiter = new RateLimiter(LIMITS.maxMessagesPerSecond);
	private strikes = 0;

	constructor(
		private readonly socket: WebSocket,
		private readonly ctx: DaemonContext,
		/** Whose token the upgrade carried; set by hello otherwise. */
		private principal: Principal | undefined,
		private readonly remoteAddress: string | undefined,
		private readonly sessions: ReadonlySet<Session>,
	) {}

	/** Whether the client has said hello and been welcomed. */
	get ready(): boolean {
		return this.greeted;
	}

	async receive(data: Buffer, isBinary: boolean): Promise<void> {
		if (!this.limiter.take()) {
			this.error('E_RATE_LIMIT', `More than ${LIMITS.maxMessagesPerSecond} messages a second; slow down.`);
			if (++this.strikes >= RATE_STRIKES) this.socket.close(CLOSE.policy, 'rate limit');
			return;
		}
		if (this.closeIfRevoked()) return;
		if (this.principal && !this.ctx.userRates.take(this.principal)) {
			this.error('E_RATE_LIMIT', `${this.principal.name} sends more than ${this.ctx.userRates.rate} messages a second over all its connections; slow down.`);
			if (++this.strikes >= RATE_STRIKES) this.socket.close(CLOSE.policy, 'rate limit');
			return;
		}
		this.strikes = 0;
		if (data.length > LIMITS.maxPayload) {
			this.error('E_PAYLOAD_TOO_LARGE', `The frame is ${data.length} bytes; the limit is ${LIMITS.maxPayload}. Send large files over HTTP (POST /v1/uploads).`);
			this.socket.close(CLOSE.policy, 'frame too large');
			return;
		}
		let header: unknown = data.toString('utf8');
		let payload: Uint8Array | undefined;
		if (isBinary) {
			try {
				({ header, payload } = decodeFrame(data));
			} catch (error) {
				return this.fail(error);
			}
		}
		const parsed = parseClientMessage(header);
		if (!parsed.ok) {
			if (!this.greeted) return this.refuseBeforeHello();
			return this.error(parsed.code, parsed.message, parsed.re, parsed.details);
		}
		const message = parsed.message;
		if (!this.greeted && message.type !== 'hello') return this.refuseBeforeHello();
		try {
			await this.dispatch(message, payload);
		} catch (error) {
			this.fail(error, message.id);
		}
	}

	/** Delivers a job event if this session follows the job. */
	deliver(event: JobEvent): void {
		if (!this.greeted || (!this.everything && !this.jobs.has(event.jobId))) return;
		if (event.type === 'job.progress' && this.socket.bufferedAmount > SLOW_CLIENT_BYTES) return;
		this.sendJobEvent(event);
	}

	/** Sends a job event, at most one final event (done, failed, cancelled) per job and subscription. */
	private sendJobEvent(event: JobEvent): void {
		if (FINAL_EVENTS.has(event.type)) {
			if (this.ended.has(event.jobId)) return;
			this.ended.add(event.jobId);
		}
		this.send(event);
	}

	/** Sends what a new subscriber to a job must hear (its state, and its final event if it has ended). */
	private sendSnapshot(jobId: string): void {
		this.ended.delete(jobId);
		for (const event of this.ctx.manager.snapshot(jobId)) this.sendJobEvent(event);
	}

	/** Sends a pushed asset to this session if it is an import target for `target`. */
	offerImport(target: string, message: DaemonMessage): boolean {
		if (!this.greeted || !this.roles.has('import-target')) return false;
		if (target !== '*' && this.client.name !== target) return false;
		this.send(message);
		return true;
	}

	private async dispatch(message: ClientMessage, payload: Uint8Array | undefined): Promise<void> {
		const re = message.id;
		switch (message.type) {
			case 'hello':
				return this.hello(message);
			case 'generate': {
				refuseServerPaths(this.principal, message);
				const accepted = await acceptGenerate(this.ctx, message, payload);
				this.follow(accepted.job.jobId);
				this.send({ type: 'accepted', re, jobId: accepted.job.jobId, position: accepted.position, cached: accepted.cached });
				if (accepted.cached) this.sendSnapshot(accepted.job.jobId);
				return;
			}
			case 'export': {
				const accepted = await this.ctx.manager.submitExport(message);
				this.follow(accepted.job.jobId);
				this.send({ type: 'accepted', re, jobId: accepted.job.jobId, position: accepted.position, cached: accepted.cached });
				if (accepted.cached) this.sendSnapshot(accepted.job.jobId);
				return;
			}
			case 'cancel':
				await this.ctx.manager.cancel(message.jobId);
				return this.send({ type: 'ok', re });
			case 'subscribe':
				return this.subscribe(message);
			case 'unsubscribe':
				if (message.jobId === '*') this.everything = false;
				else this.jobs.delete(message.jobId);
				return this.send({ type: 'ok', re });
			case 'job.get':
				return this.send({ type: 'job', re, job: this.ctx.manager.get(message.jobId) });
			case 'job.list':
				return this.send({ type: 'jobs', re, jobs: this.ctx.manager.list(message) });
			case 'asset.get':
				return this.sendAsset(message);
			case 'models.list':
				await this.ctx.registry.refresh();
				checkStaleServers(this.ctx.home, this.ctx.log);
				return this.send({ type: 'models', re, models: this.ctx.registry.list(this.ctx.loadedModels) });
			case 'models.load':
			case 'models.unload':
				await this.loadModel(message.type === 'models.load' ? 'load' : 'unload', message.modelId);
				return this.send({ type: 'ok', re });
			case 'models.pull': {
				// Built-in models ship with Orfeas: there is nothing to download.
				if (this.ctx.registry.isBuiltin(message.modelId)) return this.send({ type: 'ok', re });
				const accepted = await pullAsJob(this.ctx, message.modelId, message.acceptLicence ?? false);
				this.follow(accepted.job.jobId);
				return this.send({ type: 'accepted', re, jobId: accepted.job.jobId, position: 0, cached: false });
			}
			case 'push':
				return this.push(message);
			case 'ping':
				return this.send({ type: 'pong', re });
			case 'daemon.stop':
				return this.stopDaemon(re);
			case 'scene.create': {
				refuseServerPaths(this.principal, message);
				const scene = await this.ctx.scenes.create(message.document, message.base);
				return this.sendScene(re, scene);
			}
			case 'scene.get':
				return this.sendScene(re, await this.ctx.scenes.get(message.sceneId));
			case 'scene.update':
				return this.sendScene(re, await this.ctx.scenes.update(message.sceneId, message.revision, message.ops ?? [], this));
			case 'scene.layout':
				return this.sendScene(re, await arrangeScene(this.ctx.scenes, this.ctx.home, message, this));
			case 'scene.build': {
				const started = await buildScene(this.ctx, message.sceneId, message.revision);
				for (const accepted of started) this.follow(accepted.job.jobId);
				this.send({ type: 'jobs', re, jobs: started.map((a) => a.job) });
				for (const accepted of started) if (accepted.cached) this.sendSnapshot(accepted.job.jobId);
				return;
			}
			case 'scene.export': {
				const accepted = await exportSceneAsJob(this.ctx, message.sceneId, message.format ?? 'glb', message.profile ?? 'generic');
				this.follow(accepted.job.jobId);
				return this.send({ type: 'accepted', re, jobId: accepted.job.jobId, position: accepted.position, cached: accepted.cached });
			}
		}
	}

	private hello(message: ClientMessageOf<'hello'>): void {
		if (this.greeted) throw new OrfeasError('E_BAD_MESSAGE', 'This session has already said hello.', { field: 'type' });
		if (!this.principal) {
			const verdict = this.ctx.auth.check(message.token, this.remoteAddress, CLIENT_ROLES);
			if (!verdict.ok) {
				this.send({ type: 'error', re: message.id, code: 'E_AUTH', message: verdict.message });
				this.socket.close(CLOSE.auth, 'auth');
				return;
			}
			this.principal = verdict.principal;
		}
		if (message.protocol !== PROTOCOL_VERSION) {
			this.send({
				type: 'error',
				re: message.id,
				code: 'E_PROTOCOL',
				message: `This daemon speaks protocol ${PROTOCOL_VERSION}, the client ${message.protocol}. Update whichever is older.`,
			});
			this.socket.close(CLOSE.protocol, 'protocol');
			return;
		}
		this.greeted = true;
		this.client = message.client;
		this.roles = new Set(message.roles ?? []);
		// A team server's log says who came in; this machine's own clients are not logged.
		if (this.principal?.role === 'user') this.ctx.log.info(`session ${this.id}: hello from ${this.principal.name} at ${this.remoteAddress ?? 'an unknown address'} (${JSON.stringify(`${message.client.name} ${message.client.version}`)})`);
		this.send({
			type: 'welcome',
			re: message.id,
			protocol: PROTOCOL_VERSION,
			session: this.id,
			daemon: { version: VERSION },
			engine: { providers: this.ctx.engine.available, active: this.ctx.engine.active, fallbacks: this.ctx.engine.fallbacks },
			models: this.ctx.registry.list(this.ctx.loadedModels),
			limits: {
				maxPayload: LIMITS.maxPayload,
				maxImageBytes: LIMITS.maxImageBytes,
				maxImagePixels: LIMITS.maxImagePixels,
				maxQueue: LIMITS.maxQueue,
				maxMessagesPerSecond: LIMITS.maxMessagesPerSecond,
			},
			defaults: { ...GENERATE_DEFAULTS, formats: [...GENERATE_DEFAULTS.formats], lods: [...GENERATE_DEFAULTS.lods] },
			keepAliveMs: this.ctx.keepAliveMs,
		});
	}

	private subscribe(message: ClientMessageOf<'subscribe'>): void {
		const ids = message.jobId === '*' ? this.ctx.manager.active() : [message.jobId];
		for (const id of ids) this.ctx.manager.get(id);
		if (message.jobId === '*') this.everything = true;
		else this.follow(message.jobId);
		this.send({ type: 'ok', re: message.id });
		for (const id of ids) this.sendSnapshot(id);
	}

	/**
	 * Sends a file as binary `asset` frames of at most ASSET_CHUNK_BYTES each (a file larger than one frame
	 * arrives in several, in order; the client puts each payload at its `offset` until `last`).
	 */
	private async sendAsset(message: ClientMessageOf<'asset.get'>): Promise<void> {
		const asset = await readAsset(this.ctx.home, message.assetId);
		const file = asset?.files.find((f) => f.name === message.file);
		if (!asset || !file) {
			throw new OrfeasError('E_NOT_FOUND', `No file "${message.file}" in asset ${message.assetId}.`);
		}
		const mime = MIME[file.format];
		const handle = await open(path.join(this.ctx.home.assetDir(asset.assetId), file.name), 'r');
		try {
			let offset = 0;
			do {
				const length = Math.min(ASSET_CHUNK_BYTES, file.bytes - offset);
				const chunk = new Uint8Array(length);
				await handle.read(chunk, 0, length, offset);
				const header = { type: 'asset', re: message.id, assetId: asset.assetId, file: file.name, mime, bytes: file.bytes, sha256: file.sha256, offset, last: offset + length >= file.bytes };
				await new Promise<void>((resolve, reject) => this.socket.send(encodeFrame(header, chunk), { binary: true }, (e) => (e ? reject(e) : resolve())));
				offset += length;
			} while (offset < file.bytes);
		} finally {
			await handle.close();
		}
	}

	private async push(message: ClientMessageOf<'push'>): Promise<void> {
		// A scene goes as one GLB (Blender) and one Unity FBX with its hierarchy, exported now from its current revision.
		const asset = message.sceneId
			? await publishScene(this.ctx.home, await this.ctx.scenes.get(message.sceneId), { formats: ['glb', 'fbx'], profile: 'unity' })
			: await readAsset(this.ctx.home, message.assetId!);
		if (!asset) throw new OrfeasError('E_NOT_FOUND', `No asset ${message.assetId}. Generate it first, or check the id.`);
		const event: DaemonMessage = {
			type: 'import',
			...(message.sceneId ? { sceneId: message.sceneId } : { assetId: asset.assetId }),
			files: asset.files,
			...(message.placement ? { placement: message.placement } : {}),
			from: this.client.name,
		};
		let delivered = 0;
		for (const session of this.sessions) if (session !== this && session.offerImport(message.target, event)) delivered++;
		this.send({ type: 'ok', re: message.id, delivered });
	}

	/**
	 * daemon.stop: only the daemon's own token on a loopback connection (the `local` role) may stop it, never a team
	 * server's users. The reply is sent before the stop begins, so it arrives ahead of the 1001 close.
	 */
	private stopDaemon(re: string): void {
		if (this.principal?.role !== 'local') {
			throw new OrfeasError('E_FORBIDDEN', "Only a client on the daemon's own machine, with the token from its daemon.json, may stop it. Ask whoever runs this server.");
		}
		this.send({ type: 'ok', re });
		this.ctx.requestStop(`daemon.stop from ${JSON.stringify(`${this.client.name} ${this.client.version}`)} (session ${this.id})`);
	}

	private async loadModel(action: 'load' | 'unload', modelId: string): Promise<void> {
		if (this.ctx.registry.isBuiltin(modelId)) return;
		await this.ctx.registry.refresh();
		this.ctx.registry.require(modelId);
		await this.ctx.loadModel(action, modelId);
	}

	/** Answers with the scene; this session hears of later changes to it (`scene.changed`). */
	private sendScene(re: string, scene: HeldScene): void {
		this.scenes.add(scene.sceneId);
		this.send({ type: 'scene', re, sceneId: scene.sceneId, revision: scene.revision, document: scene.document });
	}

	/** A committed change of a scene this session has seen, unless this session made it (it has the reply). */
	offerSceneChange(sceneId: string, revision: number, origin: unknown): void {
		if (origin === this) return;
		if (this.greeted && this.scenes.has(sceneId)) this.send({ type: 'scene.changed', sceneId, revision });
	}

	private follow(jobId: string): void {
		this.jobs.add(jobId);
	}

	/** Closes the session (4001) when its user's token has been revoked since it connected; true if so. */
	closeIfRevoked(): boolean {
		if (!this.principal || this.ctx.auth.stillValid(this.principal)) return false;
		this.error('E_AUTH', `The token of ${this.principal.name} has been revoked.`);
		this.socket.close(CLOSE.auth, 'token revoked');
		return true;
	}

	private refuseBeforeHello(): void {
		this.send({ type: 'error', code: 'E_AUTH', message: 'Say hello first: {"type":"hello","id":"1","protocol":1,"token":"…","client":{…}}.' });
		this.socket.close(CLOSE.auth, 'hello first');
	}

	private fail(error: unknown, re?: string): void {
		const e = toOrfeasError(error);
		if (e.code === 'E_INTERNAL') this.ctx.log.error(`session ${this.id}: ${error instanceof Error ? error.stack : String(error)}`);
		this.error(e.code, e.message, re, e.details);
	}

	private error(code: ErrorCode, message: string, re?: string, details?: Record<string, unknown>): void {
		this.send({ type: 'error', ...(re ? { re } : {}), code, message, ...(details ? { details } : {}) });
	}

	private send(message: DaemonMessage): void {
		if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
	}
}
