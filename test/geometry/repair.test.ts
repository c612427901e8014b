import { describe, expect, it } from 'vitest';
import { flipDegenerateTriangles } from '../../daemon/src/geometry/repair';
import { analyzeTopology } from '../../daemon/src/geometry/topology';

// A tetrahedron whose edge a–c carries an extra vertex b, with a zero-area cap (a, c, b) closing the gap.
const a = [0, 0, 0];
const c = [2, 0, 0];
const d = [1, 2, 0];
const e = [1, 1, 2];
const b = [1, 0, 0];
const positions = Float32Array.from([...a, ...c, ...d, ...e, ...b]);
const [A, C, D, E, B] = [0, 1, 2, 3, 4];
const faces = [A, D, C, A, C, B, A, B, E, B, C, E, C, D, E, D, A, E];

describe('flipDegenerateTriangles', () => {
	it('removes a collinear cap from a closed mesh and keeps it closed, oriented and the same volume', () => {
		const indices = Uint32Array.from(faces);
		const before = analyzeTopology(positions, indices);
		expect(before.closed).toBe(true);
		expect(before.degenerateTriangles).toBe(1);

		expect(flipDegenerateTriangles(positions, indices)).toBe(1);
		const after = analyzeTopology(positions, indices);
		expect(after.closed).toBe(true);
		expect(after.degenerateTriangles).toBe(0);
		expect(after.triangles).toBe(before.triangles);
		expect(after.signedVolume).toBeCloseTo(before.signedVolume, 6);
		expect(after.eulerCharacteristic).toBe(2);
	});

	it('leaves a mesh without caps untouched', () => {
		const tetra = Uint32Array.from([A, D, C, A, C, E, C, D, E, D, A, E]);
		const copy = tetra.slice();
		expect(flipDegenerateTriangles(positions, tetra)).toBe(0);
		expect(Array.from(tetra)).toEqual(Array.from(copy));
	});
});
