// Measures the topology of an indexed triangle mesh: manifoldness, orientation, Euler characteristic, volume.
// The tests and the `eval` tool use it to check that every generated model is a closed, outward-facing solid.

/** What `analyzeTopology` found. Counts refer to the triangles given, not to the vertex buffer. */
export interface TopologyReport {
	/** Vertices referenced by at least one triangle. */
	vertices: number;
	triangles: number;
	/** Undirected edges. */
	edges: number;
	/** Edges used by exactly one triangle. */
	boundaryEdges: number;
	/** Edges used by more than two triangles. */
	nonManifoldEdges: number;
	/** Edges used by two triangles that run along them in the same direction (orientation flips there). */
	inconsistentEdges: number;
	/** Vertices whose triangles form more than one fan (e.g. two cones touching at their tips). */
	nonManifoldVertices: number;
	/** Triangles with a repeated index or an area below 1e-12 × (bounding-box diagonal)². */
	degenerateTriangles: number;
	/** Groups of triangles connected through shared edges. */
	components: number;
	/** V − E + F over the referenced vertices. */
	eulerCharacteristic: number;
	/** (2·components − χ) / 2: the genus when the surface is closed and orientable, reported regardless. */
	genus: number;
	/** No boundary, no non-manifold edge or vertex, consistent orientation. */
	closed: boolean;
	/** Sum of signed tetrahedron volumes; positive when triangles are counter-clockwise seen from outside. */
	signedVolume: number;
	/** closed, no degenerate triangle, and positive volume. */
	watertight: boolean;
}

/**
 * Analyses a triangle soup given as positions (x, y, z triples) and triangle indices.
 *
 * Triangles with a repeated index count as triangles and as degenerate but take no part in edges, faces of χ,
 * or components: they have no well-defined edges.
 *
 * @example
 * const report = analyzeTopology(mesh.positions, mesh.indices);
 * if (!report.watertight) throw new Error(`open mesh: ${report.boundaryEdges} boundary edges`);
 */
export function analyzeTopology(positions: Float32Array, indices: ArrayLike<number>): TopologyReport {
	const vertexCount = Math.floor(positions.length / 3);
	const triangleCount = Math.floor(indices.length / 3);
	const index = new Uint32Array(triangleCount * 3);
	for (let i = 0; i < index.length; i++) {
		const v = indices[i];
		if (!(v >= 0 && v < vertexCount) || v !== Math.floor(v)) {
			throw new RangeError(`analyzeTopology: index ${v} at ${i} is not a vertex (0..${vertexCount - 1})`);
		}
		index[i] = v;
	}

	const { referenced, diagonal, center } = referencedBounds(positions, index, vertexCount);
	const collapsed = new Uint8Array(triangleCount);
	let degenerate = 0;
	let faces = 0;
	let volume = 0;
	const areaFloor = 1e-12 * diagonal * diagonal;
	for (let t = 0; t < triangleCount; t++) {
		const a = index[3 * t];
		const b = index[3 * t + 1];
		const c = index[3 * t + 2];
		if (a === b || b === c || a === c) {
			collapsed[t] = 1;
			degenerate++;
			continue;
		}
		faces++;
		// Relative to the bounding-box centre: far-off meshes would otherwise lose the volume to cancellation.
		const [ox, oy, oz] = center;
		const ax = positions[3 * a] - ox, ay = positions[3 * a + 1] - oy, az = positions[3 * a + 2] - oz;
		const bx = positions[3 * b] - ox, by = positions[3 * b + 1] - oy, bz = positions[3 * b + 2] - oz;
		const cx = positions[3 * c] - ox, cy = positions[3 * c + 1] - oy, cz = positions[3 * c + 2] - oz;
		volume += (ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx)) / 6;
		const ux = bx - ax, uy = by - ay, uz = bz - az;
		const vx = cx - ax, vy = cy - ay, vz = cz - az;
		const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
		if (0.5 * Math.sqrt(nx * nx + ny * ny + nz * nz) < areaFloor) degenerate++;
	}

	const edges = classifyEdges(index, collapsed, vertexCount);
	const eulerCharacteristic = referenced - edges.edges + faces;
	const closed =
		edges.boundaryEdges === 0 &&
		edges.nonManifoldEdges === 0 &&
		edges.nonManifoldVertices === 0 &&
		edges.inconsistentEdges === 0;
	return {
		vertices: referenced,
		triangles: triangleCount,
		edges: edges.edges,
		boundaryEdges: edges.boundaryEdges,
		nonManifoldEdges: edges.nonManifoldEdges,
		inconsistentEdges: edges.inconsistentEdges,
		nonManifoldVertices: edges.nonManifoldVertices,
		degenerateTriangles: degenerate,
		components: edges.components,
		eulerCharacteristic,
		genus: (2 * edges.components - eulerCharacteristic) / 2,
		closed,
		signedVolume: volume,
		watertight: closed && degenerate === 0 && volume > 0,
	};
}

function referencedBounds(positions: Float32Array, index: Uint32Array, vertexCount: number) {
	const seen = new Uint8Array(vertexCount);
	let referenced = 0;
	const min = [Infinity, Infinity, Infinity];
	const max = [-Infinity, -Infinity, -Infinity];
	for (let i = 0; i < index.length; i++) {
		const v = index[i];
		if (seen[v]) continue;
		seen[v] = 1;
		referenced++;
		for (let k = 0; k < 3; k++) {
			const p = positions[3 * v + k];
			if (p < min[k]) min[k] = p;
			if (p > max[k]) max[k] = p;
		}
	}
	if (referenced === 0) return { referenced, diagonal: 0, center: [0, 0, 0] };
	const diagonal = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
	const center = [0, 1, 2].map((k) => (min[k] + max[k]) / 2);
	return { referenced, diagonal, center };
}

interface EdgeCounts {
	edges: number;
	boundaryEdges: number;
	nonManifoldEdges: number;
	inconsistentEdges: number;
	nonManifoldVertices: number;
	components: number;
}

/**
 * Groups half-edges by undirected edge with a counting sort on the lower vertex and an insertion sort on the
 * higher one within each bucket (a vertex has few edges), so no edge object or hash entry is allocated.
 */
function classifyEdges(index: Uint32Array, collapsed: Uint8Array, vertexCount: number): EdgeCounts {
	const halfCount = index.length;
	const lo = new Uint32Array(halfCount);
	const hi = new Uint32Array(halfCount);
	const start = new Uint32Array(vertexCount + 1);
	for (let h = 0; h < halfCount; h++) {
		if (collapsed[(h / 3) | 0]) continue;
		const a = index[h];
		const b = index[h - (h % 3) + ((h % 3) + 1) % 3];
		lo[h] = a < b ? a : b;
		hi[h] = a < b ? b : a;
		start[lo[h] + 1]++;
	}
	for (let v = 0; v < vertexCount; v++) start[v + 1] += start[v];
	const used = start[vertexCount];
	const order = new Uint32Array(used);
	const fill = start.slice(0, vertexCount);
	for (let h = 0; h < halfCount; h++) {
		if (!collapsed[(h / 3) | 0]) order[fill[lo[h]]++] = h;
	}
	for (let v = 0; v < vertexCount; v++) {
		// A pole (a cap's centre, a cone's tip) can own thousands of edges: insertion sort would go quadratic.
		if (start[v + 1] - start[v] > 32) {
			order.subarray(start[v], start[v + 1]).sort((x, y) => hi[x] - hi[y]);
			continue;
		}
		for (let i = start[v] + 1; i < start[v + 1]; i++) {
			const h = order[i];
			let j = i - 1;
			while (j >= start[v] && hi[order[j]] > hi[h]) {
				order[j + 1] = order[j];
				j--;
			}
			order[j + 1] = h;
		}
	}

	const triangleSets = new UnionFind(index.length / 3);
	// Corner h is vertex index[h] in triangle h/3; corners joined across shared edges trace each vertex's fans.
	const cornerSets = new UnionFind(halfCount);
	const counts: EdgeCounts = {
		edges: 0,
		boundaryEdges: 0,
		nonManifoldEdges: 0,
		inconsistentEdges: 0,
		nonManifoldVertices: 0,
		components: 0,
	};
	for (let i = 0; i < used; ) {
		let j = i + 1;
		while (j < used && lo[order[j]] === lo[order[i]] && hi[order[j]] === hi[order[i]]) j++;
		counts.edges++;
		const run = j - i;
		if (run === 1) counts.boundaryEdges++;
		else if (run > 2) counts.nonManifoldEdges++;
		for (let k = i + 1; k < j; k++) triangleSets.union((order[i] / 3) | 0, (order[k] / 3) | 0);
		if (run === 2) {
			const h1 = order[i];
			const h2 = order[i + 1];
			const next1 = h1 - (h1 % 3) + ((h1 % 3) + 1) % 3;
			const next2 = h2 - (h2 % 3) + ((h2 % 3) + 1) % 3;
			// Consistent neighbours traverse the edge in opposite directions: h1 starts where h2 ends.
			if (index[h1] === index[h2]) {
				counts.inconsistentEdges++;
				cornerSets.union(h1, h2);
				cornerSets.union(next1, next2);
			} else {
				cornerSets.union(h1, next2);
				cornerSets.union(next1, h2);
			}
		}
		i = j;
	}

	const fans = new Uint32Array(vertexCount);
	for (let h = 0; h < halfCount; h++) {
		if (collapsed[(h / 3) | 0] || cornerSets.find(h) !== h) continue;
		if (++fans[index[h]] === 2) counts.nonManifoldVertices++;
	}
	for (let t = 0; t < index.length / 3; t++) {
		if (!collapsed[t] && triangleSets.find(t) === t) counts.components++;
	}
	return counts;
}

/** Disjoint sets over 0..n-1 with path halving; union by index keeps it allocation-free. */
class UnionFind {
	private readonly parent: Uint32Array;

	constructor(n: number) {
		this.parent = new Uint32Array(n);
		for (let i = 0; i < n; i++) this.parent[i] = i;
	}

	find(x: number): number {
		const parent = this.parent;
		while (parent[x] !== x) {
			parent[x] = parent[parent[x]];
			x = parent[x];
		}
		return x;
	}

	union(a: number, b: number): void {
		const ra = this.find(a);
		const rb = this.find(b);
		if (ra < rb) this.parent[rb] = ra;
		else if (rb < ra) this.parent[ra] = rb;
	}
}
