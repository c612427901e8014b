// `npm run roundtrip -- MESH.obj [--texture IMAGE] [--json]`: exports a real mesh with the built CLI to every
// format for the generic and unreal profiles, reads each file back with readers that are not ours (Khronos
// validator, assimp, Blender 3.4) and with our own loaders, and checks it against the source. A command, not a
// test: the meshes it is meant for are not ours. Writes JSON to out/roundtrip/ and exits 1 on any failed check.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadGlb } from '../../daemon/src/export/load-glb';
import { loadObj } from '../../daemon/src/export/load-obj';
import type { ExportMesh, ExportScene } from '../../daemon/src/export/scene';
import { modelName } from '../../daemon/src/naming';
import { assimpInfo } from '../helpers/assimp';
import { blenderImportAll, blenderObject, boundingDiagonal, pointSetDistance, uniquePoints, type BlenderReport } from '../helpers/blender';
import { requireProgram } from '../helpers/external';
import { writeResults } from '../helpers/results-file';
import { formatTable } from '../helpers/table';
import { validateGlb } from '../helpers/validate';
import { runMain } from '../helpers/main';

const run = promisify(execFile);

const OUT_DIR = path.join('out', 'roundtrip');
const CLI = path.resolve('dist', 'orfeas.cjs');
const USAGE = 'usage: npm run roundtrip -- MESH.obj [--texture IMAGE] [--json]';
const PROFILE_IDS = ['generic', 'unreal'] as const;
type ProfileId = (typeof PROFILE_IDS)[number];
/** Our loaders reading our files back: positions relative to the bounding-box diagonal, UVs absolute. */
const EXACT = 1e-6;
/** Blender's FBX import against its GLB import of the same profile, relative to the diagonal. */
const BLENDER_MATCH = 1e-5;
/** Bounding boxes read from `assimp info`, which prints six decimals. */
const BOX_MATCH = 1e-5;
/** Blender's object size against the source's, relative to the diagonal. */
const SIZE_MATCH = 0.01;

/** ok, failed, or not applicable (a check on UVs or a texture the source does not have). */
type Verdict = boolean | 'n/a';

interface Check {
	profile: ProfileId;
	format: string;
	check: string;
	value: string;
	ok: Verdict;
}

type Add = (check: string, value: string, ok: Verdict) => void;

class Checks {
	readonly list: Check[] = [];

	at(profile: ProfileId, format: string): Add {
		return (check, value, ok) => this.list.push({ profile, format, check, value, ok });
	}

	/** Runs one reader; a throw (a file it cannot import) is a failed check that carries the reason. */
	async read(profile: ProfileId, format: string, reader: string, body: (add: Add) => Promise<void>): Promise<void> {
		const add = this.at(profile, format);
		try {
			await body(add);
		} catch (error) {
			add(reader, (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 2).join(' '), false);
		}
	}
}

/** The reference: the OBJ as loadObj reads it, under the name and with the texture the CLI gives it. */
interface Source {
	name: string;
	scene: ExportScene;
	mesh: ExportMesh;
	texture: { name: string; bytes: Uint8Array } | undefined;
}

async function main(): Promise<number> {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: { texture: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
	});
	if (values.help || positionals.length !== 1 || !positionals[0].toLowerCase().endsWith('.obj')) {
		(values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
		return values.help ? 0 : 2;
	}
	try {
		requireProgram('assimp');
		requireProgram('blender');
	} catch (error) {
		process.stderr.write(`roundtrip reads the exports back with assimp and Blender 3.4: apt-get install assimp-utils blender python3-numpy\n${(error as Error).message}\n`);
		return 1;
	}
	if (!existsSync(CLI)) {
		process.stderr.write(`${CLI} is missing; run npm run build first (npm run roundtrip does).\n`);
		return 1;
	}

	const input = path.resolve(positionals[0]);
	const texturePath = values.texture === undefined ? undefined : path.resolve(values.texture);
	const name = modelName(input);
	const texture = texturePath ? { name: path.basename(texturePath), bytes: new Uint8Array(await readFile(texturePath)) } : undefined;
	const scene = await loadObj(await readFile(input, 'utf8'), { name, dir: path.dirname(input), texture });
	const source: Source = { name, scene, mesh: scene.lods[0], texture };

	const checks = new Checks();
	const work = await mkdtemp(path.join(tmpdir(), 'orfeas-roundtrip-'));
	try {
		const exported: ProfileId[] = [];
		for (const profile of PROFILE_IDS) {
			const dir = path.join(work, profile);
			if (!(await exportWithCli(input, texturePath, profile, dir, source, checks.at(profile, 'cli')))) continue;
			exported.push(profile);
			const file = (extension: string) => path.join(dir, `${name}.${extension}`);
			await checks.read(profile, 'glb', 'read', (add) => checkGlb(file('glb'), source, add));
			await checks.read(profile, 'obj', 'read', (add) => checkObj(file('obj'), profile, source, add));
			for (const format of ['stl', 'ply'] as const) await checks.read(profile, format, 'assimp', (add) => checkStlOrPly(file(format), profile, source, add));
			await checks.read(profile, 'fbx', 'assimp', (add) => checkFbxAssimp(file('fbx'), source, add));
		}
		const files = exported.flatMap((profile) => ['fbx', 'glb'].map((extension) => path.join(work, profile, `${name}.${extension}`)));
		let reports: BlenderReport[] = [];
		await checks.read(exported[0] ?? 'generic', 'blender', 'import', async () => {
			reports = files.length > 0 ? await blenderImportAll(files) : [];
		});
		for (const [k, profile] of exported.entries()) {
			if (reports.length === files.length) await checks.read(profile, 'blender', 'objects', (add) => checkBlender(reports[2 * k], reports[2 * k + 1], source, add));
		}
	} finally {
		await rm(work, { recursive: true, force: true });
	}

	// Blender's rows come last (one run for every file); a reader wants them under their profile.
	checks.list.sort((a, b) => PROFILE_IDS.indexOf(a.profile) - PROFILE_IDS.indexOf(b.profile));
	const failed = checks.list.filter((c) => c.ok === false).length;
	const date = new Date();
	const box = bounds(source.mesh.positions);
	const result = {
		tool: 'roundtrip',
		date: date.toISOString(),
		node: process.version,
		input,
		texture: texturePath ?? null,
		source: { vertices: source.mesh.positions.length / 3, triangles: source.mesh.indices.length / 3, uvs: Boolean(source.mesh.uvs), min: box.min, max: box.max },
		checks: checks.list,
		summary: { checks: checks.list.length, failed, notApplicable: checks.list.filter((c) => c.ok === 'n/a').length },
	};
	const written = await writeResults(OUT_DIR, 'roundtrip', result, date);
	if (values.json) {
		process.stdout.write(`${JSON.stringify(result)}\n`);
	} else {
		const { vertices, triangles, uvs } = result.source;
		process.stdout.write(
			`${path.basename(input)}: ${vertices} vertices, ${triangles} triangles, UVs ${uvs ? 'yes' : 'no'}, texture ${texture ? `${texture.name} (${texture.bytes.length} B)` : 'none'}\n\n` +
				formatTable(
					[{ header: 'profile' }, { header: 'format' }, { header: 'check' }, { header: 'measured' }, { header: 'result' }],
					checks.list.map((c) => [c.profile, c.format, c.check, c.value, c.ok === 'n/a' ? 'n/a' : c.ok ? 'ok' : 'FAIL']),
				) +
				`\n\n${result.summary.checks} checks, ${failed} failed, ${result.summary.notApplicable} n/a\n`,
		);
	}
	process.stderr.write(`results written to ${written}\n`);
	return failed === 0 ? 0 : 1;
}

/** `orfeas export` as a user runs it; true when it exited 0 and wrote every file it should. */
async function exportWithCli(input: string, texture: string | undefined, profile: ProfileId, dir: string, source: Source, add: Add): Promise<boolean> {
	const args = [CLI, 'export', input, ...(texture ? ['--texture', texture] : []), '--format', 'glb,fbx,obj,stl,ply', '--profile', profile, '-o', dir, '--force', '--json'];
	let stdout: string;
	try {
		({ stdout } = await run(process.execPath, args, { maxBuffer: 16 << 20 }));
	} catch (error) {
		const { code, stdout: out = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
		add('exit code', `${code}: ${`${out}${stderr}`.trim().split('\n').pop()}`, false);
		return false;
	}
	add('exit code', '0', true);
	const outcome = JSON.parse(stdout.trim().split('\n').pop()!) as { files: { path: string; bytes: number }[] };
	const names = outcome.files.map((f) => path.basename(f.path));
	const expected = [...['glb', 'fbx', 'obj', 'mtl', 'stl', 'ply'].map((extension) => `${source.name}.${extension}`), ...(source.texture ? [source.texture.name] : [])];
	const sizes = await Promise.all(outcome.files.map((f) => stat(f.path).then((s) => s.size, () => -1)));
	const onDisk = outcome.files.every((f, i) => sizes[i] === f.bytes);
	add('files', `${names.join(', ')}${onDisk ? '' : ' (not all on disk as reported)'}`, onDisk && expected.every((n) => names.includes(n)) && names.length === expected.length);
	return true;
}

async function checkGlb(file: string, source: Source, add: Add): Promise<void> {
	const bytes = new Uint8Array(await readFile(file));
	const report = await validateGlb(bytes);
	const codes = [...new Set(report.messages.filter((m) => m.severity <= 1).map((m) => m.code))];
	add('Khronos validator', `${report.errors} errors, ${report.warnings} warnings${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`, report.errors === 0);
	const back = await loadGlb(bytes);
	compareMeshes(source.mesh, source.mesh.positions, back.lods[0], 'loadGlb', add);
	compareTexture(source, back, add);
}

async function checkObj(file: string, profile: ProfileId, source: Source, add: Add): Promise<void> {
	const info = await assimpInfo(file);
	add('assimp faces', String(info.faces), info.faces === triangles(source.mesh));
	const material = source.scene.materials[0].name;
	add('assimp material', info.materialNames.join(', '), info.materialNames.includes(material));
	const textureRef = /Texture Refs:\s+'([^']+)'/.exec(info.text)?.[1];
	if (source.texture) add('assimp texture', textureRef ?? 'none', textureRef === source.texture.name && existsSync(path.join(path.dirname(file), textureRef)));
	else add('assimp texture', textureRef ?? 'none', 'n/a');
	const back = await loadObj(await readFile(file, 'utf8'), { dir: path.dirname(file) });
	compareMeshes(source.mesh, toProfile(profile, source.mesh.positions), back.lods[0], 'loadObj', add);
	compareTexture(source, back, add);
}

/** STL and PLY: assimp's face (and for PLY vertex) counts and bounding box. */
async function checkStlOrPly(file: string, profile: ProfileId, source: Source, add: Add): Promise<void> {
	const info = await assimpInfo(file, { raw: true });
	add('assimp faces', String(info.faces), info.faces === triangles(source.mesh));
	if (file.endsWith('.ply')) add('assimp vertices', String(info.vertices), info.vertices === source.mesh.positions.length / 3);
	const expected = bounds(toProfile(profile, source.mesh.positions));
	const scale = Math.hypot(...expected.max.map((v, k) => v - expected.min[k]));
	const error = Math.max(...[0, 1, 2].map((k) => Math.max(Math.abs(info.min[k] - expected.min[k]), Math.abs(info.max[k] - expected.max[k])))) / scale;
	add('assimp box', `${point(info.min)} … ${point(info.max)} (Δ ${error.toExponential(1)})`, error <= BOX_MATCH);
}

async function checkFbxAssimp(file: string, source: Source, add: Add): Promise<void> {
	const info = await assimpInfo(file);
	add('assimp faces', String(info.faces), info.faces === triangles(source.mesh));
	add('assimp material', info.materialNames.join(', '), info.materialNames.includes(source.scene.materials[0].name));
	add('assimp embedded textures', String(info.embeddedTextures), source.texture ? info.embeddedTextures === 1 : 'n/a');
}

/** One profile's FBX and GLB as Blender imports them: both in its Z-up metres, so both the source's size. */
async function checkBlender(fbxReport: BlenderReport, glbReport: BlenderReport, source: Source, add: Add): Promise<void> {
	const box = bounds(zUp(source.mesh.positions, 1));
	const size = box.max.map((v, k) => v - box.min[k]);
	const diagonal = Math.hypot(...size);
	const [fbx, glb] = [fbxReport, glbReport].map((report) => blenderObject(report, source.name));
	add('object names', `fbx ${fbxReport.objects.map((o) => o.name).join(', ')}; glb ${glbReport.objects.map((o) => o.name).join(', ')}`, fbxReport.objects.length === 1 && glbReport.objects.length === 1);
	for (const [format, object] of [['fbx', fbx], ['glb', glb]] as const) {
		const error = Math.max(...object.dimensions.map((d, k) => Math.abs(d - size[k]))) / diagonal;
		add(`${format} size`, `${object.dimensions.map((d) => d.toFixed(4)).join(' × ')} m (Δ ${error.toExponential(1)})`, error <= SIZE_MATCH);
		const material = object.materials[0];
		const image = material?.baseColorTexture;
		add(`${format} UV layer`, object.uvLayers.join(', ') || 'none', source.mesh.uvs ? object.uvLayers.length > 0 : 'n/a');
		add(`${format} image texture`, image ? `${image.name} ${image.width}×${image.height} on ${material.name}` : `none on ${material?.name ?? 'no material'}`, source.texture ? Boolean(image) : 'n/a');
	}
	const reference = boundingDiagonal(glb.vertices);
	const tolerance = BLENDER_MATCH * reference;
	const a = uniquePoints(fbx.vertices, tolerance / 10);
	const b = uniquePoints(glb.vertices, tolerance / 10);
	const distance = pointSetDistance(a, b, tolerance) / reference;
	add('fbx vs glb vertices', `${a.length} vs ${b.length} points, Δ ${distance.toExponential(1)}`, a.length === b.length && distance <= BLENDER_MATCH);
}

/** Triangles, positions corner by corner against `expected` (the source in the file's axes), and UVs. */
function compareMeshes(source: ExportMesh, expected: Float32Array, back: ExportMesh, reader: string, add: Add): void {
	add(`${reader} triangles`, String(triangles(back)), triangles(back) === triangles(source));
	const diagonal = boundingDiagonal(Array.from(expected));
	const error = cornerDistance(expected, source.indices, back.positions, back.indices, 3) / diagonal;
	add(`${reader} positions`, `Δ ${error.toExponential(1)} of the diagonal`, error <= EXACT);
	if (!source.uvs) {
		add(`${reader} UVs`, back.uvs ? 'present' : 'none', 'n/a');
		return;
	}
	const uvError = back.uvs ? cornerDistance(source.uvs, source.indices, back.uvs, back.indices, 2) : Infinity;
	add(`${reader} UVs`, back.uvs ? `Δ ${uvError.toExponential(1)}` : 'none', uvError <= EXACT);
}

function compareTexture(source: Source, back: ExportScene, add: Add): void {
	const read = back.materials.find((m) => m.texture)?.texture;
	if (!source.texture) {
		add('texture bytes', read ? read.name : 'none', 'n/a');
		return;
	}
	const same = read !== undefined && Buffer.from(read.bytes).equals(source.texture.bytes);
	add('texture bytes', read ? `${read.name}, ${read.bytes.length} B, ${same ? 'equal to' : 'differ from'} the given image` : 'none', same);
}

/** Largest distance between matching corners of two triangle lists; Infinity when they differ in length. */
function cornerDistance(a: ArrayLike<number>, aIndices: Uint32Array, b: ArrayLike<number>, bIndices: Uint32Array, size: number): number {
	if (aIndices.length !== bIndices.length) return Infinity;
	let worst = 0;
	for (let i = 0; i < aIndices.length; i++) {
		let sum = 0;
		for (let k = 0; k < size; k++) sum += (a[aIndices[i] * size + k] - b[bIndices[i] * size + k]) ** 2;
		worst = Math.max(worst, Math.sqrt(sum));
	}
	return worst;
}

/**
 * Source positions (Orfeas's Y-up metres) as a profile's file holds them, written out here rather than taken
 * from the exporter's own conversion: Unreal is Z up in centimetres.
 */
function toProfile(profile: ProfileId, positions: Float32Array): Float32Array {
	return profile === 'unreal' ? zUp(positions, 100) : positions;
}

/** Y-up xyz turned Z up, facing −Y, as Blender and Unreal hold it, (x, −z, y), and scaled. */
function zUp(positions: Float32Array, scale: number): Float32Array {
	const out = new Float32Array(positions.length);
	for (let i = 0; i < positions.length; i += 3) out.set([positions[i] * scale, -positions[i + 2] * scale, positions[i + 1] * scale], i);
	return out;
}

function bounds(xyz: ArrayLike<number>): { min: number[]; max: number[] } {
	const min = [Infinity, Infinity, Infinity];
	const max = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < xyz.length; i++) {
		min[i % 3] = Math.min(min[i % 3], xyz[i]);
		max[i % 3] = Math.max(max[i % 3], xyz[i]);
	}
	return { min, max };
}

const triangles = (mesh: ExportMesh) => mesh.indices.length / 3;
const point = (p: number[]) => `(${p.map((v) => Number(v.toPrecision(6))).join(', ')})`;

runMain(main);
