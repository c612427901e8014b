// Stage 6: weld, simplify to the triangle budget without breaking the closed mesh (geometry/simplify.ts) and
// compute smooth normals. The simplifier is meshoptimizer, run through glTF-Transform's primitive functions.
import { vertexNormals } from '../geometry/normals';
import { simplifyClosed, weld } from '../geometry/simplify';
import type { StageContext, TriMesh } from './types';

export const NAME = 'optimize';

export interface OptimizeOptions {
	/** Triangle budget of the result. */
	maxTriangles: number;
	/** Largest geometric error the simplifier may introduce, as a fraction of the mesh extent. */
	error: number;
	/** meshoptimizer's `MeshoptSimplifier`, ready to use. */
	simplifier: unknown;
	/** The mesh is an inflated one whose silhouette (z = 0) must stay shared by both sheets (default true). */
	lockRim: boolean;
}

export const OPTIMIZE_DEFAULTS: Readonly<Omit<OptimizeOptions, 'simplifier' | 'lockRim'>> = { maxTriangles: 20_000, error: 0.01 };

/**
 * Optimizes a closed textured mesh (positions, uvs, indices); returns the same with normals.
 *
 * ```ts
 * import { MeshoptSimplifier } from 'meshoptimizer';
 * await MeshoptSimplifier.ready;
 * const final = optimize(solid, { maxTriangles: 20000, simplifier: MeshoptSimplifier }, ctx);
 * ```
 */
export function optimize(solid: TriMesh, options: Partial<OptimizeOptions>, ctx: StageContext): TriMesh {
	const { maxTriangles, error, simplifier } = { ...OPTIMIZE_DEFAULTS, ...options };
	if (!simplifier) throw new Error(`${NAME}: simplifier dependency required`);
	if (!solid.uvs) throw new Error(`${NAME}: the mesh needs uvs`);

	const welded = weld({ positions: solid.positions, indices: solid.indices, attributes: solid.uvs, stride: 2 });
	ctx.signal.throwIfAborted();
	ctx.progress(0.2);
	const result = simplifyClosed(welded, { maxTriangles, error, simplifier, lockRim: options.lockRim ?? true });
	ctx.signal.throwIfAborted();
	ctx.progress(0.9);
	const normals = vertexNormals(result.positions, result.indices);
	ctx.progress(1);
	return { positions: result.positions, uvs: result.attributes, indices: result.indices, normals };
}
