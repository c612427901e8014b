import { Box3, Euler, Matrix4, Object3D, Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { emptyScene, type SceneObjectView, type SceneTransformView } from '../../daemon/src/protocol/scene';
import { localMatrix, multiply, rotationQuaternion, transformBox, transformPoint, worldMatrices, type Box, type Mat4, type Vec3 } from '../../daemon/src/scene/transform';
import { mulberry32 as generator } from '../helpers/random';


const between = (random: () => number, lo: number, hi: number) => lo + (hi - lo) * random();
const triple = (f: () => number) => [f(), f(), f()] as Vec3;
const DEG = Math.PI / 180;

/** Rotations past ±180°, a few axis-aligned; scales non-uniform, some negative (mirrors). */
function randomTransform(random: () => number): SceneTransformView {
	const aligned = random() < 0.2;
	return {
		position: triple(() => between(random, -20, 20)),
		rotation: triple(() => (aligned ? 90 * Math.floor(between(random, -4, 5)) : between(random, -400, 400))),
		scale: triple(() => (random() < 0.1 ? -1 : 1) * between(random, 0.05, 4)),
	};
}

function threeMatrix(t: SceneTransformView): Matrix4 {
	const quaternion = new Quaternion().setFromEuler(new Euler(t.rotation[0] * DEG, t.rotation[1] * DEG, t.rotation[2] * DEG, 'XYZ'));
	return new Matrix4().compose(new Vector3(...t.position), quaternion, new Vector3(...t.scale));
}

/** Largest difference between two column-major matrices, relative to their size. */
function difference(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let worst = 0;
	for (let k = 0; k < 16; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(b[k])));
	return worst;
}

function object(id: string, transform: SceneTransformView, parent?: string): SceneObjectView {
	return { id, name: id, source: { model: `${id}.glb` }, transform, ...(parent ? { parent } : {}) };
}

describe('localMatrix', () => {
	it("equals three.js's compose(position, quaternion from Euler 'XYZ', scale)", () => {
		for (let seed = 1; seed <= 500; seed++) {
			const t = randomTransform(generator(seed));
			expect(difference(localMatrix(t), threeMatrix(t).elements), `case seed ${seed}`).toBeLessThan(1e-12);
		}
	});

	it('is the identity for the identity transform, and keeps the position in the last column', () => {
		expect([...localMatrix({ position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] })].map((v) => v + 0)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
		expect([...localMatrix({ position: [1, 2, 3], rotation: [10, 20, 30], scale: [2, 2, 2] }).slice(12)]).toEqual([1, 2, 3, 1]);
	});

	it('rotates +X towards +Y by a positive Z angle (right-handed, Y up)', () => {
		const p = transformPoint(localMatrix({ position: [0, 0, 0], rotation: [0, 0, 90], scale: [1, 1, 1] }), [1, 0, 0]);
		expect(p[0]).toBeCloseTo(0, 12);
		expect(p[1]).toBeCloseTo(1, 12);
	});
});

describe('rotationQuaternion', () => {
	it("equals three.js's Quaternion.setFromEuler (up to sign) and is a unit quaternion", () => {
		for (let seed = 1; seed <= 500; seed++) {
			const { rotation } = randomTransform(generator(seed));
			const q = rotationQuaternion(rotation);
			const expected = new Quaternion().setFromEuler(new Euler(rotation[0] * DEG, rotation[1] * DEG, rotation[2] * DEG, 'XYZ')).toArray();
			const sign = Math.sign(q.reduce((sum, v, k) => sum + v * expected[k], 0)) || 1;
			q.forEach((v, k) => expect(sign * v - expected[k], `case seed ${seed}`).toBeCloseTo(0, 12));
			expect(Math.hypot(...q), `case seed ${seed}`).toBeCloseTo(1, 12);
		}
	});

	it("turns the same way as localMatrix's rotation", () => {
		for (let seed = 1; seed <= 100; seed++) {
			const t = { ...randomTransform(generator(seed)), position: [0, 0, 0] as Vec3, scale: [1, 1, 1] as Vec3 };
			const fromQuaternion = new Matrix4().makeRotationFromQuaternion(new Quaternion(...rotationQuaternion(t.rotation)));
			expect(difference(localMatrix(t), fromQuaternion.elements), `case seed ${seed}`).toBeLessThan(1e-12);
		}
	});
});

describe('multiply and transformPoint', () => {
	it("agree with three.js's multiplyMatrices and applyMatrix4", () => {
		for (let seed = 1; seed <= 100; seed++) {
			const random = generator(seed);
			const [a, b] = [randomTransform(random), randomTransform(random)];
			const product = multiply(localMatrix(a), localMatrix(b));
			expect(difference(product, new Matrix4().multiplyMatrices(threeMatrix(a), threeMatrix(b)).elements), `case seed ${seed}`).toBeLessThan(1e-12);
			const point = triple(() => between(random, -5, 5));
			// (a · b) · p = a · (b · p)
			const viaChain = new Vector3(...point).applyMatrix4(threeMatrix(b)).applyMatrix4(threeMatrix(a));
			transformPoint(product, point).forEach((v, k) => expect(v, `case seed ${seed}`).toBeCloseTo(viaChain.getComponent(k), 9));
		}
	});
});

describe('worldMatrices', () => {
	it('composes parent chains like a three.js hierarchy, whatever order the objects are listed in', () => {
		for (let seed = 1; seed <= 50; seed++) {
			const random = generator(seed);
			// root ← child ← grandchild, plus a second root with one child; listed children first.
			const transforms = Array.from({ length: 5 }, () => randomTransform(random));
			const scene = emptyScene('chain');
			scene.objects = [
				object('grandchild', transforms[2], 'child'),
				object('leaf', transforms[4], 'other'),
				object('child', transforms[1], 'root'),
				object('root', transforms[0]),
				object('other', transforms[3]),
			];
			const nodes = new Map(scene.objects.map((o) => [o.id, new Object3D()]));
			for (const o of scene.objects) {
				const node = nodes.get(o.id)!;
				node.position.set(...o.transform.position);
				node.rotation.set(o.transform.rotation[0] * DEG, o.transform.rotation[1] * DEG, o.transform.rotation[2] * DEG, 'XYZ');
				node.scale.set(...o.transform.scale);
				if (o.parent) nodes.get(o.parent)!.add(node);
			}
			nodes.get('root')!.updateMatrixWorld(true);
			nodes.get('other')!.updateMatrixWorld(true);

			const world = worldMatrices(scene);
			expect([...world.keys()].sort(), `case seed ${seed}`).toEqual(['child', 'grandchild', 'leaf', 'other', 'root']);
			for (const [id, node] of nodes) expect(difference(world.get(id)!, node.matrixWorld.elements), `case seed ${seed}, ${id}`).toBeLessThan(1e-9);
			expect(difference(world.get('grandchild')!, multiply(multiply(localMatrix(transforms[0]), localMatrix(transforms[1])), localMatrix(transforms[2]))), `case seed ${seed}`).toBe(0);
			expect([...world.get('root')!]).toEqual([...localMatrix(transforms[0])]);
		}
	});
});

describe('transformBox', () => {
	const corners = (box: Box): Vec3[] =>
		Array.from({ length: 8 }, (_, c) => [c & 1 ? box.max[0] : box.min[0], c & 2 ? box.max[1] : box.min[1], c & 4 ? box.max[2] : box.min[2]] as Vec3);

	it('holds every carried corner and touches each of its six faces with one', () => {
		for (let seed = 1; seed <= 300; seed++) {
			const random = generator(seed);
			const min = triple(() => between(random, -3, 1));
			const box: Box = { min, max: min.map((v) => v + between(random, 0.01, 4)) as Vec3 };
			const m: Mat4 = localMatrix(randomTransform(random));
			const carried = transformBox(m, box);
			const points = corners(box).map((p) => new Vector3(...p).applyMatrix4(new Matrix4().fromArray([...m])));
			for (let k = 0; k < 3; k++) {
				const values = points.map((p) => p.getComponent(k));
				const scale = Math.max(1, ...values.map(Math.abs));
				expect(Math.min(...values) - carried.min[k], `case seed ${seed}, axis ${k}`).toBeGreaterThanOrEqual(-1e-12 * scale);
				expect(carried.max[k] - Math.max(...values), `case seed ${seed}, axis ${k}`).toBeGreaterThanOrEqual(-1e-12 * scale);
				expect(Math.abs(Math.min(...values) - carried.min[k]), `case seed ${seed}, axis ${k}: tight below`).toBeLessThan(1e-12 * scale);
				expect(Math.abs(Math.max(...values) - carried.max[k]), `case seed ${seed}, axis ${k}: tight above`).toBeLessThan(1e-12 * scale);
			}
			const three = new Box3(new Vector3(...box.min), new Vector3(...box.max)).applyMatrix4(new Matrix4().fromArray([...m]));
			for (let k = 0; k < 3; k++) {
				expect(carried.min[k], `case seed ${seed}`).toBeCloseTo(three.min.getComponent(k), 9);
				expect(carried.max[k], `case seed ${seed}`).toBeCloseTo(three.max.getComponent(k), 9);
			}
		}
	});

	it('grows a cube turned 45° about Y by √2 in x and z', () => {
		const box = transformBox(localMatrix({ position: [0, 0, 0], rotation: [0, 45, 0], scale: [1, 1, 1] }), { min: [-0.5, 0, -0.5], max: [0.5, 1, 0.5] });
		expect(box.max[0] - box.min[0]).toBeCloseTo(Math.SQRT2, 12);
		expect(box.max[2] - box.min[2]).toBeCloseTo(Math.SQRT2, 12);
		expect(box.min[1]).toBeCloseTo(0, 12);
		expect(box.max[1]).toBeCloseTo(1, 12);
	});
});
