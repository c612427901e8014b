// Binary STL writer: triangles with their facet normals, for printing and CAD. STL has no materials, texture
// coordinates, LODs or units: each LOD level and the collider get a file, whose header names the units and up axis.
import { VERSION } from '../version';
import { meshesByFile, profilePositions, PROFILES, type Profile } from './profiles';
import { validateScene, type ExportFile, type ExportMesh, type ExportScene } from './scene';

export const NAME = 'stl';

export interface StlOptions {
	/** Engine profile: the file's up axis and units. */
	profile: Profile;
}

export const STL_DEFAULTS: Readonly<StlOptions> = { profile: PROFILES.generic };

const HEADER_BYTES = 80;
const TRIANGLE_BYTES = 50;

/**
 * Writes binary STL, one file per mesh (STL holds one): `Name.stl` is LOD0, further levels and the collider
 * follow the profile's names (`Name_LOD1.stl`, `Name_Collider.stl`). Each has an 80-byte header naming
 * Orfeas and the object, the triangle count, then per triangle its unit normal (computed from the written
 * vertices; zero for a degenerate triangle), three vertices and a zero attribute word.
 *
 * @example
 * const [file] = writeStl(scene, { profile: PROFILES.unreal }); // centimetres, Z up
 * await fs.writeFile(file.name, file.bytes);
 */
export function writeStl(scene: ExportScene, options: Partial<StlOptions> = {}): ExportFile[] {
	const { profile } = { ...STL_DEFAULTS, ...options };
	validateScene(scene);
	return meshesByFile(profile, scene).map(({ name, mesh }) => ({ name: `${name}.stl`, bytes: stlBytes(name, mesh, profile) }));
}

function stlBytes(name: string, mesh: ExportMesh, profile: Profile): Uint8Array {
	const triangles = mesh.indices.length / 3;
	const bytes = new Uint8Array(HEADER_BYTES + 4 + triangles * TRIANGLE_BYTES);
	const view = new DataView(bytes.buffer);

	// ASCII only, and never starting with "solid", which readers take for the text variant.
	const units = profile.unitsPerMetre === 1 ? 'metres' : `${profile.unitsPerMetre} units per metre`;
	const header = `Orfeas ${VERSION} binary STL: ${name} (${units}, ${profile.up} up)`.replace(/[^\x20-\x7e]/g, '_');
	bytes.fill(0x20, 0, HEADER_BYTES);
	for (let i = 0; i < Math.min(header.length, HEADER_BYTES); i++) bytes[i] = header.charCodeAt(i);
	view.setUint32(HEADER_BYTES, triangles, true);

	const positions = profilePositions(profile, mesh.positions);
	const { indices } = mesh;
	let at = HEADER_BYTES + 4;
	for (let t = 0; t < triangles; t++) {
		const a = indices[3 * t] * 3;
		const b = indices[3 * t + 1] * 3;
		const c = indices[3 * t + 2] * 3;
		const ux = positions[b] - positions[a];
		const uy = positions[b + 1] - positions[a + 1];
		const uz = positions[b + 2] - positions[a + 2];
		const vx = positions[c] - positions[a];
		const vy = positions[c + 1] - positions[a + 1];
		const vz = positions[c + 2] - positions[a + 2];
		let nx = uy * vz - uz * vy;
		let ny = uz * vx - ux * vz;
		let nz = ux * vy - uy * vx;
		const length = Math.hypot(nx, ny, nz);
		if (length > 0) {
			nx /= length;
			ny /= length;
			nz /= length;
		}
		view.setFloat32(at, nx, true);
		view.setFloat32(at + 4, ny, true);
		view.setFloat32(at + 8, nz, true);
		at += 12;
		for (const v of [a, b, c]) {
			view.setFloat32(at, positions[v], true);
			view.setFloat32(at + 4, positions[v + 1], true);
			view.setFloat32(at + 8, positions[v + 2], true);
			at += 12;
		}
		view.setUint16(at, 0, true);
		at += 2;
	}
	return bytes;
}
