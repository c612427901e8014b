// An export job's work: the GLB of a generated model in, the asked-for formats out, reported as the one stage
// `export` of the job. Runs in a pipeline worker, like generation.
import type { ExportRequestOptions } from '../jobs/worker-protocol';
import type { StageProgress } from '../generators/run';
import type { CancelSignal } from '../pipeline/types';
import { exportScene, type ExportedFile } from './export';
import { loadGlb } from './load-glb';

export async function exportAsset(
	glb: Uint8Array,
	name: string,
	request: ExportRequestOptions,
	run: { signal: CancelSignal; onProgress?: (event: StageProgress) => void },
): Promise<ExportedFile[]> {
	const report = (fraction: number, message?: string) => run.onProgress?.(exportProgress(fraction, message));
	report(0, 'reading the model');
	const scene = await loadGlb(glb, { name });
	return (await exportScene(scene, request, { signal: run.signal, progress: report })).files;
}

/** Progress of an export on its own (a job or a CLI run): the single stage `export`. */
export function exportProgress(fraction: number, message?: string): StageProgress {
	return { stage: 'export', stageIndex: 0, stageCount: 1, stages: ['export'], progress: fraction, stageProgress: fraction, ...(message ? { message } : {}) };
}
