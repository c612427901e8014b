// Scene transforms as matrices: an object's local matrix from its position, Euler rotation (degrees, Rx·Ry·Rz)
// and scale; world matrices through the parent chain; boxes carried through a matrix. Column-major 4×4, as glTF
// and three.js store them, so tests and writers can compare directly.
import type { SceneDocumentView, SceneTransformView } from '../protocol/scene';

export type Mat4 = Float64Array;
export type Vec3 = [number, number, number];

/** An axis-aligned box. */
export interface Box {
	min: Vec3;
	max: Vec3;
}

const DEG = Math.PI / 180;

/** T · R · S of a transform (column-major). */
export function localMatrix(t: SceneTransformView): Mat4 {
	const [x, y, z] = t.rotation.map((a) => a * DEG);
	const [cx, sx, cy, sy, cz, sz] = [Math.cos(x), Math.sin(x), Math.cos(y), Math.sin(y), Math.cos(z), Math.sin(z)];
	// Rx·Ry·Rz, the rotation three.js builds for Euler order 'XYZ'.
	const r = [
		cy * cz, -cy * sz, sy,
		cx * sz + sx * sy * cz, cx * cz - sx * sy * sz, -sx * cy,
		sx * sz - cx * sy * cz, sx * cz + cx * sy * sz, cx * cy,
	];
	const [kx, ky, kz] = t.scale;
	const m = new Float64Array(16);
	// column j = R column j × scale j
	m[0] = r[0] * kx; m[1] = r[3] * kx; m[2] = r[6] * kx;
	m[4] = r[1] * ky; m[5] = r[4] * ky; m[6] = r[7] * ky;
	m[8] = r[2] * kz; m[9] = r[5] * kz; m[10] = r[8] * kz;
	m[12] = t.position[0]; m[13] = t.position[1]; m[14] = t.position[2]; m[15] = 1;
	return m;
}

/** a · b (column-major). */
export function multiply(a: Mat4, b: Mat4): Mat4 {
	const out = new Float64Array(16);
	for (let col = 0; col < 4; col++) {
		for (let row = 0; row < 4; row++) {
			let sum = 0;
			for (let k = 0; k < 4; k++) sum += a[k * 4 + row] * b[col * 4 + k];
			out[col * 4 + row] = sum;
		}
	}
	return out;
}

/** Each object's world matrix: its parents' matrices times its own. */
export function worldMatrices(scene: SceneDocumentView): Map<string, Mat4> {
	const byId = new Map(scene.objects.map((o) => [o.id, o]));
	const world = new Map<string, Mat4>();
	const resolve = (id: string): Mat4 => {
		const known = world.get(id);
		if (known) return known;
		const object = byId.get(id)!;
		const local = localMatrix(object.transform);
		const matrix = object.parent !== undefined ? multiply(resolve(object.parent), local) : local;
		world.set(id, matrix);
		return matrix;
	};
	for (const object of scene.objects) resolve(object.id);
	return world;
}

/** A point through a matrix. */
export function transformPoint(m: Mat4, [x, y, z]: Vec3): Vec3 {
	return [m[0] * x + m[4] * y + m[8] * z + m[12], m[1] * x + m[5] * y + m[9] * z + m[13], m[2] * x + m[6] * y + m[10] * z + m[14]];
}

/** The axis-aligned box around a box's eight corners carried through a matrix. */
export function transformBox(m: Mat4, box: Box): Box {
	const min: Vec3 = [Infinity, Infinity, Infinity];
	const max: Vec3 = [-Infinity, -Infinity, -Infinity];
	for (let corner = 0; corner < 8; corner++) {
		const p = transformPoint(m, [corner & 1 ? box.max[0] : box.min[0], corner & 2 ? box.max[1] : box.min[1], corner & 4 ? box.max[2] : box.min[2]]);
		for (let k = 0; k < 3; k++) {
			min[k] = Math.min(min[k], p[k]);
			max[k] = Math.max(max[k], p[k]);
		}
	}
	return { min, max };
}

/** The unit quaternion [x, y, z, w] of a transform's rotation (glTF's node.rotation). */
export function rotationQuaternion(rotation: Vec3 | readonly [number, number, number]): [number, number, number, number] {
	const [x, y, z] = rotation.map((a) => (a * DEG) / 2);
	const [c1, s1, c2, s2, c3, s3] = [Math.cos(x), Math.sin(x), Math.cos(y), Math.sin(y), Math.cos(z), Math.sin(z)];
	// three.js Quaternion.setFromEuler, order 'XYZ'.
	return [s1 * c2 * c3 + c1 * s2 * s3, c1 * s2 * c3 - s1 * c2 * s3, c1 * c2 * s3 + s1 * s2 * c3, c1 * c2 * c3 - s1 * s2 * s3];
}
