// Plain HTTP requests to a test daemon with node:http, so tests control every header (Host, Origin,
// Authorization) and send paths exactly as written: fetch would normalise `..` and set Host itself. And a
// local server of files, standing in for a model host.
import http, { type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
	method?: string;
	path: string;
	headers?: Record<string, string>;
	body?: string | Uint8Array;
	/** Where to connect (default 127.0.0.1). */
	host?: string;
}

export interface RawResponse {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

export function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: request.host ?? '127.0.0.1', port, method: request.method ?? 'GET', path: request.path, headers: request.headers, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(request.body);
	});
}

/** The parsed JSON body, or the raw text in an error when it is not JSON. */
export function jsonBody<T = Record<string, unknown>>(response: RawResponse): T {
	try {
		return JSON.parse(response.body) as T;
	} catch {
		throw new Error(`expected JSON, got ${response.status}: ${response.body.slice(0, 200)}`);
	}
}

export function bearerHeader(token: string): Record<string, string> {
	return { authorization: `Bearer ${token}` };
}

/** A local HTTP server that answers GET /<name> with each file's bytes and 404 otherwise, as a model host would. */
export async function serveFiles(files: readonly { name: string; bytes: Uint8Array }[]): Promise<{ url: (name: string) => string; close: () => void }> {
	const byPath = new Map(files.map((f) => [`/${f.name}`, f.bytes]));
	const server = http.createServer((req, res) => {
		const bytes = byPath.get(req.url ?? '');
		if (!bytes) return void res.writeHead(404).end();
		res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as { port: number }).port;
	return { url: (name) => `http://127.0.0.1:${port}/${name}`, close: () => server.close() };
}
