// Vertex colours baked into a texture atlas, for meshes that come with colours but no UVs (the `implicit`
// model kind): box-atlas.ts cuts the surface into charts and packs them, each triangle is rasterised into the
// texture with its colours interpolated, and push-pull bleeding fills the gaps between charts so filtering
// never reaches a background.
import { bleed } from '../imaging/bleed';
import type { RgbaImage } from '../pipeline/types';
import { boxAtlas } from './box-atlas';

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

export function bakeVertexColors(mesh: ColoredMesh, size: number): BakedMesh {
	const atlas = boxAtlas(mesh, size);
	const count = atlas.source.length;
	const positions = new Float32Array(count * 3);
	const colors = new Float32Array(count * 3);
	for (let v = 0; v < count; v++) {
		const from = atlas.source[v] * 3;
		positions.set(mesh.positions.subarray(from, from + 3), v * 3);
		colors.set(mesh.colors.subarray(from, from + 3), v * 3);
	}
	return { positions, indices: atlas.indices, uvs: atlas.uvs, image: rasterize(atlas.indices, atlas.uvs, colors, size) };
}

/** Draws every triangle in UV space with interpolated vertex colours, then bleeds past the charts. */
function rasterize(indices: Uint32Array, uvs: Float32Array, colors: Float32Array, size: number): RgbaImage {
	const rgba = new Uint8Array(size * size * 4);
	const covered = new Uint8Array(size * size);
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
				for (let ch = 0; ch < 3; ch++) {
					const v = (k0 * colors[a * 3 + ch] + k1 * colors[b * 3 + ch] + k2 * colors[c * 3 + ch]) / sum;
					rgba[p * 4 + ch] = Math.round(Math.min(1, Math.max(0, v)) * 255);
				}
				rgba[p * 4 + 3] = 255;
				covered[p] = 255;
			}
		}
	}
	return { data: bleed(rgba, covered, size, size), width: size, height: size };
}
