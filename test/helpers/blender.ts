// Imports model files with headless Blender 3.4 (its own FBX and glTF importers) and returns what it made of
// them: objects, hierarchy, world-space vertices, UV layers and materials. Tests use it as an independent
// reader of the files our exporters write; blender_inspect.py does the work inside Blender.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireProgram } from './external';

const run = promisify(execFile);

const SCRIPT = path.join(__dirname, 'blender_inspect.py');
const BEGIN = '@@ORFEAS-BLENDER-REPORT-BEGIN@@';
const END = '@@ORFEAS-BLENDER-REPORT-END@@';

export type Vec3 = [number, number, number];

export interface BlenderImage {
	name: string;
	width: number;
	height: number;
	/** The pixels are inside the .blend (embedded in the imported file), not read from disk. */
	packed: boolean;
}

export interface BlenderMaterial {
	name: string;
	/** The Principled BSDF's Base Color value (RGBA), or null without a Principled BSDF. */
	baseColor: number[] | null;
	/** The image feeding Base Color, found by walking links upstream; `direct` when linked straight in. */
	baseColorTexture: (BlenderImage & { direct: boolean }) | null;
}

export interface BlenderObject {
	name: string;
	/** Blender's object type: MESH, EMPTY, … */
	type: string;
	parent: string | null;
	/** World-space translation. */
	location: Vec3;
	/** World-space bounding box of the evaluated vertices, Blender axes (Z up); zero for non-meshes. */
	dimensions: Vec3;
	min: Vec3;
	max: Vec3;
	polygons: number;
	uvLayers: string[];
	colorLayers: string[];
	/** One per material slot; null for an empty slot. */
	materials: (BlenderMaterial | null)[];
	/** World-space xyz of every evaluated vertex, flattened; empty for non-meshes. */
	vertices: number[];
}

export interface BlenderReport {
	file: string;
	objects: BlenderObject[];
	images: BlenderImage[];
}

/**
 * Imports each file into its own empty scene, all in one Blender run (Blender takes a second or two to
 * start; each import is fast). Rejects with Blender's output when Blender fails or any file does not import.
 *
 * @example
 * const [fbx, glb] = await blenderImportAll(['/tmp/Crate.fbx', '/tmp/Crate.glb']);
 */
export async function blenderImportAll(files: string[]): Promise<BlenderReport[]> {
	const blender = requireProgram('blender');
	const args = ['-b', '--factory-startup', '--python-exit-code', '1', '--python', SCRIPT, '--', ...files.map((f) => path.resolve(f))];
	let stdout: string;
	try {
		({ stdout } = await run(blender, args, { maxBuffer: 1 << 30, timeout: 10 * 60_000 }));
	} catch (error) {
		const { stdout: out = '', stderr = '' } = error as { stdout?: string; stderr?: string };
		throw new Error(`Blender failed to run ${path.basename(SCRIPT)} on ${files.join(', ')}:\n${out.slice(-3000)}${stderr.slice(-3000)}`);
	}
	const start = stdout.lastIndexOf(BEGIN);
	const end = stdout.lastIndexOf(END);
	if (start < 0 || end < start) throw new Error(`Blender printed no report:\n${stdout.slice(-3000)}`);
	const reports = JSON.parse(stdout.slice(start + BEGIN.length, end)) as (BlenderReport & { error?: string })[];
	for (const report of reports) {
		if (report.error) throw new Error(`Blender could not import ${report.file}:\n${report.error}`);
	}
	return reports;
}

/** One file: see {@link blenderImportAll}. */
export async function blenderImport(file: string): Promise<BlenderReport> {
	const [report] = await blenderImportAll([file]);
	return report;
}

/** The object called `name` in a report, or an error listing the objects there are. */
export function blenderObject(report: BlenderReport, name: string): BlenderObject {
	const found = report.objects.find((o) => o.name === name);
	if (!found) throw new Error(`${path.basename(report.file)} has no object "${name}"; it has ${report.objects.map((o) => `"${o.name}"`).join(', ')}`);
	return found;
}

/** Largest extent of the bounding box of flattened xyz: the scale for relative position tolerances. */
export function boundingDiagonal(xyz: number[]): number {
	const min = [Infinity, Infinity, Infinity];
	const max = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < xyz.length; i++) {
		min[i % 3] = Math.min(min[i % 3], xyz[i]);
		max[i % 3] = Math.max(max[i % 3], xyz[i]);
	}
	return Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
}

/**
 * The distinct points of flattened xyz, points closer than `tolerance` counted once. Importers split and merge
 * vertices differently (at UV seams, per material), so position sets are compared, not vertex lists.
 */
export function uniquePoints(xyz: number[], tolerance: number): number[][] {
	const grid = new PointGrid(tolerance);
	const unique: number[][] = [];
	for (let i = 0; i < xyz.length; i += 3) {
		const point = [xyz[i], xyz[i + 1], xyz[i + 2]];
		if (grid.nearby(point) > tolerance) {
			grid.add(point);
			unique.push(point);
		}
	}
	return unique.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

/** The largest distance from a point of either set to the nearest point of the other (Hausdorff distance). */
export function pointSetDistance(a: number[][], b: number[][], cell: number): number {
	const oneWay = (from: number[][], to: number[][]) => {
		const grid = new PointGrid(cell);
		for (const point of to) grid.add(point);
		let worst = 0;
		for (const point of from) worst = Math.max(worst, grid.nearest(point));
		return worst;
	};
	return Math.max(oneWay(a, b), oneWay(b, a));
}

/** Points hashed into cubes of side `cell`, so a nearest-point lookup usually reads 27 cubes, not every point. */
class PointGrid {
	private readonly cells = new Map<string, number[][]>();
	private readonly all: number[][] = [];
	constructor(private readonly cell: number) {}

	add(point: number[]): void {
		const key = this.key(point.map((v) => Math.floor(v / this.cell)));
		const list = this.cells.get(key) ?? [];
		list.push(point);
		this.cells.set(key, list);
		this.all.push(point);
	}

	/** Distance to the nearest point in the neighbouring cubes: exact up to `cell`, Infinity when none is there. */
	nearby(point: number[]): number {
		const [cx, cy, cz] = point.map((v) => Math.floor(v / this.cell));
		let best = Infinity;
		for (let dx = -1; dx <= 1; dx++) {
			for (let dy = -1; dy <= 1; dy++) {
				for (let dz = -1; dz <= 1; dz++) {
					for (const q of this.cells.get(this.key([cx + dx, cy + dy, cz + dz])) ?? []) best = Math.min(best, distance(point, q));
				}
			}
		}
		return best;
	}

	/** Distance to the nearest point of all. */
	nearest(point: number[]): number {
		const best = this.nearby(point);
		if (best <= this.cell) return best;
		return this.all.reduce((min, q) => Math.min(min, distance(point, q)), best);
	}

	private key(cell: number[]): string {
		return cell.join(',');
	}
}

const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
