// A stand-in for Hunyuan3D's API server (api_server.py), run as a real HTTP process so the remote generator is
// tested against the same routes, JSON shapes, status codes and quirks as the published server, without a GPU.
// README.md names the files and commits it follows; `node server.mjs --help` lists the flags.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

const USAGE = `usage: node server.mjs --glb FILE [options]
  --port N             port to listen on; 0 picks a free one (default 0)
  --host ADDR          address to bind (default 127.0.0.1)
  --flavour 2.1|2.0    which published server to behave like (default 2.1)
  --glb FILE           the textured result, served as the finished model
  --shape-glb FILE     the shape-only result (default: the --glb file)
  --shape-ms N         time a job spends making the shape (default 100)
  --texture-ms N       time a job spends texturing (default 100)
  --fail-after-ms N    a job goes wrong N ms after it starts
  --fail-mode MODE     error: /status answers the error state (default);
                       stall: the job never advances, as when the worker thread raises
  --fail-message TEXT  message of the error state (default: the server's own)
  --die-after-ms N     the process kills itself N ms after the first job starts
  --reply-bytes N      pad a finished model so its reply is at least N bytes
                       (base64 characters in /status, raw bytes from /generate)
  --worker-id ID       worker_id reported by /health (default: 6 random hex digits)
  --log FILE           append one JSON line per request received`;

// The server's own words (constants.py in 2.1, module globals in 2.0).
const SERVER_ERROR_MSG = '**NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR REFRESH THIS PAGE.**';
const READ_ERROR_MSG = 'Failed to read generated file';

// GenerationRequest in api_models.py (2.1): name, type, default, bounds.
const REQUEST_FIELDS = [
	['image', 'str', undefined, {}],
	['remove_background', 'bool', true, {}],
	['texture', 'bool', false, {}],
	['seed', 'int', 1234, { ge: 0, le: 2 ** 32 - 1 }],
	['octree_resolution', 'int', 256, { ge: 64, le: 512 }],
	['num_inference_steps', 'int', 5, { ge: 1, le: 20 }],
	['guidance_scale', 'float', 5.0, { ge: 0.1, le: 20.0 }],
	['num_chunks', 'int', 8000, { ge: 1000, le: 20000 }],
	['face_count', 'int', 40000, { ge: 1000, le: 100000 }],
];

function parseArgs(argv) {
	const numeric = new Set(['port', 'shape-ms', 'texture-ms', 'fail-after-ms', 'die-after-ms', 'reply-bytes']);
	const known = new Set([...numeric, 'host', 'flavour', 'glb', 'shape-glb', 'fail-mode', 'fail-message', 'worker-id', 'log']);
	const opts = { port: 0, host: '127.0.0.1', flavour: '2.1', 'shape-ms': 100, 'texture-ms': 100, 'fail-mode': 'error' };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			console.log(USAGE);
			process.exit(0);
		}
		const name = arg.startsWith('--') ? arg.slice(2) : '';
		if (!known.has(name) || i + 1 >= argv.length) fail(`unknown flag or missing value: ${arg}`);
		const value = argv[++i];
		if (numeric.has(name)) {
			const n = Number(value);
			if (!Number.isInteger(n) || n < 0) fail(`--${name} needs a whole number of 0 or more, got ${value}`);
			opts[name] = n;
		} else {
			opts[name] = value;
		}
	}
	if (!opts.glb) fail('--glb FILE is required');
	if (!['2.1', '2.0'].includes(opts.flavour)) fail(`--flavour must be 2.1 or 2.0, got ${opts.flavour}`);
	if (!['error', 'stall'].includes(opts['fail-mode'])) fail(`--fail-mode must be error or stall`);
	return opts;
}

function fail(message) {
	console.error(`${message}\n${USAGE}`);
	process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const textured = readFileSync(opts.glb);
const shapeOnly = opts['shape-glb'] ? readFileSync(opts['shape-glb']) : textured;
const workerId = opts['worker-id'] ?? randomUUID().slice(0, 6);
const jobs = new Map();
let dieScheduled = false;
// The published /generate is an `async def` that calls the model synchronously, so uvicorn answers nothing else
// until it returns; while this is set, every other request waits for it.
let eventLoopHeld = null;

// When a job's results appear, in ms after it starts. The real server decides status from files on disk, so these
// are the moments `{uid}_initial.glb`/`{uid}_textured.glb` (2.1) or `{uid}.glb` (2.0) would appear.
function planJob(params) {
	const shapeMs = opts['shape-ms'];
	// 2.1's model_worker.generate never reads `texture`: every job is textured. 2.0 honours it.
	const textures = opts.flavour === '2.1' || pythonTruthy(params.texture);
	const plan = { start: Date.now(), textures, shapeAt: shapeMs, finalAt: shapeMs + (textures ? opts['texture-ms'] : 0) };
	plan.failAt = Infinity;
	if (!looksLikeImage(params.image)) {
		// PIL cannot open it, the worker thread raises, and nothing ever reports it.
		plan.failAt = 0;
	} else if (opts['fail-after-ms'] !== undefined && opts['fail-after-ms'] < plan.finalAt) {
		plan.failAt = opts['fail-after-ms'];
		plan.reportsError = opts['fail-mode'] === 'error';
	}
	if (plan.failAt !== Infinity) {
		// A failure during a stage means that stage's file never appears.
		plan.failedIn = plan.failAt < shapeMs ? 'shape' : 'texture';
		if (plan.failedIn === 'shape') plan.shapeAt = Infinity;
		plan.finalAt = Infinity;
	}
	// 2.0's /status only looks for `{uid}.glb`, so a job exported as another `type` never shows as finished.
	if (opts.flavour === '2.0' && params.type !== undefined && params.type !== 'glb') plan.finalAt = Infinity;
	if (opts['die-after-ms'] !== undefined && !dieScheduled) {
		dieScheduled = true;
		setTimeout(() => process.kill(process.pid, 'SIGKILL'), opts['die-after-ms']);
	}
	return plan;
}

// 2.0 tests `params.get('texture', False)` as Python would.
function pythonTruthy(v) {
	if (Array.isArray(v)) return v.length > 0;
	if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
	return Boolean(v);
}

// The signatures of the formats a picture is likely to arrive in; PIL opens more, but a stand-in need not.
function looksLikeImage(image) {
	if (typeof image !== 'string') return false;
	const head = Buffer.from(image.slice(0, 64), 'base64');
	const ascii = head.toString('latin1');
	return (
		head.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) ||
		head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) ||
		ascii.startsWith('GIF8') ||
		ascii.startsWith('BM') ||
		(ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') ||
		ascii.startsWith('II*\0') ||
		ascii.startsWith('MM\0*')
	);
}

function statusOf(plan) {
	const t = Date.now() - plan.start;
	if (plan.reportsError && t >= plan.failAt) return 'error';
	if (t >= plan.finalAt) return 'completed';
	if (opts.flavour === '2.1' && t >= plan.shapeAt) return 'texturing';
	return 'processing';
}

function finishedModel(textures) {
	return textures ? textured : shapeOnly;
}

// Grows a GLB to at least `bytes` while keeping it valid: the padding is an extra chunk of an unknown type, which
// the glTF spec tells readers to skip. Anything that is not a GLB is padded with zeros.
function padModel(model, bytes) {
	if (bytes <= model.length) return model;
	const isGlb = model.length >= 12 && model.toString('latin1', 0, 4) === 'glTF';
	if (!isGlb) return Buffer.concat([model, Buffer.alloc(bytes - model.length)]);
	const dataLength = Math.ceil(Math.max(0, bytes - model.length - 8) / 4) * 4;
	const chunk = Buffer.alloc(8 + dataLength);
	chunk.writeUInt32LE(dataLength, 0);
	chunk.write('PADD', 4, 'latin1');
	const out = Buffer.concat([model, chunk]);
	out.writeUInt32LE(out.length, 8);
	return out;
}

// Turns `bytes` of base64 into at least that many characters: 4 characters carry 3 bytes.
function padForBase64(model) {
	const chars = opts['reply-bytes'] ?? 0;
	return chars ? padModel(model, Math.ceil(chars / 4) * 3) : model;
}

// ---- validation, as FastAPI + pydantic 2 answer a body that does not fit GenerationRequest (2.1 only) ----

function coerce(kind, v) {
	const isNum = typeof v === 'number';
	if (kind === 'str') return typeof v === 'string' ? { value: v } : { error: ['string_type', 'Input should be a valid string'] };
	if (kind === 'bool') {
		if (typeof v === 'boolean') return { value: v };
		if (isNum && (v === 0 || v === 1)) return { value: v === 1 };
		if (typeof v === 'string') {
			const s = v.toLowerCase();
			if (['0', 'off', 'f', 'false', 'n', 'no'].includes(s)) return { value: false };
			if (['1', 'on', 't', 'true', 'y', 'yes'].includes(s)) return { value: true };
		}
		if (isNum || typeof v === 'string') return { error: ['bool_parsing', 'Input should be a valid boolean, unable to interpret input'] };
		return { error: ['bool_type', 'Input should be a valid boolean'] };
	}
	if (kind === 'int') {
		if (typeof v === 'boolean') return { value: Number(v) };
		if (isNum) return Number.isInteger(v) ? { value: v } : { error: ['int_from_float', 'Input should be a valid integer, got a number with a fractional part'] };
		if (typeof v === 'string') return /^\s*[+-]?\d+\s*$/.test(v) ? { value: Number(v) } : { error: ['int_parsing', 'Input should be a valid integer, unable to parse string as an integer'] };
		return { error: ['int_type', 'Input should be a valid integer'] };
	}
	if (typeof v === 'boolean') return { value: Number(v) };
	if (isNum) return { value: v };
	if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return { value: Number(v) };
	if (typeof v === 'string') return { error: ['float_parsing', 'Input should be a valid number, unable to parse string as a number'] };
	return { error: ['float_type', 'Input should be a valid number'] };
}

/** Returns the request's parameters with defaults filled in, or the list of errors FastAPI would send with 422. */
function validate(body) {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { errors: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }] };
	}
	const params = {};
	const errors = [];
	for (const [name, kind, fallback, bounds] of REQUEST_FIELDS) {
		if (!(name in body)) {
			if (fallback === undefined) errors.push({ type: 'missing', loc: ['body', name], msg: 'Field required', input: body });
			else params[name] = fallback;
			continue;
		}
		const { value, error } = coerce(kind, body[name]);
		const input = body[name];
		if (error) {
			errors.push({ type: error[0], loc: ['body', name], msg: error[1], input });
		} else if (bounds.ge !== undefined && value < bounds.ge) {
			errors.push({ type: 'greater_than_equal', loc: ['body', name], msg: `Input should be greater than or equal to ${bounds.ge}`, input, ctx: { ge: bounds.ge } });
		} else if (bounds.le !== undefined && value > bounds.le) {
			errors.push({ type: 'less_than_equal', loc: ['body', name], msg: `Input should be less than or equal to ${bounds.le}`, input, ctx: { le: bounds.le } });
		} else {
			params[name] = value;
		}
	}
	return errors.length ? { errors } : { params };
}

// ---- HTTP ----

function send(res, status, payload, headers = {}) {
	const isJson = !Buffer.isBuffer(payload) && typeof payload !== 'string';
	const body = isJson ? Buffer.from(JSON.stringify(payload)) : Buffer.from(payload);
	const all = { server: 'uvicorn', 'content-type': isJson ? 'application/json' : 'text/plain; charset=utf-8', 'content-length': body.length, ...headers };
	res.writeHead(status, Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)));
	res.end(body);
}

function sendModel(res, model) {
	// Starlette's FileResponse guesses the type from `.glb` (model/gltf-binary where the host's mime table knows it).
	send(res, 200, model, {
		'content-type': 'model/gltf-binary',
		'accept-ranges': 'bytes',
		'last-modified': new Date().toUTCString(),
		etag: `"${randomUUID().replace(/-/g, '')}"`,
	});
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const parts = [];
		req.on('data', (part) => parts.push(part));
		req.on('end', () => resolve(Buffer.concat(parts)));
		req.on('error', reject);
	});
}

// 2.1 (FastAPI with a body model) reads the body as JSON only when there is no content type or a JSON one, and
// validates the raw bytes otherwise; 2.0 calls `await request.json()` whatever the content type says.
function parseBody(req, raw) {
	if (raw.length === 0) return { missing: true };
	const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	const isJson = !type || type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
	if (opts.flavour === '2.1' && !isJson) return { value: raw.toString('utf8') };
	try {
		return { value: JSON.parse(raw.toString('utf8')) };
	} catch (e) {
		const at = /position (\d+)/.exec(String(e.message));
		return { invalid: { type: 'json_invalid', loc: ['body', at ? Number(at[1]) : 0], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } } };
	}
}

function logRequest(req, path, parsed) {
	if (!opts.log) return;
	const body = parsed?.value;
	const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
	const entry = { at: new Date().toISOString(), method: req.method, path, keys: isObject ? Object.keys(body) : [] };
	entry.image = isObject && typeof body.image === 'string' && body.image.length > 0;
	if (entry.image) entry.imageBytes = Buffer.from(body.image, 'base64').length;
	if (isObject) entry.options = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'image' && k !== 'mesh'));
	if (parsed?.invalid) entry.bodyError = 'invalid JSON';
	appendFileSync(opts.log, `${JSON.stringify(entry)}\n`);
}

// 2.0 has no /health; both answer a route they lack with FastAPI's 404.
const ROUTES = { '/generate': 'POST', '/send': 'POST', ...(opts.flavour === '2.1' ? { '/health': 'GET' } : {}) };

async function handle(req, res) {
	const path = new URL(req.url, 'http://stand-in').pathname;
	const raw = await readBody(req);
	const parsed = req.method === 'POST' ? parseBody(req, raw) : undefined;
	logRequest(req, path, parsed);
	while (eventLoopHeld) await eventLoopHeld;

	if (req.method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) return preflight(req, res);
	const cors = corsHeaders(req);
	const statusMatch = /^\/status\/([^/]+)$/.exec(path);
	const route = statusMatch ? 'GET' : ROUTES[path];
	if (!route) {
		if (path.endsWith('/') && (ROUTES[path.slice(0, -1)] || /^\/status\/[^/]+\/$/.test(path))) {
			const location = `http://${req.headers.host}${path.slice(0, -1)}`;
			return send(res, 307, '', { ...cors, location, 'content-type': undefined });
		}
		return send(res, 404, { detail: 'Not Found' }, cors);
	}
	if (req.method !== route) return send(res, 405, { detail: 'Method Not Allowed' }, { ...cors, allow: route });

	if (statusMatch) return status(res, decodeURIComponent(statusMatch[1]), cors);
	if (path === '/health') return send(res, 200, { status: 'healthy', worker_id: workerId }, cors);

	const params = requestParams(res, parsed, cors);
	if (!params) return;
	if (path === '/send') {
		const uid = randomUUID();
		jobs.set(uid, planJob(params));
		return send(res, 200, { uid }, cors);
	}
	return generate(res, planJob(params), cors);
}

// Both servers add CORSMiddleware with every origin, method and header allowed and credentials on; these are the
// headers Starlette then writes.
function corsHeaders(req) {
	if (!req.headers.origin) return {};
	const headers = { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' };
	if (req.headers.cookie) Object.assign(headers, { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' });
	return headers;
}

function preflight(req, res) {
	const headers = {
		vary: 'Origin',
		'access-control-allow-methods': 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT',
		'access-control-max-age': '600',
		'access-control-allow-credentials': 'true',
		'access-control-allow-origin': req.headers.origin,
	};
	const asked = req.headers['access-control-request-headers'];
	if (asked) headers['access-control-allow-headers'] = asked;
	send(res, 200, 'OK', headers);
}

// 2.1 validates against GenerationRequest; 2.0 takes whatever JSON it is given (`await request.json()`).
function requestParams(res, parsed, cors) {
	if (opts.flavour === '2.0') {
		if (parsed.invalid || parsed.missing) {
			send(res, 500, 'Internal Server Error', cors);
			return null;
		}
		return parsed.value !== null && typeof parsed.value === 'object' ? parsed.value : {};
	}
	if (parsed.missing) {
		send(res, 422, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] }, cors);
		return null;
	}
	if (parsed.invalid) {
		send(res, 422, { detail: [parsed.invalid] }, cors);
		return null;
	}
	const { params, errors } = validate(parsed.value);
	if (errors) send(res, 422, { detail: errors }, cors);
	return params ?? null;
}

function status(res, uid, cors) {
	const plan = jobs.get(uid);
	// An unknown uid has no files, so the published server calls it processing too.
	const state = plan ? statusOf(plan) : 'processing';
	if (state === 'error') {
		if (opts.flavour === '2.0') return send(res, 500, 'Internal Server Error', cors);
		return send(res, 500, { status: 'error', message: opts['fail-message'] ?? READ_ERROR_MSG }, cors);
	}
	if (state === 'completed') {
		const model = padForBase64(finishedModel(plan.textures));
		return send(res, 200, { status: 'completed', model_base64: model.toString('base64') }, cors);
	}
	return send(res, 200, { status: state }, cors);
}

async function generate(res, plan, cors) {
	let release;
	eventLoopHeld = new Promise((resolve) => (release = resolve));
	try {
		const endsAt = Math.min(plan.finalAt, plan.failAt);
		await new Promise((resolve) => setTimeout(resolve, endsAt === Infinity ? 0 : endsAt));
		// 2.1 falls back to the untextured mesh when texturing raises; anything else becomes the 404 below.
		if (plan.failedIn === 'texture' && opts.flavour === '2.1') return sendModel(res, padModel(shapeOnly, opts['reply-bytes'] ?? 0));
		if (plan.failedIn) return send(res, 404, { text: SERVER_ERROR_MSG, error_code: 1 }, cors);
		sendModel(res, padModel(finishedModel(plan.textures), opts['reply-bytes'] ?? 0));
	} finally {
		eventLoopHeld = null;
		release();
	}
}

const server = createServer((req, res) => {
	handle(req, res).catch((e) => {
		console.error(e);
		if (!res.headersSent) send(res, 500, 'Internal Server Error');
	});
});
server.requestTimeout = 0;
server.listen(opts.port, opts.host, () => {
	console.log(`listening on http://${opts.host}:${server.address().port}`);
});
