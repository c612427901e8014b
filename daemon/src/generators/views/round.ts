// How round the carved object is. A pure visual hull extrudes each outline straight through the object, so three
// circles carve a sphere into a boxy Steinmetz solid: every slice of the hull across a coordinate plane is, locally,
// the rectangle of the extents two views give for that slice. Rounding replaces that rectangle by a rounded one,
// corner radius a share of its smaller half-size: a circle at full rounding, so slices of a sphere, a cone or a
// standing cylinder come back round, while judge.ts keeps boxes square. With no side or top view the depth is
// guessed from the outline as the one-view shape (generators/inflate/shape.ts) does.

/**
 * Signed distance (object units, negative inside) from (a, b) to the rectangle [loA, hiA] × [loB, hiB] with its
 * corners rounded to radius `rounding` · (its smaller half-size): at 0 the rectangle, at 1 a stadium (a circle when
 * square). A slice whose smaller half-size is under `minHalf` stays a rectangle: a part one or two grid samples
 * thick has no shape to round at the grid's scale, and rounding could cut its only samples.
 *
 * @example
 * roundedSlice(0.7, -1, 1, 0.7, -1, 1, 1, 0); // ≈ −0.01: (0.7, 0.7) is just inside the unit circle
 */
export function roundedSlice(a: number, loA: number, hiA: number, b: number, loB: number, hiB: number, rounding: number, minHalf: number): number {
	const halfA = (hiA - loA) / 2;
	const halfB = (hiB - loB) / 2;
	const smaller = halfA < halfB ? halfA : halfB;
	const radius = smaller < minHalf ? 0 : rounding * smaller;
	const qa = Math.abs(a - (loA + hiA) / 2) - halfA + radius;
	const qb = Math.abs(b - (loB + hiB) / 2) - halfB + radius;
	if (qa > 0 || qb > 0) {
		const pa = qa > 0 ? qa : 0;
		const pb = qb > 0 ? qb : 0;
		return Math.sqrt(pa * pa + pb * pb) - radius;
	}
	return (qa > qb ? qa : qb) - radius;
}

/**
 * Half-depth of the one-view inflation (generators/inflate/shape.ts's circular profile): t = E · √(d(2P − d)) / P with P the
 * deepest distance inside the outline, so a disc becomes an ellipsoid of half-depth E and any outline peaks at E.
 */
export function inflationHalfDepths(inside: Uint8Array, signed: Float32Array, halfExtent: number): Float32Array {
	const t = new Float32Array(inside.length);
	let peak = 0;
	for (let p = 0; p < t.length; p++) if (inside[p]) peak = Math.max(peak, -signed[p]);
	for (let p = 0; p < t.length; p++) {
		if (!inside[p]) continue;
		const d = Math.min(-signed[p], peak);
		t[p] = (halfExtent * Math.sqrt(d * (2 * peak - d))) / peak;
	}
	return t;
}
