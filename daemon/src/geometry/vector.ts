// Small vector helpers over flat position arrays (x, y, z triples).

/** Unnormalised normal of triangle (a, b, c) — its length is twice the area — written to `out`. */
export function triangleCross(p: ArrayLike<number>, a: number, b: number, c: number, out: { [k: number]: number }): void {
	const ux = p[b * 3] - p[a * 3];
	const uy = p[b * 3 + 1] - p[a * 3 + 1];
	const uz = p[b * 3 + 2] - p[a * 3 + 2];
	const vx = p[c * 3] - p[a * 3];
	const vy = p[c * 3 + 1] - p[a * 3 + 1];
	const vz = p[c * 3 + 2] - p[a * 3 + 2];
	out[0] = uy * vz - uz * vy;
	out[1] = uz * vx - ux * vz;
	out[2] = ux * vy - uy * vx;
}
