// Surface area and enclosed volume of an indexed triangle mesh, for tests, the `eval` tool and size checks on
// extracted surfaces (marching-cubes.ts). topology.ts reports the same volume alongside its manifold checks.

/**
 * Total area of the triangles.
 *
 * @example
 * const area = surfaceArea(mesh.positions, mesh.indices);
 */
export function surfaceArea(positions: Float32Array, indices: ArrayLike<number>): number {
	let twice = 0;
	for (let t = 0; t + 2 < indices.length; t += 3) {
		const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
		const ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
		const ux = positions[b] - ax, uy = positions[b + 1] - ay, uz = positions[b + 2] - az;
		const vx = positions[c] - ax, vy = positions[c + 1] - ay, vz = positions[c + 2] - az;
		twice += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
	}
	return twice / 2;
}

/**
 * Signed volume enclosed by a closed mesh (divergence theorem: the sum of the tetrahedra from a reference point
 * to each triangle). Positive when triangles are counter-clockwise seen from outside; meaningless for open meshes.
 *
 * @example
 * if (enclosedVolume(mesh.positions, mesh.indices) < 0) mesh.indices.reverse(); // inside out
 */
export function enclosedVolume(positions: Float32Array, indices: ArrayLike<number>): number {
	// From the bounding-box centre rather than the origin: a mesh far from the origin would lose digits.
	const min = [Infinity, Infinity, Infinity];
	const max = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < indices.length; i++) {
		for (let k = 0; k < 3; k++) {
			const v = positions[3 * indices[i] + k];
			if (v < min[k]) min[k] = v;
			if (v > max[k]) max[k] = v;
		}
	}
	const ox = (min[0] + max[0]) / 2, oy = (min[1] + max[1]) / 2, oz = (min[2] + max[2]) / 2;
	let six = 0;
	for (let t = 0; t + 2 < indices.length; t += 3) {
		const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
		const ax = positions[a] - ox, ay = positions[a + 1] - oy, az = positions[a + 2] - oz;
		const bx = positions[b] - ox, by = positions[b + 1] - oy, bz = positions[b + 2] - oz;
		const cx = positions[c] - ox, cy = positions[c + 1] - oy, cz = positions[c + 2] - oz;
		six += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
	}
	return six / 6;
}
