// HTTP to a generation server, with the limits a daemon needs when it talks to a machine it does not control:
// http(s) only, no redirects followed (a server that answers with one is told to be configured by its final
// address, so a job never ends up on another host), a cap on the reply's size counted while it streams in, and
// a time limit per request. Failures become coded errors with a sentence: the server's own words
// (E_BACKEND), or what to check when it cannot be reached (E_BACKEND_UNREACHABLE).
import http from 'node:http';
import https from 'node:https';
import { OrfeasError } from '../../protocol/errors';

export interface ServerRequest {
	method: 'GET' | 'POST';
	/** Path under the server's URL, e.g. `/status/123`. */
	route: string;
	/** A JSON body (POST). */
	json?: unknown;
	/** Statuses besides 2xx whose reply the caller reads itself (a server that reports a failed job with 500). */
	readStatuses?: number[];
}

export interface ServerLimits {
	/** Largest reply accepted, in bytes. */
	maxBytes: number;
	/** Time limit for the whole request, in milliseconds. */
	timeoutMs: number;
	/** Words for the unreachable message: what the server is and how it is started. */
	what: string;
}

export interface ServerReply {
	status: number;
	contentType: string;
	bytes: Uint8Array;
}

/** Sends one request; a reply with status 2xx (or one of `readStatuses`) resolves, anything else rejects with a coded error. */
export function serverRequest(base: string, request: ServerRequest, limits: ServerLimits): Promise<ServerReply> {
	const url = new URL(request.route.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
	const body = request.json === undefined ? undefined : Buffer.from(JSON.stringify(request.json));
	const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
	if (!client) return Promise.reject(new OrfeasError('E_BACKEND', `${url.origin} is not an http(s) address.`));
	return new Promise<ServerReply>((resolve, reject) => {
		const req = client.request(
			url,
			{
				method: request.method,
				headers: { accept: 'application/json, model/gltf-binary, */*', ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}) },
				timeout: limits.timeoutMs,
			},
			(res) => {
				const status = res.statusCode ?? 0;
				if (status >= 300 && status < 400) {
					res.resume();
					return reject(
						new OrfeasError(
							'E_BACKEND',
							`The server at ${url.origin} answered ${request.route} with a redirect${res.headers.location ? ` to ${res.headers.location}` : ''}; Orfeas does not follow redirects. Set the backend's URL to the address that serves the API itself.`,
						),
					);
				}
				const declared = Number(res.headers['content-length'] ?? 0);
				if (declared > limits.maxBytes) {
					res.destroy();
					return reject(tooLarge(url, limits));
				}
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > limits.maxBytes) {
						res.destroy();
						reject(tooLarge(url, limits));
						return;
					}
					chunks.push(chunk);
				});
				res.on('error', (error) => reject(unreachable(url, error, limits)));
				res.on('end', () => {
					const bytes = new Uint8Array(Buffer.concat(chunks));
					if ((status < 200 || status >= 300) && !request.readStatuses?.includes(status)) return reject(serverError(url, request.route, status, bytes));
					resolve({ status, contentType: String(res.headers['content-type'] ?? ''), bytes });
				});
			},
		);
		req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${Math.round(limits.timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
		req.on('error', (error) => reject(unreachable(url, error, limits)));
		req.end(body);
	});
}

/** The JSON of a reply, or E_BACKEND saying the server answered something else. */
export function replyJson(reply: ServerReply, route: string): Record<string, unknown> {
	try {
		const value = JSON.parse(Buffer.from(reply.bytes).toString('utf8')) as unknown;
		if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
	} catch {
		// reported below
	}
	throw new OrfeasError('E_BACKEND', `The server's answer to ${route} is not the JSON object its API returns (${describe(reply.bytes)}). Check that the URL points at the generation server.`);
}

function tooLarge(url: URL, limits: ServerLimits): OrfeasError {
	return new OrfeasError(
		'E_BACKEND',
		`The server at ${url.origin} sent a reply over ${(limits.maxBytes / 2 ** 20).toFixed(limits.maxBytes < 2 ** 20 ? 2 : 0)} MiB, the backend's limit; the model was not read. Ask for fewer faces, or raise the limit (orfeas backends add … --max-reply-mb N).`,
	);
}

function unreachable(url: URL, error: Error & { code?: string }, limits: ServerLimits): OrfeasError {
	const why = error.code ? `${error.code}${error.message && !error.message.includes(error.code) ? `: ${error.message}` : ''}` : error.message;
	return new OrfeasError(
		'E_BACKEND_UNREACHABLE',
		`Cannot reach the ${limits.what} at ${url.origin} (${why}). Check that the server is running, that the address and port are right, and that no firewall is in the way; orfeas backends test tells when it answers.`,
		{ url: url.origin },
	);
}

/** A non-2xx reply with the server's own words: a JSON message or error text, else the start of the body. */
function serverError(url: URL, route: string, status: number, bytes: Uint8Array): OrfeasError {
	let words = '';
	try {
		const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
		words = [json.message, json.text, json.detail, json.error].filter((v) => typeof v === 'string' && v.trim()).join(' ') || JSON.stringify(json).slice(0, 300);
	} catch {
		words = describe(bytes);
	}
	return new OrfeasError('E_BACKEND', `The server at ${url.origin} answered ${route} with HTTP ${status}: ${words}`);
}

function describe(bytes: Uint8Array): string {
	const text = Buffer.from(bytes.subarray(0, 300)).toString('utf8').replace(/\s+/g, ' ').trim();
	return text ? `"${text}${bytes.length > 300 ? '…' : ''}"` : 'an empty reply';
}
