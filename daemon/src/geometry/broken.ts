// Where a simplified closed mesh broke: vertices on edges used by other than two triangles, vertices whose
// triangles form more than one fan, and every vertex of parts that came loose (more parts than the mesh had).
// simplify.ts locks these places, with a ring around them, and simplifies again.

/**
 * The vertices where the surface is not a closed 2-manifold of `parts` parts.
 *
 * @example
 * const bad = brokenVertices(result.indices, 1); // [] for a closed sphere
 */
export function brokenVertices(indices: Uint32Array, parts: number): number[] {
	const bad = new Set<number>();
	const edgeUse = new Map<number, number>();
	// The link of each vertex: for each triangle (v, b, c), b → c; a manifold vertex's links form one cycle.
	const link = new Map<number, Map<number, number>>();
	const key = (a: number, b: number) => (a < b ? a * 4294967296 + b : b * 4294967296 + a);
	for (let t = 0; t < indices.length; t += 3) {
		for (let k = 0; k < 3; k++) {
			const a = indices[t + k];
			const b = indices[t + ((k + 1) % 3)];
			const c = indices[t + ((k + 2) % 3)];
			edgeUse.set(key(a, b), (edgeUse.get(key(a, b)) ?? 0) + 1);
			let next = link.get(a);
			if (!next) link.set(a, (next = new Map()));
			if (next.has(b)) bad.add(a);
			next.set(b, c);
		}
	}
	for (const [edge, uses] of edgeUse) {
		if (uses === 2) continue;
		bad.add(Math.floor(edge / 4294967296));
		bad.add(edge % 4294967296);
	}
	for (const [v, next] of link) {
		const start: number = next.keys().next().value!;
		let at: number | undefined = start;
		let steps = 0;
		do {
			at = next.get(at!);
			steps++;
		} while (at !== undefined && at !== start && steps <= next.size);
		if (at !== start || steps !== next.size) bad.add(v);
	}
	for (const v of looseParts(indices, parts)) bad.add(v);
	return [...bad];
}

/** Vertices of every part beyond the `parts` largest (by triangle count). */
function looseParts(indices: Uint32Array, parts: number): number[] {
	const parent = new Map<number, number>();
	const find = (v: number): number => {
		let root = v;
		while (parent.get(root) !== root) root = parent.get(root)!;
		parent.set(v, root);
		return root;
	};
	for (const v of indices) if (!parent.has(v)) parent.set(v, v);
	for (let t = 0; t < indices.length; t += 3) {
		const a = find(indices[t]);
		for (let k = 1; k < 3; k++) {
			const b = find(indices[t + k]);
			if (a !== b) parent.set(b, a);
		}
	}
	const size = new Map<number, number>();
	for (let t = 0; t < indices.length; t += 3) {
		const root = find(indices[t]);
		size.set(root, (size.get(root) ?? 0) + 1);
	}
	if (size.size <= parts) return [];
	const kept = new Set([...size.entries()].sort((a, b) => b[1] - a[1]).slice(0, parts).map(([root]) => root));
	return [...parent.keys()].filter((v) => !kept.has(find(v)));
}
