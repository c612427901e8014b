// Starting and stopping the daemon: one HTTP server on 127.0.0.1 (HTTPS, and maybe another address, for a team
// server: team.ts) carrying express and the WebSocket endpoint, the worker pool, job recovery, the discovery
// file, and a graceful stop (no new work, running jobs finish or go back to the queue, sockets closed with
// 1001, discovery file removed), asked for by a signal (cli/daemon.ts) or by a local client's daemon.stop.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import path from 'node:path';
import { createProbe } from '../engine/probe';
import { loadOnnxruntime } from '../engine/onnxruntime';
import { chooseProvider, type ProviderPreference } from '../engine/providers';
import { ModelRegistry } from '../engine/registry';
import type { Home } from '../jobs/home';
import { StageTimes } from '../jobs/eta';
import { BullDriver } from '../jobs/bullmq';
import { EmbeddedDriver } from '../jobs/embedded';
import { JobManager } from '../jobs/manager';
import { SceneStore } from '../scene/store';
import { WorkerPool } from '../jobs/pool';
import { CLOSE, OrfeasError } from '../protocol/errors';
import { LIMITS } from '../protocol/options';
import { VERSION } from '../version';
import type { DaemonContext } from './context';
import { discoveryExposure, processAlive, readDiscovery, removeDiscovery, writeDiscovery } from './discovery';
import { createApp } from './http';
import { followServerJobs } from './backends';
import { expireUploads } from './images';
import type { Logger } from './log';
import { createMetrics } from './metrics';
import { UserRateLimiter } from './rate';
import { answeringDaemon } from './reach';
import { attachWebSocket } from './socket';
import { createDaemonServer, DEFAULT_BIND, daemonUrl, openExposure, planExposure, teamHosts, type DaemonServer } from './team';
import type { TlsFlags } from './tls';
import { Authenticator, usersFile } from './users';

export const DEFAULT_PORT = 7878;
export const KEEP_ALIVE_MS = 15_000;

export interface DaemonConfig {
	home: Home;
	/** Folder of the model manifests shipped with Orfeas (models/). */
	catalogueDir: string;
	/** Execution providers to try for learned models. */
	providers: ProviderPreference;
	/** Let `auto` try WebGPU (experimental in onnxruntime-node). */
	webgpu: boolean;
	/** 0 picks a free port. */
	port: number;
	/** Address to listen on (default 127.0.0.1); any other needs TLS and user tokens. */
	bind?: string;
	/** Name a team server is reached by, accepted in the Host header (default: the host name). */
	serverName?: string;
	/** Certificate files, or a self-signed one kept in the home folder: HTTPS and WSS. */
	tls?: TlsFlags;
	/** Messages (and HTTP requests) a second one remote user may send over all its connections. */
	userRate?: number;
	cpuJobs: number;
	gpuJobs: number;
	/** Jobs on generation servers at once; each has a worker of its own, so they never wait behind local jobs. */
	remoteJobs?: number;
	/** A redis:// URL: the daemon is a team-server gateway, and `orfeas worker` processes run the jobs (BullMQ). */
	queue?: string;
	allowOrigins: string[];
	/** Path of the bundled worker entry (dist/worker.cjs). */
	workerScript: string;
	log: Logger;
	keepAliveMs?: number;
	/** How long a stop waits for running jobs before putting them back in the queue. */
	shutdownGraceMs?: number;
}

/** Jobs on generation servers at once when --remote-jobs is not given. */
export const REMOTE_JOBS_DEFAULT = 2;

/** Stage averages of one generation server, kept apart: its stages take as long as that server takes. */
export function backendStatsFile(home: Home, backend: string): string {
	return path.join(home.root, 'backend-stats', `${backend}.json`);
}

export interface RunningDaemon {
	port: number;
	token: string;
	/** Stops gracefully; every call returns the same promise. */
	stop(): Promise<void>;
	/** Settles once the daemon has stopped, whoever asked (a signal through `stop`, or a daemon.stop request). */
	stopped: Promise<void>;
}

export async function startDaemon(config: DaemonConfig): Promise<RunningDaemon> {
	const { home, log } = config;
	await home.prepare();
	const tokenWarning = discoveryExposure(home.root);
	if (tokenWarning) log.warn(tokenWarning);
	const plan = await planExposure({ bind: config.bind ?? DEFAULT_BIND, serverName: config.serverName, tls: config.tls ?? {}, homeRoot: home.root, log });
	await refuseSecondDaemon(home);
	const exposure = await openExposure(plan);

	const token = randomBytes(32).toString('base64url');
	const times = await StageTimes.load(home.stats);
	const registry = await new ModelRegistry(home, config.catalogueDir).refresh();
	for (const problem of registry.problems) log.warn(`model manifest: ${problem}`);
	const engine = await chooseProvider(config.providers, createProbe(loadOnnxruntime()), { webgpu: config.webgpu });
	for (const fallback of engine.fallbacks) log.info(`execution provider ${fallback.provider} not used: ${fallback.reason}`);
	log.info(`learned models run on ${engine.active}`);
	const remoteJobs = config.remoteJobs ?? REMOTE_JOBS_DEFAULT;
	// A gateway runs no jobs itself: its workers are other processes.
	const pool = new WorkerPool(config.workerScript, config.queue ? 0 : config.cpuJobs + remoteJobs, log, {
		engine: {
			homeRoot: home.root,
			catalogueDir: config.catalogueDir,
			providers: [...new Set([engine.active, 'cpu'])],
			// The workers share the cores: each gets its part for ONNX Runtime's operator threads.
			intraOpThreads: Math.max(1, Math.floor(availableParallelism() / config.cpuJobs)),
			budgetBytes: Math.min(2 * 1024 ** 3, Math.floor(totalmem() / 4)),
		},
	});
	await pool.ready();
	const backendTimes = new Map<string, Promise<StageTimes>>();
	const bull = config.queue ? new BullDriver(home, config.queue, LIMITS.maxQueue) : undefined;
	if (bull) {
		await bull.ready().catch((error: unknown) => {
			throw new OrfeasError('E_CONFLICT', `Cannot reach Redis at ${config.queue} (${error instanceof Error ? error.message : error}). Start it, or check the address.`);
		});
		log.info(`job queue: BullMQ on ${config.queue}; jobs run on orfeas worker processes`);
	}
	const driver = bull ?? new EmbeddedDriver(pool, { maxQueue: LIMITS.maxQueue, gpuSlots: engine.active === 'cpu' ? undefined : config.gpuJobs, serverSlots: remoteJobs });
	const manager = new JobManager(home, driver, times, log, {
		server: (model) => registry.backend(model),
		times: (backend) => {
			let loaded = backendTimes.get(backend);
			const file = backendStatsFile(home, backend);
			if (!loaded) backendTimes.set(backend, (loaded = mkdir(path.dirname(file), { recursive: true, mode: 0o700 }).then(() => StageTimes.load(file))));
			return loaded;
		},
	});
	followServerJobs(home, manager, (model) => registry.installedKind(model) === 'remote');
	const recovered = await manager.recover();
	await expireUploads(home);

	const server = createDaemonServer(exposure);
	const port = await listen(server, config.port, exposure.bind);
	const loadedModels = new Set<string>();
	let running: RunningDaemon | undefined;
	let stopAsked = false;
	const ctx: DaemonContext = {
		home,
		manager,
		registry,
		engine,
		loadedModels,
		async loadModel(action, modelId) {
			const loaded = await pool.models(action, modelId);
			loadedModels.clear();
			for (const id of loaded) loadedModels.add(id);
			return loaded;
		},
		log,
		guard: { port, token, allowOrigins: config.allowOrigins, hosts: teamHosts(exposure, port) },
		auth: new Authenticator({ localToken: token, file: usersFile(home.root), log }),
		userRates: new UserRateLimiter(config.userRate ?? LIMITS.maxMessagesPerSecond),
		startedAt: Date.now(),
		keepAliveMs: config.keepAliveMs ?? KEEP_ALIVE_MS,
		scenes: new SceneStore(home),
		requestStop: (reason) => {
			log.info(`stop requested: ${reason}`);
			// A client that read daemon.json the moment it appeared may ask before this function has returned.
			if (running) void running.stop();
			else stopAsked = true;
		},
	};
	const socket = attachWebSocket(server, ctx);
	const metrics = createMetrics(
		manager,
		() => socket.sessions.size,
		bull
			? { name: 'bullmq', workers: () => bull.workers(), jobs: () => bull.jobCounts() }
			: { name: 'embedded', workers: async () => pool.size },
	);
	server.on('request', createApp(ctx, metrics, bull));
	const housekeeping = setInterval(() => void expireUploads(home), 10 * 60 * 1000);
	housekeeping.unref();

	const fingerprint256 = exposure.tls?.fingerprint256;
	await writeDiscovery(home.discovery, {
		version: VERSION,
		pid: process.pid,
		port,
		token,
		startedAt: new Date(ctx.startedAt).toISOString(),
		scheme: exposure.scheme,
		bind: exposure.bind,
		...(fingerprint256 ? { fingerprint256 } : {}),
		...(exposure.serverName ? { serverName: exposure.serverName } : {}),
	});
	if (exposure.tls) log.info(`TLS certificate ${exposure.tls.certFile}, SHA-256 fingerprint ${fingerprint256} (remote clients pin it)`);
	log.info(
		`Orfeas daemon ${VERSION} listening on ${daemonUrl(exposure, port)}${exposure.serverName ? ` (bound to ${exposure.bind})` : ''} (home ${home.root}, ${config.cpuJobs} CPU workers, ` +
			`${config.gpuJobs} GPU slot(s) for learned models; ${recovered.requeued} jobs resumed, ${recovered.interrupted} given up, ` +
			`${recovered.forgotten} old finished jobs forgotten)`,
	);

	let stopping: Promise<void> | undefined;
	let settle: () => void = () => {};
	running = {
		port,
		token,
		stopped: new Promise<void>((resolve) => (settle = resolve)),
		stop() {
			stopping ??= (async () => {
				log.info('stopping: no new connections or jobs; waiting for running jobs');
				clearInterval(housekeeping);
				server.close();
				await manager.drain(config.shutdownGraceMs ?? 5000);
				await socket.close(CLOSE.goingAway, 'daemon shutting down');
				await pool.close();
				await bull?.close();
				metrics.stop();
				await removeDiscovery(home.discovery, process.pid);
				server.closeAllConnections();
				log.info('stopped');
			})().finally(settle);
			return stopping;
		},
	};
	if (stopAsked) void running.stop();
	return running;
}

/**
 * One daemon per home folder: the daemon daemon.json names keeps its place while it answers /health as itself (a
 * pid reused by another process, or another daemon on that port, does not count).
 */
async function refuseSecondDaemon(home: Home): Promise<void> {
	const existing = await readDiscovery(home.discovery);
	if (!existing || existing.pid === process.pid || !processAlive(existing.pid)) return;
	if (await answeringDaemon(existing, 1000)) {
		throw new OrfeasError(
			'E_CONFLICT',
			`A daemon is already running for ${home.root} (pid ${existing.pid}, port ${existing.port}). Use it, or stop it first (orfeas stop).`,
		);
	}
}

function listen(server: DaemonServer, port: number, bind: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EADDRINUSE') {
				reject(new OrfeasError('E_CONFLICT', `Port ${port} is in use. Is another daemon running (orfeas status)? Or pick one with --port, 0 for any.`));
			} else reject(error);
		});
		server.listen(port, bind, () => {
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}
