// Freeing three.js objects for good: what the previewer drops on each load and the scene view's model cache drops
// when no object names a file any more. three.js frees GPU memory only when told to.
import type { Material, Mesh, Object3D, Texture } from 'three';

/** A mesh's materials as a list, whether it has one or several. */
export function materialsOf(mesh: Mesh): Material[] {
	return Array.isArray(mesh.material) ? mesh.material : [mesh.material];
}

/** Frees geometries, materials and textures under `root` (closing ImageBitmaps, which the GPU copy does not free). */
export function disposeObject(root: Object3D): void {
	root.traverse((object) => {
		const mesh = object as Mesh;
		if (!mesh.geometry) return;
		mesh.geometry.dispose();
		for (const material of materialsOf(mesh)) {
			for (const value of Object.values(material)) {
				const texture = value as Texture | null;
				if (!texture?.isTexture) continue;
				texture.dispose();
				if (typeof ImageBitmap !== 'undefined' && texture.image instanceof ImageBitmap) texture.image.close();
			}
			material.dispose();
		}
	});
}
