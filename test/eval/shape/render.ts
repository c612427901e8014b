// Multi-view orthographic rasteriser for the shape eval: z-buffered triangles drawn into a square RGBA picture,
// alpha 0 where nothing is hit. It generalises the front-only daemon/src/quality/raster.ts to the five views of
// views.ts; the pictures are both the pipeline's input and the silhouettes the oracle rows carve from.
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { bilinear } from '../../../daemon/src/imaging/bilinear';
import type { RgbaImage } from '../../../daemon/src/pipeline/types';
import type { TriangleMesh } from './mesh';
import { project, VIEW_AXES, type Vec3, type ViewAxes, type ViewFrame, type ViewName } from './views';

/** What to draw: the triangles, and either a texture (with glTF UVs, v = 0 at the top) or a flat colour. */
export interface RenderMesh extends TriangleMesh {
	uvs?: Float32Array;
	texture?: RgbaImage;
	/** sRGB 0–255 base colour for Lambert shading when there is no texture. */
	color: [number, number, number];
}

/** A hair of tolerance so a pixel centre exactly on a shared edge is not lost to rounding on both sides. */
const EDGE_EPSILON = 1e-9;
/** Light from over the viewer's left shoulder, in view space (right, up, toward the camera). */
const LIGHT = normalize([-0.35, 0.55, 0.75]);
/** Share of the colour every lit-or-not surface keeps, so faces turned away are dark but not black. */
const AMBIENT = 0.3;

/**
 * Draws one view. Textured meshes show the texture unlit (the picture the pipeline gets is the photo, not a
 * shading of it); the rest are Lambert-shaded per face with both sides lit alike, because scanned meshes are
 * not always consistently oriented.
 */
export function renderView(mesh: RenderMesh, view: ViewName, frame: ViewFrame): RgbaImage {
	const axes = VIEW_AXES[view];
	const size = frame.size;
	const data = new Uint8Array(size * size * 4);
	const depth = new Float32Array(size * size).fill(-Infinity);
	const { positions, indices } = mesh;
	const uvs = mesh.texture ? mesh.uvs : undefined;
	const projected = new Float32Array(positions.length);
	const p = [0, 0, 0];
	for (let v = 0; v < positions.length / 3; v++) {
		project(frame, axes, positions[3 * v], positions[3 * v + 1], positions[3 * v + 2], p);
		projected.set(p, 3 * v);
	}
	const texel = [0, 0, 0, 0];
	const shade = [0, 0, 0];

	for (let t = 0; t + 2 < indices.length; t += 3) {
		const a = indices[t], b = indices[t + 1], c = indices[t + 2];
		const ax = projected[3 * a], ay = projected[3 * a + 1], az = projected[3 * a + 2];
		const bx = projected[3 * b], by = projected[3 * b + 1], bz = projected[3 * b + 2];
		const cx = projected[3 * c], cy = projected[3 * c + 1], cz = projected[3 * c + 2];
		const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
		if (area === 0 || !Number.isFinite(area)) continue;
		if (!uvs) faceShade(positions, a, b, c, axes, mesh.color, shade);
		const col0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx) - 0.5));
		const col1 = Math.min(size - 1, Math.floor(Math.max(ax, bx, cx) - 0.5));
		const row0 = Math.max(0, Math.ceil(Math.min(ay, by, cy) - 0.5));
		const row1 = Math.min(size - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
		for (let row = row0; row <= row1; row++) {
			const y = row + 0.5;
			for (let col = col0; col <= col1; col++) {
				const x = col + 0.5;
				// Dividing by the signed area makes both windings come out non-negative inside.
				const w0 = ((bx - x) * (cy - y) - (cx - x) * (by - y)) / area;
				const w1 = ((cx - x) * (ay - y) - (ax - x) * (cy - y)) / area;
				const w2 = 1 - w0 - w1;
				if (w0 < -EDGE_EPSILON || w1 < -EDGE_EPSILON || w2 < -EDGE_EPSILON) continue;
				const pixel = row * size + col;
				const z = w0 * az + w1 * bz + w2 * cz;
				if (z <= depth[pixel]) continue;
				depth[pixel] = z;
				const o = 4 * pixel;
				if (uvs && mesh.texture) {
					const u = w0 * uvs[2 * a] + w1 * uvs[2 * b] + w2 * uvs[2 * c];
					const v = w0 * uvs[2 * a + 1] + w1 * uvs[2 * b + 1] + w2 * uvs[2 * c + 1];
					const tex = mesh.texture;
					bilinear(tex.data, tex.width, tex.height, 4, u * tex.width - 0.5, v * tex.height - 0.5, texel);
					data[o] = Math.round(texel[0]);
					data[o + 1] = Math.round(texel[1]);
					data[o + 2] = Math.round(texel[2]);
				} else {
					data[o] = shade[0];
					data[o + 1] = shade[1];
					data[o + 2] = shade[2];
				}
				// Opaque wherever the surface is, whatever the texture's own alpha: the alpha is the silhouette.
				data[o + 3] = 255;
			}
		}
	}
	return { data, width: size, height: size };
}

/** Lambert colour of a face: its world normal expressed in view space (right, up, toward the camera). */
function faceShade(positions: Float32Array, a: number, b: number, c: number, axes: ViewAxes, color: readonly number[], out: number[]): void {
	const ux = positions[3 * b] - positions[3 * a], uy = positions[3 * b + 1] - positions[3 * a + 1], uz = positions[3 * b + 2] - positions[3 * a + 2];
	const vx = positions[3 * c] - positions[3 * a], vy = positions[3 * c + 1] - positions[3 * a + 1], vz = positions[3 * c + 2] - positions[3 * a + 2];
	const n = [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
	const dot = (d: Vec3) => n[0] * d[0] + n[1] * d[1] + n[2] * d[2];
	const [nx, ny, nz] = normalize([dot(axes.right), -dot(axes.down), dot(axes.toward)]);
	const lambert = Math.abs(nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]);
	const k = AMBIENT + (1 - AMBIENT) * lambert;
	for (let i = 0; i < 3; i++) out[i] = Math.round(color[i] * k);
}

function normalize(v: number[]): number[] {
	const length = Math.hypot(v[0], v[1], v[2]) || 1;
	return [v[0] / length, v[1] / length, v[2] / length];
}

/** Writes an RGBA picture as a PNG file and returns the bytes written. */
export async function writePng(image: RgbaImage, file: string): Promise<Uint8Array> {
	const png = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
		raw: { width: image.width, height: image.height, channels: 4 },
	})
		.png()
		.toBuffer();
	await writeFile(file, png);
	return new Uint8Array(png);
}
