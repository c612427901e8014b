// A run on a generation server (a `remote` model): the picture is decoded and its subject cut out as for any run,
// sent to the server as a PNG on transparency with the backend's options (submit), the server's job is polled with
// backoff through its shape and texture phases, and the model it returns is cleaned up into Orfeas's convention
// (clean-up: frame, height, origin, welding, the triangle budget, its textures kept) before the usual export.
// A cancel stops the polling at once: the server cannot be told, and whatever it finishes later is never read.
// After a daemon restart the same server job is polled again rather than sent twice.
import sharp from 'sharp';
import type { Backend } from '../../engine/backends';
import { resampleRegion } from '../../imaging/resample';
import { REMOTE_RUN } from '../../pipeline/stages';
import type { CancelSignal, DecodedImage, SegmentResult, StageContext } from '../../pipeline/types';
import { OrfeasError } from '../../protocol/errors';
import type { GenerateOptions } from '../../protocol/options';
import type { PipelineRuntime } from '../generator';
import { exportStage, pictureStages, stageRunner, type GenerateInput, type GenerateResult, type RunContext } from '../shared';
import { cleanUpServerModel } from './cleanup';
import { SERVERS, type ServerStatus } from './server';

/** Longest side of the picture sent: the servers work at about 512 px, and a smaller upload is quicker. */
export const UPLOAD_MAX_SIDE = 1024;

/** Polling: the first wait, how it grows, its ceiling, and how many failed polls in a row end the job. */
export const POLL = { firstMs: 250, factor: 1.5, maxMs: 3000, failures: 4 } as const;

export async function runRemote(input: GenerateInput, options: GenerateOptions, runtime: PipelineRuntime, run: RunContext, backend: Backend): Promise<GenerateResult> {
	if (input.views?.length || input.sheet) {
		throw new OrfeasError('E_BAD_MESSAGE', `The generation server "${backend.name}" takes one picture; send the front alone.`, { field: 'views' });
	}
	const server = SERVERS[backend.kind];
	const { stage, ms, started, signal } = stageRunner(REMOTE_RUN, run);
	const weights = run.weights;
	const { front } = await pictureStages(input, options, runtime, stage);

	const job = await stage('submit', async (ctx) => {
		if (run.remoteJob) return run.remoteJob;
		const picture = await cutOut(front.decoded, front.segmented);
		ctx.signal.throwIfAborted();
		const id = await server.submit(backend, picture, options);
		run.onSubmitted?.(id);
		return id;
	});

	const deadline = Date.now() + backend.timeoutS * 1000;
	let status: ServerStatus = { phase: 'shape' };
	const poll = async (): Promise<ServerStatus> => {
		let wait: number = POLL.firstMs;
		let failures = 0;
		for (;;) {
			try {
				const next = await server.status(backend, job);
				failures = 0;
				if (next.phase !== status.phase) return next;
			} catch (error) {
				// A server that stops answering for good ends the job; a blip is polled through.
				if (!(error instanceof OrfeasError && error.code === 'E_BACKEND_UNREACHABLE') || ++failures >= POLL.failures) throw error;
			}
			if (Date.now() > deadline) {
				throw new OrfeasError('E_BACKEND', `The ${server.title} server at ${backend.url} did not finish within ${backend.timeoutS} s (its job ${job}). Check the server's log; a longer limit is set with orfeas backends add … --timeout N.`);
			}
			await sleep(wait, signal);
			wait = Math.min(POLL.maxMs, wait * POLL.factor);
		}
	};
	/** Polls while the server is in `phase`, showing progress against the time this stage usually takes. */
	const phase = (name: 'shape' | 'texture') =>
		stage(name, async (ctx) => {
			const t0 = Date.now();
			const expected = Math.max(1000, weights?.[name] ?? 30_000);
			const ticker = setInterval(() => ctx.progress(1 - Math.exp(-(Date.now() - t0) / expected)), 250);
			try {
				while (status.phase === name) status = await poll();
			} finally {
				clearInterval(ticker);
			}
		});
	await phase('shape');
	await phase('texture');
	// Set inside the phases' polling.
	const outcome = status as ServerStatus;
	if (outcome.phase === 'failed') throw new OrfeasError('E_BACKEND', `The ${server.title} server at ${backend.url} could not make the model: ${outcome.message}`);
	if (outcome.phase !== 'done') throw new OrfeasError('E_BACKEND', `The ${server.title} server reported an unexpected state for job ${job}.`);
	const glb = outcome.glb;

	const cleaned = await stage('clean-up', (ctx) =>
		cleanUpServerModel(glb, { frame: server.frame, height: options.height, maxTriangles: options.maxTriangles, simplifier: runtime.simplifier }, ctx),
	);
	const files = await stage('export', (ctx: StageContext) => exportStage(cleaned.document, input.name, options, ctx, cleaned.glb));
	return {
		files,
		glb: files.find((f) => f.format === 'glb')!.bytes,
		stats: {
			vertices: cleaned.report.vertices,
			triangles: cleaned.report.triangles,
			textureSize: options.textureSize,
			lods: Math.max(1, options.lods.length),
			ms,
			totalMs: performance.now() - started,
			segmentation: front.segmented.method,
			components: cleaned.report.components,
			closed: cleaned.report.closed,
		},
	};
}

/** The subject on transparency as a PNG: the texture-size picture with the mask as its alpha, at most UPLOAD_MAX_SIDE. */
export async function cutOut(decoded: DecodedImage, segmented: SegmentResult): Promise<Uint8Array> {
	const { texture } = decoded;
	const { mask } = segmented;
	const alpha = resampleRegion(mask, 1, 0, 0, mask.width, mask.height, texture.width, texture.height);
	const rgba = Uint8Array.from(texture.data);
	for (let p = 0; p < alpha.length; p++) rgba[p * 4 + 3] = alpha[p];
	const png = await sharp(rgba, { raw: { width: texture.width, height: texture.height, channels: 4 } })
		.resize(UPLOAD_MAX_SIDE, UPLOAD_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
		.png()
		.toBuffer();
	return new Uint8Array(png);
}

/** Waits `ms`, looking at the cancel flag every 50 ms (a worker's flag raises no event). */
async function sleep(ms: number, signal: CancelSignal): Promise<void> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		signal.throwIfAborted();
		await new Promise((resolve) => setTimeout(resolve, Math.min(50, end - Date.now())));
	}
	signal.throwIfAborted();
}
