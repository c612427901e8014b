// The pictures the bench times: every image file in a folder, or the generated fixtures; and each of them
// rescaled to a given long side, done once before any timing so encoding never counts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ALL_FIXTURES } from '../fixtures/images';
import { listImages } from '../helpers/image-files';

export interface BenchImage {
	/** File name, or the fixture's name. */
	label: string;
	/** Name given to the pipeline (the model's node and material). */
	name: string;
	bytes: Uint8Array;
}

export interface ScaledImage extends BenchImage {
	width: number;
	height: number;
}

/** The images of `dir`, or the generated fixtures at their default size when no folder is given. */
export async function loadBenchImages(dir: string | undefined): Promise<BenchImage[]> {
	if (!dir) {
		const fixtures = await Promise.all(Object.values(ALL_FIXTURES).map((make) => make()));
		return fixtures.map((f) => ({ label: f.name, name: f.name, bytes: f.bytes }));
	}
	const files = await listImages(dir);
	return Promise.all(
		files.map(async (file) => ({
			label: path.basename(file),
			name: path.basename(file, path.extname(file)),
			bytes: await readFile(file),
		})),
	);
}

/**
 * The image with its longer side at `size`, enlarged if need be, as PNG so a cut-out keeps its alpha. The EXIF
 * orientation is applied first: PNG drops the tag, and the picture must stay upright.
 */
export async function scaleTo(image: BenchImage, size: number): Promise<ScaledImage> {
	const { data, info } = await sharp(image.bytes)
		.rotate()
		.resize({ width: size, height: size, fit: 'inside', withoutEnlargement: false })
		.png()
		.toBuffer({ resolveWithObject: true });
	return { ...image, bytes: data, width: info.width, height: info.height };
}
