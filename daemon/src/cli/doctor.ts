// `orfeas doctor`: checks what Orfeas needs on this machine, for real (libraries load, a worker thread starts,
// the pipeline makes a model), and says what to do about anything that fails.
import { mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createProbe } from '../engine/probe';
import { loadOnnxruntime } from '../engine/onnxruntime';
import { chooseProvider, CUDA_INSTALL_COMMAND, type ProviderChoice } from '../engine/providers';
import { ModelRegistry } from '../engine/registry';
import { Home } from '../jobs/home';
import { analyzeTopology } from '../geometry/topology';
import { readGlb } from '../quality/glb';
import { runPipeline } from '../generators/run';
import { loadRuntime } from '../generators/runtime';
import { parseGenerateOptions } from '../protocol/options';
import { renderSample } from '../sample/donut';
import { CATALOGUE_DIR } from './daemon';
import { discoveryExposure } from '../server/discovery';
import { readStatus } from './status';

export interface Check {
	name: string;
	ok: boolean;
	detail: string;
	/** What to do when it is not ok. */
	fix?: string;
	/** Not needed for Orfeas to work (information only). */
	optional?: boolean;
}

const MIN_NODE = [20, 19];
const MIN_FREE_BYTES = 1024 ** 3;

export async function runChecks(homeDir?: string): Promise<Check[]> {
	const checks: Check[] = [];
	const check = async (name: string, run: () => Promise<Omit<Check, 'name'>>) => {
		try {
			checks.push({ name, ...(await run()) });
		} catch (error) {
			checks.push({ name, ok: false, detail: error instanceof Error ? error.message.split('\n')[0] : String(error) });
		}
	};
	const home = Home.resolve(homeDir);

	await check('Node.js', async () => {
		const [major, minor] = process.versions.node.split('.').map(Number);
		const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
		return { ok, detail: `v${process.versions.node}`, fix: `Install Node.js ${MIN_NODE.join('.')} or newer.` };
	});
	await check('Image library (sharp)', async () => {
		const sharp = (await import('sharp')).default;
		const formats = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'].filter((f) => (sharp.format as unknown as Record<string, { input?: { buffer?: boolean } }>)[f]?.input?.buffer);
		return { ok: true, detail: `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}; reads ${formats.join(', ')}` };
	});
	await check('Mesh simplifier (meshoptimizer)', async () => {
		await loadRuntime();
		return { ok: true, detail: 'WebAssembly module loaded' };
	});
	await check('Pipeline self-test', async () => {
		const started = performance.now();
		const { glb } = await runPipeline({ bytes: await renderSample(512), name: 'doctor' }, parseGenerateOptions({ resolution: 64, textureSize: 512 }), await loadRuntime(), {});
		const mesh = await readGlb(glb);
		const report = analyzeTopology(mesh.positions, mesh.indices);
		return {
			ok: report.watertight && report.genus === 1,
			detail: `sample donut → ${report.triangles} triangles, ${report.watertight ? 'watertight' : 'NOT watertight'}, in ${Math.round(performance.now() - started)} ms`,
			fix: 'Reinstall Orfeas (npm ci); if it persists, report it with this output.',
		};
	});
	await check('Worker threads', async () => {
		const script = path.join(__dirname, 'worker.cjs');
		const ready = await new Promise<boolean>((resolve) => {
			const worker = new Worker(script);
			const done = (ok: boolean) => {
				clearTimeout(timer);
				void worker.terminate();
				resolve(ok);
			};
			const timer = setTimeout(() => done(false), 10_000);
			worker.once('message', (m: { type?: string }) => done(m?.type === 'ready'));
			worker.once('error', () => done(false));
		});
		return { ok: ready, detail: ready ? 'a pipeline worker started and loaded its runtime' : `no worker from ${script}`, fix: 'Rebuild with npm run build.' };
	});
	await check('Home folder', async () => {
		await home.prepare();
		const dir = await mkdtemp(path.join(home.tmp, 'doctor-'));
		await writeFile(path.join(dir, 'probe'), 'ok');
		await rm(dir, { recursive: true, force: true });
		const fs = await statfs(home.root);
		const free = fs.bavail * fs.bsize;
		return {
			ok: free >= MIN_FREE_BYTES,
			detail: `${home.root} is writable; ${(free / 1024 ** 3).toFixed(1)} GiB free`,
			fix: `Free some disk space, or point ORFEAS_HOME (or --home) at a disk with at least 1 GiB free.`,
		};
	});
	await check('Token file', async () => {
		const exposure = discoveryExposure(home.root);
		if (exposure) return { ok: false, optional: true, detail: exposure, fix: 'Set ORFEAS_HOME (or --home) to a folder under your profile, or leave it unset.' };
		return {
			ok: true,
			detail:
				process.platform === 'win32'
					? 'daemon.json is in your profile folder, which only you, SYSTEM and the Administrators may read'
					: 'daemon.json is written readable by you alone (mode 0600)',
		};
	});
	await check('Daemon', async () => {
		const status = await readStatus(homeDir);
		return status.running
			? { ok: true, detail: `running, pid ${status.pid}, port ${status.port}, version ${status.version}` }
			: { ok: false, optional: true, detail: `not running (${status.problem})`, fix: 'Start it with: orfeas daemon' };
	});
	let choice: ProviderChoice | undefined;
	await check('Inference engine (onnxruntime-node)', async () => {
		const ort = loadOnnxruntime();
		choice = await chooseProvider('auto', createProbe(ort), { webgpu: process.env.ORFEAS_WEBGPU === '1' });
		return { ok: true, detail: `onnxruntime-node ${ort.env.versions.node}; learned models would run on ${choice.active}` };
	});
	await check('GPU', async () => {
		if (!choice) throw new Error('the inference engine did not load');
		const gpu = choice.available.find((p) => p !== 'cpu');
		return gpu
			? { ok: true, detail: `${gpu} works` }
			: {
					ok: false,
					optional: true,
					detail: `none usable (${choice!.fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ')}); the CPU runs everything`,
					fix: `For NVIDIA GPUs: ${CUDA_INSTALL_COMMAND} (with the CUDA 12 runtime and cuDNN 9 installed). To try WebGPU: ORFEAS_WEBGPU=1 or orfeas daemon --webgpu.`,
				};
	});
	await check('Learned models', async () => {
		const registry = await new ModelRegistry(Home.resolve(homeDir), CATALOGUE_DIR).refresh();
		const learned = registry.list().filter((m) => !m.builtin);
		const installed = learned.filter((m) => m.installed).map((m) => m.id);
		return {
			ok: registry.problems.length === 0,
			detail: `${installed.length ? `installed: ${installed.join(', ')}` : 'none installed'}; ${learned.length - installed.length} more in the catalogue (orfeas models list)`,
			fix: registry.problems.join(' '),
		};
	});
	return checks;
}

export async function doctorCommand(flags: { home?: string; json?: boolean }): Promise<number> {
	const checks = await runChecks(flags.home);
	if (flags.json) {
		process.stdout.write(`${JSON.stringify(checks)}\n`);
	} else {
		for (const c of checks) {
			const mark = c.ok ? '✓' : c.optional ? '·' : '✗';
			process.stdout.write(`${mark} ${c.name}: ${c.detail}\n`);
			if (!c.ok && c.fix) process.stdout.write(`    → ${c.fix}\n`);
		}
	}
	return checks.every((c) => c.ok || c.optional) ? 0 : 1;
}
