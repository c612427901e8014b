// Regular 3-D sample grids: the layout `sampleGrid` fills from a field callback (an ONNX decoder, an SDF) and
// `marchingCubes` reads. Sample (i, j, k) sits at origin + (i, j, k)·spacing, stored at index (k·ny + j)·nx + i.

/** Samples along x, y and z. */
export type GridDims = [number, number, number];

/** Distance between neighbouring samples: one value for cubic cells, or one per axis. */
export type GridSpacing = number | [number, number, number];

/** Values per chunk `sampleGrid` hands to `evaluate` unless told otherwise. */
export const SAMPLE_GRID_CHUNK = 65536;

/**
 * Evaluates a field at a batch of points. `points` holds x, y, z triples (a fresh array each call, so it may be
 * kept, e.g. wrapped in a tensor); the answer holds one value per point, in the same order.
 */
export type FieldEvaluator = (points: Float32Array) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * Samples a field on a grid, asking `evaluate` for at most `chunk` points at a time and awaiting each call
 * before the next, so a decoder's memory stays bounded and one inference session is never re-entered.
 *
 * @example
 * const field = await sampleGrid((p) => decoder.run(p), [128, 128, 128], [-1, -1, -1], 2 / 127);
 * const mesh = marchingCubes(field, [128, 128, 128], { origin: [-1, -1, -1], spacing: 2 / 127 });
 */
export async function sampleGrid(
	evaluate: FieldEvaluator,
	dims: GridDims,
	origin: [number, number, number],
	spacing: GridSpacing,
	chunk = SAMPLE_GRID_CHUNK,
): Promise<Float32Array> {
	const [nx, ny, nz] = checkDims('sampleGrid', dims);
	const [sx, sy, sz] = spacingTriple('sampleGrid', spacing);
	const [ox, oy, oz] = checkOrigin('sampleGrid', origin);
	if (!(Number.isInteger(chunk) && chunk > 0)) {
		throw new RangeError(`sampleGrid: chunk must be a positive integer, got ${chunk}`);
	}
	const total = nx * ny * nz;
	const field = new Float32Array(total);
	for (let start = 0; start < total; start += chunk) {
		const count = Math.min(chunk, total - start);
		const points = new Float32Array(count * 3);
		// Walk i, j, k alongside the flat index instead of dividing per point.
		let i = start % nx;
		let j = Math.floor(start / nx) % ny;
		let k = Math.floor(start / (nx * ny));
		for (let p = 0; p < count * 3; p += 3) {
			points[p] = ox + i * sx;
			points[p + 1] = oy + j * sy;
			points[p + 2] = oz + k * sz;
			if (++i === nx) {
				i = 0;
				if (++j === ny) {
					j = 0;
					k++;
				}
			}
		}
		const values = await evaluate(points);
		if (!values || values.length !== count) {
			throw new RangeError(
				`sampleGrid: evaluate returned ${values?.length} values for ${count} points; return one per point`,
			);
		}
		for (let p = 0; p < count; p++) field[start + p] = values[p];
	}
	return field;
}

/** Validates grid dimensions (positive integers) and returns them. */
export function checkDims(caller: string, dims: GridDims): GridDims {
	if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((n) => Number.isInteger(n) && n > 0)) {
		throw new RangeError(`${caller}: dims must be three positive integers, got ${JSON.stringify(dims)}`);
	}
	return dims;
}

/** Validates a spacing (positive and finite) and returns it per axis. */
export function spacingTriple(caller: string, spacing: GridSpacing): [number, number, number] {
	const triple: [number, number, number] = typeof spacing === 'number' ? [spacing, spacing, spacing] : spacing;
	if (!Array.isArray(triple) || triple.length !== 3 || !triple.every((s) => Number.isFinite(s) && s > 0)) {
		throw new RangeError(`${caller}: spacing must be positive and finite, got ${JSON.stringify(spacing)}`);
	}
	return triple;
}

/** Validates an origin (three finite numbers) and returns it. */
export function checkOrigin(caller: string, origin: [number, number, number]): [number, number, number] {
	if (!Array.isArray(origin) || origin.length !== 3 || !origin.every(Number.isFinite)) {
		throw new RangeError(`${caller}: origin must be three finite numbers, got ${JSON.stringify(origin)}`);
	}
	return origin;
}
