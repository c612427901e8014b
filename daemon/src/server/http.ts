// The HTTP routes (PROTOCOL.md § HTTP) on express: /health and /openapi.json for anyone who can reach the
// daemon, the rest behind a client token (the discovery token on this machine, or a user token; users.ts) and
// the per-user rate. Every request passes the Host/Origin guard first; errors answer with the protocol's error
// object and the status that goes with its code.
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { MIME, readAsset } from '../jobs/assets';
import { HTTP_STATUS, OrfeasError, toOrfeasError } from '../protocol/errors';
import { GenerateRequest, JobId } from '../protocol/messages';
import { openApiDocument } from '../protocol/openapi';
import { LIMITS } from '../protocol/options';
import { VERSION } from '../version';
import { acceptGenerate, type DaemonContext } from './context';
import type { HealthReply } from './discovery';
import { checkOrigin } from './guard';
import { saveUpload } from './images';
import type { Metrics } from './metrics';
import { CLIENT_ROLES, refuseServerPaths, WORKER_ROLES, type Principal } from './users';
import { workerRoutes } from './worker-routes';
import type { BullDriver } from '../jobs/bullmq';

const GenerateBody = z.object(GenerateRequest);

export function createApp(ctx: DaemonContext, metrics: Metrics, bull?: BullDriver): express.Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);

	app.use((req, res, next) => {
		const verdict = checkOrigin(req, ctx.guard);
		if (!verdict.ok) return sendError(res, new OrfeasError(verdict.code, verdict.message));
		next();
	});

	app.get('/health', (_req, res) => {
		// pid and startedAt are daemon.json's: a client tells by them that this is the daemon the file describes.
		const health: HealthReply = { ok: true, version: VERSION, uptimeMs: Date.now() - ctx.startedAt, pid: process.pid, startedAt: new Date(ctx.startedAt).toISOString() };
		res.json(health);
	});
	app.get('/openapi.json', (_req, res) => {
		res.json(openApiDocument());
	});

	// A team-server gateway's routes for its workers, behind worker tokens (and before the client routes' guard).
	if (!bull) {
		app.use('/v1/worker', (_req, res) =>
			sendError(res, new OrfeasError('E_NOT_FOUND', 'This daemon keeps no job queue for workers. Start it as a gateway with --queue redis://HOST:PORT/DB.')),
		);
	}
	if (bull) {
		app.use(
			workerRoutes(
				bull,
				(req) => {
					const verdict = ctx.auth.requireRole(req, WORKER_ROLES);
					if (verdict.ok) req.res!.locals.worker = verdict.principal.name;
					return verdict;
				},
				sendError,
				(worker, jobId) => {
					ctx.log.info(`worker ${worker} claimed ${jobId}`);
					metrics.claimed(worker);
				},
			),
		);
	}

	const authed = express.Router();
	authed.use((req, res, next) => {
		const verdict = ctx.auth.requireRole(req, CLIENT_ROLES);
		if (!verdict.ok) return sendError(res, new OrfeasError(verdict.code, verdict.message));
		if (!ctx.userRates.take(verdict.principal)) {
			return sendError(res, new OrfeasError('E_RATE_LIMIT', `${verdict.principal.name} sends more than ${ctx.userRates.rate} requests and messages a second over all its connections; slow down.`));
		}
		res.locals.principal = verdict.principal;
		next();
	});
	authed.get('/metrics', async (_req, res, next) => {
		try {
			res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
		} catch (error) {
			next(error);
		}
	});
	authed.post('/v1/uploads', express.raw({ type: () => true, limit: LIMITS.maxImageBytes }), async (req, res, next) => {
		try {
			if (!/^image\//i.test(req.headers['content-type'] ?? '')) {
				throw new OrfeasError('E_BAD_MESSAGE', 'Send the picture as the request body with Content-Type image/png, image/jpeg, …', { field: 'Content-Type' });
			}
			const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
			res.status(201).json({ uploadId: await saveUpload(ctx.home, bytes) });
		} catch (error) {
			next(error);
		}
	});
	authed.post('/v1/jobs', express.json({ limit: 64 * 1024 }), async (req, res, next) => {
		try {
			const parsed = GenerateBody.safeParse(req.body);
			if (!parsed.success) {
				const issue = parsed.error.issues[0];
				const field = issue.path.map(String).join('.') || 'body';
				throw new OrfeasError('E_BAD_MESSAGE', `Invalid field "${field}": ${issue.message}.`, { field });
			}
			refuseServerPaths(res.locals.principal as Principal, parsed.data);
			if ('inline' in parsed.data.image) {
				throw new OrfeasError('E_BAD_MESSAGE', 'image.inline works only over the WebSocket; over HTTP, upload first (POST /v1/uploads).', { field: 'image' });
			}
			const accepted = await acceptGenerate(ctx, parsed.data);
			res.status(202).json({ jobId: accepted.job.jobId, position: accepted.position, cached: accepted.cached });
		} catch (error) {
			next(error);
		}
	});
	authed.get('/v1/jobs/:id', (req, res, next) => {
		try {
			res.json(ctx.manager.get(jobIdParam(req.params.id)));
		} catch (error) {
			next(error);
		}
	});
	authed.delete('/v1/jobs/:id', async (req, res, next) => {
		try {
			await ctx.manager.cancel(jobIdParam(req.params.id));
			res.json({ ok: true });
		} catch (error) {
			next(error);
		}
	});
	authed.get('/v1/assets/:assetId/:file', async (req, res, next) => {
		try {
			const assetId = String(req.params.assetId);
			const asset = /^[a-f0-9]{64}$/.test(assetId) ? await readAsset(ctx.home, assetId) : null;
			// Files are served only by the names the asset lists: nothing outside the asset folder is reachable.
			const file = asset?.files.find((f) => f.name === req.params.file);
			if (!asset || !file) throw new OrfeasError('E_NOT_FOUND', `No file "${req.params.file}" in asset ${assetId}.`);
			const full = path.join(ctx.home.assetDir(asset.assetId), file.name);
			const etag = `"${file.sha256}"`;
			res.setHeader('ETag', etag);
			if ((req.headers['if-none-match'] ?? '').split(',').some((t) => t.trim() === etag)) {
				res.status(304).end();
				return;
			}
			res.setHeader('Content-Type', MIME[file.format]);
			res.sendFile(full, { etag: false, lastModified: false, acceptRanges: true, dotfiles: 'deny' }, (error) => {
				if (error && !res.headersSent) next(error);
			});
		} catch (error) {
			next(error);
		}
	});
	app.use(authed);

	app.use((_req, res) => sendError(res, new OrfeasError('E_NOT_FOUND', 'No such route. See /openapi.json.')));
	app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
		const e = bodyError(error) ?? toOrfeasError(error);
		if (e.code === 'E_INTERNAL') ctx.log.error(`http: ${error instanceof Error ? error.stack : String(error)}`);
		sendError(res, e);
	});
	return app;
}

function jobIdParam(value: unknown): string {
	const parsed = JobId.safeParse(value);
	if (!parsed.success) throw new OrfeasError('E_NOT_FOUND', `No job ${String(value).slice(0, 40)}.`);
	return parsed.data;
}

/** body-parser's own errors (too large, bad JSON) in protocol terms. */
function bodyError(error: unknown): OrfeasError | undefined {
	const type = (error as { type?: string }).type;
	if (type === 'entity.too.large') return new OrfeasError('E_PAYLOAD_TOO_LARGE', `The request body is over the limit (${LIMITS.maxImageBytes} bytes for images).`);
	if (type === 'entity.parse.failed') return new OrfeasError('E_BAD_MESSAGE', 'The request body is not valid JSON.');
	return undefined;
}

function sendError(res: Response, error: OrfeasError): void {
	res.status(HTTP_STATUS[error.code]).json({ type: 'error', code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
}
