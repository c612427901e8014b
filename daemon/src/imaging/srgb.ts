// The sRGB transfer function (IEC 61966-2-1) both ways, for colours stored linear (glTF vertex colours,
// material factors) and written as 8-bit sRGB, or read back.

/** Linear 0–1 → sRGB-encoded 0–1 (clamped). */
export function linearToSrgb(value: number): number {
	const c = Math.min(1, Math.max(0, value));
	return c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** sRGB-encoded 0–1 → linear 0–1 (clamped). */
export function srgbToLinear(value: number): number {
	const c = Math.min(1, Math.max(0, value));
	return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
