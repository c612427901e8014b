// The node tree assimp reads from a model file, with each node's world matrix: `assimp info` (assimp.ts) prints
// the tree but no transforms, so the file goes through assimp's own glTF 2 exporter, which keeps the tree, each
// node's matrix at assimp's float precision and shared meshes, and the matrices are multiplied down here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireProgram } from './external';
import { multiply } from '../../daemon/src/scene/transform';

const run = promisify(execFile);

export interface AssimpNode {
	/** The name as assimp's glTF exporter writes it (it appends `_node` to make repeated names unique). */
	name: string;
	/** Depth below assimp's RootNode (its children are at 1). */
	depth: number;
	/** Index of the parent in the list; -1 for RootNode. */
	parent: number;
	/** Column-major 4×4 world matrix, in the file's own axes and units (assimp converts neither). */
	world: Float64Array;
	/** assimp's mesh index, shared by every node that instances the same geometry; undefined for none. */
	mesh?: number;
}

export interface AssimpScene {
	/** Depth-first, parents before children, RootNode first: the order `assimp info` prints the tree in. */
	nodes: AssimpNode[];
	meshes: number;
}

interface GltfJson {
	scenes: { nodes: number[] }[];
	scene?: number;
	nodes: { name?: string; matrix?: number[]; children?: number[]; mesh?: number }[];
	meshes?: unknown[];
}

const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/**
 * Imports `file` with assimp and returns its nodes with world matrices. Rejects with assimp's output when it
 * cannot import or convert the file.
 *
 * @example
 * const { nodes } = await assimpNodes('/tmp/Yard.fbx');
 * nodes.find((n) => n.name === 'Chair')?.world;
 */
export async function assimpNodes(file: string): Promise<AssimpScene> {
	const assimp = requireProgram('assimp');
	const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-assimp-nodes-'));
	try {
		const out = path.join(dir, 'scene.gltf');
		try {
			await run(assimp, ['export', file, out, '-fgltf2'], { maxBuffer: 64 << 20 });
		} catch (error) {
			const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
			throw new Error(`assimp could not convert ${file}:\n${stdout.slice(-2000)}${stderr.slice(-2000)}`);
		}
		const gltf = JSON.parse(readFileSync(out, 'utf8')) as GltfJson;
		const nodes: AssimpNode[] = [];
		const walk = (index: number, parent: number, parentWorld: Float64Array, depth: number) => {
			const source = gltf.nodes[index];
			const world = multiply(parentWorld, Float64Array.from(source.matrix ?? IDENTITY));
			nodes.push({ name: source.name ?? '', depth, parent, world, mesh: source.mesh });
			const self = nodes.length - 1;
			for (const child of source.children ?? []) walk(child, self, world, depth + 1);
		};
		for (const root of gltf.scenes[gltf.scene ?? 0].nodes) walk(root, -1, Float64Array.from(IDENTITY), 0);
		return { nodes, meshes: gltf.meshes?.length ?? 0 };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
