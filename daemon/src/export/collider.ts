// Collider: a convex hull of the mesh (manifold-3d's QuickHull) or a coarse copy of the mesh itself. Engines
// limit convex colliders (Unity: 255 triangles), so a hull above the budget is rebuilt from the vertices its
// simplification keeps — still convex, and within the simplifier's error of the full hull.
import { MeshoptSimplifier } from 'meshoptimizer';
import { enclosedVolume } from '../geometry/measure';
import { vertexNormals } from '../geometry/normals';
import { bounds } from '../geometry/place';
import { OrfeasError } from '../protocol/errors';
import type { ExportMesh, ExportScene } from './scene';

export const NAME = 'collider';

export interface ColliderOptions {
	kind: 'hull' | 'mesh';
	/** Triangle budget: 255 fits every engine's convex collider; a mesh collider may have more. */
	maxTriangles: number;
}

export const COLLIDER_DEFAULTS: Readonly<Record<ColliderOptions['kind'], number>> = { hull: 255, mesh: 2000 };

/** The scene with a collider made from its LOD0. */
export async function addCollider(scene: ExportScene, options: Partial<ColliderOptions> & Pick<ColliderOptions, 'kind'>): Promise<ExportScene> {
	const maxTriangles = options.maxTriangles ?? COLLIDER_DEFAULTS[options.kind];
	const source = scene.lods[0];
	const mesh = options.kind === 'hull' ? await convexHull(source.positions, maxTriangles) : await coarseCopy(source, maxTriangles);
	return { ...scene, collider: { kind: options.kind, mesh } };
}

interface ManifoldModule {
	setup(): void;
	Manifold: { hull(points: [number, number, number][]): { getMesh(): { vertProperties: Float32Array; triVerts: Uint32Array; numProp: number }; delete(): void } };
}

let manifold: Promise<ManifoldModule> | undefined;

/** manifold-3d is an ES module with a WebAssembly core: loaded on first use, once. */
function loadManifold(): Promise<ManifoldModule> {
	manifold ??= import('manifold-3d').then(async ({ default: Module }) => {
		const wasm = (await Module()) as unknown as ManifoldModule;
		wasm.setup();
		return wasm;
	});
	return manifold;
}

/** The convex hull of the points, with at most `maxTriangles` triangles, outward facing. */
export async function convexHull(positions: Float32Array, maxTriangles: number): Promise<ExportMesh> {
	const { Manifold } = await loadManifold();
	await MeshoptSimplifier.ready;
	let points = toPoints(positions);
	for (let attempt = 0; ; attempt++) {
		const hull = Manifold.hull(points);
		const { vertProperties, triVerts, numProp } = hull.getMesh();
		hull.delete();
		const hullPositions = stride3(vertProperties, numProp);
		if (triVerts.length === 0 || enclosedVolume(hullPositions, triVerts) <= 1e-9 * extent(hullPositions) ** 3) throw new OrfeasError('E_EXPORT', 'The mesh is flat or a single point, so it has no convex hull. Use --collider mesh instead.');
		if (triVerts.length / 3 <= maxTriangles || attempt === 4) return solid(hullPositions, Uint32Array.from(triVerts));
		// Keep the vertices a simplification of the hull holds on to, aiming a little under the budget each time.
		const target = Math.floor(maxTriangles * (0.9 - attempt * 0.15)) * 3;
		const kept = MeshoptSimplifier.simplify(Uint32Array.from(triVerts), hullPositions, 3, target, 1, [])[0];
		points = [...new Set(kept)].map((v) => [hullPositions[v * 3], hullPositions[v * 3 + 1], hullPositions[v * 3 + 2]]);
	}
}

/** The mesh welded by position only (UV seams closed) and simplified to the budget. */
export async function coarseCopy(mesh: ExportMesh, maxTriangles: number): Promise<ExportMesh> {
	await MeshoptSimplifier.ready;
	const positions = mesh.positions;
	const remap = MeshoptSimplifier.generatePositionRemap(positions, 3);
	const indices = mesh.indices.map((i) => remap[i]);
	const target = Math.min(indices.length, maxTriangles * 3);
	const [simplified] = MeshoptSimplifier.simplify(indices, positions, 3, target - (target % 3), 0.05, []);
	const [order, unique] = MeshoptSimplifier.compactMesh(simplified);
	const compact = new Float32Array(unique * 3);
	for (let v = 0; v < order.length; v++) if (order[v] !== 0xffffffff) compact.set(positions.subarray(v * 3, v * 3 + 3), order[v] * 3);
	return solid(compact, simplified);
}

function solid(positions: Float32Array, indices: Uint32Array): ExportMesh {
	return { positions, indices, normals: vertexNormals(positions, indices), groups: [{ material: 0, start: 0, count: indices.length / 3 }] };
}

function extent(positions: Float32Array): number {
	const { min, max } = bounds(positions);
	return Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
}

function toPoints(positions: Float32Array): [number, number, number][] {
	const points: [number, number, number][] = new Array(positions.length / 3);
	for (let v = 0; v < points.length; v++) points[v] = [positions[v * 3], positions[v * 3 + 1], positions[v * 3 + 2]];
	return points;
}

function stride3(properties: Float32Array, numProp: number): Float32Array {
	if (numProp === 3) return Float32Array.from(properties);
	const out = new Float32Array((properties.length / numProp) * 3);
	for (let v = 0; v < out.length / 3; v++) out.set(properties.subarray(v * numProp, v * numProp + 3), v * 3);
	return out;
}
