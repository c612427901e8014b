// Assembles the glTF document: one node, one mesh, one PBR material with the base-colour texture, all named
// after the input; metres, Y-up, standing on the ground (geometry/place.ts).
import { Document, Primitive, TextureInfo } from '@gltf-transform/core';
import sharp from 'sharp';
import { placeOnGround } from '../geometry/place';
import { VERSION } from '../version';
import type { RgbaImage, TriMesh } from './types';

export const NAME = 'assemble';

export interface AssembleOptions {
	/** Node, mesh and material name. */
	name: string;
	/** Height in metres. */
	height: number;
	/** JPEG quality of the base-colour texture. */
	jpegQuality: number;
}

export const ASSEMBLE_DEFAULTS: Readonly<Omit<AssembleOptions, 'name'>> = { height: 1, jpegQuality: 90 };

/**
 * Builds the document of a generated model.
 *
 * ```ts
 * const doc = await assemble(final, textureImage, { name: 'teapot', height: 1 });
 * ```
 */
export async function assemble(solid: TriMesh, baseColor: RgbaImage, options: Partial<AssembleOptions> & { name: string }): Promise<Document> {
	const { name, height, jpegQuality } = { ...ASSEMBLE_DEFAULTS, ...options };
	if (!solid.uvs || !solid.normals) throw new Error(`${NAME}: the mesh needs uvs and normals`);
	const positions = placeOnGround(solid.positions, height);
	const vertexCount = positions.length / 3;

	const jpeg = await sharp(baseColor.data, { raw: { width: baseColor.width, height: baseColor.height, channels: 4 } })
		.removeAlpha()
		.jpeg({ quality: jpegQuality, chromaSubsampling: '4:4:4' })
		.toBuffer();

	const doc = new Document();
	doc.getRoot().getAsset().generator = `Orfeas ${VERSION}`;
	const buffer = doc.createBuffer();
	const image = doc.createTexture(`${name}_baseColor`).setImage(new Uint8Array(jpeg)).setMimeType('image/jpeg');
	const material = doc
		.createMaterial(name)
		.setBaseColorTexture(image)
		.setMetallicFactor(0)
		.setRoughnessFactor(0.8);
	const info = material.getBaseColorTextureInfo()!;
	info.setMinFilter(TextureInfo.MinFilter.LINEAR_MIPMAP_LINEAR).setMagFilter(TextureInfo.MagFilter.LINEAR);
	info.setWrapS(TextureInfo.WrapMode.CLAMP_TO_EDGE).setWrapT(TextureInfo.WrapMode.CLAMP_TO_EDGE);

	const indices = vertexCount <= 65535 ? Uint16Array.from(solid.indices) : solid.indices;
	const prim = doc
		.createPrimitive()
		.setMode(Primitive.Mode.TRIANGLES)
		.setMaterial(material)
		.setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer))
		.setAttribute('NORMAL', doc.createAccessor().setType('VEC3').setArray(solid.normals).setBuffer(buffer))
		.setAttribute('TEXCOORD_0', doc.createAccessor().setType('VEC2').setArray(solid.uvs).setBuffer(buffer))
		.setIndices(doc.createAccessor().setType('SCALAR').setArray(indices).setBuffer(buffer));
	const mesh = doc.createMesh(name).addPrimitive(prim);
	const node = doc.createNode(name).setMesh(mesh);
	doc.createScene(name).addChild(node);
	doc.getRoot().setDefaultScene(doc.getRoot().listScenes()[0]);
	return doc;
}
