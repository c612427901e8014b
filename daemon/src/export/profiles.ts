// Engine profiles (ARCHITECTURE.md § Export profiles): the file format a profile prefers, its up axis and
// units, and how LOD levels and colliders are named so each engine's importer recognises them.
import { safeName } from '../naming';
import type { ExportFormat, ExportProfile } from '../protocol/options';
import type { ExportMesh, ExportScene } from './scene';

export interface Profile {
	id: ExportProfile;
	/** The format used when none is asked for. */
	format: ExportFormat;
	/** Up axis of the written file: Y (glTF, Unity) or Z (Unreal). */
	up: 'Y' | 'Z';
	/** File units per metre: 1 for metres, 100 for centimetres. */
	unitsPerMetre: number;
	lodName(name: string, level: number): string;
	colliderName(name: string, kind: 'hull' | 'mesh'): string;
}

const lod = (name: string, level: number) => `${name}_LOD${level}`;

export const PROFILES: Readonly<Record<ExportProfile, Profile>> = {
	generic: { id: 'generic', format: 'glb', up: 'Y', unitsPerMetre: 1, lodName: lod, colliderName: (name) => `${name}_Collider` },
	// Unity builds a LODGroup from _LOD<n> suffixes; the bridge makes a MeshCollider from _Collider.
	unity: { id: 'unity', format: 'fbx', up: 'Y', unitsPerMetre: 1, lodName: lod, colliderName: (name) => `${name}_Collider` },
	// Unreal reads UCX_ meshes as convex collision and a LodGroup as LODs; it works in centimetres, Z up.
	unreal: { id: 'unreal', format: 'fbx', up: 'Z', unitsPerMetre: 100, lodName: lod, colliderName: (name) => `UCX_${name}_00` },
	// Godot's importer turns -colonly / -convcolonly nodes into collision shapes without a visible mesh.
	godot: {
		id: 'godot',
		format: 'glb',
		up: 'Y',
		unitsPerMetre: 1,
		lodName: lod,
		colliderName: (name, kind) => (kind === 'hull' ? `${name}-convcolonly` : `${name}-colonly`),
	},
};

/**
 * Where each axis of the profile's convention comes from in Orfeas's (Y up, +Z toward the viewer): Z up keeps
 * the model facing −Y, as Blender and Unreal expect, so (x, y, z) becomes (x, −z, y).
 */
export function axisMap(profile: Profile): { from: readonly [number, number, number]; sign: readonly [number, number, number] } {
	return profile.up === 'Z' ? { from: [0, 2, 1], sign: [1, -1, 1] } : { from: [0, 1, 2], sign: [1, 1, 1] };
}

/** xyz triples from Orfeas's axes into the profile's (see axisMap), times `scale`, written into `target`. */
export function mapAxes(profile: Profile, source: Float32Array, target: Float32Array | Float64Array, scale = 1): void {
	const { from, sign } = axisMap(profile);
	for (let i = 0; i < source.length; i += 3) {
		target[i] = sign[0] * source[i + from[0]] * scale;
		target[i + 1] = sign[1] * source[i + from[1]] * scale;
		target[i + 2] = sign[2] * source[i + from[2]] * scale;
	}
}

/** Positions in the profile's axes and units. */
export function profilePositions(profile: Profile, positions: Float32Array): Float32Array {
	const out = new Float32Array(positions.length);
	mapAxes(profile, positions, out, profile.unitsPerMetre);
	return out;
}

/** Directions (normals) in the profile's axes. */
export function profileDirections(profile: Profile, directions: Float32Array): Float32Array {
	const out = new Float32Array(directions.length);
	mapAxes(profile, directions, out);
	return out;
}

/**
 * The meshes of a scene for formats that hold one mesh per file (STL, PLY): LOD0 under the object's name,
 * further levels under the profile's LOD names, then the collider under its name.
 */
export function meshesByFile(profile: Profile, scene: ExportScene): { name: string; mesh: ExportMesh }[] {
	const name = safeName(scene.name);
	const files = scene.lods.map((mesh, level) => ({ name: level === 0 ? name : profile.lodName(name, level), mesh }));
	if (scene.collider) files.push({ name: profile.colliderName(name, scene.collider.kind), mesh: scene.collider.mesh });
	return files;
}
