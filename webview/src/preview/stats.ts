// What the stats panel and the host's `shown` message report about a model, counted from the three.js objects
// on screen (lods.ts decides which are visible), and how the panel writes the numbers. Pure: no DOM, no WebGL.
import { Box3, Vector3, type InstancedMesh, type Material, type Mesh, type Object3D, type Texture } from 'three';
import type { ModelStats } from '../messages';

export interface StatsInput {
	/** Number of LOD levels found (1 without a chain). */
	lods: number;
	/** Size on disk of the file and its resources. */
	fileBytes: number;
}

/**
 * Counts what is visible under `root`: hidden LOD levels and colliders are not drawn, so they are not counted.
 * Triangles are index count / 3 (or vertex count / 3 unindexed); an InstancedMesh counts once per instance.
 * Vertices are counted once per position array: the primitives of a multi-material glTF mesh share one
 * POSITION accessor, which GLTFLoader turns into one shared attribute.
 */
export function modelStats(root: Object3D, { lods, fileBytes }: StatsInput): ModelStats {
	const positions = new Map<unknown, number>();
	let triangles = 0;
	const materials = new Set<Material>();
	const textures = new Set<Texture>();
	root.traverseVisible((object) => {
		const mesh = object as Mesh;
		if (!mesh.isMesh) return;
		const position = mesh.geometry.getAttribute('position');
		if (!position) return;
		const instanced = (mesh as InstancedMesh).isInstancedMesh ? (mesh as InstancedMesh) : undefined;
		const copies = instanced ? instanced.count : 1;
		positions.set(position, Math.max(positions.get(position) ?? 0, position.count * copies));
		triangles += Math.floor((mesh.geometry.index?.count ?? position.count) / 3) * copies;
		for (const material of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) {
			materials.add(material);
			for (const texture of materialTextures(material)) textures.add(texture);
		}
	});
	const box = visibleBox(root);
	const size = box.isEmpty() ? new Vector3() : box.getSize(new Vector3());
	return {
		vertices: [...positions.values()].reduce((sum, n) => sum + n, 0),
		triangles,
		materials: materials.size,
		textures: [...textures].map(textureSize),
		fileBytes,
		lods,
		size: [size.x, size.y, size.z],
	};
}

/** World-space bounds of the visible meshes under `root` (empty when there are none). */
export function visibleBox(root: Object3D): Box3 {
	const box = new Box3();
	const part = new Box3();
	root.updateWorldMatrix(true, true);
	root.traverseVisible((object) => {
		const mesh = object as Mesh;
		if (!mesh.isMesh || !mesh.geometry.getAttribute('position')) return;
		// Box3.expandByObject would also take in the mesh's hidden descendants; one geometry at a time does not.
		const instanced = (mesh as InstancedMesh).isInstancedMesh ? (mesh as InstancedMesh) : undefined;
		if (instanced) {
			instanced.computeBoundingBox();
			part.copy(instanced.boundingBox!);
		} else {
			if (!mesh.geometry.boundingBox) mesh.geometry.computeBoundingBox();
			part.copy(mesh.geometry.boundingBox!);
		}
		box.union(part.applyMatrix4(mesh.matrixWorld));
	});
	return box;
}

/** Every texture a material uses, whatever slot it sits in (map, normalMap, a custom shader's uniforms aside). */
function materialTextures(material: Material): Texture[] {
	return Object.values(material).filter((value): value is Texture => Boolean(value && (value as Texture).isTexture));
}

/** Pixel size of a texture's image: an ImageBitmap, an <img>, a canvas or a data texture's `{ width, height }`. */
function textureSize(texture: Texture): { width: number; height: number } {
	const image = texture.image as { width?: number; height?: number } | undefined;
	return { width: Math.trunc(image?.width ?? 0), height: Math.trunc(image?.height ?? 0) };
}

/** `12345` → `12,345`. Written out rather than toLocaleString so the panel reads the same in every locale. */
export function formatCount(value: number): string {
	return Math.round(value)
		.toString()
		.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1234567` → `1.2 MB`: powers of 1024 with KB/MB/GB, as VS Code's own file sizes are written. */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `[0.6, 1, 0.4]` → `0.60 × 1.00 × 0.40 m`; centimetres get a third digit below 10 cm. */
export function formatSize(size: readonly [number, number, number]): string {
	const digits = Math.max(...size) < 0.1 ? 3 : 2;
	return `${size.map((v) => v.toFixed(digits)).join(' × ')} m`;
}

/** `[{1024, 1024}, {1024, 1024}, {512, 256}]` → `2 × 1024×1024, 512×256`; `none` without textures. */
export function formatTextures(textures: readonly { width: number; height: number }[]): string {
	if (textures.length === 0) return 'none';
	const counts = new Map<string, number>();
	for (const { width, height } of textures) counts.set(`${width}×${height}`, (counts.get(`${width}×${height}`) ?? 0) + 1);
	return [...counts].map(([dims, n]) => (n > 1 ? `${n} × ${dims}` : dims)).join(', ');
}
