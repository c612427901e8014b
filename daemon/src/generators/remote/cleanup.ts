// Clean-up of a model that a generation server sent back (e.g. Hunyuan3D's textured GLB, in the server's own
// axes and units): one mesh in Orfeas's convention (metres, Y up, +Z toward the camera, origin at the bottom
// centre, as geometry/place.ts states it), welded and simplified to the budget, every material, texture and
// vertex attribute kept. Holes are measured and reported, not filled: the server's surface is the result.
import { Document, Logger, NodeIO, Primitive, type Material, type Mesh, type Node, type mat4 } from '@gltf-transform/core';
import { compactPrimitive, convertPrimitiveToTriangles, getBounds, prune, transformPrimitive, weld } from '@gltf-transform/functions';
import type { MeshoptSimplifier, SimplifierFlags } from 'meshoptimizer';
import { writeGlb } from '../../export/glb';
import { analyzeTopology, type TopologyReport } from '../../geometry/topology';
import { OPTIMIZE_DEFAULTS } from '../../pipeline/optimize';
import type { CancelSignal, StageContext } from '../../pipeline/types';
import { OrfeasError } from '../../protocol/errors';
import { VERSION } from '../../version';

export const NAME = 'remote-cleanup';

type Simplifier = typeof MeshoptSimplifier;

/** One of the GLB's axes, with its sign. */
export type Axis = '+x' | '-x' | '+y' | '-y' | '+z' | '-z';

/**
 * Which of the GLB's axes points to the picture's right, which up, and which toward the camera that took the
 * picture. A frame whose three axes do not form a right-handed set mirrors the model; the winding is reversed
 * then, so faces still face out.
 */
export interface ServerFrame {
	right: Axis;
	up: Axis;
	front: Axis;
}

export interface CleanupOptions {
	/** The server's axes (see ServerFrame). */
	frame: ServerFrame;
	/** Height of the result in metres (its y extent). */
	height: number;
	/** Triangle budget of the result. */
	maxTriangles: number;
	/**
	 * Largest deviation the simplifier should introduce, as a fraction of the mesh extent (default
	 * OPTIMIZE_DEFAULTS.error). Where the budget cannot be reached within it without breaking the surface, the
	 * bound gives way: the budget is what engines rely on.
	 */
	error?: number;
	/** meshoptimizer's `MeshoptSimplifier`, ready to use. */
	simplifier: unknown;
	/** Largest GLB accepted from the server, in bytes; larger answers are refused before they are parsed. */
	maxBytes?: number;
}

export const CLEANUP_DEFAULTS: Readonly<Pick<CleanupOptions, 'error'>> = { error: OPTIMIZE_DEFAULTS.error };

/** What the clean-up made of the server's model. */
export interface CleanupReport {
	triangles: number;
	/** Vertices of the triangle primitives, as uploaded (UV and material seams split them). */
	vertices: number;
	/** Welded by position, the surface has no border, no non-manifold edge or vertex, and one orientation. */
	closed: boolean;
	/** Boundary edges after welding by position, when not closed. */
	openEdges: number;
	/** Pieces connected through shared edges, after welding by position. */
	components: number;
	/** Texture slots some material still uses, in glTF order, e.g. ['baseColor', 'metallicRoughness', 'normal']. */
	textures: string[];
}

/**
 * Reads the server's GLB and returns the cleaned document, its GLB bytes and a report. Unreadable bytes, a
 * model without triangles or without height answer E_BACKEND with what is wrong.
 *
 * ```ts
 * import { MeshoptSimplifier } from 'meshoptimizer';
 * await MeshoptSimplifier.ready;
 * const frame: ServerFrame = { right: '+x', up: '+y', front: '+z' };
 * const { glb, report } = await cleanUpServerModel(answer, { frame, height: 1, maxTriangles: 20000, simplifier: MeshoptSimplifier }, ctx);
 * if (!report.closed) log.warn(`the server's model has ${report.openEdges} open edges`);
 * ```
 */
export async function cleanUpServerModel(
	glb: Uint8Array,
	options: CleanupOptions,
	ctx: StageContext,
): Promise<{ document: Document; glb: Uint8Array; report: CleanupReport }> {
	const { frame, height, maxTriangles, error, simplifier, maxBytes } = { ...CLEANUP_DEFAULTS, ...options };
	if (!simplifier) throw new Error(`${NAME}: simplifier dependency required`);
	if (!(height > 0) || !(maxTriangles >= 1)) throw new Error(`${NAME}: height and maxTriangles must be positive (got ${height}, ${maxTriangles})`);
	const rotation = frameMatrix(frame);
	ctx.signal.throwIfAborted();

	const document = await readServerGlb(glb, maxBytes);
	ctx.signal.throwIfAborted();
	ctx.progress(0.1);
	const node = bake(document, rotation);
	const model = node.getMesh()!;
	if (triangles(model).length === 0) {
		throw new OrfeasError('E_BACKEND', 'The model the generation server sent has no triangles. Try the job again; if it keeps happening, check the server.');
	}
	standOnGround(node, height, frame.up);
	ctx.signal.throwIfAborted();
	ctx.progress(0.3);
	await document.transform(weld());
	ctx.signal.throwIfAborted();
	ctx.progress(0.4);
	simplifyToBudget(document, model, maxTriangles, error!, simplifier as Simplifier, ctx.signal);
	ctx.signal.throwIfAborted();
	ctx.progress(0.8);
	// Solid-colour maps stay maps and UVs stay even without a texture: the server's material is kept as it came.
	await document.transform(prune({ keepAttributes: true, keepSolidTextures: true }));
	labelImages(document);
	ctx.signal.throwIfAborted();
	ctx.progress(0.85);
	const report = { ...measure(model, simplifier as Simplifier), textures: textureSlots(document) };
	ctx.signal.throwIfAborted();
	ctx.progress(0.9);
	document.getRoot().getAsset().generator = `Orfeas ${VERSION}`;
	const bytes = await writeGlb(document);
	ctx.progress(1);
	return { document, glb: bytes, report };
}

/**
 * Gives each image the MIME type its bytes have: Hunyuan3D-2.1 embeds a JPEG albedo as a data URI labelled
 * image/png, which a GLB written as it came would carry into the validator's errors.
 */
function labelImages(document: Document): void {
	for (const texture of document.getRoot().listTextures()) {
		const bytes = texture.getImage();
		if (!bytes) continue;
		if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) texture.setMimeType('image/jpeg');
		else if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) texture.setMimeType('image/png');
	}
}

/** Orfeas's coordinates from the server's: row k of the rotation picks (and signs) the GLB axis of Orfeas's axis k. */
function frameMatrix(frame: ServerFrame): mat4 {
	const axes = [frame.right, frame.up, frame.front];
	const letters = new Set(axes.map((axis) => (/^[+-][xyz]$/.test(axis) ? axis[1] : '?')));
	if (letters.size !== 3 || letters.has('?')) {
		throw new OrfeasError('E_BACKEND', `The generation server's frame (right ${frame.right}, up ${frame.up}, front ${frame.front}) must name each of x, y and z once, with a sign. Fix the server's entry.`);
	}
	const matrix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
	axes.forEach((axis, k) => (matrix['xyz'.indexOf(axis[1]) * 4 + k] = axis[0] === '-' ? -1 : 1));
	return matrix as mat4;
}

/** Parses the server's bytes; external files are refused by the binary reader, so nothing is read from disk. */
async function readServerGlb(glb: Uint8Array, maxBytes = Infinity): Promise<Document> {
	if (glb.byteLength > maxBytes) {
		throw new OrfeasError('E_BACKEND', `The generation server sent ${megabytes(glb.byteLength)} MB, over the ${megabytes(maxBytes)} MB allowed for a model. Ask for fewer triangles or a smaller texture.`);
	}
	try {
		return await new NodeIO().setLogger(new Logger(Logger.Verbosity.WARN)).readBinary(glb);
	} catch (error) {
		const reason = (error as Error).message.replace(/\.$/, '');
		throw new OrfeasError('E_BACKEND', `The generation server's answer is not a readable GLB file (${reason}). Try the job again; if it keeps happening, check that the server returns binary glTF.`);
	}
}

function megabytes(bytes: number): string {
	return (bytes / 1e6).toFixed(1);
}

/**
 * Every primitive of the default scene, moved by its node's world transform and then into Orfeas's frame, in
 * one mesh under one node; the old nodes, their animations and skins go (a baked model has nothing to move).
 */
function bake(document: Document, rotation: mat4): Node {
	const root = document.getRoot();
	const scene = root.getDefaultScene() ?? root.listScenes()[0] ?? document.createScene();
	const mesh = document.createMesh();
	let name = '';
	scene.traverse((node: Node) => {
		const source = node.getMesh();
		if (!source) return;
		name ||= node.getName() || source.getName();
		const matrix = multiply(rotation, node.getWorldMatrix());
		for (const primitive of source.listPrimitives()) {
			// A mesh used by several nodes is baked once per node: each copy gets its own accessors and targets.
			const copy = primitive.clone();
			for (const target of copy.listTargets()) copy.removeTarget(target).addTarget(target.clone());
			mesh.addPrimitive(copy);
			const mode = copy.getMode();
			if (mode === Primitive.Mode.TRIANGLE_STRIP || mode === Primitive.Mode.TRIANGLE_FAN) convertPrimitiveToTriangles(copy);
			compactPrimitive(copy);
			moveVertices(copy, matrix);
		}
	});
	for (const node of root.listNodes()) node.dispose();
	for (const animation of root.listAnimations()) animation.dispose();
	for (const skin of root.listSkins()) skin.dispose();
	for (const other of root.listScenes()) if (other !== scene) other.dispose();
	mesh.setName(name || 'model');
	const model = document.createNode(mesh.getName()).setMesh(mesh);
	scene.addChild(model);
	root.setDefaultScene(scene);
	return model;
}

/**
 * glTF-Transform's transformPrimitive (positions, normals by the inverse transpose, winding reversed under a
 * mirror), with tangents done here: its tangent transform reuses a component it has already overwritten, and
 * a mirror must also flip each tangent's handedness (w) for normal maps to keep their relief.
 */
function moveVertices(primitive: Primitive, matrix: mat4): void {
	const tangent = primitive.getAttribute('TANGENT');
	primitive.setAttribute('TANGENT', null);
	transformPrimitive(primitive, matrix);
	if (!tangent) return;
	const mirror = determinant3(matrix) < 0 ? -1 : 1;
	const t = [0, 0, 0, 1];
	for (let i = 0; i < tangent.getCount(); i++) {
		tangent.getElement(i, t);
		const v = [0, 1, 2].map((k) => matrix[k] * t[0] + matrix[4 + k] * t[1] + matrix[8 + k] * t[2]);
		const length = Math.hypot(v[0], v[1], v[2]) || 1;
		tangent.setElement(i, [v[0] / length, v[1] / length, v[2] / length, t[3] * mirror]);
	}
	primitive.setAttribute('TANGENT', tangent);
}

/** Scales uniformly to `height` and moves the bottom centre of the bounds to the origin. */
function standOnGround(node: Node, height: number, up: Axis): void {
	const { min, max } = getBounds(node);
	const span = max[1] - min[1];
	if (!(span > 0) || !Number.isFinite(span)) {
		throw new OrfeasError('E_BACKEND', `The model the generation server sent has no height along its up axis (${up}), so it cannot be made ${height} m tall. Check the server's frame, or try the job again.`);
	}
	const s = height / span;
	const matrix = [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, (-(min[0] + max[0]) / 2) * s, -min[1] * s, (-(min[2] + max[2]) / 2) * s, 1];
	for (const primitive of node.getMesh()!.listPrimitives()) moveVertices(primitive, matrix as mat4);
}

/**
 * Tries, in order, until one stays within the budget without making the surface worse: within the error bound,
 * then regularized (even triangles, which keeps fans of seam vertices from pinching into a non-manifold edge),
 * then both again without the bound. Borders stay locked in every try: between primitives (materials) they
 * must keep meeting, and open borders are the server's holes, reported as they came.
 */
const ATTEMPTS: { bounded: boolean; flags: SimplifierFlags[] }[] = [
	{ bounded: true, flags: ['LockBorder'] },
	{ bounded: true, flags: ['LockBorder', 'Regularize'] },
	{ bounded: false, flags: ['LockBorder'] },
	{ bounded: false, flags: ['LockBorder', 'Regularize'] },
];

/**
 * Each triangle primitive simplified to the same share of the budget by meshoptimizer, which only slides seam
 * vertices along their seam, so UV seams stay seams; the vertices left keep every attribute (glTF-Transform's
 * compactPrimitive). Its simplifyPrimitive is not used because it passes no flag but LockBorder. When no try
 * both fits and keeps the surface, the first that fits wins, then the smallest: the report says what broke.
 */
function simplifyToBudget(document: Document, mesh: Mesh, maxTriangles: number, error: number, simplifier: Simplifier, signal: CancelSignal): void {
	const parts = triangles(mesh);
	const sources = parts.map((p) => Uint32Array.from(p.getIndices()!.getArray()!));
	const total = sources.reduce((sum, indices) => sum + indices.length / 3, 0);
	if (total <= maxTriangles) return;
	const surface = weldedSurface(parts, simplifier);
	const before = surface.topology(sources);
	let fitting: Uint32Array[] | undefined;
	let smallest: Uint32Array[] | undefined;
	const size = (result: Uint32Array[]) => result.reduce((sum, indices) => sum + indices.length / 3, 0);
	for (const { bounded, flags } of ATTEMPTS) {
		signal.throwIfAborted();
		const result = parts.map((part, i) => {
			const target = Math.floor((sources[i].length / 3) * (maxTriangles / total)) * 3;
			return simplifier.simplify(sources[i], part.getAttribute('POSITION')!.getArray() as Float32Array, 3, target, bounded ? error : 1, flags)[0];
		});
		if (size(result) > maxTriangles) {
			if (!smallest || size(result) < size(smallest)) smallest = result;
			continue;
		}
		fitting ??= result;
		if (keepsSurface(before, surface.topology(result))) {
			fitting = result;
			break;
		}
	}
	parts.forEach((part, i) => {
		const indices = part.getIndices()!;
		part.setIndices(document.createAccessor().setType('SCALAR').setArray((fitting ?? smallest)![i]).setBuffer(indices.getBuffer()));
		if (indices.listParents().length === 1) indices.dispose();
		if (part.getIndices()!.getCount() === 0) part.dispose();
		else compactPrimitive(part);
	});
}

/** No new border, non-manifold edge or vertex, orientation flip or piece. */
function keepsSurface(before: TopologyReport, after: TopologyReport): boolean {
	return (
		after.boundaryEdges <= before.boundaryEdges &&
		after.nonManifoldEdges <= before.nonManifoldEdges &&
		after.nonManifoldVertices <= before.nonManifoldVertices &&
		after.inconsistentEdges <= before.inconsistentEdges &&
		after.components <= before.components
	);
}

/** The triangle primitives (all indexed once welded); points and lines are kept but neither counted nor measured. */
function triangles(mesh: Mesh): Primitive[] {
	return mesh.listPrimitives().filter((p) => p.getMode() === Primitive.Mode.TRIANGLES);
}

/**
 * The primitives' vertices in one array and the topology of triangles over them, welded by position: UV and
 * material seams split vertices that the surface shares, and must not read as holes.
 */
function weldedSurface(parts: Primitive[], simplifier: Simplifier): { vertices: number; topology: (indices: ArrayLike<number>[]) => TopologyReport } {
	const offsets = [0];
	for (const part of parts) offsets.push(offsets[offsets.length - 1] + part.getAttribute('POSITION')!.getCount());
	const vertices = offsets[parts.length];
	const positions = new Float32Array(vertices * 3);
	parts.forEach((part, i) => positions.set(part.getAttribute('POSITION')!.getArray()!, offsets[i] * 3));
	const remap = simplifier.generatePositionRemap(positions, 3);
	const topology = (indices: ArrayLike<number>[]) => {
		const merged = new Uint32Array(indices.reduce((sum, own) => sum + own.length, 0));
		let at = 0;
		indices.forEach((own, i) => {
			for (let k = 0; k < own.length; k++) merged[at++] = remap[own[k] + offsets[i]];
		});
		return analyzeTopology(positions, merged);
	};
	return { vertices, topology };
}

/** Counts, and closure measured on the surface welded by position. */
function measure(mesh: Mesh, simplifier: Simplifier): Omit<CleanupReport, 'textures'> {
	const parts = triangles(mesh);
	const surface = weldedSurface(parts, simplifier);
	const topology = surface.topology(parts.map((p) => p.getIndices()!.getArray()!));
	return {
		triangles: topology.triangles,
		vertices: surface.vertices,
		closed: topology.closed,
		openEdges: topology.boundaryEdges,
		components: topology.components,
	};
}

/** The core glTF texture slots, in the order the specification lists them. */
const SLOTS: Record<string, (material: Material) => unknown> = {
	baseColor: (m) => m.getBaseColorTexture(),
	metallicRoughness: (m) => m.getMetallicRoughnessTexture(),
	normal: (m) => m.getNormalTexture(),
	occlusion: (m) => m.getOcclusionTexture(),
	emissive: (m) => m.getEmissiveTexture(),
};

function textureSlots(document: Document): string[] {
	const materials = document.getRoot().listMaterials();
	return Object.keys(SLOTS).filter((slot) => materials.some((material) => SLOTS[slot](material)));
}

/** a · b, column-major. */
function multiply(a: mat4, b: mat4): mat4 {
	return Array.from({ length: 16 }, (_, i) => [0, 1, 2, 3].reduce((sum, k) => sum + a[k * 4 + (i % 4)] * b[Math.floor(i / 4) * 4 + k], 0)) as mat4;
}

function determinant3(m: mat4): number {
	return m[0] * (m[5] * m[10] - m[9] * m[6]) - m[4] * (m[1] * m[10] - m[9] * m[2]) + m[8] * (m[1] * m[6] - m[5] * m[2]);
}
