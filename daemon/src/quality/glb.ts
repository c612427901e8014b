// Reads a GLB back into one world-space triangle list plus its base-colour texture, so the topology and
// raster checks can judge an exported file exactly as an engine would load it.
import { NodeIO, type Material } from '@gltf-transform/core';
import sharp from 'sharp';
import { flattenDocument } from '../export/load-glb';
import type { RgbaImage } from '../pipeline/types';

/** The triangles of a GLB's default scene, in world space. */
export interface GlbMesh {
	positions: Float32Array;
	indices: Uint32Array;
	/** TEXCOORD_0, present when any primitive has it (0 where one has not). */
	uvs?: Float32Array;
	/** The first material's base-colour texture, decoded to RGBA. */
	texture?: RgbaImage;
	/** Names of the nodes in the default scene, in traversal order. */
	nodeNames: string[];
	/** Names of every material and mesh in the file. */
	materialNames: string[];
	meshNames: string[];
}

/**
 * Parses a GLB and merges the triangles of every mesh primitive in the default scene (or the first scene),
 * with node world transforms applied. Strips and fans become triangle lists; points and lines are skipped.
 * Under a mirroring transform (negative determinant) the winding is flipped, as glTF renderers do.
 *
 * @example
 * const mesh = await readGlb(await fs.readFile('model.glb'));
 * analyzeTopology(mesh.positions, mesh.indices).watertight;
 */
export async function readGlb(bytes: Uint8Array): Promise<GlbMesh> {
	const document = await new NodeIO().readBinary(bytes);
	const root = document.getRoot();
	const flat = flattenDocument(document);
	return {
		positions: flat.positions,
		indices: flat.indices,
		uvs: flat.uvs,
		texture: await decodeBaseColor(flat.materials[0] ?? root.listMaterials()[0]),
		nodeNames: flat.nodeNames,
		materialNames: root.listMaterials().map((m) => m.getName()),
		meshNames: root.listMeshes().map((m) => m.getName()),
	};
}

async function decodeBaseColor(material: Material | undefined | null): Promise<RgbaImage | undefined> {
	const image = material?.getBaseColorTexture()?.getImage();
	if (!image) return undefined;
	const { data, info } = await sharp(image)
		.toColourspace('srgb')
		.ensureAlpha()
		.raw({ depth: 'uchar' })
		.toBuffer({ resolveWithObject: true });
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
