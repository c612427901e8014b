// Stage 6: weld, simplify to the triangle budget, flip away zero-area caps and compute smooth normals. The simplifier is meshoptimizer,
// run through glTF-Transform's primitive functions on a throwaway document, so this stage stays mesh → mesh.
import { Document, Primitive } from '@gltf-transform/core';
import { simplifyPrimitive, weldPrimitive } from '@gltf-transform/functions';
import { vertexNormals } from '../geometry/normals';
import { flipDegenerateTriangles } from '../geometry/repair';
import type { StageContext, TriMesh } from './types';

export const NAME = 'optimize';

export interface OptimizeOptions {
	/** Triangle budget of the result. */
	maxTriangles: number;
	/** Largest geometric error the simplifier may introduce, as a fraction of the mesh extent. */
	error: number;
	/** meshoptimizer's `MeshoptSimplifier`, ready to use. */
	simplifier: unknown;
}

export const OPTIMIZE_DEFAULTS: Readonly<Omit<OptimizeOptions, 'simplifier'>> = { maxTriangles: 20_000, error: 0.01 };

/**
 * Optimizes a textured mesh (positions, uvs, indices); returns the same with normals.
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

	const doc = new Document();
	const buffer = doc.createBuffer();
	const prim = doc
		.createPrimitive()
		.setMode(Primitive.Mode.TRIANGLES)
		.setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(solid.positions).setBuffer(buffer))
		.setAttribute('TEXCOORD_0', doc.createAccessor().setType('VEC2').setArray(solid.uvs).setBuffer(buffer))
		.setIndices(doc.createAccessor().setType('SCALAR').setArray(solid.indices).setBuffer(buffer));
	weldPrimitive(prim, { overwrite: true });
	ctx.signal.throwIfAborted();
	ctx.progress(0.2);

	const triangles = prim.getIndices()!.getCount() / 3;
	if (triangles > maxTriangles) {
		simplifyPrimitive(prim, { simplifier, ratio: maxTriangles / triangles, error });
	}
	ctx.signal.throwIfAborted();
	ctx.progress(0.8);

	const positions = prim.getAttribute('POSITION')!.getArray() as Float32Array;
	const uvs = prim.getAttribute('TEXCOORD_0')!.getArray() as Float32Array;
	const indices = Uint32Array.from(prim.getIndices()!.getArray()!);
	flipDegenerateTriangles(positions, indices);
	const normals = vertexNormals(positions, indices);
	ctx.progress(1);
	return { positions, uvs, indices, normals };
}
