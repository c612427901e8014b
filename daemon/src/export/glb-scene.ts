// GLB writer for an ExportScene: glTF is always Y-up metres, so the profile only names things — the root node
// after the object, LOD levels as `Name_LOD0…n` children, the collider as the profile's collider node.
import { Document, Primitive, TextureInfo, type Buffer, type Material, type Mesh } from '@gltf-transform/core';
import { ExportProfile } from '../protocol/options';
import { VERSION } from '../version';
import { writeGlb } from './glb';
import { PROFILES } from './profiles';
import { validateScene, type ExportFile, type ExportMaterial, type ExportMesh, type ExportScene } from './scene';

export const NAME = 'glb-scene';

export interface GlbSceneOptions {
	profile: ExportProfile;
}

export const GLB_SCENE_DEFAULTS: Readonly<GlbSceneOptions> = { profile: 'generic' };

/**
 * `Name.glb`. One LOD: a single node `Name` with the mesh. Several: a node `Name` whose children are the
 * levels. The collider is a child of the root, without a material.
 */
export async function writeSceneGlb(scene: ExportScene, options: Partial<GlbSceneOptions> = {}): Promise<ExportFile[]> {
	validateScene(scene);
	const profile = PROFILES[options.profile ?? GLB_SCENE_DEFAULTS.profile];
	return [{ name: `${scene.name}.glb`, bytes: await writeGlb(sceneDocument(scene, profile.id)) }];
}

/** The glTF document of a scene, named for the profile. */
export function sceneDocument(scene: ExportScene, profileId: ExportProfile): Document {
	const profile = PROFILES[profileId];
	const doc = new Document();
	doc.getRoot().getAsset().generator = `Orfeas ${VERSION}`;
	const buffer = doc.createBuffer();
	const materials = gltfMaterials(doc, scene.materials);
	const meshNode = (name: string, mesh: ExportMesh, withMaterials: boolean) => doc.createNode(name).setMesh(gltfMesh(doc, buffer, name, mesh, withMaterials ? materials : null));

	const root =
		scene.lods.length === 1
			? meshNode(scene.name, scene.lods[0], true)
			: scene.lods.reduce((node, mesh, level) => node.addChild(meshNode(profile.lodName(scene.name, level), mesh, true)), doc.createNode(scene.name));
	if (scene.collider) root.addChild(meshNode(profile.colliderName(scene.name, scene.collider.kind), scene.collider.mesh, false));
	doc.createScene(scene.name).addChild(root);
	doc.getRoot().setDefaultScene(doc.getRoot().listScenes()[0]);
	return doc;
}

/** glTF materials for an ExportScene's materials, in order, each texture as a texture with mipmapped sampling. */
export function gltfMaterials(doc: Document, materials: readonly ExportMaterial[]): Material[] {
	return materials.map((m) => {
		const material = doc
			.createMaterial(m.name)
			.setBaseColorFactor(m.baseColor)
			.setMetallicFactor(m.metallic)
			.setRoughnessFactor(m.roughness);
		if (m.baseColor[3] < 1) material.setAlphaMode('BLEND');
		if (m.texture) {
			const texture = doc.createTexture(m.texture.name.replace(/\.[^.]+$/, '')).setImage(m.texture.bytes).setMimeType(m.texture.mime);
			material.setBaseColorTexture(texture);
			material.getBaseColorTextureInfo()!.setMinFilter(TextureInfo.MinFilter.LINEAR_MIPMAP_LINEAR).setMagFilter(TextureInfo.MagFilter.LINEAR);
		}
		return material;
	});
}

/**
 * A glTF mesh: one primitive per material range, drawn with `materials[range.material]`, or a single primitive
 * without material when `materials` is null (colliders). Attributes are shared by the primitives.
 */
export function gltfMesh(doc: Document, buffer: Buffer, name: string, mesh: ExportMesh, materials: readonly Material[] | null): Mesh {
	const gltfMesh = doc.createMesh(name);
	const attributes = {
		POSITION: doc.createAccessor().setType('VEC3').setArray(mesh.positions).setBuffer(buffer),
		NORMAL: mesh.normals && doc.createAccessor().setType('VEC3').setArray(mesh.normals).setBuffer(buffer),
		TEXCOORD_0: mesh.uvs && doc.createAccessor().setType('VEC2').setArray(mesh.uvs).setBuffer(buffer),
		COLOR_0: mesh.colors && doc.createAccessor().setType('VEC3').setArray(mesh.colors).setBuffer(buffer),
	};
	const wide = mesh.positions.length / 3 > 65535;
	const groups = materials ? mesh.groups : [{ material: -1, start: 0, count: mesh.indices.length / 3 }];
	for (const group of groups) {
		const slice = mesh.indices.subarray(group.start * 3, (group.start + group.count) * 3);
		const primitive = doc
			.createPrimitive()
			.setMode(Primitive.Mode.TRIANGLES)
			.setIndices(doc.createAccessor().setType('SCALAR').setArray(wide ? slice.slice() : Uint16Array.from(slice)).setBuffer(buffer))
			.setMaterial(materials?.[group.material] ?? null);
		for (const [semantic, accessor] of Object.entries(attributes)) if (accessor) primitive.setAttribute(semantic, accessor);
		gltfMesh.addPrimitive(primitive);
	}
	return gltfMesh;
}
