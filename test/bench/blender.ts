// Bench rows for the Blender add-on, in headless Blender against a real daemon: the add-on's client downloads a
// generated model next to the extension's Node client fetching the same file, and the add-on's whole import
// (download, Blender's glTF importer, collection, placement) next to Blender's own import of the local file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DaemonClient, type DaemonEvent } from '../../extension/src/daemon/client';
import { requireProgram } from '../helpers/external';
import { distinctPicture } from '../helpers/pictures';
import { formatTable } from '../helpers/table';
import { startBenchDaemon } from './daemon-process';
import { percentile } from './stats';

export interface BlenderBench {
	bytes: number;
	download: { pythonMs: number[]; nodeMs: number[]; ratio: number };
	importing: { bridgeMs: number[]; blenderMs: number[]; ratio: number };
}

/** npm runs the bench in the repository root (the bench is bundled into out/, so __dirname would mislead). */
const ROOT = process.cwd();

export async function benchBlender(runs: number): Promise<{ result: BlenderBench; text: string }> {
	const blender = requireProgram('blender');
	execFileSync(process.execPath, [path.join(ROOT, 'bridge-blender', 'package-zip.mjs')], { stdio: 'ignore' });
	const work = mkdtempSync(path.join(tmpdir(), 'orfeas-bench-blender-'));
	const home = mkdtempSync(path.join(tmpdir(), 'orfeas-bench-blender-home-'));
	const daemon = await startBenchDaemon(home, 1);
	try {
		const picture = path.join(work, 'bench.png');
		writeFileSync(picture, await distinctPicture(1024, 901));
		const client = await DaemonClient.connect({ port: daemon.port, token: daemon.token, client: { name: 'bench', version: '0' } });
		let done: DaemonEvent & { jobId: string; assetId: string; files: { name: string; format: string }[] };
		const nodeMs: number[] = [];
		try {
			const finished = new Promise<DaemonEvent>((resolve) => client.onEvent((e) => e.type === 'job.done' && resolve(e)));
			// A 4096² texture and 100k triangles: a bigger download and import than the defaults give.
			await client.request({ type: 'generate', image: { path: picture }, options: { textureSize: 4096, maxTriangles: 100_000 } });
			done = (await finished) as typeof done;
			const glb = done.files.find((f) => f.format === 'glb')!.name;
			for (let i = 0; i < runs; i++) {
				const started = performance.now();
				await client.download(done.assetId, glb);
				nodeMs.push(performance.now() - started);
			}
		} finally {
			client.close();
		}
		const args = path.join(work, 'args.json');
		const zip = path.join(ROOT, 'dist', 'orfeas_bridge.zip');
		writeFileSync(args, JSON.stringify({ zip, home, downloads: work, jobId: done.jobId, done, runs }));
		const output = execFileSync(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python', path.join(ROOT, 'test', 'bench', 'blender_bridge.py'), '--', args], {
			env: { ...process.env, BLENDER_USER_SCRIPTS: path.join(work, 'scripts'), BLENDER_USER_CONFIG: path.join(work, 'config') },
			encoding: 'utf8',
			maxBuffer: 1 << 26,
		});
		const line = output.split('\n').find((l) => l.startsWith('@@ORFEAS-BENCH@@'));
		if (!line) throw new Error(`Blender printed no bench result:\n${output.slice(-3000)}`);
		const measured = JSON.parse(line.slice('@@ORFEAS-BENCH@@'.length)) as { downloadMs: number[]; bridgeImportMs: number[]; blenderImportMs: number[]; bytes: number };
		const p50 = (xs: number[]) => percentile(xs, 0.5);
		const result: BlenderBench = {
			bytes: measured.bytes,
			download: { pythonMs: measured.downloadMs, nodeMs, ratio: p50(measured.downloadMs) / p50(nodeMs) },
			importing: { bridgeMs: measured.bridgeImportMs, blenderMs: measured.blenderImportMs, ratio: p50(measured.bridgeImportMs) / p50(measured.blenderImportMs) },
		};
		return { result, text: report(result) };
	} finally {
		await daemon.stop();
		rmSync(home, { recursive: true, force: true });
		rmSync(work, { recursive: true, force: true });
	}
}

function report(r: BlenderBench): string {
	const ms = (xs: number[]) => `${percentile(xs, 0.5).toFixed(0)} ms`;
	const mib = `${(r.bytes / 2 ** 20).toFixed(1)} MiB GLB`;
	return formatTable(
		[{ header: 'Blender' }, { header: 'p50', align: 'right' }, { header: 'reference' }, { header: 'reference p50', align: 'right' }, { header: 'ratio', align: 'right' }],
		[
			[`add-on client download, ${mib}`, ms(r.download.pythonMs), 'extension client (Node)', ms(r.download.nodeMs), `${r.download.ratio.toFixed(1)}×`],
			[`add-on import (download + import + place), ${mib}`, ms(r.importing.bridgeMs), "Blender's glTF import of the file", ms(r.importing.blenderMs), `${r.importing.ratio.toFixed(1)}×`],
		],
	) + '\n';
}
