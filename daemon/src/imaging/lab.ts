// sRGB → CIE L*a*b* (D65), for colour distances that follow perception (ΔE76 = Euclidean distance in Lab).
import { srgbToLinear } from './srgb';

const LINEAR = new Float32Array(256);
for (let i = 0; i < 256; i++) LINEAR[i] = srgbToLinear(i / 255);

// Cube-root table for f(t) in the Lab formula, indexed by t quantised to 1/4096 (t ∈ [0, 1.1] here).
const F_STEPS = 4096;
const F_TABLE = new Float32Array(Math.ceil(F_STEPS * 1.1) + 2);
for (let i = 0; i < F_TABLE.length; i++) F_TABLE[i] = labF(i / F_STEPS);

function labF(t: number): number {
	return t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
}

function fastF(t: number): number {
	const x = t * F_STEPS;
	const i = x | 0;
	const w = x - i;
	return F_TABLE[i] * (1 - w) + F_TABLE[i + 1] * w;
}

/** Lab triple of one 8-bit sRGB colour. */
export function rgbToLab(r: number, g: number, b: number, out: Float32Array | number[] = new Float32Array(3), offset = 0): typeof out {
	const rl = LINEAR[r];
	const gl = LINEAR[g];
	const bl = LINEAR[b];
	const x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / 0.95047;
	const y = 0.2126729 * rl + 0.7151522 * gl + 0.072175 * bl;
	const z = (0.0193339 * rl + 0.119192 * gl + 0.9503041 * bl) / 1.08883;
	const fx = fastF(x);
	const fy = fastF(y);
	const fz = fastF(z);
	out[offset] = 116 * fy - 16;
	out[offset + 1] = 500 * (fx - fy);
	out[offset + 2] = 200 * (fy - fz);
	return out;
}

/** Lab triples of every pixel of an RGBA buffer (alpha ignored). */
export function rgbaToLab(rgba: Uint8Array, pixels: number): Float32Array {
	const lab = new Float32Array(pixels * 3);
	for (let p = 0; p < pixels; p++) rgbToLab(rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2], lab, p * 3);
	return lab;
}
