// Reads a Wavefront OBJ (with its MTL and base-colour textures) into an ExportScene, so a mesh made elsewhere —
// a scan plus its texture, a model from a DCC tool — can be converted by the writers beside this file.
import { readFile as readFileFromDisk } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { vertexNormals } from '../geometry/normals';
import { srgbToLinear } from '../imaging/srgb';
import { sniffImage } from '../jobs/sniff';
import { safeName } from '../naming';
import { OrfeasError } from '../protocol/errors';
import type { ExportMaterial, ExportMesh, ExportScene, ExportTexture, MeshGroup } from './scene';

export const NAME = 'load-obj';

export interface LoadObjOptions {
	/** Folder of the OBJ: `mtllib` and `map_Kd` files are looked up there. The working folder when left out. */
	dir?: string;
	/** Reads a file (the MTL, textures); `fs.readFile` when left out. */
	readFile?: (file: string) => Promise<Uint8Array>;
	/** A texture for an OBJ without an MTL (a scan and its image): every material without `map_Kd` gets it. */
	texture?: { name: string; bytes: Uint8Array };
	/** Object name; else the first `o`, else the first `g`, else `model`. */
	name?: string;
}

/**
 * Parses OBJ text: `v` (optionally followed by an RGB colour), `vt`, `vn`, `f` with any number of corners
 * (fan-triangulated; `v`, `v/vt`, `v//vn`, `v/vt/vn`; negative indices count back), `o`, `g`, `usemtl` and
 * `mtllib`. Every distinct (v, vt, vn) triple becomes one vertex; V is flipped to glTF's top-down convention.
 * Corners without `vn` get smooth normals computed from the faces, corners without `vt` get (0, 0). Faulty
 * files answer E_EXPORT with the line number.
 *
 * @example
 * const scene = await loadObj(await fs.readFile('scan.obj', 'utf8'), {
 * 	texture: { name: 'scan.jpg', bytes: await fs.readFile('scan.jpg') },
 * });
 */
export async function loadObj(text: string, options: LoadObjOptions = {}): Promise<ExportScene> {
	const parsed = parseObj(text);
	const dir = options.dir ?? process.cwd();
	const read = options.readFile ?? ((file: string) => readFileFromDisk(file));
	const name = options.name ?? parsed.objectName ?? parsed.groupName ?? 'model';

	const library = new Map<string, MtlMaterial>();
	for (const file of parsed.mtllibs) {
		const mtl = await readBeside(read, dir, file, 'The OBJ');
		for (const material of parseMtl(new TextDecoder().decode(mtl), besideName(file))) library.set(material.name, material);
	}

	if (options.texture && !parsed.mesh.uvs) {
		throw new OrfeasError('E_EXPORT', `The OBJ has no texture coordinates (vt lines), so the texture ${options.texture.name} cannot be applied. Export the OBJ with UVs, or leave out --texture.`);
	}
	const option = options.texture ? await toExportTexture(options.texture.name, options.texture.bytes) : undefined;
	const textures = new Map<string, ExportTexture>();
	const materials: ExportMaterial[] = [];
	for (const used of parsed.materials) {
		const found = used === null ? undefined : library.get(used);
		const material: ExportMaterial = {
			name: used ?? safeName(name),
			baseColor: found?.baseColor ?? [1, 1, 1, 1],
			metallic: found?.metallic ?? 0,
			roughness: found?.roughness ?? 1,
		};
		if (found?.map) {
			const key = `${found.file}\0${found.map}`;
			if (!textures.has(key)) {
				const bytes = await readBeside(read, path.join(dir, path.posix.dirname(found.file)), found.map, path.posix.basename(found.file));
				textures.set(key, await toExportTexture(found.map, bytes));
			}
			material.texture = textures.get(key);
		} else if (option) {
			material.texture = option;
		}
		materials.push(material);
	}
	return { name, materials, lods: [parsed.mesh], lodRatios: [1] };
}

interface ParsedObj {
	mesh: ExportMesh;
	/** Names given to `usemtl` in order of first use; `null` for faces before any. */
	materials: (string | null)[];
	mtllibs: string[];
	objectName?: string;
	groupName?: string;
}

function parseObj(text: string): ParsedObj {
	const positions: number[] = [];
	const colors: number[] = [];
	const texcoords: number[] = [];
	const normalsIn: number[] = [];
	const corners = new Corners();
	const indices: number[] = [];
	const groups: MeshGroup[] = [];
	const materials: (string | null)[] = [];
	const mtllibs: string[] = [];
	const values: number[] = [];
	const face: number[] = [];
	let objectName: string | undefined;
	let groupName: string | undefined;
	let material = -1;
	let anyColors = false;
	let allColors = true;

	const lines = new Lines(text);
	for (let line = lines.next(); line !== undefined; line = lines.next()) {
		const lineNumber = lines.number;
		const hash = line.indexOf('#');
		if (hash >= 0) line = line.slice(0, hash);
		line = line.trim();
		if (line === '') continue;
		const space = firstSpace(line, 0);
		const keyword = space < 0 ? line : line.slice(0, space);
		const rest = space < 0 ? '' : line.slice(space + 1).trim();
		switch (keyword) {
			case 'v':
				readNumbers(rest, values, 3, 'a vertex (three numbers)', line, lineNumber);
				positions.push(values[0], values[1], values[2]);
				if (values.length >= 6) {
					anyColors = true;
					colors.push(srgbToLinear(values[3]), srgbToLinear(values[4]), srgbToLinear(values[5]));
				} else {
					allColors = false;
					colors.push(1, 1, 1);
				}
				break;
			case 'vt':
				readNumbers(rest, values, 1, 'a texture coordinate', line, lineNumber);
				texcoords.push(values[0], values.length > 1 ? values[1] : 0);
				break;
			case 'vn':
				readNumbers(rest, values, 3, 'a normal (three numbers)', line, lineNumber);
				normalsIn.push(values[0], values[1], values[2]);
				break;
			case 'f': {
				const refs = tokens(rest);
				if (refs.length < 3) fail(lineNumber, `a face needs at least 3 vertices, this one has ${refs.length}. Remove it or add the missing vertices.`);
				face.length = 0;
				for (const ref of refs) {
					const slash = ref.indexOf('/');
					const slash2 = slash < 0 ? -1 : ref.indexOf('/', slash + 1);
					const v = resolveIndex(slash < 0 ? ref : ref.slice(0, slash), positions.length / 3, VERTEX, ref, lineNumber);
					if (v < 0) fail(lineNumber, `the face corner "${ref}" has no vertex index. Repair the file and try again.`);
					const vt = slash < 0 ? -1 : resolveIndex(ref.slice(slash + 1, slash2 < 0 ? undefined : slash2), texcoords.length / 2, TEXCOORD, ref, lineNumber);
					const vn = slash2 < 0 ? -1 : resolveIndex(ref.slice(slash2 + 1), normalsIn.length / 3, NORMAL, ref, lineNumber);
					face.push(corners.vertex(v, vt, vn));
				}
				if (material < 0) material = materialIndex(materials, null);
				for (let k = 1; k + 1 < face.length; k++) indices.push(face[0], face[k], face[k + 1]);
				const added = face.length - 2;
				const last = groups[groups.length - 1];
				if (last && last.material === material) last.count += added;
				else groups.push({ material, start: indices.length / 3 - added, count: added });
				break;
			}
			case 'usemtl':
				material = materialIndex(materials, rest);
				break;
			case 'mtllib': {
				const names = rest.split(/\s+/);
				// Several libraries are separated by spaces, but names with spaces are common too.
				mtllibs.push(...(names.every((n) => /\.mtl$/i.test(n)) ? names : [rest]));
				break;
			}
			case 'o':
				objectName ??= rest || undefined;
				break;
			case 'g':
				groupName ??= rest.split(/\s+/)[0] || undefined;
				break;
			default:
				// s, l, p, vp, cstype and the rest of the free-form vocabulary do not change a triangle mesh.
				break;
		}
	}
	if (indices.length === 0) {
		throw new OrfeasError('E_EXPORT', 'The OBJ has no faces, so there is nothing to export. Check that the file is a mesh and not only points or lines.');
	}

	const vertices = corners.count;
	const out: ExportMesh = { positions: new Float32Array(vertices * 3), indices: Uint32Array.from(indices), groups };
	if (corners.anyTexcoord) out.uvs = new Float32Array(vertices * 2);
	if (corners.anyNormal) out.normals = new Float32Array(vertices * 3);
	if (anyColors && allColors) out.colors = new Float32Array(vertices * 3);
	for (let i = 0; i < vertices; i++) {
		const v = corners.position[i];
		const vt = corners.texcoord[i];
		const vn = corners.normal[i];
		for (let k = 0; k < 3; k++) out.positions[3 * i + k] = positions[3 * v + k];
		if (out.colors) for (let k = 0; k < 3; k++) out.colors[3 * i + k] = colors[3 * v + k];
		if (out.uvs && vt >= 0) {
			out.uvs[2 * i] = texcoords[2 * vt];
			out.uvs[2 * i + 1] = 1 - texcoords[2 * vt + 1];
		}
		if (out.normals && vn >= 0) for (let k = 0; k < 3; k++) out.normals[3 * i + k] = normalsIn[3 * vn + k];
	}
	if (out.normals && corners.anyWithoutNormal) {
		const computed = vertexNormals(out.positions, out.indices);
		for (let i = 0; i < vertices; i++) if (corners.normal[i] < 0) out.normals.set(computed.subarray(3 * i, 3 * i + 3), 3 * i);
	}
	return { mesh: out, materials, mtllibs, objectName, groupName };
}

/**
 * The output vertices: one per distinct (v, vt, vn) triple. Each position keeps a chain of the vertices made
 * from it — usually one to four — so finding a triple is a short walk, with no string keys.
 */
class Corners {
	count = 0;
	position: number[] = [];
	texcoord: number[] = [];
	normal: number[] = [];
	anyTexcoord = false;
	anyNormal = false;
	anyWithoutNormal = false;
	private readonly first: number[] = [];
	private readonly next: number[] = [];

	vertex(v: number, vt: number, vn: number): number {
		for (let i = this.first[v] ?? -1; i >= 0; i = this.next[i]) if (this.texcoord[i] === vt && this.normal[i] === vn) return i;
		const i = this.count++;
		this.position.push(v);
		this.texcoord.push(vt);
		this.normal.push(vn);
		this.next.push(this.first[v] ?? -1);
		this.first[v] = i;
		if (vt >= 0) this.anyTexcoord = true;
		if (vn >= 0) this.anyNormal = true;
		else this.anyWithoutNormal = true;
		return i;
	}
}

const VERTEX = ['vertex', 'vertices'] as const;
const TEXCOORD = ['texture coordinate', 'texture coordinates'] as const;
const NORMAL = ['normal', 'normals'] as const;

/** A 1-based (or negative, counted back) OBJ index as 0-based; −1 when empty (`v//vn`). */
function resolveIndex(text: string, count: number, [one, many]: readonly [string, string], ref: string, lineNumber: number): number {
	if (text === '') return -1;
	const n = Number(text);
	const index = n < 0 ? count + n : n - 1;
	if (!Number.isInteger(n) || n === 0 || index < 0 || index >= count || text.includes('.') || text.includes('e')) {
		fail(lineNumber, `the face corner "${ref}" refers to ${one} ${text}, but the file defines ${count} ${count === 1 ? one : many} before it. Repair the file and try again.`);
	}
	return index;
}

/** The numbers after a keyword into `out`; at least `min`, all finite, or E_EXPORT naming the line. */
function readNumbers(rest: string, out: number[], min: number, what: string, line: string, lineNumber: number): void {
	out.length = 0;
	for (let start = 0; start < rest.length; ) {
		const end = firstSpace(rest, start);
		const value = Number(rest.slice(start, end < 0 ? rest.length : end));
		if (!Number.isFinite(value)) fail(lineNumber, `"${line}" is not ${what}. Repair the file and try again.`);
		out.push(value);
		if (end < 0) break;
		start = end + 1;
		while (isSpace(rest.charCodeAt(start))) start++;
	}
	if (out.length < min) fail(lineNumber, `"${line}" is not ${what}. Repair the file and try again.`);
}

/** The file's lines one at a time (LF or CRLF), with a trailing backslash joining a line to the next. */
class Lines {
	number = 0;
	private at = 0;

	constructor(private readonly text: string) {}

	next(): string | undefined {
		if (this.at > this.text.length) return undefined;
		let line = this.take();
		while (line.endsWith('\\') && this.at <= this.text.length) line = `${line.slice(0, -1)} ${this.take()}`;
		return line;
	}

	private take(): string {
		this.number++;
		let end = this.text.indexOf('\n', this.at);
		if (end < 0) end = this.text.length;
		const line = this.text.slice(this.at, end > this.at && this.text.charCodeAt(end - 1) === 13 ? end - 1 : end);
		this.at = end + 1;
		return line;
	}
}

function isSpace(code: number): boolean {
	return code === 32 || code === 9 || code === 13 || code === 11 || code === 12;
}

/** Index of the first space or tab at or after `from`, or −1. */
function firstSpace(text: string, from: number): number {
	for (let i = from; i < text.length; i++) if (isSpace(text.charCodeAt(i))) return i;
	return -1;
}

/** Whitespace-separated tokens of a trimmed string. */
function tokens(text: string): string[] {
	const out: string[] = [];
	for (let start = 0; start < text.length; ) {
		const end = firstSpace(text, start);
		out.push(text.slice(start, end < 0 ? text.length : end));
		if (end < 0) break;
		start = end + 1;
		while (isSpace(text.charCodeAt(start))) start++;
	}
	return out;
}

function fail(lineNumber: number, message: string): never {
	throw new OrfeasError('E_EXPORT', `Line ${lineNumber} of the OBJ: ${message}`);
}

function materialIndex(materials: (string | null)[], name: string | null): number {
	const index = materials.indexOf(name);
	if (index >= 0) return index;
	materials.push(name);
	return materials.length - 1;
}

interface MtlMaterial {
	name: string;
	baseColor: [number, number, number, number];
	metallic?: number;
	roughness?: number;
	/** `map_Kd` file name as written, relative to the MTL. */
	map?: string;
	/** The MTL it came from, relative to the OBJ's folder (as besideName resolves it). */
	file: string;
}

/** Options of `map_Kd` and how many values each takes (MTL spec; `-o`, `-s`, `-t` take one to three). */
const MAP_OPTIONS: Record<string, [number, number]> = {
	'-blendu': [1, 1],
	'-blendv': [1, 1],
	'-bm': [1, 1],
	'-boost': [1, 1],
	'-cc': [1, 1],
	'-clamp': [1, 1],
	'-imfchan': [1, 1],
	'-mm': [2, 2],
	'-o': [1, 3],
	'-s': [1, 3],
	'-t': [1, 3],
	'-texres': [1, 1],
	'-type': [1, 1],
};

function parseMtl(text: string, file: string): MtlMaterial[] {
	const materials: MtlMaterial[] = [];
	let current: MtlMaterial | undefined;
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.replace(/#.*/, '').trim();
		const space = line.search(/\s/);
		if (space < 0) continue;
		const keyword = line.slice(0, space);
		const rest = line.slice(space + 1).trim();
		const values = rest.split(/\s+/).map(Number);
		if (keyword === 'newmtl') {
			current = { name: rest, baseColor: [1, 1, 1, 1], file };
			materials.push(current);
		} else if (!current) {
			continue;
		} else if (keyword === 'Kd' && values.length >= 3 && values.slice(0, 3).every(Number.isFinite)) {
			current.baseColor = [values[0], values[1], values[2], current.baseColor[3]];
		} else if (keyword === 'd' && Number.isFinite(values[0])) {
			current.baseColor[3] = values[0];
		} else if (keyword === 'Tr' && Number.isFinite(values[0])) {
			current.baseColor[3] = 1 - values[0];
		} else if (keyword === 'Ns' && Number.isFinite(values[0]) && current.roughness === undefined) {
			// Blender's mapping, the inverse of the one the OBJ writer uses.
			current.roughness = 1 - Math.min(30, Math.sqrt(Math.max(0, values[0]))) / 30;
		} else if (keyword === 'Pr' && Number.isFinite(values[0])) {
			current.roughness = values[0];
		} else if (keyword === 'Pm' && Number.isFinite(values[0])) {
			current.metallic = values[0];
		} else if (keyword === 'map_Kd') {
			current.map = mapFile(rest.split(/\s+/));
		}
	}
	return materials;
}

/** The file name of a `map_*` statement: what follows its options (it may contain spaces). */
function mapFile(tokens: string[]): string | undefined {
	let i = 0;
	while (i < tokens.length && MAP_OPTIONS[tokens[i]]) {
		const [min, max] = MAP_OPTIONS[tokens[i]];
		i += 1 + min;
		for (let extra = min; extra < max && i < tokens.length && Number.isFinite(Number(tokens[i])); extra++) i++;
	}
	const name = tokens.slice(i).join(' ');
	return name === '' ? undefined : name;
}

/**
 * Reads `file` as named in `by` (an OBJ or MTL) from `dir`. Paths that climb out of the folder or are absolute
 * (often the exporting machine's, like `C:\Users\…`) are looked up by their base name beside the file.
 */
async function readBeside(read: (file: string) => Promise<Uint8Array>, dir: string, file: string, by: string): Promise<Uint8Array> {
	const relative = besideName(file);
	try {
		const bytes = await read(path.join(dir, relative));
		return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new OrfeasError('E_EXPORT', `${by} references ${file}, which does not exist next to it. Put ${relative} in ${dir} or remove the reference, then try again.`);
		}
		throw new OrfeasError('E_EXPORT', `${by} references ${file}, which cannot be read: ${(error as Error).message}.`);
	}
}

/** `file` relative to the folder it is named from, or its base name when it would leave that folder. */
function besideName(file: string): string {
	const normal = path.posix.normalize(file.replace(/\\/g, '/'));
	const inside = !path.posix.isAbsolute(normal) && !/^[a-z]:/i.test(normal) && normal !== '..' && !normal.startsWith('../');
	return inside ? normal : path.posix.basename(normal);
}

async function toExportTexture(name: string, bytes: Uint8Array): Promise<ExportTexture> {
	const base = path.posix.basename(name.replace(/\\/g, '/'));
	const kind = sniffImage(bytes);
	if (kind === 'png' || kind === 'jpg') return { name: base, bytes, mime: kind === 'png' ? 'image/png' : 'image/jpeg' };
	try {
		// TIFF, WebP and the like are not read by every OBJ/FBX importer; PNG keeps every pixel.
		if (kind === null || kind === 'svg') throw new Error('not an image sharp should open');
		const png = await sharp(bytes).png().toBuffer();
		return { name: `${base.replace(/\.[^.]*$/, '')}.png`, bytes: new Uint8Array(png), mime: 'image/png' };
	} catch {
		throw new OrfeasError('E_EXPORT', `The texture ${base} is not a PNG or JPEG image Orfeas can convert. Save it as PNG and try again.`);
	}
}
