// The plain triangle mesh the shape eval scores, and the few operations every source of one needs: welding the
// UV-seam copies of a vertex (so topology sees a closed surface), the protocol's normalisation, and a box.
import { placeOnGround } from '../../../daemon/src/geometry/place';
import { weldByPosition, type TriangleMesh } from '../../helpers/weld';

// Y up, the front toward +Z.
export { weldByPosition, type TriangleMesh };

/**
 * The protocol's only alignment: uniform scale to height 1, the origin at the bottom centre (min Y; the middle
 * of the X and Z extents). No rotation, no ICP — a model that faces the wrong way is scored as it is.
 */
export function normalizeToUnitHeight(mesh: TriangleMesh): TriangleMesh {
	const welded = weldByPosition(mesh);
	return { positions: placeOnGround(welded.positions, 1), indices: welded.indices };
}

/** An axis-aligned box, triangles counter-clockwise seen from outside. */
export function boxMesh(min: readonly [number, number, number], max: readonly [number, number, number]): TriangleMesh {
	const positions = new Float32Array(24);
	for (let c = 0; c < 8; c++) {
		positions[3 * c] = c & 1 ? max[0] : min[0];
		positions[3 * c + 1] = c & 2 ? max[1] : min[1];
		positions[3 * c + 2] = c & 4 ? max[2] : min[2];
	}
	// Corner c has bit 0 = +x, bit 1 = +y, bit 2 = +z; two triangles per face.
	const faces = [
		[0, 4, 6, 2], // −x
		[1, 3, 7, 5], // +x
		[0, 1, 5, 4], // −y
		[2, 6, 7, 3], // +y
		[0, 2, 3, 1], // −z
		[4, 5, 7, 6], // +z
	];
	const indices = new Uint32Array(36);
	faces.forEach(([a, b, c, d], f) => indices.set([a, b, c, a, c, d], 6 * f));
	return { positions, indices };
}

/** Several meshes as one (their triangles side by side; overlaps stay overlaps). */
export function mergeMeshes(parts: readonly TriangleMesh[]): TriangleMesh {
	const vertices = parts.reduce((n, p) => n + p.positions.length / 3, 0);
	const positions = new Float32Array(vertices * 3);
	const indices = new Uint32Array(parts.reduce((n, p) => n + p.indices.length, 0));
	let v = 0;
	let i = 0;
	for (const part of parts) {
		positions.set(part.positions, 3 * v);
		for (let k = 0; k < part.indices.length; k++) indices[i + k] = part.indices[k] + v;
		v += part.positions.length / 3;
		i += part.indices.length;
	}
	return { positions, indices };
}
