// Runs the real pipeline on a fixture and reads the GLB back the way an engine would, for the acceptance tests.
import { runPipeline, type GenerateResult } from '../../daemon/src/pipeline/run';
import { loadRuntime } from '../../daemon/src/pipeline/runtime';
import { type GenerateOptionsInput, parseGenerateOptions } from '../../daemon/src/protocol/options';
import { readGlb, type GlbMesh } from '../../daemon/src/quality/glb';
import { analyzeTopology, type TopologyReport } from '../../daemon/src/geometry/topology';

export interface Generated {
	result: GenerateResult;
	mesh: GlbMesh;
	topology: TopologyReport;
}

export async function generate(bytes: Uint8Array, name: string, options: GenerateOptionsInput = {}): Promise<Generated> {
	const runtime = await loadRuntime();
	const result = await runPipeline({ bytes, name }, parseGenerateOptions(options), runtime, {});
	const mesh = await readGlb(result.glb);
	return { result, mesh, topology: analyzeTopology(mesh.positions, mesh.indices) };
}

/** Axis-aligned bounds of a flat position array. */
export function extent(positions: Float32Array): { min: number[]; max: number[] } {
	const min = [Infinity, Infinity, Infinity];
	const max = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < positions.length; i += 3) {
		for (let k = 0; k < 3; k++) {
			min[k] = Math.min(min[k], positions[i + k]);
			max[k] = Math.max(max[k], positions[i + k]);
		}
	}
	return { min, max };
}
