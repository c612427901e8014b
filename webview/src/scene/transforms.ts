// Scene transforms between the document's numbers and three.js: degrees and radians, and the rounding applied
// to what a gizmo drag produces (micrometres, ten-thousandths of a degree), so a drag writes short numbers and a
// diff of the scene file shows the change, not float noise. Pure.
import type { ViewTransform } from '../scene-messages';

const DEG = Math.PI / 180;

/** The plain numbers three.js keeps on an Object3D (position, Euler rotation in radians, scale). */
export interface Placement {
	position: { x: number; y: number; z: number };
	rotation: { x: number; y: number; z: number };
	scale: { x: number; y: number; z: number };
}

/** `value` to `step`, without negative zero. */
export function roundTo(value: number, step: number): number {
	const rounded = Math.round(value / step) * step;
	// Dividing again trims what the multiplication adds (0.1 × 3 = 0.30000000000000004).
	const digits = Math.max(0, -Math.floor(Math.log10(step)));
	const trimmed = Number(rounded.toFixed(digits));
	return trimmed === 0 ? 0 : trimmed;
}

/** A three.js placement as a document transform: metres to 1 µm, degrees to 0.0001°, scale to 1e-6. */
export function toTransform(placement: Placement): ViewTransform {
	const { position: p, rotation: r, scale: s } = placement;
	return {
		position: [roundTo(p.x, 1e-6), roundTo(p.y, 1e-6), roundTo(p.z, 1e-6)],
		rotation: [roundTo(r.x / DEG, 1e-4), roundTo(r.y / DEG, 1e-4), roundTo(r.z / DEG, 1e-4)],
		scale: [roundTo(s.x, 1e-6), roundTo(s.y, 1e-6), roundTo(s.z, 1e-6)],
	};
}

/** Euler angles in radians (three.js order 'XYZ', the document's) from the document's degrees. */
export function radians(rotation: readonly [number, number, number]): [number, number, number] {
	return [rotation[0] * DEG, rotation[1] * DEG, rotation[2] * DEG];
}

/** Whether two transforms are the same numbers. */
export function sameTransform(a: ViewTransform, b: ViewTransform): boolean {
	return (['position', 'rotation', 'scale'] as const).every((k) => a[k].every((v, i) => v === b[k][i]));
}
