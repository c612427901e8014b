// Reads a GLB back into one world-space triangle list plus its base-colour texture, so the topology and
// raster checks can judge an exported file exactly as an engine would load it.
import { NodeIO, Primitive, type Material, type mat4 } from '@gltf-transform/core';
import sharp from 'sharp';
import type { RgbaImage } from '../pipeline/types';

/** The triangles of a GLB's default scene, in world space. */
export interface GlbMesh {
	positions: Float32Array;
	indices: Uint32Array;
	/** TEXCOORD_0, present only when every primitive has it. */
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
	const scene = root.getDefaultScene() ?? root.listScenes()[0];
	const positions: number[] = [];
	const uvs: number[] = [];
	const indices: number[] = [];
	const nodeNames: string[] = [];
	let allHaveUvs = true;
	let firstMaterial: Material | null = null;

	scene?.traverse((node) => {
		nodeNames.push(node.getName());
		const mesh = node.getMesh();
		if (!mesh) return;
		const world = node.getWorldMatrix();
		const mirrored = determinant3(world) < 0;
		for (const primitive of mesh.listPrimitives()) {
			const triangles = triangleList(primitive);
			const position = primitive.getAttribute('POSITION');
			if (!triangles || !position) continue;
			firstMaterial ??= primitive.getMaterial();
			const base = positions.length / 3;
			const p = [0, 0, 0];
			for (let i = 0; i < position.getCount(); i++) {
				position.getElement(i, p);
				positions.push(
					world[0] * p[0] + world[4] * p[1] + world[8] * p[2] + world[12],
					world[1] * p[0] + world[5] * p[1] + world[9] * p[2] + world[13],
					world[2] * p[0] + world[6] * p[1] + world[10] * p[2] + world[14],
				);
			}
			const texcoord = primitive.getAttribute('TEXCOORD_0');
			if (texcoord) {
				const uv = [0, 0];
				for (let i = 0; i < texcoord.getCount(); i++) uvs.push(...texcoord.getElement(i, uv));
			} else {
				allHaveUvs = false;
			}
			for (let i = 0; i < triangles.length; i += 3) {
				if (mirrored) indices.push(base + triangles[i], base + triangles[i + 2], base + triangles[i + 1]);
				else indices.push(base + triangles[i], base + triangles[i + 1], base + triangles[i + 2]);
			}
		}
	});

	const texture = await decodeBaseColor(firstMaterial ?? root.listMaterials()[0]);
	return {
		positions: new Float32Array(positions),
		indices: new Uint32Array(indices),
		uvs: allHaveUvs && positions.length > 0 ? new Float32Array(uvs) : undefined,
		texture,
		nodeNames,
		materialNames: root.listMaterials().map((m) => m.getName()),
		meshNames: root.listMeshes().map((m) => m.getName()),
	};
}

/** The primitive's triangles as a flat list of vertex indices, or undefined for points and lines. */
function triangleList(primitive: Primitive): number[] | undefined {
	const mode = primitive.getMode();
	const count = primitive.getIndices()?.getCount() ?? primitive.getAttribute('POSITION')?.getCount() ?? 0;
	const indexAccessor = primitive.getIndices();
	const at = (i: number) => (indexAccessor ? indexAccessor.getScalar(i) : i);
	const out: number[] = [];
	if (mode === Primitive.Mode.TRIANGLES) {
		for (let i = 0; i + 2 < count; i += 3) out.push(at(i), at(i + 1), at(i + 2));
	} else if (mode === Primitive.Mode.TRIANGLE_STRIP) {
		// Odd strip triangles swap their last two vertices to keep one winding (glTF § 3.7.2.1).
		for (let i = 0; i + 2 < count; i++) out.push(at(i), at(i + 1 + (i % 2)), at(i + 2 - (i % 2)));
	} else if (mode === Primitive.Mode.TRIANGLE_FAN) {
		for (let i = 1; i + 1 < count; i++) out.push(at(i), at(i + 1), at(0));
	} else {
		return undefined;
	}
	return out;
}

function determinant3(m: mat4): number {
	return (
		m[0] * (m[5] * m[10] - m[9] * m[6]) - m[4] * (m[1] * m[10] - m[9] * m[2]) + m[8] * (m[1] * m[6] - m[5] * m[2])
	);
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
