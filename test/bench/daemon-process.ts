// The daemon the bench measures: the bundled `orfeas daemon` on a free port with one CPU worker and a fresh home,
// found through its discovery file as editors find it; and a large asset placed in that home beforehand, laid
// out exactly as the daemon publishes one, so downloads can be timed without generating 50 MiB of model.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileUrl, sha256, type AssetRecord } from '../../daemon/src/jobs/assets';
import { PIPELINE_VERSION } from '../../daemon/src/version';

/** The CLI bundle, relative to the package root where npm runs the bench. */
const CLI = path.resolve('dist', 'orfeas.cjs');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

export interface BenchDaemon {
	port: number;
	token: string;
	/**
	 * GET over one kept-alive connection with node:http, the body gathered into one buffer: the least a client
	 * can add to the daemon's own time.
	 */
	get(route: string, authorized?: boolean): Promise<{ status: number; body: Buffer }>;
	/** SIGTERM, then SIGKILL if it has not exited in time. */
	stop(): Promise<void>;
}

export interface SeededAsset {
	assetId: string;
	file: string;
	bytes: number;
	sha256: string;
	/** Where the file lies on disk, for the fs.readFile reference. */
	path: string;
}

/** Writes `<home>/assets/<id>/<file>` of `bytes` random bytes and its asset.json, as publishAsset leaves them. */
export async function seedAsset(home: string, file: string, bytes: number): Promise<SeededAsset> {
	const content = randomBytes(bytes);
	const hash = sha256(content);
	// Any 64-hex id will do; the content hash keeps it stable for identical bytes, as real ids are.
	const assetId = hash;
	const dir = path.join(home, 'assets', assetId);
	await mkdir(dir, { recursive: true, mode: 0o700 });
	await writeFile(path.join(dir, file), content);
	const record: AssetRecord = {
		assetId,
		createdAt: new Date().toISOString(),
		name: path.basename(file, path.extname(file)),
		files: [{ name: file, format: 'glb', bytes, sha256: hash, url: fileUrl(assetId, file) }],
		stats: { vertices: 0, triangles: 0, textureSize: 0, lods: 1, ms: {} },
		source: { jobId: 'j_bench0000000000000000', imageSha256: hash, model: 'builtin:inflate', pipelineVersion: PIPELINE_VERSION },
	};
	await writeFile(path.join(dir, 'asset.json'), `${JSON.stringify(record, null, 1)}\n`);
	return { assetId, file, bytes, sha256: hash, path: path.join(dir, file) };
}

export async function startBenchDaemon(home: string, cpuJobs: number): Promise<BenchDaemon> {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the bench with npm run bench, which builds it first.`);
	const child = spawn(process.execPath, [CLI, 'daemon', '--port', '0', '--home', home, '--cpu-jobs', String(cpuJobs)], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const deadline = Date.now() + START_TIMEOUT_MS;
	for (;;) {
		const discovery = await readFile(path.join(home, 'daemon.json'), 'utf8')
			.then((text) => JSON.parse(text) as { pid: number; port: number; token: string })
			.catch(() => null);
		if (discovery && discovery.pid === child.pid) {
			const { port, token } = discovery;
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			return {
				port,
				token,
				get: (route, authorized = false) =>
					new Promise((resolve, reject) => {
						const headers = authorized ? { authorization: `Bearer ${token}` } : {};
						http
							.get(`http://127.0.0.1:${port}${route}`, { agent, headers }, (res) => {
								const chunks: Buffer[] = [];
								res.on('data', (chunk: Buffer) => chunks.push(chunk));
								res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
								res.on('error', reject);
							})
							.on('error', reject);
					}),
				async stop() {
					agent.destroy();
					if (child.exitCode !== null) return;
					child.kill('SIGTERM');
					const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
					await exited;
					clearTimeout(timer);
				},
			};
		}
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the daemon did not start:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
}
