// Models as a generation server would send them: GLBs in the server's own frame (which of its axes is the
// picture's right, up and toward the camera), placed by a node, with PBR maps, for the clean-up and remote tests.
import type { ExportMesh, ExportTexture } from '../../daemon/src/export/scene';
import { writeGlb } from '../../daemon/src/export/glb';
import { sceneDocument } from '../../daemon/src/export/glb-scene';
import type { ServerFrame } from '../../daemon/src/generators/remote/cleanup';
import { boxMesh, checkerPng, material } from './export-scenes';

/** The box's sides in the server's units: right, up, toward the camera. */
export const BOX = [0.4, 1.8, 0.8] as const;
/** The node that places the box in the server's scene: moved, turned 90° about z, stretched unevenly. */
export const NODE = { translation: [3, -2, 5], rotation: [0, 0, Math.SQRT1_2, Math.SQRT1_2], scale: [2, 0.5, 1.25] } as const;


/** The server's unit vector for a signed axis name. */
function axisVector(axis: string): number[] {
	const v = [0, 0, 0];
	v['xyz'.indexOf(axis[1])] = axis[0] === '-' ? -1 : 1;
	return v;
}

/** A vector of Orfeas's frame (x right, y up, z toward the camera) in the server's axes. */
export function toServer(frame: ServerFrame, v: ArrayLike<number>): number[] {
	const [r, u, f] = [frame.right, frame.up, frame.front].map(axisVector);
	return [0, 1, 2].map((k) => r[k] * v[0] + u[k] * v[1] + f[k] * v[2]);
}

/** Whether right × up points away from the camera: a left-handed, mirroring frame. */
export function mirrors(frame: ServerFrame): boolean {
	const [r, u, f] = [frame.right, frame.up, frame.front].map(axisVector);
	return (r[1] * u[2] - r[2] * u[1]) * f[0] + (r[2] * u[0] - r[0] * u[2]) * f[1] + (r[0] * u[1] - r[1] * u[0]) * f[2] < 0;
}

/** Undoes NODE on a point (local = S⁻¹ R⁻¹ (world − t)); R turns (x, y) into (−y, x). */
function toLocal(p: number[]): number[] {
	const [x, y, z] = [p[0] - NODE.translation[0], p[1] - NODE.translation[1], p[2] - NODE.translation[2]];
	return [y / NODE.scale[0], -x / NODE.scale[1], z / NODE.scale[2]];
}

/** A world direction along the surface (a tangent) as the node's local one: S⁻¹ R⁻¹ d, normalised. */
function toLocalTangent(d: number[]): number[] {
	const v = [d[1] / NODE.scale[0], -d[0] / NODE.scale[1], d[2] / NODE.scale[2]];
	const length = Math.hypot(v[0], v[1], v[2]);
	return v.map((c) => c / length);
}

/** A world normal as the node's local one: the node carries normals by its inverse transpose, so local ∝ Mᵀ n = S R⁻¹ n. */
function toLocalNormal(n: number[]): number[] {
	const v = [n[1] * NODE.scale[0], -n[0] * NODE.scale[1], n[2] * NODE.scale[2]];
	const length = Math.hypot(v[0], v[1], v[2]);
	return v.map((c) => c / length);
}

/** Faces of boxMesh: +z, −z, +x, −x, +y, −y. The ones facing right, up and the camera get the second material. */
const MARKED_FACES = [0, 2, 4];

/** Per face of boxMesh, its outward normal and its tangent (the way u grows: from corner 0 to corner 1). */
export function boxFaces(box: ExportMesh): { normal: number[]; tangent: number[] }[] {
	return [0, 1, 2, 3, 4, 5].map((f) => {
		const [a, b] = [f * 4, f * 4 + 1];
		const d = [0, 1, 2].map((k) => box.positions[b * 3 + k] - box.positions[a * 3 + k]);
		const length = Math.hypot(d[0], d[1], d[2]);
		return { normal: [...box.normals!.subarray(a * 3, a * 3 + 3)], tangent: d.map((c) => c / length) };
	});
}

/**
 * The GLB a server with `frame` would send for the box: valid glTF (faces out in its own axes), placed by NODE,
 * the box's triangles in a textured material with baseColor, metallicRoughness and normal maps and its right,
 * top and front faces in a second, untextured, emissive one. `open` leaves the bottom face out.
 */
export async function serverBox(frame: ServerFrame, open = false): Promise<{ glb: Uint8Array; maps: Record<string, ExportTexture> }> {
	const box = boxMesh(...BOX);
	const faces = [0, 1, 2, 3, 4, 5].filter((f) => !(open && f === 5));
	const order = [...faces.filter((f) => !MARKED_FACES.includes(f)), ...faces.filter((f) => MARKED_FACES.includes(f))];
	const indices = order.flatMap((f) => [...box.indices.subarray(f * 6, f * 6 + 6)]);
	if (mirrors(frame)) for (let t = 0; t < indices.length; t += 3) [indices[t + 1], indices[t + 2]] = [indices[t + 2], indices[t + 1]];
	const positions: number[] = [];
	const normals: number[] = [];
	// Right-handed in Orfeas's frame (w = 1); a mirroring server stores the opposite handedness.
	const tangents = boxFaces(box).flatMap(({ tangent }) => Array(4).fill([...toLocalTangent(toServer(frame, tangent)), mirrors(frame) ? -1 : 1]).flat());
	for (let v = 0; v < box.positions.length / 3; v++) {
		// Off the origin and not resting on the ground: the clean-up has to find the bottom centre itself.
		const world = toServer(frame, box.positions.subarray(v * 3, v * 3 + 3)).map((c, k) => c + [0.7, -0.3, 0.45][k]);
		positions.push(...toLocal(world));
		normals.push(...toLocalNormal(toServer(frame, box.normals!.subarray(v * 3, v * 3 + 3))));
	}
	const marked = MARKED_FACES.filter((f) => faces.includes(f)).length * 2;
	const mesh: ExportMesh = {
		positions: new Float32Array(positions),
		normals: new Float32Array(normals),
		uvs: box.uvs,
		indices: new Uint32Array(indices),
		groups: [
			{ material: 0, start: 0, count: indices.length / 3 - marked },
			{ material: 1, start: indices.length / 3 - marked, count: marked },
		],
	};
	const maps = { baseColor: await checkerPng(16, 'base.png'), metallicRoughness: await checkerPng(24, 'mr.png'), normal: await checkerPng(32, 'normal.png') };
	const trim = { name: 'Trim', baseColor: [0.2, 0.3, 0.8, 1] as [number, number, number, number], metallic: 0.5, roughness: 0.4 };
	const document = sceneDocument({ name: 'Box', materials: [material('Box', maps.baseColor), trim], lods: [mesh], lodRatios: [1] }, 'generic');
	const [textured, emissive] = document.getRoot().listMaterials();
	const texture = (map: ExportTexture) => document.createTexture(map.name).setImage(map.bytes).setMimeType(map.mime);
	textured.setMetallicRoughnessTexture(texture(maps.metallicRoughness)).setMetallicFactor(0.25).setRoughnessFactor(0.6);
	textured.setNormalTexture(texture(maps.normal)).setNormalScale(0.8);
	emissive.setEmissiveFactor([0.2, 0.1, 0]);
	const tangent = document.createAccessor().setType('VEC4').setArray(new Float32Array(tangents)).setBuffer(document.getRoot().listBuffers()[0]);
	for (const primitive of document.getRoot().listMeshes()[0].listPrimitives()) primitive.setAttribute('TANGENT', tangent);
	document.getRoot().listNodes()[0].setTranslation([...NODE.translation]).setRotation([...NODE.rotation]).setScale([...NODE.scale]);
	return { glb: await writeGlb(document), maps };
}

/** A GLB of the helper's UV sphere (9024 triangles, seams at the poles and where u wraps) with one texture, y up. */
