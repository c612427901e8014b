// The shape eval's results: the JSON written to out/eval-shape/results.json and the tables a person reads, one
// per mesh and one of means over meshes, a row per method.
import { formatMs, formatTable, type Column } from '../../helpers/table';
import { F_THRESHOLDS } from './metrics';
import type { ShapeScores } from './metrics';

export interface MethodRow {
	method: string;
	oracle: boolean;
	/** Time to generate the mesh (scoring not included). */
	ms: number;
	triangles?: number;
	scores?: ShapeScores;
	/** Why the method produced no mesh; the other rows carry on. */
	error?: string;
}

export interface MeshResult {
	name: string;
	/** The mesh file, or null for a generated fixture. */
	file: string | null;
	triangles: number;
	truthClosed: boolean;
	/** Why the ground truth is not closed (its IoU is then skipped for every row). */
	truthNotClosed?: string;
	/** The pictures written, by view. */
	views: Record<string, string>;
	rows: MethodRow[];
}

export interface MeanRow {
	method: string;
	oracle: boolean;
	/** Meshes the method produced a mesh for; the surface means are over these. */
	meshes: number;
	fscore: Record<string, number>;
	chamferL1: number;
	/** Mean IoU over the meshes where it could be measured (both closed), or null when none. */
	iou: number | null;
	iouMeshes: number;
}

export interface ShapeEvalResult {
	tool: 'eval:shape';
	date: string;
	node: string;
	sources: string[];
	protocol: { size: number; samples: number; seed: number; thresholds: readonly number[]; iouGrid: number; carveCells: number };
	meshes: MeshResult[];
	/** Meshes that could not be evaluated at all, and why. */
	skipped: { name: string; error: string }[];
	mean: MeanRow[];
}

export function meanRows(meshes: readonly MeshResult[], methods: readonly { name: string; oracle?: boolean }[]): MeanRow[] {
	return methods.map((m) => {
		const scored = meshes.flatMap((mesh) => mesh.rows.filter((r) => r.method === m.name && r.scores).map((r) => r.scores!));
		const withIoU = scored.filter((s) => s.iou !== null);
		const fscore: Record<string, number> = {};
		for (const tau of F_THRESHOLDS) fscore[String(tau)] = average(scored.map((s) => s.fscore[String(tau)]));
		return {
			method: m.name,
			oracle: m.oracle ?? false,
			meshes: scored.length,
			fscore,
			chamferL1: average(scored.map((s) => s.chamferL1)),
			iou: withIoU.length ? average(withIoU.map((s) => s.iou!)) : null,
			iouMeshes: withIoU.length,
		};
	});
}

const right = { align: 'right' as const };

function scoreColumns(): Column[] {
	return [...F_THRESHOLDS.map((tau) => ({ header: `F@${tau}`, ...right })), { header: 'Chamfer-L1', ...right }, { header: 'IoU64', ...right }];
}

function methodLabel(name: string, oracle: boolean): string {
	return oracle ? `${name} (oracle)` : name;
}

/** One mesh's table, headed by its name and what is known about its ground truth. */
export function formatMesh(mesh: MeshResult): string {
	const rows = mesh.rows.map((r) => {
		const label = methodLabel(r.method, r.oracle);
		if (!r.scores) return [label, ...F_THRESHOLDS.map(() => ''), '', '', formatMs(r.ms), `failed: ${r.error ?? 'no mesh'}`];
		const s = r.scores;
		const note = s.iouSkipped && mesh.truthClosed ? `IoU skipped: ${s.iouSkipped}` : '';
		return [
			label,
			...F_THRESHOLDS.map((tau) => s.fscore[String(tau)].toFixed(3)),
			s.chamferL1.toFixed(4),
			s.iou === null ? '—' : s.iou.toFixed(3),
			formatMs(r.ms),
			note,
		];
	});
	const table = formatTable([{ header: 'method' }, ...scoreColumns(), { header: 'ms', ...right }, { header: 'notes' }], rows);
	const source = mesh.file ?? 'generated fixture';
	const closed = mesh.truthClosed ? 'closed' : `not closed (${mesh.truthNotClosed}): IoU skipped`;
	return `${mesh.name} — ${source}, ${mesh.triangles} triangles, ground truth ${closed}\n${table}`;
}

/** The table of means over meshes. */
export function formatMeans(result: ShapeEvalResult): string {
	const count = result.meshes.length;
	const rows = result.mean.map((m) => [
		methodLabel(m.method, m.oracle),
		...F_THRESHOLDS.map((tau) => (m.meshes ? m.fscore[String(tau)].toFixed(3) : '')),
		m.meshes ? m.chamferL1.toFixed(4) : '',
		m.iou === null ? '—' : `${m.iou.toFixed(3)} (${m.iouMeshes})`,
		m.meshes === count ? '' : `${count - m.meshes} of ${count} failed`,
	]);
	const table = formatTable([{ header: 'method' }, ...scoreColumns(), { header: 'notes' }], rows);
	const p = result.protocol;
	const skipped = result.skipped.length ? `; ${result.skipped.length} skipped (${result.skipped.map((s) => s.name).join(', ')})` : '';
	return [
		`mean over ${count} mesh${count === 1 ? '' : 'es'}${skipped} (IoU over the meshes whose ground truth and result are both closed, count in brackets)`,
		`${p.samples} points per surface, F at τ = ${p.thresholds.join(', ')} of the height, IoU on ${p.iouGrid}³, pictures ${p.size}²`,
		table,
	].join('\n');
}

function average(values: number[]): number {
	return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}
