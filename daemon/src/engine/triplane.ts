// Triplane sampling as TripoSR does it (tsr/models/nerf_renderer.py, query_triplane): each point's coordinates,
// scaled from [-radius, radius] to [-1, 1], pick a texel position on each of the three planes, and
// torch.nn.functional.grid_sample(mode='bilinear', align_corners=False, padding_mode='zeros') reads the plane's
// channels there; the three planes' features are concatenated plane by plane ([N, 3 × C]). Equality with PyTorch
// is checked by test/engine/triplane-torch.test.ts.
//
// grid_sample's conventions, which decide everything here: the grid's first coordinate indexes the width and the
// second the height; with align_corners=False, -1 and 1 are the outer edges of the border texels, so texel i's
// centre sits at (2i + 1) / W − 1 and a coordinate g lands at ((g + 1) · W − 1) / 2 in texel units; the four taps
// that fall outside the plane read zero.
import type { TriplaneSpec } from './manifest';

const AXIS = { x: 0, y: 1, z: 2 } as const;

/** A triplane ready to sample: its values re-laid channel-last, so one tap reads C consecutive floats. */
export class Triplane {
	readonly channels: number;
	readonly height: number;
	readonly width: number;
	private readonly texels: Float32Array;
	private readonly axes: [number, number][];

	/**
	 * @param values the encoder's output, [3, C, H, W] (a batch axis of 1 in front is fine)
	 * @param spec the manifest's triplane section (shape and plane axes)
	 */
	constructor(values: Float32Array, spec: Pick<TriplaneSpec, 'shape' | 'planes'>) {
		const [, channels, height, width] = spec.shape;
		if (values.length !== 3 * channels * height * width) throw new RangeError(`Triplane: ${values.length} values for a triplane of [${spec.shape.join(', ')}].`);
		this.channels = channels;
		this.height = height;
		this.width = width;
		this.axes = spec.planes.map(([u, v]) => [AXIS[u], AXIS[v]]);
		const plane = height * width;
		this.texels = new Float32Array(values.length);
		for (let p = 0; p < 3; p++) {
			for (let c = 0; c < channels; c++) {
				const from = (p * channels + c) * plane;
				for (let t = 0; t < plane; t++) this.texels[(p * plane + t) * channels + c] = values[from + t];
			}
		}
	}

	/** Width of a point's feature vector: three planes' channels. */
	get features(): number {
		return 3 * this.channels;
	}

	/**
	 * Features at points given in grid coordinates ([-1, 1] across the triplane), [N, 3 × C], plane by plane.
	 *
	 * @example triplane.sample(Float32Array.of(0, 0, 0)) // the features at the centre, 3 × C values
	 */
	sample(points: Float32Array, out = new Float32Array((points.length / 3) * this.features)): Float32Array {
		const { channels: C, width: W, height: H, texels } = this;
		const n = points.length / 3;
		const plane = W * H * C;
		const [ua, va] = [Int32Array.from(this.axes, ([u]) => u), Int32Array.from(this.axes, ([, v]) => v)];
		for (let i = 0; i < n; i++) {
			for (let p = 0; p < 3; p++) {
				const a = ua[p];
				const b = va[p];
				const ix = unnormalize(points[i * 3 + a], W);
				const iy = unnormalize(points[i * 3 + b], H);
				const x0 = Math.floor(ix);
				const y0 = Math.floor(iy);
				// The weights as PyTorch forms them, in float32: (x0 + 1 − ix)(y0 + 1 − iy) for the top-left tap, ….
				const wx0 = f32(x0 + 1 - ix);
				const wy0 = f32(y0 + 1 - iy);
				const wx1 = f32(ix - x0);
				const wy1 = f32(iy - y0);
				const o = (i * 3 + p) * C;
				const base = p * plane;
				const w00 = f32(wx0 * wy0);
				const w10 = f32(wx1 * wy0);
				const w01 = f32(wx0 * wy1);
				const w11 = f32(wx1 * wy1);
				if (x0 >= 0 && y0 >= 0 && x0 + 1 < W && y0 + 1 < H) {
					// All four taps on the plane: one pass over the channels.
					const t00 = base + (y0 * W + x0) * C;
					const t10 = t00 + C;
					const t01 = t00 + W * C;
					const t11 = t01 + C;
					for (let c = 0; c < C; c++) out[o + c] = w00 * texels[t00 + c] + w10 * texels[t10 + c] + w01 * texels[t01 + c] + w11 * texels[t11 + c];
					continue;
				}
				out.fill(0, o, o + C);
				tap(texels, out, o, C, base, x0, y0, W, H, w00);
				tap(texels, out, o, C, base, x0 + 1, y0, W, H, w10);
				tap(texels, out, o, C, base, x0, y0 + 1, W, H, w01);
				tap(texels, out, o, C, base, x0 + 1, y0 + 1, W, H, w11);
			}
		}
		return out;
	}
}

const f32 = Math.fround;

/** A grid coordinate in texel units (align_corners=False), rounded at each step as PyTorch's float32 kernel does. */
function unnormalize(g: number, size: number): number {
	return f32(f32(f32(f32(g + 1) * size) - 1) / 2);
}

/** Adds weight × texel (x, y) of one plane to out[o .. o + C); a texel outside the plane is zero. */
function tap(texels: Float32Array, out: Float32Array, o: number, C: number, base: number, x: number, y: number, W: number, H: number, weight: number): void {
	if (x < 0 || y < 0 || x >= W || y >= H || weight === 0) return;
	const t = base + (y * W + x) * C;
	for (let c = 0; c < C; c++) out[o + c] += weight * texels[t + c];
}
