// Colours baked into a texture atlas, for meshes that come without UVs: box-atlas.ts cuts the surface into charts
// and packs them, each triangle is rasterised into the texture, and push-pull bleeding fills the gaps between
// charts so filtering never reaches a background. What each texel shows comes from the vertex colours (the
// `implicit` model kind), from a function of the surface point and normal (pictures projected onto it), or from a
// colour field asked in batches at every texel's surface point (a triplane model's decoder).
import { bleed } from '../imaging/bleed';
import type { RgbaImage, StageContext } from '../pipeline/types';
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

/** RGB (0–1, three per point) of a colour field at surface points, e.g. a model's decoder; asked in batches. */
export type ColorField = (points: Float32Array) => Promise<Float32Array>;

/**
 * Bakes a colour field: every covered texel's surface point is found first, then the field is asked for all of
 * them in batches of `batch` (so a decoder runs in chunks, with progress and cancellation between them).
 */
export async function bakeField(
	mesh: { positions: Float32Array; indices: Uint32Array },
	size: number,
	field: ColorField,
	ctx: StageContext,
	batch = 16384,
): Promise<BakedMesh> {
	const { atlas, positions } = atlasFor(mesh, size);
	const covered = new Uint8Array(size * size);
	const at = new Float32Array(size * size * 3);
	walkTexels(atlas.indices, atlas.uvs, size, covered, (p, a, b, c, k0, k1, k2) => {
		for (let ch = 0; ch < 3; ch++) at[p * 3 + ch] = k0 * positions[a * 3 + ch] + k1 * positions[b * 3 + ch] + k2 * positions[c * 3 + ch];
		return true;
	});
	let total = 0;
	for (let p = 0; p < covered.length; p++) if (covered[p]) total++;
	const rgba = new Uint8Array(size * size * 4);
	// The covered texels in batches, found by walking the coverage in order (no list of them is kept).
	const texels = new Int32Array(batch);
	const points = new Float32Array(batch * 3);
	let done = 0;
	for (let next = 0; done < total; ) {
		ctx.signal.throwIfAborted();
		let count = 0;
		for (; next < covered.length && count < batch; next++) {
			if (!covered[next]) continue;
			texels[count] = next;
			points.set(at.subarray(next * 3, next * 3 + 3), count * 3);
			count++;
		}
		const rgb = await field(points.slice(0, count * 3));
		for (let i = 0; i < count; i++) {
			const p = texels[i];
			for (let ch = 0; ch < 3; ch++) rgba[p * 4 + ch] = Math.round(Math.min(1, Math.max(0, rgb[i * 3 + ch])) * 255);
			rgba[p * 4 + 3] = 255;
		}
		done += count;
		ctx.progress(done / total);
	}
	return { positions, indices: atlas.indices, uvs: atlas.uvs, image: { data: bleed(rgba, covered, size, size), width: size, height: size } };
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
	walkTexels(indices, uvs, size, covered, (p, a, b, c, k0, k1, k2) => {
		if (!shade(a, b, c, k0, k1, k2, rgb)) return false;
		for (let ch = 0; ch < 3; ch++) rgba[p * 4 + ch] = Math.round(Math.min(1, Math.max(0, rgb[ch])) * 255);
		rgba[p * 4 + 3] = 255;
		return true;
	});
	return { data: bleed(rgba, covered, size, size), width: size, height: size };
}

/**
 * Visits every texel each triangle covers in UV space, with the triangle's corners and the texel centre's
 * barycentric weights; `visit` returns whether it coloured texel `p`, which `covered` then records. A texel
 * already covered is visited again only from a triangle that holds its centre.
 */
function walkTexels(
	indices: Uint32Array,
	uvs: Float32Array,
	size: number,
	covered: Uint8Array,
	visit: (p: number, a: number, b: number, c: number, k0: number, k1: number, k2: number) => boolean,
): void {
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
				if (visit(p, a, b, c, k0 / sum, k1 / sum, k2 / sum)) covered[p] = 255;
			}
		}
	}
}
