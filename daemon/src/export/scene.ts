// What every exporter writes: one object with its materials, an optional LOD chain and an optional collider,
// in Orfeas's own convention — metres, Y up, +Z toward the viewer (glTF's), origin at the bottom centre.
// Loaders (GLB, OBJ) produce it; transforms (LOD, collider) extend it; writers turn it into files, converting
// axes and units for the chosen profile (profiles.ts).
import { OrfeasError } from '../protocol/errors';

export interface ExportTexture {
	/** File name to use when the format stores textures beside the model (OBJ) or names them (FBX). */
	name: string;
	mime: 'image/png' | 'image/jpeg';
	bytes: Uint8Array;
}

export interface ExportMaterial {
	name: string;
	/** Linear RGBA multiplier; the texture, when present, is multiplied by it. */
	baseColor: [number, number, number, number];
	metallic: number;
	roughness: number;
	texture?: ExportTexture;
}

/** A range of triangles drawn with one material. */
export interface MeshGroup {
	material: number;
	/** First triangle. */
	start: number;
	/** Number of triangles. */
	count: number;
}

export interface ExportMesh {
	positions: Float32Array;
	/** Triangles, three indices each, counter-clockwise seen from outside. */
	indices: Uint32Array;
	normals?: Float32Array;
	/** (u, v) per vertex, glTF convention: v = 0 at the top of the image. */
	uvs?: Float32Array;
	/** Linear RGB per vertex, 0–1. */
	colors?: Float32Array;
	/** Material ranges covering every triangle in order. */
	groups: MeshGroup[];
}

export interface ExportScene {
	/** Object name: node, mesh and (prefix of) material names. */
	name: string;
	materials: ExportMaterial[];
	/** LOD0 (the full mesh) first; one entry when there is no chain. */
	lods: ExportMesh[];
	/** The ratio each LOD was made at (1 for LOD0). */
	lodRatios: number[];
	collider?: { kind: 'hull' | 'mesh'; mesh: ExportMesh };
}

/**
 * Checks a scene before any writer touches it; a broken input answers E_EXPORT with what is wrong and what to
 * do, never a crash inside a writer.
 */
export function validateScene(scene: ExportScene): void {
	if (scene.lods.length === 0) throw new OrfeasError('E_EXPORT', `"${scene.name}" has no mesh to export.`);
	scene.lods.forEach((mesh, level) => {
		const what = `${scene.name}${scene.lods.length > 1 ? ` LOD${level}` : ''}`;
		validateMesh(mesh, what, scene.materials.length);
		// A texture needs coordinates to be sampled at; without them GLB is invalid and other formats meaningless.
		const textured = mesh.uvs ? undefined : mesh.groups.find((g) => scene.materials[g.material].texture);
		if (textured) {
			throw new OrfeasError(
				'E_EXPORT',
				`${what} has no texture coordinates, so the texture of material "${scene.materials[textured.material].name}" cannot be applied. Give the mesh UVs, or export it without the texture.`,
			);
		}
	});
	if (scene.collider) validateMesh(scene.collider.mesh, `${scene.name} collider`, Infinity);
}

function validateMesh(mesh: ExportMesh, what: string, materials: number): void {
	const vertices = mesh.positions.length / 3;
	if (vertices === 0 || mesh.indices.length === 0) throw new OrfeasError('E_EXPORT', `${what} is empty: it has no triangles. Export a mesh with geometry.`);
	if (mesh.indices.length % 3 !== 0 || !Number.isInteger(vertices)) {
		throw new OrfeasError('E_EXPORT', `${what} is not made of triangles (index count ${mesh.indices.length}). Triangulate it first.`);
	}
	for (let i = 0; i < mesh.positions.length; i++) {
		if (!Number.isFinite(mesh.positions[i])) {
			throw new OrfeasError('E_EXPORT', `${what} has a vertex with a non-finite coordinate (vertex ${Math.floor(i / 3)}). Repair the mesh and export again.`);
		}
	}
	for (let i = 0; i < mesh.indices.length; i++) {
		if (mesh.indices[i] >= vertices) throw new OrfeasError('E_EXPORT', `${what} refers to vertex ${mesh.indices[i]}, but has only ${vertices}.`);
	}
	for (const [attribute, size] of [['normals', 3], ['uvs', 2], ['colors', 3]] as const) {
		const data = mesh[attribute];
		if (data && data.length !== vertices * size) throw new OrfeasError('E_EXPORT', `${what} has ${data.length / size} ${attribute} for ${vertices} vertices.`);
	}
	let covered = 0;
	for (const group of mesh.groups) {
		if (group.start !== covered || group.material < 0 || group.material >= materials) {
			throw new OrfeasError('E_EXPORT', `${what} has a material range that does not follow the triangles (${JSON.stringify(group)}).`);
		}
		covered += group.count;
	}
	if (covered !== mesh.indices.length / 3) throw new OrfeasError('E_EXPORT', `${what}: material ranges cover ${covered} of ${mesh.indices.length / 3} triangles.`);
}

/** One file a writer produced; the first file a writer returns is the model itself, the rest sit beside it. */
export interface ExportFile {
	/** File name without a directory, e.g. `Crate.obj`, `Crate.mtl`, `Crate_baseColor.png`. */
	name: string;
	bytes: Uint8Array;
}
