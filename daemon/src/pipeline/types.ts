// Data passed between the pipeline stages (decode → segment → a generator's shape, mesh and texture → optimize →
// export). Every stage is `stage(input, options, ctx)`: pure apart from `ctx`, which carries the abort signal and
// progress.

/** Reports a stage's own progress, 0–1, with an optional short message. */
export type ProgressFn = (fraction: number, message?: string) => void;

/**
 * What a stage needs of a cancellation signal: an AbortSignal has it, and so has the shared-memory flag a worker
 * thread reads (jobs/worker.ts), which the main thread can raise while the worker is busy in synchronous code.
 */
export type CancelSignal = Pick<AbortSignal, 'aborted' | 'throwIfAborted'>;

export interface StageContext {
	signal: CancelSignal;
	progress: ProgressFn;
}

/** A context that is never cancelled and reports nowhere (tests, tools). */
export function quietContext(signal: CancelSignal = new AbortController().signal): StageContext {
	return { signal, progress: () => {} };
}

/** 8-bit RGBA pixels, row-major, top row first, straight (not premultiplied) alpha. */
export interface RgbaImage {
	data: Uint8Array;
	width: number;
	height: number;
}

/** One 8-bit channel, row-major. For masks, 0 = background, 255 = subject, values between = partial cover. */
export interface GrayImage {
	data: Uint8Array;
	width: number;
	height: number;
}

/** Pixel rectangle, x1/y1 exclusive. */
export interface Rect {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

export interface DecodedImage {
	/** The image at the geometry working size, for segmentation and shape; EXIF orientation applied. */
	image: RgbaImage;
	/** The same picture at the texture working size (at least as large as `image`). */
	texture: RgbaImage;
	/** Width and height of the file as stored, after orientation. */
	sourceWidth: number;
	sourceHeight: number;
	format: string;
	/** Whether the alpha channel really separates a subject (some pixels transparent, some opaque). */
	hasTransparency: boolean;
}

export interface SegmentResult {
	/** Subject coverage at the geometry working size. */
	mask: GrayImage;
	/** Bounding box of the subject in the mask. */
	bbox: Rect;
	method: 'alpha' | 'chroma' | 'model';
	/** Number of separate subject regions kept. */
	components: number;
}

/**
 * Height field over a vertex grid that covers the subject's bounding box with a margin of outside vertices.
 * Grid vertex (i, j) sits at geometry-image pixel (originX + i·cell, originY + j·cell).
 */
export interface HeightField {
	cols: number;
	rows: number;
	originX: number;
	originY: number;
	/** Geometry-image pixels per grid cell. */
	cell: number;
	/** Subject coverage per vertex, 0–1; the silhouette is the 0.5 contour. */
	coverage: Float32Array;
	/** Distance of each inside vertex to the silhouette, in cells (0 outside); mesh density follows it. */
	distance: Float32Array;
	/** Height of the front surface above the silhouette plane, in grid cells (0 outside). */
	front: Float32Array;
	/** Depth of the back surface below the silhouette plane, in grid cells (0 outside). */
	back: Float32Array;
	/** Where the silhouette crosses grid edges around parts thinner than a cell, when the subject has any. */
	crossings?: EdgeCrossings;
}

/**
 * Silhouette crossings of grid edges, per vertex p: `h[p]` on the edge to its right neighbour, `v[p]` on the
 * edge to the one below, as a fraction of the edge from p; NaN where interpolating the coverage places it.
 */
export interface EdgeCrossings {
	h: Float32Array;
	v: Float32Array;
}

/**
 * Indexed triangle mesh. Positions are (x, y, z) triples; triangles are counter-clockwise seen from outside.
 * `source` holds each vertex's geometry-image pixel (x, y): the texture is a projection of the photo.
 */
export interface TriMesh {
	positions: Float32Array;
	indices: Uint32Array;
	source?: Float32Array;
	uvs?: Float32Array;
	normals?: Float32Array;
}

export interface TextureResult {
	/** Square base-colour texture, opaque, with colours bled past the silhouette. */
	image: RgbaImage;
	/** Region of the texture-size image the texture covers; UV (0,0) is its top-left corner. */
	crop: Rect;
}
