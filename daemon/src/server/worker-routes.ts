// The gateway's routes for `orfeas worker` processes (team server), behind worker tokens only: claim a job (it is
// running from then on), download its inputs (with their sha256, resumable with Range), upload its outputs in pieces
// (resumable from what arrived, the whole checked against the sha256 the worker sends). Nothing else is reachable with a worker token, and a user token opens none
// of these.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { BullDriver } from '../jobs/bullmq';
import { OrfeasError } from '../protocol/errors';
import type { Verdict } from './guard';

/** The largest output a worker may upload (a model with its LODs and textures). */
export const MAX_UPLOAD_BYTES = 512 * 2 ** 20;

export function workerRoutes(
	driver: BullDriver,
	authorize: (req: Request) => Verdict,
	fail: (res: Response, error: OrfeasError) => void,
	claimed: (worker: string, jobId: string) => void,
): express.Router {
	const router = express.Router();
	router.use('/v1/worker', (req, res, next) => {
		const verdict = authorize(req);
		if (!verdict.ok) return fail(res, new OrfeasError(verdict.code, verdict.message));
		next();
	});
	// A worker checks its token and the gateway's address before it takes any job from the line.
	router.get('/v1/worker/hello', (_req, res) => {
		res.json({ ok: true, worker: String(res.locals.worker ?? 'worker') });
	});
	router.get('/v1/worker/jobs/:jobId', async (req, res, next) => {
		try {
			const jobId = jobIdOf(req);
			const claim = await driver.claim(jobId);
			claimed(String(res.locals.worker ?? 'worker'), jobId);
			res.json(claim);
		} catch (error) {
			next(error);
		}
	});
	router.get('/v1/worker/jobs/:jobId/inputs/:name', (req, res, next) => {
		try {
			const { bytes, sha256 } = driver.input(jobIdOf(req), String(req.params.name));
			res.setHeader('x-orfeas-sha256', sha256);
			res.setHeader('accept-ranges', 'bytes');
			const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
			if (range) {
				const start = Number(range[1]);
				const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
				if (start > end) return void res.status(416).setHeader('content-range', `bytes */${bytes.length}`).end();
				res.status(206).setHeader('content-range', `bytes ${start}-${end}/${bytes.length}`);
				return void res.type('application/octet-stream').send(Buffer.from(bytes.subarray(start, end + 1)));
			}
			res.type('application/octet-stream').send(Buffer.from(bytes));
		} catch (error) {
			next(error);
		}
	});
	// How much of an output has arrived, so an upload that was cut off resumes there.
	router.get('/v1/worker/jobs/:jobId/outputs/:name', async (req, res, next) => {
		try {
			res.json({ received: await driver.received(jobIdOf(req), String(req.params.name)) });
		} catch (error) {
			next(error);
		}
	});
	// A piece of an output: its offset and the whole's size and sha256 in headers.
	router.put('/v1/worker/jobs/:jobId/outputs/:name', express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES }), async (req: Request, res: Response, next: NextFunction) => {
		try {
			const sha256 = String(req.headers['x-orfeas-sha256'] ?? '');
			if (!/^[a-f0-9]{64}$/.test(sha256)) throw new OrfeasError('E_BAD_MESSAGE', 'Send the output with its sha256 in the x-orfeas-sha256 header.', { field: 'x-orfeas-sha256' });
			const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array(0);
			const offset = Number(req.headers['x-orfeas-offset'] ?? 0);
			const total = Number(req.headers['x-orfeas-total'] ?? bytes.length);
			if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(total) || offset < 0 || total > MAX_UPLOAD_BYTES) {
				throw new OrfeasError('E_BAD_MESSAGE', 'x-orfeas-offset and x-orfeas-total must be byte counts within the upload limit.');
			}
			const received = await driver.receive(jobIdOf(req), String(req.params.name), bytes, offset, total, sha256);
			res.status(received === total ? 201 : 202).json({ received });
		} catch (error) {
			next(error);
		}
	});
	return router;
}

function jobIdOf(req: Request): string {
	const id = String(req.params.jobId);
	if (!/^j_[a-z0-9]{20}$/.test(id)) throw new OrfeasError('E_NOT_FOUND', `No job ${id.slice(0, 40)}.`);
	return id;
}
