// Smooth vertex normals: the area-weighted sum of the faces around each vertex (the cross product's length is
// twice the area, so summing unnormalised face normals weights them for free).
import { triangleCross } from './vector';

export function vertexNormals(positions: Float32Array, indices: ArrayLike<number>): Float32Array {
	const normals = new Float32Array(positions.length);
	const n = [0, 0, 0];
	for (let t = 0; t < indices.length; t += 3) {
		triangleCross(positions, indices[t], indices[t + 1], indices[t + 2], n);
		for (let k = 0; k < 3; k++) {
			const v = indices[t + k] * 3;
			normals[v] += n[0];
			normals[v + 1] += n[1];
			normals[v + 2] += n[2];
		}
	}
	for (let v = 0; v < normals.length; v += 3) {
		const len = Math.hypot(normals[v], normals[v + 1], normals[v + 2]);
		if (len > 0) {
			normals[v] /= len;
			normals[v + 1] /= len;
			normals[v + 2] /= len;
		} else {
			normals[v + 2] = 1;
		}
	}
	return normals;
}
