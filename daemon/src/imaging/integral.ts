// Summed-area table of a gray image, for the mean over any axis-aligned box in O(1) — the geometry grid samples
// the subject's coverage this way, at any cell size, without stair-steps.

export class IntegralImage {
	private readonly table: Float64Array;

	constructor(
		data: Uint8Array,
		readonly width: number,
		readonly height: number,
	) {
		const w1 = width + 1;
		const t = new Float64Array(w1 * (height + 1));
		for (let y = 0; y < height; y++) {
			let row = 0;
			for (let x = 0; x < width; x++) {
				row += data[y * width + x];
				t[(y + 1) * w1 + x + 1] = t[y * w1 + x + 1] + row;
			}
		}
		this.table = t;
	}

	/** Integral of the image over [0, x) × [0, y) in continuous pixel coordinates (bilinear in the table). */
	private at(x: number, y: number): number {
		const cx = Math.min(Math.max(x, 0), this.width);
		const cy = Math.min(Math.max(y, 0), this.height);
		const x0 = Math.floor(cx);
		const y0 = Math.floor(cy);
		const x1 = Math.min(x0 + 1, this.width);
		const y1 = Math.min(y0 + 1, this.height);
		const fx = cx - x0;
		const fy = cy - y0;
		const w1 = this.width + 1;
		const t = this.table;
		const a = t[y0 * w1 + x0] * (1 - fx) + t[y0 * w1 + x1] * fx;
		const b = t[y1 * w1 + x0] * (1 - fx) + t[y1 * w1 + x1] * fx;
		return a * (1 - fy) + b * fy;
	}

	/** Mean value over the box [x0, x1) × [y0, y1); parts outside the image count as 0. */
	mean(x0: number, y0: number, x1: number, y1: number): number {
		const area = (x1 - x0) * (y1 - y0);
		if (area <= 0) return 0;
		return (this.at(x1, y1) - this.at(x0, y1) - this.at(x1, y0) + this.at(x0, y0)) / area;
	}
}
