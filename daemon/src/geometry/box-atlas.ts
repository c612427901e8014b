// A UV atlas by box projection, for baking vertex colours: every triangle joins the chart of the axis its
// normal points along most (±X, ±Y, ±Z), each connected group of such triangles is projected flat onto that
// axis's plane, and the charts are shelf-packed into the unit square at one common scale (texel density is
// the same everywhere). Linear time; xatlas (LSCM) took 7 s in WebAssembly for a 28k-triangle sphere, this
// takes milliseconds. Within a chart every normal is within 55° of the axis, so no triangle folds over; a
// chart that winds around (a spiral ramp) could overlap itself, which marching surfaces of blobby fields do not.
import { vertexNormals } from './normals';

export interface AtlasInput {
	positions: Float32Array;
	indices: Uint32Array;
}

export interface Atlas {
	/** Vertex of the input each atlas vertex copies (seams give a vertex one copy per chart). */
	source: Uint32Array;
	indices: Uint32Array;
	uvs: Float32Array;
	charts: number;
}

/** Texels around each chart in the packing, at the given texture size, so filtering stays inside it. */
const PADDING_TEXELS = 3;

export function boxAtlas(mesh: AtlasInput, textureSize: number): Atlas {
	const { positions, indices } = mesh;
	const triangles = indices.length / 3;
	// Classify by the smoothed normal (the sum of the corners' vertex normals): thin marching triangles have
	// noisy face normals, which would scatter small islands along every chart border.
	const normals = vertexNormals(positions, indices);
	const axisOf = new Uint8Array(triangles);
	for (let t = 0; t < triangles; t++) {
		const n = [0, 0, 0];
		for (let k = 0; k < 3; k++) for (let c = 0; c < 3; c++) n[c] += normals[indices[t * 3 + k] * 3 + c];
		axisOf[t] = dominantAxis(n);
	}

	const chartOf = charts(indices, axisOf);
	const chartCount = chartOf.reduce((m, c) => Math.max(m, c + 1), 0);

	// One copy of each vertex per chart that uses it, projected onto the chart's plane.
	const copy = new Map<number, number>();
	const source: number[] = [];
	const flat: number[] = [];
	const out = new Uint32Array(indices.length);
	for (let t = 0; t < triangles; t++) {
		for (let k = 0; k < 3; k++) {
			const v = indices[t * 3 + k];
			const key = chartOf[t] * (positions.length / 3) + v;
			let id = copy.get(key);
			if (id === undefined) {
				id = source.length;
				copy.set(key, id);
				source.push(v);
				const [u, w] = project(positions, v, axisOf[t]);
				flat.push(u, w);
			}
			out[t * 3 + k] = id;
		}
	}
	const chartOfCopy = new Int32Array(source.length);
	for (let t = 0; t < triangles; t++) for (let k = 0; k < 3; k++) chartOfCopy[out[t * 3 + k]] = chartOf[t];
	const uvs = pack(Float32Array.from(flat), chartOfCopy, chartCount, textureSize);
	return { source: Uint32Array.from(source), indices: out, uvs, charts: chartCount };
}

/** 0..5 for +X, −X, +Y, −Y, +Z, −Z: the axis closest to the direction `n`. */
function dominantAxis(n: number[]): number {
	let axis = 0;
	for (let k = 1; k < 3; k++) if (Math.abs(n[k]) > Math.abs(n[axis])) axis = k;
	return axis * 2 + (n[axis] < 0 ? 1 : 0);
}

/** The plane coordinates of a vertex for a chart facing `axis`: the surface as seen from outside, upright. */
function project(p: Float32Array, v: number, axis: number): [number, number] {
	const x = p[v * 3], y = p[v * 3 + 1], z = p[v * 3 + 2];
	switch (axis) {
		case 0: return [-z, -y];
		case 1: return [z, -y];
		case 2: return [x, z];
		case 3: return [x, -z];
		case 4: return [x, -y];
		default: return [-x, -y];
	}
}

/** Connected groups of triangles sharing an edge and an axis: chart number per triangle. */
function charts(indices: Uint32Array, axisOf: Uint8Array): Int32Array {
	const triangles = indices.length / 3;
	const parent = Int32Array.from({ length: triangles }, (_, i) => i);
	const find = (a: number): number => {
		while (parent[a] !== a) a = parent[a] = parent[parent[a]];
		return a;
	};
	const edges = new Map<number, number>();
	const vertices = indices.reduce((m, v) => Math.max(m, v + 1), 0);
	for (let t = 0; t < triangles; t++) {
		for (let k = 0; k < 3; k++) {
			const a = indices[t * 3 + k];
			const b = indices[t * 3 + ((k + 1) % 3)];
			const key = Math.min(a, b) * vertices + Math.max(a, b);
			const other = edges.get(key);
			if (other === undefined) edges.set(key, t);
			else if (axisOf[other] === axisOf[t]) parent[find(other)] = find(t);
		}
	}
	const id = new Map<number, number>();
	const chartOf = new Int32Array(triangles);
	for (let t = 0; t < triangles; t++) {
		const root = find(t);
		if (!id.has(root)) id.set(root, id.size);
		chartOf[t] = id.get(root)!;
	}
	return chartOf;
}

/**
 * Shelf packing of the charts' boxes at one scale, searched so the shelves just fit the unit square with
 * padding; returns UVs in [0, 1].
 */
function pack(flat: Float32Array, chartOf: Int32Array, count: number, size: number): Float32Array {
	const box = Array.from({ length: count }, () => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, ox: 0, oy: 0 }));
	for (let v = 0; v < chartOf.length; v++) {
		const b = box[chartOf[v]];
		b.x0 = Math.min(b.x0, flat[v * 2]);
		b.x1 = Math.max(b.x1, flat[v * 2]);
		b.y0 = Math.min(b.y0, flat[v * 2 + 1]);
		b.y1 = Math.max(b.y1, flat[v * 2 + 1]);
	}
	const order = box.map((_, i) => i).sort((a, b) => box[b].y1 - box[b].y0 - (box[a].y1 - box[a].y0));
	const pad = PADDING_TEXELS / size;
	// Place every chart at `scale` (texture units per mesh unit); true when all fit in the unit square.
	const place = (scale: number): boolean => {
		let x = pad;
		let y = pad;
		let shelf = 0;
		for (const i of order) {
			const w = (box[i].x1 - box[i].x0) * scale;
			const h = (box[i].y1 - box[i].y0) * scale;
			if (w + 2 * pad > 1 || h + 2 * pad > 1) return false;
			if (x + w + pad > 1) {
				x = pad;
				y += shelf + pad;
				shelf = 0;
			}
			if (y + h + pad > 1) return false;
			box[i].ox = x - box[i].x0 * scale;
			box[i].oy = y - box[i].y0 * scale;
			x += w + pad;
			shelf = Math.max(shelf, h);
		}
		return true;
	};
	const area = box.reduce((s, b) => s + (b.x1 - b.x0) * (b.y1 - b.y0), 0) || 1;
	let lo = 0;
	let hi = 1 / Math.sqrt(area);
	while (place(hi)) hi *= 2;
	for (let step = 0; step < 30; step++) {
		const mid = (lo + hi) / 2;
		if (place(mid)) lo = mid;
		else hi = mid;
	}
	place(lo);
	const uvs = new Float32Array(flat.length);
	for (let v = 0; v < chartOf.length; v++) {
		const b = box[chartOf[v]];
		uvs[v * 2] = flat[v * 2] * lo + b.ox;
		uvs[v * 2 + 1] = flat[v * 2 + 1] * lo + b.oy;
	}
	return uvs;
}
