// Wavefront OBJ writer: `<name>.obj` (one object per LOD level, one for the collider), `<name>.mtl` and the
// texture files it names. Reads an ExportScene (scene.ts); axes and units come from the profile (profiles.ts).
import { safeName } from '../naming';
import { OrfeasError } from '../protocol/errors';
import { VERSION } from '../version';
import { linearToSrgb } from '../imaging/srgb';
import { PROFILES, profileDirections, profilePositions, type Profile } from './profiles';
import { textureFiles, UniqueNames } from './textures';
import { validateScene, type ExportFile, type ExportMaterial, type ExportMesh, type ExportScene, type ExportTexture } from './scene';

export const NAME = 'obj';

export interface ObjOptions {
	/** Engine profile: the file's up axis and units, and how LOD levels and the collider are named. */
	profile: Profile;
	/** Write only this LOD level (and no collider), in a file named like the level; all levels when left out. */
	lod?: number;
}

export const OBJ_DEFAULTS: Readonly<ObjOptions> = { profile: PROFILES.generic };

/**
 * Writes a scene as OBJ + MTL + texture files. Each LOD level is an `o`/`g` object named by the profile
 * (`Name_LOD0`, `Name_LOD1`, …; just `Name` without a chain), the collider another (`Name_Collider`,
 * `UCX_Name_00`, …) with a material of its own; `usemtl` switches material at each group. Texture
 * coordinates are flipped to OBJ's bottom-up V.
 *
 * @example
 * const files = writeObj(scene, { profile: PROFILES.unreal });
 * for (const file of files) await fs.writeFile(path.join(dir, file.name), file.bytes);
 */
export function writeObj(scene: ExportScene, options: Partial<ObjOptions> = {}): ExportFile[] {
	const { profile, lod } = { ...OBJ_DEFAULTS, ...options };
	validateScene(scene);
	if (lod !== undefined && !(Number.isInteger(lod) && lod >= 0 && lod < scene.lods.length)) {
		throw new OrfeasError('E_EXPORT', `LOD ${lod} does not exist: the scene has ${scene.lods.length} level(s).`);
	}
	const base = safeName(scene.name);
	const chained = scene.lods.length > 1;
	const levelName = (level: number) => (chained ? profile.lodName(base, level) : base);
	const stem = lod === undefined ? base : levelName(lod);

	const names = new UniqueNames();
	const materialNames = scene.materials.map((material) => names.take(safeName(material.name)));
	const colliderName = scene.collider && lod === undefined ? profile.colliderName(base, scene.collider.kind) : undefined;
	const colliderMaterial = colliderName === undefined ? undefined : names.take(safeName(colliderName));
	const textures = textureFiles(scene.materials);

	const obj = new ObjText(profile);
	obj.line(`# Orfeas ${VERSION}: ${base} (${profile.unitsPerMetre === 1 ? 'metres' : `${profile.unitsPerMetre} units per metre`}, ${profile.up} up)`);
	obj.line(`mtllib ${stem}.mtl`);
	const levels = lod === undefined ? scene.lods.map((_, level) => level) : [lod];
	for (const level of levels) obj.object(levelName(level), scene.lods[level], (group) => materialNames[group]);
	if (scene.collider && colliderName !== undefined) obj.object(colliderName, scene.collider.mesh, () => colliderMaterial!);

	const mtl: string[] = [`# Orfeas ${VERSION}: materials of ${stem}.obj`];
	scene.materials.forEach((material, i) => mtl.push('', ...materialLines(materialNames[i], material, material.texture && textures.get(material.texture))));
	if (colliderMaterial !== undefined) {
		// Colliders are not drawn; a flat half-transparent green keeps them apart from the model when they are.
		mtl.push('', ...materialLines(colliderMaterial, { name: colliderMaterial, baseColor: [0.2, 0.8, 0.2, 0.5], metallic: 0, roughness: 1 }));
	}

	const encoder = new TextEncoder();
	const files: ExportFile[] = [
		{ name: `${stem}.obj`, bytes: obj.bytes() },
		{ name: `${stem}.mtl`, bytes: encoder.encode(`${mtl.join('\n')}\n`) },
	];
	const written = new Set<string>();
	for (const [texture, name] of textures) {
		if (written.has(name)) continue;
		written.add(name);
		files.push({ name, bytes: texture.bytes });
	}
	return files;
}

/**
 * Accumulates the OBJ text; `v`, `vt` and `vn` indices are global to the file, so it counts them. Lines are
 * encoded in blocks: a million-triangle mesh never holds millions of line strings at once.
 */
class ObjText {
	private lines: string[] = [];
	private readonly blocks: Uint8Array[] = [];
	private readonly encoder = new TextEncoder();
	private positions = 0;
	private uvs = 0;
	private normals = 0;

	constructor(private readonly profile: Profile) {}

	line(text: string): void {
		this.lines.push(text);
		if (this.lines.length >= 65536) this.flush();
	}

	object(name: string, mesh: ExportMesh, materialOf: (material: number) => string): void {
		const { profile } = this;
		const line = (text: string) => this.line(text);
		// `g` before `o`: assimp makes an object of each, but `o` joins an object of the same name, so every reader
		// sees one node — whether it splits by object (Blender) or by group (FBX SDK importers).
		line(`g ${name}`);
		line(`o ${name}`);
		const vertices = mesh.positions.length / 3;
		const q = profilePositions(profile, mesh.positions);
		const colors = mesh.colors;
		for (let i = 0; i < vertices; i++) {
			// Vertex colours as the common `v x y z r g b` extension (sRGB, as Blender, MeshLab and assimp read it).
			const rgb = colors ? ` ${num(linearToSrgb(colors[3 * i]))} ${num(linearToSrgb(colors[3 * i + 1]))} ${num(linearToSrgb(colors[3 * i + 2]))}` : '';
			line(`v ${num(q[3 * i])} ${num(q[3 * i + 1])} ${num(q[3 * i + 2])}${rgb}`);
		}
		if (mesh.uvs) {
			for (let i = 0; i < vertices; i++) line(`vt ${num(mesh.uvs[2 * i])} ${num(1 - mesh.uvs[2 * i + 1])}`);
		}
		if (mesh.normals) {
			const n = profileDirections(profile, mesh.normals);
			for (let i = 0; i < vertices; i++) line(`vn ${num(n[3 * i])} ${num(n[3 * i + 1])} ${num(n[3 * i + 2])}`);
		}
		// 1-based; `v/vt/vn`, `v//vn`, `v/vt` or `v` depending on what the mesh has.
		const vOffset = this.positions + 1;
		const tOffset = this.uvs + 1;
		const nOffset = this.normals + 1;
		const corner = mesh.uvs
			? mesh.normals
				? (i: number) => `${i + vOffset}/${i + tOffset}/${i + nOffset}`
				: (i: number) => `${i + vOffset}/${i + tOffset}`
			: mesh.normals
				? (i: number) => `${i + vOffset}//${i + nOffset}`
				: (i: number) => `${i + vOffset}`;
		const { indices } = mesh;
		for (const group of mesh.groups) {
			if (group.count === 0) continue;
			line(`usemtl ${materialOf(group.material)}`);
			for (let t = group.start; t < group.start + group.count; t++) {
				line(`f ${corner(indices[3 * t])} ${corner(indices[3 * t + 1])} ${corner(indices[3 * t + 2])}`);
			}
		}
		this.positions += vertices;
		if (mesh.uvs) this.uvs += vertices;
		if (mesh.normals) this.normals += vertices;
	}

	bytes(): Uint8Array {
		this.flush();
		const out = new Uint8Array(this.blocks.reduce((sum, block) => sum + block.length, 0));
		let at = 0;
		for (const block of this.blocks) {
			out.set(block, at);
			at += block.length;
		}
		return out;
	}

	private flush(): void {
		if (this.lines.length === 0) return;
		this.blocks.push(this.encoder.encode(`${this.lines.join('\n')}\n`));
		this.lines = [];
	}
}

function materialLines(name: string, material: ExportMaterial, textureFile?: string): string[] {
	const [r, g, b, a] = material.baseColor;
	// Ns follows Blender's OBJ exporter, ((1 − roughness) · 30)², which its importer inverts; Pr/Pm are the
	// PBR extension that Blender and assimp read directly.
	const ns = ((1 - clamp01(material.roughness)) * 30) ** 2;
	const lines = [
		`newmtl ${name}`,
		`Kd ${num(r)} ${num(g)} ${num(b)}`,
		'Ks 0.5 0.5 0.5',
		`Ns ${num(ns)}`,
		`d ${num(a)}`,
		'illum 2',
		`Pr ${num(material.roughness)}`,
		`Pm ${num(material.metallic)}`,
	];
	if (textureFile) lines.push(`map_Kd ${textureFile}`);
	return lines;
}

function clamp01(value: number): number {
	return Math.min(1, Math.max(0, value));
}

/**
 * Six decimals, as Blender's exporter writes them (half a micrometre in metres), without trailing zeros or
 * exponent notation, which some OBJ readers do not accept. Rounding first lets `String` print the short form.
 */
function num(value: number): string {
	const rounded = Math.round(value * 1e6) / 1e6;
	return rounded === 0 ? '0' : String(rounded);
}
