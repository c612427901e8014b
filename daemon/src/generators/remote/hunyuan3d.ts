// Hunyuan3D's API server (api_server.py of Tencent-Hunyuan/Hunyuan3D-2.1, and of Hunyuan3D-2 for 2.0) as a
// generation server. Its contract, from the published code:
// - POST /send with GenerationRequest's JSON (`image` base64, `remove_background`, `texture`, `seed`,
//   `octree_resolution`, `num_inference_steps`, `guidance_scale`, `num_chunks`, `face_count`) answers {uid} and runs
//   the job in a thread;
// - GET /status/{uid} decides from files on disk: `processing` until the shape is written, `texturing` (2.1) once
//   the untextured shape exists, `completed` with `model_base64` once the final file exists; 2.1 answers a failed
//   job with HTTP 500 and {status: 'error', message}. A job whose thread dies before writing anything stays
//   `processing` for ever, which is why every job has a time limit;
// - GET /health answers {status: 'healthy', worker_id} on 2.1; 2.0 has no such route (404) and no `texturing`.
// We send the subject already cut out on transparency (`remove_background: false`), and only the options the
// backend sets, so the server's own defaults apply to the rest (2.1's worker reads the picture alone and always
// textures; 2.0 reads them all). The returned GLB is Y-up, the picture's right +X and its view toward +Z: the shape
// stage swaps no axes (export_to_trimesh only reverses the winding), and the texture stage, which maps file
// coordinates (x, y, z) to (−x, z, −y) for its Z-up renderer and back on save, paints the reference picture from
// its main view at azimuth 0 and elevation 0, whose camera sits on the file's +Z with +Y up and +X to the right
// (hy3dpaint MeshRender.py and textureGenPipeline.py in 2.1; mesh_render.py and texgen/pipelines.py in 2.0).
// 2.0 writes `{uid}.glb` in place, so a poll can find it half written: a GLB shorter than its header says is
// taken as not finished yet.
import type { Backend } from '../../engine/backends';
import { OrfeasError } from '../../protocol/errors';
import type { GenerateOptions } from '../../protocol/options';
import { replyJson, serverRequest, type ServerLimits, type ServerReply } from './http';
import type { GenerationServer, ServerStatus } from './kind';

/** GenerationRequest's bounds for face_count (api_models.py, 2.1). */
const FACE_COUNT = { min: 1000, max: 100_000 };

/** Time limit of one request (a poll or the upload), apart from the job's own limit. */
const REQUEST_TIMEOUT_MS = 60_000;

const TITLE = 'Hunyuan3D';

function limits(backend: Backend): ServerLimits {
	return { maxBytes: Math.floor(backend.maxReplyMB * 2 ** 20), timeoutMs: REQUEST_TIMEOUT_MS, what: `${TITLE} server (python api_server.py)` };
}

export const hunyuan3d: GenerationServer = {
	title: TITLE,
	frame: { right: '+x', up: '+y', front: '+z' },

	async health(backend) {
		const reply = await serverRequest(backend.url, { method: 'GET', route: '/health', readStatuses: [404] }, limits(backend));
		// 2.0's server has no /health: any answer from it means it is up.
		if (reply.status === 404) return 'answers (no /health route: a Hunyuan3D-2.0 server)';
		const json = replyJson(reply, '/health');
		if (json.status !== 'healthy') throw new OrfeasError('E_BACKEND', `The ${TITLE} server at ${backend.url} says it is not healthy: ${JSON.stringify(json).slice(0, 300)}`);
		return `healthy${typeof json.worker_id === 'string' ? ` (worker ${json.worker_id})` : ''}`;
	},

	async submit(backend, picture, options) {
		const reply = await serverRequest(backend.url, { method: 'POST', route: '/send', json: request(backend, picture, options) }, limits(backend));
		const uid = replyJson(reply, '/send').uid;
		if (typeof uid !== 'string' || !uid) throw new OrfeasError('E_BACKEND', `The ${TITLE} server at ${backend.url} accepted the picture but gave no job id.`);
		return uid;
	},

	async status(backend, uid) {
		const route = `/status/${encodeURIComponent(uid)}`;
		const reply = await serverRequest(backend.url, { method: 'GET', route, readStatuses: [500] }, limits(backend));
		return readStatus(reply, route, backend);
	},
};

/** The JSON /send takes: the picture, and only the options this backend sets. */
export function request(backend: Backend, picture: Uint8Array, options: GenerateOptions): Record<string, unknown> {
	return {
		image: Buffer.from(picture).toString('base64'),
		remove_background: false,
		texture: backend.texture,
		...(backend.seed !== undefined ? { seed: backend.seed } : {}),
		...(backend.octree !== undefined ? { octree_resolution: backend.octree } : {}),
		...(backend.steps !== undefined ? { num_inference_steps: backend.steps } : {}),
		face_count: Math.min(FACE_COUNT.max, Math.max(FACE_COUNT.min, options.maxTriangles)),
	};
}

function readStatus(reply: ServerReply, route: string, backend: Backend): ServerStatus {
	if (reply.status === 500) {
		let message = 'the server failed the job (HTTP 500) without saying why';
		try {
			const json = JSON.parse(Buffer.from(reply.bytes).toString('utf8')) as Record<string, unknown>;
			if (typeof json.message === 'string' && json.message) message = json.message;
		} catch {
			// 2.0 answers plain text; the sentence above stands
		}
		return { phase: 'failed', message };
	}
	const json = replyJson(reply, route);
	switch (json.status) {
		case 'processing':
			return { phase: 'shape' };
		case 'texturing':
			return { phase: 'texture' };
		case 'completed': {
			const glb = decodeModel(json.model_base64, backend);
			return wholeGlb(glb) ? { phase: 'done', glb } : { phase: 'shape' };
		}
		case 'error':
			return { phase: 'failed', message: typeof json.message === 'string' ? json.message : 'no reason given' };
		default:
			throw new OrfeasError('E_BACKEND', `The ${TITLE} server answered ${route} with a status Orfeas does not know: ${JSON.stringify(json.status)}.`);
	}
}

/** Whether a GLB is as long as its header says (a file still being written is shorter). */
function wholeGlb(bytes: Uint8Array): boolean {
	if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== 'glTF') return true;
	return new DataView(bytes.buffer, bytes.byteOffset, 12).getUint32(8, true) <= bytes.length;
}

/** The model's bytes from base64, refused before decoding when they would exceed the backend's limit. */
function decodeModel(value: unknown, backend: Backend): Uint8Array {
	if (typeof value !== 'string' || !value) throw new OrfeasError('E_BACKEND', `The ${TITLE} server said the job was completed but sent no model.`);
	const maxBytes = limits(backend).maxBytes;
	if (Math.floor((value.length * 3) / 4) > maxBytes) {
		throw new OrfeasError('E_BACKEND', `The ${TITLE} server's model is over ${backend.maxReplyMB} MiB, the backend's limit; it was not read. Raise the limit (orfeas backends add … --max-reply-mb N) or ask for fewer faces.`);
	}
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.slice(-4))) throw new OrfeasError('E_BACKEND', `The ${TITLE} server's model is not base64.`);
	return new Uint8Array(Buffer.from(value, 'base64'));
}
