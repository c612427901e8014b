// Binary little-endian PLY writer: vertices with whichever of normals, texture coordinates and colours
// the mesh has, and its triangles — the format scanning and point-cloud tools (MeshLab, CloudCompare) read.
import { linearToSrgb } from '../imaging/srgb';
import { VERSION } from '../version';
import { meshesByFile, profileDirections, profilePositions, PROFILES, type Profile } from './profiles';
import { textureFiles } from './textures';
import { validateScene, type ExportFile, type ExportMesh, type ExportScene } from './scene';

export const NAME = 'ply';

export interface PlyOptions {
	/** Engine profile: the file's up axis and units. */
	profile: Profile;
}

export const PLY_DEFAULTS: Readonly<PlyOptions> = { profile: PROFILES.generic };

/**
 * Writes `binary_little_endian` PLY, one file per mesh like STL (`Name.ply` is LOD0; `Name_LOD1.ply`,
 * `Name_Collider.ply` …), and the texture beside them, named in a `comment TextureFile` line. Vertex properties: `x y z` floats, then `nx ny nz` when the mesh
 * has normals, `s t` (bottom-up V, as MeshLab and Blender read them) when it has texture coordinates, and
 * `red green blue` uchar (sRGB-encoded, as viewers show them directly) when it has colours. Faces are
 * `list uchar int vertex_indices`, always three.
 *
 * @example
 * const [file] = writePly(scene);
 * await fs.writeFile(file.name, file.bytes);
 */
export function writePly(scene: ExportScene, options: Partial<PlyOptions> = {}): ExportFile[] {
	const { profile } = { ...PLY_DEFAULTS, ...options };
	validateScene(scene);
	// PLY names one picture: the first material's that has one.
	const [texture] = textureFiles(scene.materials.filter((m) => m.texture).slice(0, 1));
	const files = meshesByFile(profile, scene).map(({ name, mesh }) => ({ name: `${name}.ply`, bytes: plyBytes(name, mesh, profile, texture?.[1]) }));
	return texture ? [...files, { name: texture[1], bytes: texture[0].bytes }] : files;
}

function plyBytes(name: string, mesh: ExportMesh, profile: Profile, textureFile: string | undefined): Uint8Array {
	const vertices = mesh.positions.length / 3;
	const triangles = mesh.indices.length / 3;
	const { normals, uvs, colors } = mesh;

	const units = profile.unitsPerMetre === 1 ? 'metres' : `${profile.unitsPerMetre} units per metre`;
	const header = [
		'ply',
		'format binary_little_endian 1.0',
		`comment Orfeas ${VERSION}: ${name} (${units}, ${profile.up} up)`.replace(/[^\x20-\x7e]/g, '_'),
		// The convention MeshLab and others follow for the picture the s, t coordinates sample.
		...(textureFile && mesh.uvs ? [`comment TextureFile ${textureFile}`] : []),
		`element vertex ${vertices}`,
		'property float x',
		'property float y',
		'property float z',
		...(normals ? ['property float nx', 'property float ny', 'property float nz'] : []),
		...(uvs ? ['property float s', 'property float t'] : []),
		...(colors ? ['property uchar red', 'property uchar green', 'property uchar blue'] : []),
		`element face ${triangles}`,
		'property list uchar int vertex_indices',
		'end_header',
		'',
	].join('\n');
	const head = new TextEncoder().encode(header);
	const stride = 12 + (normals ? 12 : 0) + (uvs ? 8 : 0) + (colors ? 3 : 0);
	const bytes = new Uint8Array(head.length + vertices * stride + triangles * 13);
	bytes.set(head);
	const view = new DataView(bytes.buffer);

	const positions = profilePositions(profile, mesh.positions);
	const directions = normals && profileDirections(profile, normals);
	let at = head.length;
	for (let i = 0; i < vertices; i++) {
		for (let k = 0; k < 3; k++, at += 4) view.setFloat32(at, positions[3 * i + k], true);
		if (directions) for (let k = 0; k < 3; k++, at += 4) view.setFloat32(at, directions[3 * i + k], true);
		if (uvs) {
			view.setFloat32(at, uvs[2 * i], true);
			view.setFloat32(at + 4, 1 - uvs[2 * i + 1], true);
			at += 8;
		}
		if (colors) for (let k = 0; k < 3; k++) bytes[at++] = Math.round(linearToSrgb(colors[3 * i + k]) * 255);
	}
	const { indices } = mesh;
	for (let t = 0; t < triangles; t++) {
		bytes[at++] = 3;
		for (let k = 0; k < 3; k++, at += 4) view.setInt32(at, indices[3 * t + k], true);
	}
	return bytes;
}
