// Scenes for the exporter tests, built here so every test knows exactly what went in: a textured box with UV
// seams (24 vertices, 12 triangles), a UV sphere fine enough for LOD chains, a vertex-coloured mesh, and a
// two-material mesh.
import sharp from 'sharp';
import type { ExportMaterial, ExportMesh, ExportScene, ExportTexture } from '../../daemon/src/export/scene';

/** A `size`² PNG checkerboard of two colours, so a texture that arrives can be told from one that does not. */
export async function checkerPng(size = 64, name = 'checker.png'): Promise<ExportTexture> {
	const data = new Uint8Array(size * size * 3);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const dark = ((x >> 3) + (y >> 3)) % 2 === 0;
			data.set(dark ? [200, 40, 40] : [240, 220, 90], (y * size + x) * 3);
		}
	}
	const bytes = await sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
	return { name, mime: 'image/png', bytes: new Uint8Array(bytes) };
}

export function material(name: string, texture?: ExportTexture): ExportMaterial {
	return { name, baseColor: [1, 1, 1, 1], metallic: 0, roughness: 0.8, texture };
}

/**
 * An axis-aligned box `width` × `height` × `depth` standing on the ground (y from 0), centred on x and z: six
 * faces of four vertices each, every face with the whole texture, outward normals.
 */
export function boxMesh(width = 0.6, height = 1, depth = 0.4): ExportMesh {
	const [hx, hz] = [width / 2, depth / 2];
	// Each face: normal, then four corners counter-clockwise seen from outside.
	const faces: [number[], number[][]][] = [
		[[0, 0, 1], [[-hx, 0, hz], [hx, 0, hz], [hx, height, hz], [-hx, height, hz]]],
		[[0, 0, -1], [[hx, 0, -hz], [-hx, 0, -hz], [-hx, height, -hz], [hx, height, -hz]]],
		[[1, 0, 0], [[hx, 0, hz], [hx, 0, -hz], [hx, height, -hz], [hx, height, hz]]],
		[[-1, 0, 0], [[-hx, 0, -hz], [-hx, 0, hz], [-hx, height, hz], [-hx, height, -hz]]],
		[[0, 1, 0], [[-hx, height, hz], [hx, height, hz], [hx, height, -hz], [-hx, height, -hz]]],
		[[0, -1, 0], [[-hx, 0, -hz], [hx, 0, -hz], [hx, 0, hz], [-hx, 0, hz]]],
	];
	const positions: number[] = [];
	const normals: number[] = [];
	const uvs: number[] = [];
	const indices: number[] = [];
	for (const [normal, corners] of faces) {
		const base = positions.length / 3;
		corners.forEach((corner, i) => {
			positions.push(...corner);
			normals.push(...normal);
			uvs.push(i === 0 || i === 3 ? 0 : 1, i < 2 ? 1 : 0);
		});
		indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
	}
	return singleMaterialMesh(positions, normals, uvs, indices);
}

/**
 * A UV sphere of diameter `height` resting on the ground: `rings` × `segments` quads, a seam column where
 * u wraps (duplicated vertices) and pole rows, so simplification has seams and many triangles to work on.
 */
export function sphereMesh(rings = 48, segments = 96, height = 1): ExportMesh {
	const r = height / 2;
	const positions: number[] = [];
	const normals: number[] = [];
	const uvs: number[] = [];
	for (let i = 0; i <= rings; i++) {
		const theta = (i / rings) * Math.PI;
		for (let j = 0; j <= segments; j++) {
			// The seam column and the poles repeat positions exactly, so welding by position closes the sphere.
			const phi = ((j % segments) / segments) * 2 * Math.PI;
			const ring = i === 0 || i === rings ? 0 : Math.sin(theta);
			const n = [ring * Math.sin(phi), i === 0 ? 1 : i === rings ? -1 : Math.cos(theta), ring * Math.cos(phi)];
			positions.push(n[0] * r, n[1] * r + r, n[2] * r);
			normals.push(...n);
			uvs.push(j / segments, i / rings);
		}
	}
	const indices: number[] = [];
	const row = segments + 1;
	for (let i = 0; i < rings; i++) {
		for (let j = 0; j < segments; j++) {
			const [a, b, c, d] = [i * row + j, (i + 1) * row + j, (i + 1) * row + j + 1, i * row + j + 1];
			if (i > 0) indices.push(a, b, d);
			if (i < rings - 1) indices.push(b, c, d);
		}
	}
	return singleMaterialMesh(positions, normals, uvs, indices);
}

/** Plain arrays as an ExportMesh whose triangles all use material 0. */
function singleMaterialMesh(positions: number[], normals: number[], uvs: number[], indices: number[]): ExportMesh {
	return {
		positions: new Float32Array(positions),
		normals: new Float32Array(normals),
		uvs: new Float32Array(uvs),
		indices: new Uint32Array(indices),
		groups: [{ material: 0, start: 0, count: indices.length / 3 }],
	};
}

/** The box with one texture: what most tests export. */
export async function texturedBoxScene(name = 'Crate'): Promise<ExportScene> {
	return { name, materials: [material(name, await checkerPng())], lods: [boxMesh()], lodRatios: [1] };
}

/** The sphere with a texture, for LOD chains. */
export async function texturedSphereScene(name = 'Ball'): Promise<ExportScene> {
	return { name, materials: [material(name, await checkerPng(128, `${name}_baseColor.png`))], lods: [sphereMesh()], lodRatios: [1] };
}

/** The box with a colour per vertex (red to green with height) and no UVs or texture: PLY's case. */
export function coloredBoxScene(name = 'Painted'): ExportScene {
	const mesh = boxMesh();
	const colors = new Float32Array(mesh.positions.length);
	for (let v = 0; v < mesh.positions.length / 3; v++) colors.set([1 - mesh.positions[v * 3 + 1], mesh.positions[v * 3 + 1], 0.2], v * 3);
	delete mesh.uvs;
	return { name, materials: [material(name)], lods: [{ ...mesh, colors }], lodRatios: [1] };
}

/** The box with its top and bottom in a second, untextured material: two material ranges. */
export async function twoMaterialBoxScene(name = 'Tile'): Promise<ExportScene> {
	const mesh = boxMesh();
	mesh.groups = [
		{ material: 0, start: 0, count: 8 },
		{ material: 1, start: 8, count: 4 },
	];
	const plain: ExportMaterial = { name: `${name}_Trim`, baseColor: [0.2, 0.3, 0.8, 1], metallic: 0.5, roughness: 0.4 };
	return { name, materials: [material(name, await checkerPng()), plain], lods: [mesh], lodRatios: [1] };
}

/** A textured sphere of 16 rings × 32 segments (17 × 33 vertices, 960 triangles) with a 4 × 8 LOD1. */
export async function twoLevelBallScene(name = 'Ball'): Promise<ExportScene> {
	return {
		name,
		materials: [material(name, await checkerPng(32, `${name}_baseColor.png`))],
		lods: [sphereMesh(16, 32), sphereMesh(4, 8)],
		lodRatios: [1, 0.1],
	};
}
