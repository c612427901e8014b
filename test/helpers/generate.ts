// Runs the real pipeline on a fixture and reads the GLB back the way an engine would, for the acceptance tests.
import { runPipeline, type GenerateResult } from '../../daemon/src/generators/run';
import { loadRuntime } from '../../daemon/src/generators/runtime';
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
