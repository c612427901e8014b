// One mesh through the shape eval: draw its five pictures into out/eval-shape/<mesh>/, hand them to every
// method, score each result against the ground truth. A method that throws gets a failed row; the rest go on.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { OrfeasError } from '../../../daemon/src/protocol/errors';
import type { EvalSubject } from './load';
import { prepareTruth, scoreShapes } from './metrics';
import type { Method, ViewPicture } from './methods';
import { renderView, writePng } from './render';
import type { MeshResult, MethodRow } from './report';
import { frameFor, VIEW_NAMES, type ViewName } from './views';

export interface EvaluateOptions {
	/** Edge of the square pictures, in pixels. */
	size: number;
	/** The folder each mesh gets a sub-folder of. */
	outDir: string;
}

/** Folder name for a mesh: its name with anything a file system might object to replaced. */
export function meshFolder(name: string): string {
	return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export async function evaluateSubject(subject: EvalSubject, methods: readonly Method[], options: EvaluateOptions): Promise<MeshResult> {
	const frame = frameFor(subject.shape.positions, options.size);
	const dir = path.join(options.outDir, meshFolder(subject.name));
	await mkdir(dir, { recursive: true });
	const views = {} as Record<ViewName, ViewPicture>;
	for (const view of VIEW_NAMES) {
		const image = renderView(subject.surface, view, frame);
		const file = path.join(dir, `${view}.png`);
		views[view] = { png: await writePng(image, file), path: file, image };
	}
	const truth = prepareTruth(subject.shape);

	const rows: MethodRow[] = [];
	for (const method of methods) {
		const oracle = method.oracle ?? false;
		const started = performance.now();
		try {
			const mesh = await method.generate(views, { name: subject.name, mesh: subject.shape, frame });
			const ms = performance.now() - started;
			rows.push({ method: method.name, oracle, ms, triangles: mesh.indices.length / 3, scores: scoreShapes(truth, mesh) });
		} catch (error) {
			rows.push({ method: method.name, oracle, ms: performance.now() - started, error: describe(error) });
		}
	}
	return {
		name: subject.name,
		file: subject.file ?? null,
		triangles: subject.shape.indices.length / 3,
		truthClosed: truth.closed,
		...(truth.why ? { truthNotClosed: truth.why } : {}),
		views: Object.fromEntries(VIEW_NAMES.map((v) => [v, views[v].path])),
		rows,
	};
}

/** The error as one line: the pipeline's own code when it has one. */
function describe(error: unknown): string {
	if (error instanceof OrfeasError) return `${error.message} [${error.code}]`;
	return error instanceof Error ? error.message : String(error);
}
