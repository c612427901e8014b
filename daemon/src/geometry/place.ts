// Output convention (ARCHITECTURE.md): metres, Y-up, the bounding box `height` tall, origin at the bottom centre
// so the model stands on the ground at the origin.

export interface Bounds {
	min: [number, number, number];
	max: [number, number, number];
}

export function bounds(positions: Float32Array): Bounds {
	const min: [number, number, number] = [Infinity, Infinity, Infinity];
	const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < positions.length; i += 3) {
		for (let k = 0; k < 3; k++) {
			const v = positions[i + k];
			if (v < min[k]) min[k] = v;
			if (v > max[k]) max[k] = v;
		}
	}
	return { min, max };
}

/** Scales uniformly to `height` and moves the bottom centre of the bounding box to the origin; returns a copy. */
export function placeOnGround(positions: Float32Array, height: number): Float32Array {
	const { min, max } = bounds(positions);
	const span = max[1] - min[1];
	if (!(span > 0)) throw new Error('placeOnGround: the mesh has no height');
	const s = height / span;
	const cx = (min[0] + max[0]) / 2;
	const cz = (min[2] + max[2]) / 2;
	const out = new Float32Array(positions.length);
	for (let i = 0; i < positions.length; i += 3) {
		out[i] = (positions[i] - cx) * s;
		out[i + 1] = (positions[i + 1] - min[1]) * s;
		out[i + 2] = (positions[i + 2] - cz) * s;
	}
	return out;
}
