// Deterministic pseudo-random test data (seeded mulberry32), so every failure can be reproduced.
import { mulberry32 } from '../../models/testing/random';

export { mulberry32 };

/** A 0/1 mask of random blobs: noise smoothed by a few majority passes, so it has regions, holes and specks. */
export function blobMask(width: number, height: number, seed: number, density = 0.5): Uint8Array {
	const rand = mulberry32(seed);
	let m = new Uint8Array(width * height);
	for (let p = 0; p < m.length; p++) m[p] = rand() < density ? 1 : 0;
	for (let pass = 0; pass < 3; pass++) {
		const n = new Uint8Array(m.length);
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) {
				let s = 0;
				let c = 0;
				for (let dy = -1; dy <= 1; dy++) {
					for (let dx = -1; dx <= 1; dx++) {
						const xx = x + dx;
						const yy = y + dy;
						if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
						s += m[yy * width + xx];
						c++;
					}
				}
				n[y * width + x] = s * 2 > c ? 1 : 0;
			}
		}
		m = n;
	}
	return m;
}
