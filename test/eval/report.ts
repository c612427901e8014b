// Eval's results: the JSON written to out/eval/ and the table a person reads, one row per image, flags in the
// notes column where a model falls short (open mesh, topology other than expected, a poor silhouette).
import path from 'node:path';
import type { GenerateOptions } from '../../daemon/src/protocol/options';
import { formatMs, formatTable } from '../helpers/table';
import type { EvalOutcome, EvalSuccess } from './judge';

/** The silhouette IoU the pipeline tests demand on the fixtures; below it a row is flagged. */
export const IOU_FLOOR = 0.97;

export interface EvalResult {
	tool: 'eval';
	date: string;
	node: string;
	/** The folder the images came from, or null for the generated fixtures. */
	dir: string | null;
	options: GenerateOptions;
	/** What the silhouette IoU is measured against. */
	iouAgainst: 'ground truth' | 'segmentation';
	images: EvalOutcome[];
	summary: { images: number; failed: number; allWatertight: boolean; minIoU: number | null; minIoUImage: string | null };
}

export function summarizeEval(images: EvalOutcome[]): EvalResult['summary'] {
	const done = images.filter((i): i is EvalSuccess => i.ok);
	const worst = done.reduce<EvalSuccess | null>((w, i) => (w === null || i.iou < w.iou ? i : w), null);
	return {
		images: images.length,
		failed: images.length - done.length,
		allWatertight: done.length > 0 && done.every((i) => i.watertight),
		minIoU: worst?.iou ?? null,
		minIoUImage: worst ? path.basename(worst.file) : null,
	};
}

export function formatEval(result: EvalResult): string {
	const rows = result.images.map((i) =>
		i.ok
			? [
					path.basename(i.file),
					i.segmentation,
					i.watertight ? 'yes' : 'no',
					String(i.genus),
					String(i.components),
					i.iou.toFixed(3),
					String(i.triangles),
					String(i.vertices),
					formatMs(i.ms),
					notes(i).join('; '),
				]
			: [path.basename(i.file), '', '', '', '', '', '', '', '', `${i.code}: ${i.message}`],
	);
	const right = { align: 'right' as const };
	const table = formatTable(
		[
			{ header: 'image' },
			{ header: 'segment' },
			{ header: 'watertight' },
			{ header: 'genus', ...right },
			{ header: 'parts', ...right },
			{ header: `IoU vs ${result.iouAgainst}`, ...right },
			{ header: 'triangles', ...right },
			{ header: 'vertices', ...right },
			{ header: 'ms', ...right },
			{ header: 'notes' },
		],
		rows,
	);
	const s = result.summary;
	const source = result.dir ?? 'generated fixtures';
	const reference =
		result.iouAgainst === 'ground truth'
			? 'IoU: front silhouette of the GLB vs the fixture’s ground-truth mask'
			: 'IoU: front silhouette of the GLB vs the pipeline’s own segmentation mask (no ground truth for these images)';
	const worst = s.minIoU === null ? 'n/a' : `${s.minIoU.toFixed(3)} (${s.minIoUImage})`;
	return [
		`${s.images} images from ${source}; resolution ${result.options.resolution}, texture ${result.options.textureSize}`,
		reference,
		'',
		table,
		'',
		`summary: ${s.images - s.failed}/${s.images} generated; ` +
			`all watertight: ${s.allWatertight ? 'yes' : 'no'}; min IoU ${worst}`,
	].join('\n');
}

function notes(i: EvalSuccess): string[] {
	const out: string[] = [];
	if (!i.watertight) out.push(`not watertight: ${defects(i.defects)}`);
	if (i.expected && (i.expected.genus !== i.genus || i.expected.components !== i.components)) {
		out.push(`expected genus ${i.expected.genus}, ${i.expected.components} parts`);
	}
	if (!i.expected && i.components !== i.regions) {
		out.push(`${i.components} mesh parts from ${i.regions} segmented region${i.regions === 1 ? '' : 's'}`);
	}
	if (i.iou < IOU_FLOOR) out.push(`IoU below ${IOU_FLOOR}`);
	return out;
}

/** The nonzero reasons a mesh is not watertight, in the words of the topology report. */
function defects(d: EvalSuccess['defects']): string {
	const counts: Array<[number, string]> = [
		[d.boundaryEdges, 'boundary edges'],
		[d.nonManifoldEdges, 'non-manifold edges'],
		[d.nonManifoldVertices, 'non-manifold vertices'],
		[d.inconsistentEdges, 'flipped edges'],
		[d.degenerateTriangles, 'degenerate triangles'],
	];
	const found = counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
	if (d.signedVolume <= 0) found.push('inside out (volume ≤ 0)');
	return found.join(', ');
}
