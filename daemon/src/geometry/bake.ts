// Colours baked into a texture atlas, for meshes that come without UVs: box-atlas.ts cuts the surface into charts
// and packs them, each triangle is rasterised into the texture, and push-pull bleeding fills the gaps between
// charts so filtering never reaches a background. What each texel shows comes from the vertex colours (the
// `implicit` model kind) or from a function of the surface point and normal (pictures projected onto it).
import { bleed } from '../imaging/bleed';
import type { RgbaImage } from '../pipeline/types';
import { boxAtlas, type Atlas } from './box-atlas';
import { vertexNormals } from './normals';

export interface ColoredMesh {
	positions: Float32Array;
	indices: Uint32Array;
	/** RGB per vertex, 0–1. */
	colors: Float32Array;
}

export interface BakedMesh {
	positions: Float32Array;
	indices: Uint32Array;
	uvs: Float32Array;
	image: RgbaImage;
}

/**
 * Colour of the surface at a point with a unit normal; writes RGB (0–1) into `out`. Returns false when it has
 * nothing to say there (the texel is then filled from its neighbours, like the space between charts).
 */
export type SurfaceShader = (point: Float32Array, normal: Float32Array, out: Float32Array) => boolean;

export function bakeVertexColors(mesh: ColoredMesh, size: number): BakedMesh {
	const { atlas, positions } = atlasFor(mesh, size);
	const colors = gather(mesh.colors, atlas.source, 3);
	const image = rasterize(atlas.indices, atlas.uvs, size, (a, b, c, k0, k1, k2, rgb) => {
		for (let ch = 0; ch < 3; ch++) rgb[ch] = k0 * colors[a * 3 + ch] + k1 * colors[b * 3 + ch] + k2 * colors[c * 3 + ch];
		return true;
	});
	return { positions, indices: atlas.indices, uvs: atlas.uvs, image };
}

/**
 * Bakes what `shade` says of every texel's surface point (interpolated position and smooth normal).
 *
 * ```ts
 * const baked = bakeSurface(mesh, 1024, (p, n, rgb) => (rgb.set([n[0] * 0.5 + 0.5, n[1] * 0.5 + 0.5, n[2] * 0.5 + 0.5]), true));
 * ```
 */
export function bakeSurface(mesh: { positions: Float32Array; indices: Uint32Array }, size: number, shade: SurfaceShader): BakedMesh {
	const { atlas, positions } = atlasFor(mesh, size);
	const normals = gather(vertexNormals(mesh.positions, mesh.indices), atlas.source, 3);
	const point = new Float32Array(3);
	const normal = new Float32Array(3);
	const image = rasterize(atlas.indices, atlas.uvs, size, (a, b, c, k0, k1, k2, rgb) => {
		for (let ch = 0; ch < 3; ch++) {
			point[ch] = k0 * positions[a * 3 + ch] + k1 * positions[b * 3 + ch] + k2 * positions[c * 3 + ch];
			normal[ch] = k0 * normals[a * 3 + ch] + k1 * normals[b * 3 + ch] + k2 * normals[c * 3 + ch];
		}
		const length = Math.hypot(normal[0], normal[1], normal[2]) || 1;
		for (let ch = 0; ch < 3; ch++) normal[ch] /= length;
		return shade(point, normal, rgb);
	});
	return { positions, indices: atlas.indices, uvs: atlas.uvs, image };
}

function atlasFor(mesh: { positions: Float32Array; indices: Uint32Array }, size: number): { atlas: Atlas; positions: Float32Array } {
	const atlas = boxAtlas(mesh, size);
	return { atlas, positions: gather(mesh.positions, atlas.source, 3) };
}

/** Per-vertex values copied to the atlas's vertices (a seam vertex gets its source's values in every chart). */
function gather(values: Float32Array, source: Uint32Array, stride: number): Float32Array {
	const out = new Float32Array(source.length * stride);
	for (let v = 0; v < source.length; v++) out.set(values.subarray(source[v] * stride, source[v] * stride + stride), v * stride);
	return out;
}

/** Colour of a texel inside triangle (a, b, c) at barycentric weights (k0, k1, k2); false leaves it to the bleed. */
type TexelShader = (a: number, b: number, c: number, k0: number, k1: number, k2: number, rgb: Float32Array) => boolean;

/** Draws every triangle in UV space, asking `shade` for each texel's colour, then bleeds past the charts. */
function rasterize(indices: Uint32Array, uvs: Float32Array, size: number, shade: TexelShader): RgbaImage {
	const rgba = new Uint8Array(size * size * 4);
	const covered = new Uint8Array(size * size);
	const rgb = new Float32Array(3);
	for (let t = 0; t < indices.length; t += 3) {
		const [a, b, c] = [indices[t], indices[t + 1], indices[t + 2]];
		const ax = uvs[a * 2] * size, ay = uvs[a * 2 + 1] * size;
		const bx = uvs[b * 2] * size, by = uvs[b * 2 + 1] * size;
		const cx = uvs[c * 2] * size, cy = uvs[c * 2 + 1] * size;
		const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
		if (area === 0) continue;
		// Conservative by half a texel, so texels on chart borders get the chart's colour, not the bleed's.
		const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx) - 0.5));
		const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx, cx) + 0.5));
		const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy) - 0.5));
		const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by, cy) + 0.5));
		const slack = (1 / Math.abs(area)) * Math.hypot(bx - ax, by - ay, cx - bx, cy - by, ax - cx, ay - cy) * 0.5;
		for (let y = y0; y <= y1; y++) {
			for (let x = x0; x <= x1; x++) {
				const px = x + 0.5;
				const py = y + 0.5;
				const w0 = ((bx - px) * (cy - py) - (cx - px) * (by - py)) / area;
				const w1 = ((cx - px) * (ay - py) - (ax - px) * (cy - py)) / area;
				const w2 = 1 - w0 - w1;
				if (w0 < -slack || w1 < -slack || w2 < -slack) continue;
				const p = y * size + x;
				if (covered[p] && (w0 < 0 || w1 < 0 || w2 < 0)) continue;
				const k0 = Math.max(0, w0), k1 = Math.max(0, w1), k2 = Math.max(0, w2);
				const sum = k0 + k1 + k2 || 1;
				if (!shade(a, b, c, k0 / sum, k1 / sum, k2 / sum, rgb)) continue;
				for (let ch = 0; ch < 3; ch++) rgba[p * 4 + ch] = Math.round(Math.min(1, Math.max(0, rgb[ch])) * 255);
				rgba[p * 4 + 3] = 255;
				covered[p] = 255;
			}
		}
	}
	return { data: bleed(rgba, covered, size, size), width: size, height: size };
}
