// The project's own ground-truth meshes for the shape eval, built in code from primitives and unioned with
// manifold-3d, so each is one closed 2-manifold whatever its parts overlap. Kinds the product meets: an animal
// side-on, a bust, hard-surface props, a vehicle and a chair with thin legs. Y up, front toward +Z, units free
// (the protocol normalises to height 1).
import type { Manifold, ManifoldToplevel, Vec3 } from 'manifold-3d';
import { subjectColor, type EvalSubject } from './load';
import type { TriangleMesh } from './mesh';

type Kit = ManifoldToplevel['Manifold'];

/** Segments around a full circle: smooth at the pictures' size, few enough to keep unions quick. */
const ROUND = 48;

let module: Promise<ManifoldToplevel> | undefined;

/** manifold-3d is an ES module with a WebAssembly core: loaded on first use, once. */
function loadManifold(): Promise<ManifoldToplevel> {
	module ??= import('manifold-3d').then(async ({ default: Module }) => {
		const wasm = await Module();
		wasm.setup();
		return wasm;
	});
	return module;
}

/** The fixtures by name, built on demand (a few tens of milliseconds each). */
export const FIXTURES: Readonly<Record<string, (M: Kit) => Manifold>> = {
	quadruped,
	bust,
	crate,
	barrel,
	mushroom,
	car,
	chair,
};

export async function fixtureSubject(name: string): Promise<EvalSubject> {
	const build = FIXTURES[name];
	if (!build) throw new RangeError(`fixtureSubject: no fixture "${name}"`);
	const { Manifold } = await loadManifold();
	const solid = build(Manifold);
	const shape = toTriangleMesh(solid);
	// The WebAssembly heap is not garbage-collected; the parts made on the way live until the process ends.
	solid.delete();
	return { name, surface: { ...shape, color: subjectColor(name) }, shape };
}

function toTriangleMesh(solid: Manifold): TriangleMesh {
	const mesh = solid.getMesh();
	const count = mesh.vertProperties.length / mesh.numProp;
	const positions = new Float32Array(count * 3);
	for (let v = 0; v < count; v++) for (let k = 0; k < 3; k++) positions[3 * v + k] = mesh.vertProperties[v * mesh.numProp + k];
	return { positions, indices: Uint32Array.from(mesh.triVerts) };
}

/** An ellipsoid with semi-axes `radii` centred at `at`. */
function ellipsoid(M: Kit, radii: Vec3, at: Vec3): Manifold {
	return M.sphere(1, ROUND).scale(radii).translate(at);
}

/** A rod with round ends from `a` to `b`: the hull of two spheres. */
function capsule(M: Kit, a: Vec3, b: Vec3, radius: number): Manifold {
	return M.hull([M.sphere(radius, ROUND / 2).translate(a), M.sphere(radius, ROUND / 2).translate(b)]);
}

/** An upright cylinder standing on y = `y0` with its axis through (x, z). */
function post(M: Kit, x: number, y0: number, z: number, height: number, radius: number, radiusTop = radius): Manifold {
	// Manifold builds cylinders along +Z; a −90° turn about X stands them along +Y.
	return M.cylinder(height, radius, radiusTop, ROUND).rotate([-90, 0, 0]).translate([x, y0, z]);
}

/** A box with its edges chamfered by `bevel`: the hull of three boxes, each inset on two axes. */
function bevelledBox(M: Kit, size: Vec3, bevel: number, center: Vec3): Manifold {
	const [x, y, z] = size;
	const parts = [
		M.cube([x, y - 2 * bevel, z - 2 * bevel], true),
		M.cube([x - 2 * bevel, y, z - 2 * bevel], true),
		M.cube([x - 2 * bevel, y - 2 * bevel, z], true),
	];
	return M.hull(parts).translate(center);
}

/** A four-legged animal standing side-on: longer along X, head toward +X, tail toward −X. */
function quadruped(M: Kit): Manifold {
	const parts = [ellipsoid(M, [0.9, 0.42, 0.38], [0, 1.05, 0])];
	for (const x of [-0.55, 0.55]) for (const z of [-0.2, 0.2]) parts.push(capsule(M, [x, 0.09, z], [x * 0.95, 0.95, z], 0.09));
	parts.push(capsule(M, [0.7, 1.2, 0], [1.05, 1.65, 0], 0.15));
	parts.push(ellipsoid(M, [0.3, 0.17, 0.16], [1.22, 1.72, 0]));
	parts.push(capsule(M, [1.05, 1.82, -0.08], [1.0, 1.98, -0.1], 0.04), capsule(M, [1.05, 1.82, 0.08], [1.0, 1.98, 0.1], 0.04));
	parts.push(capsule(M, [-0.85, 1.15, 0], [-1.25, 0.8, 0], 0.05));
	return M.union(parts);
}

/** A head on a neck on a shoulder block, facing +Z, with a nose so front and back differ. */
function bust(M: Kit): Manifold {
	return M.union([
		bevelledBox(M, [1.3, 0.5, 0.55], 0.12, [0, 0.25, 0]),
		post(M, 0, 0.4, 0, 0.35, 0.16),
		ellipsoid(M, [0.3, 0.38, 0.33], [0, 1.05, 0]),
		ellipsoid(M, [0.06, 0.1, 0.08], [0, 1.0, 0.32]),
		ellipsoid(M, [0.06, 0.12, 0.08], [-0.3, 1.05, 0]),
		ellipsoid(M, [0.06, 0.12, 0.08], [0.3, 1.05, 0]),
	]);
}

/** A crate with chamfered edges and a lid rim: a hard-surface box that is not a cube. */
function crate(M: Kit): Manifold {
	return M.union([bevelledBox(M, [1.2, 0.8, 0.9], 0.06, [0, 0.4, 0]), bevelledBox(M, [1.26, 0.1, 0.96], 0.03, [0, 0.75, 0])]);
}

/** A barrel: bulging staves (the hull of three discs) with two hoops standing proud. */
function barrel(M: Kit): Manifold {
	const staves = M.hull([post(M, 0, 0, 0, 0.02, 0.32), post(M, 0, 0.49, 0, 0.02, 0.4), post(M, 0, 0.98, 0, 0.02, 0.32)]);
	return M.union([staves, post(M, 0, 0.2, 0, 0.06, 0.385), post(M, 0, 0.74, 0, 0.06, 0.385)]);
}

/** A mushroom: a stem under a wide cap whose rim overhangs it, a concavity no silhouette shows from the front. */
function mushroom(M: Kit): Manifold {
	const cap = ellipsoid(M, [0.62, 0.45, 0.62], [0, 0.55, 0]).trimByPlane([0, 1, 0], 0.62);
	return M.union([post(M, 0, 0, 0, 0.75, 0.17, 0.13), cap]);
}

/** A car, longer along Z (the front view looks at its nose), with four wheels whose axles run along X. */
function car(M: Kit): Manifold {
	const parts = [bevelledBox(M, [0.9, 0.32, 2.0], 0.08, [0, 0.34, 0])];
	// The cabin tapers toward the roof: the hull of a footprint slab and a smaller roof slab.
	parts.push(M.hull([M.cube([0.84, 0.02, 1.1], true).translate([0, 0.5, -0.1]), M.cube([0.7, 0.02, 0.7], true).translate([0, 0.78, -0.15])]));
	for (const x of [-0.4, 0.4]) {
		for (const z of [-0.62, 0.62]) parts.push(M.cylinder(0.16, 0.19, 0.19, ROUND, true).rotate([0, 90, 0]).translate([x, 0.19, z]));
	}
	return M.union(parts);
}

/** A chair facing +Z: thin legs, a seat and a backrest at −Z. */
function chair(M: Kit): Manifold {
	const parts = [M.cube([0.5, 0.05, 0.5], true).translate([0, 0.47, 0])];
	for (const x of [-0.22, 0.22]) {
		for (const z of [-0.22, 0.22]) parts.push(M.cube([0.04, z < 0 ? 1.0 : 0.46, 0.04], true).translate([x, z < 0 ? 0.5 : 0.23, z]));
	}
	parts.push(M.cube([0.48, 0.35, 0.03], true).translate([0, 0.78, -0.225]));
	return M.union(parts);
}
