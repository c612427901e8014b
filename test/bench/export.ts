// The export rows of `npm run bench`: our LOD chain against gltfpack and our FBX export against `assimp export`,
// on the corpus meshes, each side timed beside the other in the same rounds, plus the bytes each one wrote.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { writeFbx } from '../../daemon/src/export/fbx/writer';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { loadObj } from '../../daemon/src/export/load-obj';
import { lodChain, LOD_DEFAULTS } from '../../daemon/src/export/lod';
import { PROFILES } from '../../daemon/src/export/profiles';
import type { ExportScene } from '../../daemon/src/export/scene';
import { GENERATE_DEFAULTS } from '../../daemon/src/protocol/options';
import { formatMs, formatTable } from '../helpers/table';
import { summarize, type Summary } from './stats';

/** Goals for the export rows; statements, never failures. */
export const EXPORT_TARGETS = { lodRatioMax: 1.5, fbxSpeedupMin: 3 } as const;
export const EXPORT_MESHES = ['stanford-bunny.obj', 'ogre.obj'] as const;
/** The shared corpus beside the checkout. */
export const DEFAULT_MESH_DIR = path.resolve('..', 'shared', 'corpus', 'meshes');

const LOD_RATIOS = [1, 0.5, 0.25, 0.125];
const GLTFPACK_RATIOS = LOD_RATIOS.slice(1);
/** Our LOD defaults in gltfpack's words, and no quantization (-noq), so both write float positions as ours does. */
const GLTFPACK_FLAGS = ['-se', String(LOD_DEFAULTS.error), ...(LOD_DEFAULTS.lockBorder ? ['-slb'] : []), '-noq'];
const CLI = path.resolve('dist', 'orfeas.cjs');
const run = promisify(execFile);
/** FBX writes timed per round (each a sample), after the warm-up round. */
const WRITES_PER_ROUND = 5;
/** `orfeas export` writes with the CLI's default profile; the in-process side uses the same one. */
const PROFILE = GENERATE_DEFAULTS.profile;

export const EXPORT_DEFINITIONS = {
	lod:
		`ours = lodChain(scene, { ratios: [${LOD_RATIOS.join(', ')}] }) (error ${LOD_DEFAULTS.error} of the extent, borders locked) then writeSceneGlb, ` +
		`in process, from the scene loadObj already made; gltfpack = pack() of its WebAssembly library, in process, once per ratio ` +
		`${GLTFPACK_RATIOS.join(', ')} with -si R ${GLTFPACK_FLAGS.join(' ')}, reading our GLB of the full mesh from memory and writing to memory, ` +
		'the three summed; ratio = ours p50 ÷ gltfpack in-process p50',
	lodProcess:
		`gltfpack as a process: node node_modules/gltfpack/cli.js -i full.glb -o lod.glb -si R ${GLTFPACK_FLAGS.join(' ')}, from spawn to exit, ` +
		'files in a temporary folder, the three ratios summed; shown beside ours in process, as context',
	fbx:
		`FBX write: ours = writeFbx (profile ${PROFILE}, default options) of the scene already loaded, then fs.writeFile of the file, ` +
		`${WRITES_PER_ROUND} times a round, warm as in the daemon's workers (and the same with compress: true, deflated arrays, as context); ` +
		'assimp = the time `assimp export mesh.obj out.fbx` reports for its export step ("export took approx."), which writes the FBX from ' +
		'the scene it imported; speedup = assimp write p50 ÷ ours p50',
	fbxInProcess:
		`whole conversion without start-up: ours = fs.readFile of the OBJ, loadObj, writeFbx, fs.writeFile; assimp = its reported import plus ` +
		'export times; process against process: `node dist/orfeas.cjs export mesh.obj --format fbx -o DIR --force` and `assimp export` ' +
		'from spawn to exit; all shown as context',
	startup: 'start-up = a process that does no work (`orfeas --version`, `node gltfpack/cli.js -v`, `assimp version`), from spawn to exit',
	sizes: 'bytes written: our FBX and assimp’s for the same OBJ; our one GLB with the four levels against our GLB of the full mesh plus gltfpack’s three levels',
} as const;

export interface LodRow {
	ours: Summary;
	gltfpackInProcess: Summary;
	gltfpackProcess: Summary;
	/** ours p50 ÷ gltfpack in-process p50. */
	ratio: number;
	/** ours p50 ÷ gltfpack process p50. */
	processRatio: number;
	met: boolean;
	/** Triangles per level, the full mesh first; gltfpack's full level is the source it was given. */
	triangles: { ours: number[]; gltfpack: number[] };
	bytes: { ours: number; fullGlb: number; gltfpack: number[]; ratio: number };
}

export interface FbxRow {
	/** `assimp export` from spawn to exit. */
	assimp: Summary;
	/** The import and export times assimp reports for itself. */
	assimpImport: Summary;
	assimpWrite: Summary;
	oursProcess: Summary;
	oursInProcess: Summary;
	/** writeFbx and writing the file. */
	writeFbxOnly: Summary;
	/** The same with `compress` (deflated arrays). */
	writeFbxCompressed: Summary;
	/** assimp write p50 ÷ ours write p50: the target. */
	speedup: number;
	/** (assimp import + export) p50 ÷ ours in-process p50. */
	inProcessSpeedup: number;
	/** assimp process p50 ÷ ours process p50. */
	processSpeedup: number;
	met: boolean;
	bytes: { ours: number; compressed: number; assimp: number; ratio: number };
}

export interface ExportMeshResult {
	mesh: string;
	triangles: number;
	vertices: number;
	lod: LodRow;
	fbx: FbxRow;
}

export interface ExportBenchResult {
	meshDir: string;
	tools: { gltfpack: string; assimp: string };
	startupMs: { orfeas: Summary; gltfpack: Summary; assimp: Summary };
	meshes: ExportMeshResult[];
	targets: typeof EXPORT_TARGETS;
	met: { lod: boolean; fbx: boolean };
	definitions: typeof EXPORT_DEFINITIONS;
}

/** A tool the bench compares against is not there; the message says how to install it. */
export class MissingToolError extends Error {}

interface GltfpackLibrary {
	pack(args: string[], iface: { read(file: string): Uint8Array; write(file: string, data: Uint8Array): void }): Promise<string>;
}

interface Tools {
	gltfpackCli: string;
	gltfpack: GltfpackLibrary;
	versions: ExportBenchResult['tools'];
}

/** Times every row on every mesh: one warm-up round, then `runs` rounds, each side once per round. */
export async function benchExport(runs: number, meshDir = DEFAULT_MESH_DIR): Promise<ExportBenchResult> {
	const tools = await findTools(meshDir);
	const work = mkdtempSync(path.join(tmpdir(), 'orfeas-bench-export-'));
	try {
		const startup = { orfeas: [] as number[], gltfpack: [] as number[], assimp: [] as number[] };
		for (let k = 0; k <= runs; k++) {
			const times = [await timeProcess(process.execPath, [CLI, '--version']), await timeProcess(process.execPath, [tools.gltfpackCli, '-v']), await timeProcess('assimp', ['version'])];
			if (k > 0) [startup.orfeas, startup.gltfpack, startup.assimp].forEach((list, i) => list.push(times[i]));
		}
		const meshes: ExportMeshResult[] = [];
		for (const file of EXPORT_MESHES) meshes.push(await benchMesh(path.join(meshDir, file), tools, runs, path.join(work, path.parse(file).name)));
		return {
			meshDir,
			tools: tools.versions,
			startupMs: { orfeas: summarize(startup.orfeas), gltfpack: summarize(startup.gltfpack), assimp: summarize(startup.assimp) },
			meshes,
			targets: EXPORT_TARGETS,
			met: { lod: meshes.every((m) => m.lod.met), fbx: meshes.every((m) => m.fbx.met) },
			definitions: EXPORT_DEFINITIONS,
		};
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

async function benchMesh(objFile: string, tools: Tools, runs: number, work: string): Promise<ExportMeshResult> {
	const dirs = { gltfpack: path.join(work, 'gltfpack'), cli: path.join(work, 'cli'), assimp: path.join(work, 'assimp'), ours: path.join(work, 'ours') };
	for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
	const name = path.parse(objFile).name;
	const scene = await loadObj(await readFile(objFile, 'utf8'), { name, dir: path.dirname(objFile) });
	const [full] = await writeSceneGlb(scene);
	const fullGlb = path.join(work, 'full.glb');
	await writeFile(fullGlb, full.bytes);

	const samples = {
		ours: [] as number[],
		packIn: [] as number[],
		packProcess: [] as number[],
		assimp: [] as number[],
		assimpImport: [] as number[],
		assimpWrite: [] as number[],
		assimpBoth: [] as number[],
		cli: [] as number[],
		fbxIn: [] as number[],
		writeFbx: [] as number[],
		writeFbxCompressed: [] as number[],
	};
	const keep = (key: keyof typeof samples, k: number, ms: number) => {
		if (k > 0) samples[key].push(ms);
	};
	let chain: ExportScene = scene;
	let chainBytes = 0;
	let packed: Uint8Array[] = [];
	let fbxBytes = 0;
	let compressedBytes = 0;
	for (let k = 0; k <= runs; k++) {
		let t0 = performance.now();
		chain = await lodChain(scene, { ratios: LOD_RATIOS });
		chainBytes = (await writeSceneGlb(chain))[0].bytes.length;
		keep('ours', k, performance.now() - t0);

		t0 = performance.now();
		packed = [];
		for (const ratio of GLTFPACK_RATIOS) {
			await tools.gltfpack.pack(['-i', 'full.glb', '-o', 'lod.glb', '-si', String(ratio), ...GLTFPACK_FLAGS], { read: () => full.bytes, write: (_, data) => packed.push(data) });
		}
		keep('packIn', k, performance.now() - t0);

		let sum = 0;
		for (const ratio of GLTFPACK_RATIOS) {
			sum += await timeProcess(process.execPath, [tools.gltfpackCli, '-i', fullGlb, '-o', path.join(dirs.gltfpack, `${ratio}.glb`), '-si', String(ratio), ...GLTFPACK_FLAGS]);
		}
		keep('packProcess', k, sum);

		const ourFbx = path.join(dirs.ours, `${name}.fbx`);
		t0 = performance.now();
		const loaded = await loadObj(await readFile(objFile, 'utf8'), { name, dir: path.dirname(objFile) });
		await writeFile(ourFbx, writeFbx(loaded, { profile: PROFILES[PROFILE] }));
		keep('fbxIn', k, performance.now() - t0);

		// The writer runs in the daemon's long-lived workers, so it is timed warm: several writes per round.
		for (let w = 0; w < WRITES_PER_ROUND; w++) {
			t0 = performance.now();
			const written = writeFbx(scene, { profile: PROFILES[PROFILE] });
			await writeFile(ourFbx, written);
			fbxBytes = written.length;
			keep('writeFbx', k, performance.now() - t0);
			t0 = performance.now();
			const compressed = writeFbx(scene, { profile: PROFILES[PROFILE], compress: true });
			await writeFile(ourFbx, compressed);
			compressedBytes = compressed.length;
			keep('writeFbxCompressed', k, performance.now() - t0);
		}

		keep('cli', k, await timeProcess(process.execPath, [CLI, 'export', objFile, '--format', 'fbx', '-o', dirs.cli, '--force']));
		const assimp = await timeAssimpExport(objFile, path.join(dirs.assimp, `${name}.fbx`));
		keep('assimp', k, assimp.ms);
		keep('assimpImport', k, assimp.importMs);
		keep('assimpWrite', k, assimp.exportMs);
		keep('assimpBoth', k, assimp.importMs + assimp.exportMs);
	}

	const s = Object.fromEntries(Object.entries(samples).map(([key, list]) => [key, summarize(list)])) as Record<keyof typeof samples, Summary>;
	const packedBytes = packed.map((bytes) => bytes.length);
	const assimpBytes = (await stat(path.join(dirs.assimp, `${name}.fbx`))).size;
	const cliFiles = await readdir(dirs.cli);
	if (!cliFiles.some((f) => f.endsWith('.fbx'))) throw new Error(`orfeas export wrote no FBX for ${objFile} (found: ${cliFiles.join(', ') || 'nothing'}).`);
	const source = scene.lods[0];
	return {
		mesh: path.basename(objFile),
		triangles: source.indices.length / 3,
		vertices: source.positions.length / 3,
		lod: {
			ours: s.ours,
			gltfpackInProcess: s.packIn,
			gltfpackProcess: s.packProcess,
			ratio: s.ours.p50 / s.packIn.p50,
			processRatio: s.ours.p50 / s.packProcess.p50,
			met: s.ours.p50 / s.packIn.p50 <= EXPORT_TARGETS.lodRatioMax,
			triangles: { ours: chain.lods.map((m) => m.indices.length / 3), gltfpack: [source.indices.length / 3, ...packed.map(glbTriangles)] },
			bytes: { ours: chainBytes, fullGlb: full.bytes.length, gltfpack: packedBytes, ratio: chainBytes / (full.bytes.length + packedBytes.reduce((a, b) => a + b, 0)) },
		},
		fbx: {
			assimp: s.assimp,
			assimpImport: s.assimpImport,
			assimpWrite: s.assimpWrite,
			oursProcess: s.cli,
			oursInProcess: s.fbxIn,
			writeFbxOnly: s.writeFbx,
			writeFbxCompressed: s.writeFbxCompressed,
			speedup: s.assimpWrite.p50 / s.writeFbx.p50,
			inProcessSpeedup: s.assimpBoth.p50 / s.fbxIn.p50,
			processSpeedup: s.assimp.p50 / s.cli.p50,
			met: s.assimpWrite.p50 / s.writeFbx.p50 >= EXPORT_TARGETS.fbxSpeedupMin,
			bytes: { ours: fbxBytes, compressed: compressedBytes, assimp: assimpBytes, ratio: fbxBytes / assimpBytes },
		},
	};
}

/** gltfpack (the package, running under this Node), assimp and our built CLI, or one error naming every one missing. */
async function findTools(meshDir: string): Promise<Tools> {
	const missing: string[] = [];
	let gltfpackDir: string | null = null;
	try {
		gltfpackDir = path.dirname(createRequire(path.resolve('package.json')).resolve('gltfpack/package.json'));
	} catch {
		missing.push('gltfpack is not installed: run `npm ci` (it is a devDependency, gltfpack@1.3.0).');
	}
	const gltfpackCli = gltfpackDir ? path.join(gltfpackDir, 'cli.js') : '';
	const gltfpackRun = gltfpackDir ? spawnSync(process.execPath, [gltfpackCli, '-v'], { encoding: 'utf8' }) : null;
	if (gltfpackRun && gltfpackRun.status !== 0) missing.push(`gltfpack does not run under ${process.version}: ${(gltfpackRun.stderr || String(gltfpackRun.error)).trim()}`);
	const assimpRun = spawnSync('assimp', ['version'], { encoding: 'utf8' });
	if (assimpRun.error || assimpRun.status !== 0) missing.push('assimp is not installed: run `sudo apt-get install assimp-utils` (Debian, Ubuntu) or put `assimp` on PATH.');
	if (!existsSync(CLI)) missing.push(`${CLI} is missing: run \`npm run build\`.`);
	const absent = EXPORT_MESHES.filter((file) => !existsSync(path.join(meshDir, file)));
	if (absent.length > 0) missing.push(`${absent.join(' and ')} not found in ${meshDir}: pass the corpus's meshes folder with --meshes DIR.`);
	if (missing.length > 0) throw new MissingToolError(`the export rows cannot run:\n  ${missing.join('\n  ')}\n  (--no-export leaves them out)`);

	const gltfpack = (await import(pathToFileURL(path.join(gltfpackDir!, 'library.js')).href)) as GltfpackLibrary;
	const gltfpackVersion = JSON.parse(await readFile(path.join(gltfpackDir!, 'package.json'), 'utf8')).version as string;
	const assimpVersion = /Version\s+(\S+)/.exec(assimpRun.stdout)?.[1] ?? 'unknown';
	return { gltfpackCli, gltfpack, versions: { gltfpack: gltfpackVersion, assimp: assimpVersion } };
}

/** Milliseconds from spawn to exit; rejects with the tail of stderr when the process fails. */
function timeProcess(command: string, args: string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
		child.on('error', reject);
		child.on('close', (code) => {
			const ms = performance.now() - t0;
			if (code === 0) resolve(ms);
			else reject(new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
		});
	});
}

/** `assimp export` from spawn to exit, with the import and export times it prints for itself. */
async function timeAssimpExport(input: string, output: string): Promise<{ ms: number; importMs: number; exportMs: number }> {
	const t0 = performance.now();
	const { stdout } = await run('assimp', ['export', input, output], { maxBuffer: 16 << 20 });
	const ms = performance.now() - t0;
	const seconds = (step: string) => {
		const match = new RegExp(`${step} took approx\\. ([0-9.]+) seconds`).exec(stdout);
		if (!match) throw new Error(`assimp export printed no "${step} took" line:\n${stdout.slice(-1000)}`);
		return Number(match[1]) * 1000;
	};
	return { ms, importMs: seconds('import'), exportMs: seconds('export') };
}

/** Triangles of every primitive in a GLB, from its JSON chunk. */
function glbTriangles(glb: Uint8Array): number {
	const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
	const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + view.getUint32(12, true)))) as {
		meshes: Array<{ primitives: Array<{ indices: number }> }>;
		accessors: Array<{ count: number }>;
	};
	return json.meshes.flatMap((m) => m.primitives).reduce((sum, p) => sum + json.accessors[p.indices].count / 3, 0);
}

export function formatExport(result: ExportBenchResult): string {
	const rows: string[][] = [];
	for (const m of result.meshes) {
		const named: Array<[string, Summary]> = [
			['LOD chain, ours in process', m.lod.ours],
			['LOD chain, gltfpack in process (3 runs)', m.lod.gltfpackInProcess],
			['LOD chain, gltfpack as a process (3 runs)', m.lod.gltfpackProcess],
			['FBX write, ours (writeFbx + file)', m.fbx.writeFbxOnly],
			['FBX write, ours with --fbx-compress', m.fbx.writeFbxCompressed],
			['FBX write, assimp (its export step)', m.fbx.assimpWrite],
			['OBJ → FBX, ours in process', m.fbx.oursInProcess],
			['OBJ read, assimp (its import step)', m.fbx.assimpImport],
			['OBJ → FBX, orfeas export (process)', m.fbx.oursProcess],
			['OBJ → FBX, assimp export (process)', m.fbx.assimp],
		];
		named.forEach(([label, s], k) => rows.push([k === 0 ? m.mesh : '', label, formatMs(s.p50), formatMs(s.p95)]));
	}
	const table = formatTable([{ header: 'mesh' }, { header: 'row' }, { header: 'p50 ms', align: 'right' }, { header: 'p95 ms', align: 'right' }], rows);
	const { targets, startupMs } = result;
	const x = (n: number) => `${n.toFixed(2)}×`;
	const met = (ok: boolean) => (ok ? 'met' : 'not met');
	const n = (v: number) => v.toLocaleString('en-US');
	const lines = [
		`export (meshes from ${result.meshDir}; gltfpack ${result.tools.gltfpack}, assimp ${result.tools.assimp}; ${result.meshes[0]?.lod.ours.count ?? 0} timed runs after 1 warm-up)`,
		table,
		`start-up, p50: orfeas ${formatMs(startupMs.orfeas.p50)} ms, gltfpack ${formatMs(startupMs.gltfpack.p50)} ms, assimp ${formatMs(startupMs.assimp.p50)} ms`,
	];
	for (const m of result.meshes) {
		const { lod, fbx } = m;
		const packedSum = lod.bytes.fullGlb + lod.bytes.gltfpack.reduce((a, b) => a + b, 0);
		lines.push(
			`${m.mesh} (${n(m.triangles)} triangles, ${n(m.vertices)} vertices)`,
			`  LOD chain ours ÷ gltfpack in process ${x(lod.ratio)} (target ≤ ${targets.lodRatioMax}×: ${met(lod.met)}); ÷ gltfpack as a process ${x(lod.processRatio)}`,
			`  triangles per level: ours ${lod.triangles.ours.join(' / ')}; gltfpack ${lod.triangles.gltfpack.join(' / ')}`,
			`  FBX write speed-up, assimp ÷ ours ${x(fbx.speedup)} (target ≥ ${targets.fbxSpeedupMin}×: ${met(fbx.met)}); whole conversion without start-up ${x(fbx.inProcessSpeedup)}; process against process ${x(fbx.processSpeedup)}`,
			`  bytes: FBX ours ${n(fbx.bytes.ours)} (compressed ${n(fbx.bytes.compressed)}), assimp ${n(fbx.bytes.assimp)} (${x(fbx.bytes.ratio)}); GLB ours ${n(lod.bytes.ours)} in one file, ` +
				`full ${n(lod.bytes.fullGlb)} + gltfpack ${lod.bytes.gltfpack.map(n).join(' + ')} = ${n(packedSum)} (${x(lod.bytes.ratio)})`,
		);
	}
	for (const [key, text] of Object.entries(result.definitions)) lines.push(`  ${key}: ${text}`);
	return lines.join('\n');
}
