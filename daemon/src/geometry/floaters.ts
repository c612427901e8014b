// Drops floaters: the small closed pieces a learned field leaves around the subject (a speck of density in
// empty space). Pieces are the connected components of the triangle mesh; a piece whose enclosed volume is
// less than `fraction` of the largest piece's is dropped, as the mask clean-up drops specks smaller than a
// share of the largest part, and every real part is kept.
import type { TriMesh } from '../pipeline/types';

/** The mesh without its pieces smaller than `fraction` of the largest (by enclosed volume); vertices compacted. */
export function dropFloaters(mesh: Pick<TriMesh, 'positions' | 'indices'>, fraction: number): { positions: Float32Array; indices: Uint32Array; dropped: number } {
	const { positions, indices } = mesh;
	const vertices = positions.length / 3;
	const parent = new Int32Array(vertices).map((_, i) => i);
	const find = (v: number): number => {
		while (parent[v] !== v) v = parent[v] = parent[parent[v]];
		return v;
	};
	for (let t = 0; t < indices.length; t += 3) {
		const a = find(indices[t]);
		for (const other of [indices[t + 1], indices[t + 2]]) {
			const b = find(other);
			if (a !== b) parent[b] = a;
		}
	}
	// Signed volume per piece (tetrahedra from the origin); a cavity's inner wall counts against its piece.
	const volume = new Map<number, number>();
	for (let t = 0; t < indices.length; t += 3) {
		const [a, b, c] = [indices[t] * 3, indices[t + 1] * 3, indices[t + 2] * 3];
		const v =
			(positions[a] * (positions[b + 1] * positions[c + 2] - positions[b + 2] * positions[c + 1]) -
				positions[a + 1] * (positions[b] * positions[c + 2] - positions[b + 2] * positions[c]) +
				positions[a + 2] * (positions[b] * positions[c + 1] - positions[b + 1] * positions[c])) /
			6;
		const root = find(indices[t]);
		volume.set(root, (volume.get(root) ?? 0) + v);
	}
	const largest = Math.max(0, ...[...volume.values()].map(Math.abs));
	const kept = new Set([...volume].filter(([, v]) => Math.abs(v) >= largest * fraction).map(([root]) => root));
	if (kept.size === volume.size) return { positions, indices, dropped: 0 };

	const remap = new Int32Array(vertices).fill(-1);
	const out: number[] = [];
	let next = 0;
	for (let t = 0; t < indices.length; t += 3) {
		if (!kept.has(find(indices[t]))) continue;
		for (let k = 0; k < 3; k++) {
			const v = indices[t + k];
			if (remap[v] < 0) remap[v] = next++;
			out.push(remap[v]);
		}
	}
	const compact = new Float32Array(next * 3);
	for (let v = 0; v < vertices; v++) if (remap[v] >= 0) compact.set(positions.subarray(v * 3, v * 3 + 3), remap[v] * 3);
	return { positions: compact, indices: Uint32Array.from(out), dropped: volume.size - kept.size };
}
