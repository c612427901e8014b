// Bench rows for the VS Code extension: sizes of what ships (bundles, .vsix), activation in real VS Code
// (code-server) next to a do-nothing extension activated the same way, and the previewer's first frame in
// Chromium for a 100k-triangle GLB next to a 12-triangle one — each a ratio against a reference of the same run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { launchChromium } from '../helpers/chromium';
import { requireCodeServer, startVsCode, type VsCode } from '../helpers/code-server';
import { boxMesh, checkerPng, material, sphereMesh } from '../helpers/export-scenes';
import { until } from '../helpers/poll';
import { formatTable } from '../helpers/table';
import { PreviewPage, PreviewServer } from '../webview/preview-harness';
import { percentile } from './stats';

export interface VsCodeBench {
	sizes: Record<string, number>;
	activation: { orfeasMs: number[]; referenceMs: number[]; ratio: number };
	firstFrame: { triangles: number; ms: number[]; referenceTriangles: number; referenceMs: number[]; ratio: number };
}

/** npm runs the bench in the repository root (the bench is bundled into out/, so __dirname would mislead). */
const ROOT = process.cwd();
const SHIPPED = ['dist/extension.cjs', 'dist/webview/preview.js', 'dist/orfeas.cjs', 'dist/worker.cjs'];

export async function benchVsCode(runs: number): Promise<{ result: VsCodeBench; text: string }> {
	const vsix = path.join(ROOT, 'dist', `orfeas-${process.platform}-${process.arch}.vsix`);
	execFileSync(process.execPath, [path.join(ROOT, 'extension', 'package-vsix.mjs')], { cwd: ROOT, stdio: 'ignore' });
	const sizes: Record<string, number> = {};
	for (const file of [...SHIPPED, path.relative(ROOT, vsix)]) sizes[file] = statSync(path.join(ROOT, file)).size;
	const firstFrame = await benchFirstFrame(runs);
	const activation = await benchActivation(vsix, Math.min(runs, 3));
	const result = { sizes, activation, firstFrame };
	return { result, text: report(result) };
}

/** The previewer's `shown.firstFrameMs` (load message → first frame drawn) for a big and a tiny model. */
async function benchFirstFrame(runs: number): Promise<VsCodeBench['firstFrame']> {
	const texture = await checkerPng(1024, 'Big_baseColor.png');
	// 224 × 224 quads on a sphere: 100 352 triangles, textured, as a generated model would be.
	const big = (await writeSceneGlb({ name: 'Big', materials: [material('Big', texture)], lods: [sphereMesh(224, 224)], lodRatios: [1] }))[0].bytes;
	const tiny = (await writeSceneGlb({ name: 'Tiny', materials: [material('Tiny', texture)], lods: [boxMesh()], lodRatios: [1] }))[0].bytes;
	const server = new PreviewServer();
	await server.start(readFileSync(path.join(ROOT, 'dist', 'webview', 'preview.js')));
	const browser = await launchChromium();
	const ms: number[] = [];
	const referenceMs: number[] = [];
	let triangles = 0;
	let referenceTriangles = 0;
	try {
		// A fresh page each run: the first frame includes shader compilation, as when a user opens a model.
		for (let run = 0; run < runs + 1; run++) {
			for (const [bytes, into] of [[tiny, referenceMs], [big, ms]] as const) {
				const page = await PreviewPage.open(browser, server.origin);
				const shown = (await page.load(bytes === big ? 'big.glb' : 'tiny.glb', bytes)) as unknown as { firstFrameMs: number; stats: { triangles: number } };
				await page.page.close();
				if (run === 0) continue; // warm-up: Chromium's own first start
				into.push(shown.firstFrameMs);
				if (bytes === big) triangles = shown.stats.triangles;
				else referenceTriangles = shown.stats.triangles;
			}
		}
	} finally {
		await browser.close();
		await server.stop();
	}
	return { triangles, ms, referenceTriangles, referenceMs, ratio: percentile(ms, 0.5) / percentile(referenceMs, 0.5) };
}

/**
 * Time from the extension's bundle starting to evaluate to the end of `activate`, as each extension logs it,
 * for Orfeas and for a do-nothing extension in the same code-server session.
 */
async function benchActivation(vsix: string, runs: number): Promise<VsCodeBench['activation']> {
	const scratch = mkdtempSync(path.join(tmpdir(), 'orfeas-bench-vscode-'));
	const reference = referenceExtension(scratch);
	const orfeasMs: number[] = [];
	const referenceMs: number[] = [];
	try {
		for (let run = 0; run < runs; run++) {
			const workspace = path.join(scratch, `workspace-${run}`);
			mkdirSync(workspace, { recursive: true });
			const marker = path.join(scratch, `reference-${run}.txt`);
			const vs = await startVsCode({ workspace, vsix, artifacts: path.join(scratch, 'artifacts'), env: { ORFEAS_BENCH_MARKER: marker, ORFEAS_HOME: path.join(scratch, 'home') } });
			try {
				await installAndReload(vs, reference);
				const ours = await until('Orfeas to log its activation', () => /activated in (\d+) ms/.exec(vs.extensionHostLogs())?.[1], { timeoutMs: 60_000, intervalMs: 200 });
				const theirs = await until('the reference extension to activate', () => existsSync(marker) && readFileSync(marker, 'utf8'), { timeoutMs: 60_000, intervalMs: 200 });
				orfeasMs.push(Number(ours));
				referenceMs.push(Number(theirs));
			} finally {
				await vs.stop();
			}
		}
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
	return { orfeasMs, referenceMs, ratio: percentile(orfeasMs, 0.5) / percentile(referenceMs, 0.5) };
}

/** A do-nothing extension, activated on startup like Orfeas, that writes how long its activation took. */
function referenceExtension(dir: string): string {
	const ext = path.join(dir, 'reference');
	mkdirSync(ext, { recursive: true });
	writeFileSync(path.join(ext, 'package.json'), JSON.stringify({ name: 'reference', publisher: 'bench', version: '0.0.1', engines: { vscode: '^1.90.0' }, main: './extension.js', activationEvents: ['onStartupFinished'], license: 'MIT' }));
	writeFileSync(
		path.join(ext, 'extension.js'),
		`const loaded = performance.now();
exports.activate = (context) => {
	const vscode = require('vscode');
	context.subscriptions.push(vscode.window.createStatusBarItem());
	require('fs').writeFileSync(process.env.ORFEAS_BENCH_MARKER, String(Math.round(performance.now() - loaded)));
};`,
	);
	writeFileSync(path.join(ext, 'README.md'), '# reference\n');
	writeFileSync(path.join(ext, 'LICENSE'), 'MIT\n');
	const vsix = path.join(dir, 'reference.vsix');
	execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: ext, stdio: 'ignore' });
	return vsix;
}

/** code-server installs extensions before it starts; the reference goes in through the same CLI, then a reload. */
async function installAndReload(vs: VsCode, vsix: string): Promise<void> {
	const bins = requireCodeServer();
	execFileSync(bins.node, [bins.codeServer, '--extensions-dir', vs.extensionsDir, '--install-extension', vsix, '--force'], { stdio: 'ignore', env: { ...process.env, PATH: `${path.dirname(bins.node)}:${process.env.PATH}` } });
	await vs.page.reload();
	await vs.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

function report(r: VsCodeBench): string {
	const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
	const sizes = formatTable(
		[{ header: 'shipped file' }, { header: 'size', align: 'right' }],
		Object.entries(r.sizes).map(([file, bytes]) => [file, bytes > 4 * 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : kib(bytes)]),
	);
	const p50 = (xs: number[]) => `${percentile(xs, 0.5).toFixed(0)} ms`;
	const timing = formatTable(
		[{ header: 'VS Code' }, { header: 'p50', align: 'right' }, { header: 'reference' }, { header: 'reference p50', align: 'right' }, { header: 'ratio', align: 'right' }],
		[
			['activation (bundle load + activate)', p50(r.activation.orfeasMs), 'do-nothing extension', p50(r.activation.referenceMs), `${r.activation.ratio.toFixed(1)}×`],
			[`preview first frame, ${r.firstFrame.triangles} triangles`, p50(r.firstFrame.ms), `${r.firstFrame.referenceTriangles}-triangle box`, p50(r.firstFrame.referenceMs), `${r.firstFrame.ratio.toFixed(1)}×`],
		],
	);
	return `${sizes}\n\n${timing}\n`;
}
