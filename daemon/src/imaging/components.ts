// Connected components of a binary mask (4-connected), by runs: each row is cut into runs of equal value,
// runs that overlap a run of the row above are joined with union-find, then labels are painted run by run.
// Far fewer union operations than pixels, and every pass is a sequential scan.

export interface Components {
	/** Component id per pixel, 0 = not in the mask, 1..count otherwise. */
	labels: Int32Array;
	count: number;
	/** Pixel count of component k at index k (index 0 unused). */
	areas: Int32Array;
	/** Whether component k touches the image border. */
	touchesBorder: Uint8Array;
}

/** Labels the 4-connected regions of pixels where `(mask[p] ? 1 : 0) === value`. */
export function labelComponents(mask: Uint8Array, width: number, height: number, value = 1): Components {
	let capacity = 1024;
	let runStart = new Int32Array(capacity);
	let runEnd = new Int32Array(capacity);
	let runRow = new Int32Array(capacity);
	let parent = new Int32Array(capacity);
	let runs = 0;
	let prevFirst = 0;
	let prevLast = 0;

	const find = (a: number): number => {
		while (parent[a] !== a) {
			parent[a] = parent[parent[a]];
			a = parent[a];
		}
		return a;
	};

	for (let y = 0; y < height; y++) {
		const row = y * width;
		const first = runs;
		let x = 0;
		while (x < width) {
			while (x < width && (mask[row + x] ? 1 : 0) !== value) x++;
			if (x === width) break;
			const start = x;
			while (x < width && (mask[row + x] ? 1 : 0) === value) x++;
			if (runs === capacity) {
				capacity *= 2;
				runStart = grow(runStart, capacity);
				runEnd = grow(runEnd, capacity);
				runRow = grow(runRow, capacity);
				parent = grow(parent, capacity);
			}
			runStart[runs] = start;
			runEnd[runs] = x;
			runRow[runs] = y;
			parent[runs] = runs;
			// Join with every run of the previous row that shares a column (4-connectivity).
			for (let k = prevFirst; k < prevLast; k++) {
				if (runEnd[k] <= start) continue;
				if (runStart[k] >= x) break;
				const a = find(k);
				const b = find(runs);
				if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
			}
			runs++;
		}
		prevFirst = first;
		prevLast = runs;
	}

	const idOfRoot = new Int32Array(runs);
	const areas: number[] = [0];
	const border: number[] = [0];
	let count = 0;
	const labels = new Int32Array(width * height);
	for (let k = 0; k < runs; k++) {
		const root = find(k);
		if (root === k) {
			idOfRoot[k] = ++count;
			areas.push(0);
			border.push(0);
		}
		const id = idOfRoot[root];
		const start = runStart[k];
		const end = runEnd[k];
		areas[id] += end - start;
		if (start === 0 || end === width || runRow[k] === 0 || runRow[k] === height - 1) border[id] = 1;
		labels.fill(id, runRow[k] * width + start, runRow[k] * width + end);
	}
	return { labels, count, areas: Int32Array.from(areas), touchesBorder: Uint8Array.from(border) };
}

function grow(a: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
	const b = new Int32Array(capacity);
	b.set(a);
	return b;
}
