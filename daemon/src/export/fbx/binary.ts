// Binary FBX 7.4 container: the node-record tree, its typed properties (arrays deflated when large) and the
// fixed header and footer. Knows nothing of meshes or materials; document.ts builds the tree it encodes.
import zlib from 'node:zlib';

/** FBX version written in the header and footer. 7.4 is the last with 32-bit record offsets. */
export const FBX_VERSION = 7400;

/** "Kaydara FBX Binary  \0" then 0x1a 0x00; the uint32 version follows. */
const MAGIC = Buffer.from('Kaydara FBX Binary  \0\x1a\0', 'latin1');
/** A record of 13 zero bytes (three uint32 zeros and an empty name) closes every nested list. */
const NULL_RECORD_LENGTH = 13;
/** The footer's fixed bytes as Blender writes them; files that end this way load in the FBX SDK. */
const FOOTER_ID = Buffer.from('fabcab09d0c8d466b176fb831cf7267e', 'hex');
const FOOTER_MAGIC = Buffer.from('f85a8c6adef5d97eece90ce3758f290b', 'hex');
/** Arrays up to this many bytes stay raw, as in Blender's writer (which follows the SDK's converter). */
export const DEFLATE_MIN_BYTES = 128;
/** zlib level for deflated arrays: level 6 makes files only a few per cent smaller for about three times the time. */
export const DEFLATE_LEVEL = 1;

export interface EncodeOptions {
	/** Deflate arrays over DEFLATE_MIN_BYTES (as the FBX SDK and Blender do): files about 2.5× smaller, writing about 6× slower. */
	deflate: boolean;
}
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A property whose type a plain JavaScript value cannot tell: numbers of every width, bool arrays. */
export type FbxTyped =
	| { type: 'Y' | 'I' | 'F' | 'D'; value: number }
	| { type: 'L'; value: number | bigint }
	| { type: 'b'; value: Uint8Array }
	| FbxComputedArray;

/**
 * A double or int array whose elements are computed as the file is written: `fill` writes the `count` elements
 * into the array it is given (a scratch buffer shared by every computed array of one file), so large arrays —
 * converted positions, polygon indices — need no array of their own.
 */
export interface FbxComputedArray {
	type: 'computed';
	code: 'd' | 'i';
	count: number;
	fill(target: Float64Array | Int32Array): void;
}

/**
 * One property of a record. Plain values carry their own type: a string is `S`, a boolean `C`, a Uint8Array
 * `R` (raw bytes), Float64Array `d`, Float32Array `f`, Int32Array `i`, BigInt64Array `l`; numbers go through
 * {@link i16}, {@link i32}, {@link i64}, {@link f32} or {@link f64}, bool arrays through {@link boolArray}.
 */
export type FbxProperty = string | boolean | Uint8Array | Float64Array | Float32Array | Int32Array | BigInt64Array | FbxTyped;

/** A node record: a name, its properties and nested records. */
export interface FbxNode {
	name: string;
	props: FbxProperty[];
	children: FbxNode[];
}

/**
 * Typed scalars: `i16` (Y), `i32` (I), `i64` (L), `f32` (F), `f64` (D); `boolArray` (b) stores 0/1 bytes.
 *
 * @example
 * node('P', ['UnitScaleFactor', 'double', 'Number', '', f64(100)]);
 */
export const i16 = (value: number): FbxTyped => ({ type: 'Y', value });
export const i32 = (value: number): FbxTyped => ({ type: 'I', value });
export const i64 = (value: number | bigint): FbxTyped => ({ type: 'L', value });
export const f32 = (value: number): FbxTyped => ({ type: 'F', value });
export const f64 = (value: number): FbxTyped => ({ type: 'D', value });
export const doubles = (count: number, fill: (target: Float64Array) => void): FbxComputedArray => ({
	type: 'computed',
	code: 'd',
	count,
	fill: fill as FbxComputedArray['fill'],
});
export const ints = (count: number, fill: (target: Int32Array) => void): FbxComputedArray => ({
	type: 'computed',
	code: 'i',
	count,
	fill: fill as FbxComputedArray['fill'],
});
export const boolArray = (value: ArrayLike<boolean | number>): FbxTyped => ({ type: 'b', value: Uint8Array.from(value, (v) => (v ? 1 : 0)) });

/**
 * Builds a node record.
 *
 * @example
 * const settings = node('GlobalSettings', [], [node('Version', [i32(1000)])]);
 */
export function node(name: string, props: FbxProperty[] = [], children: FbxNode[] = []): FbxNode {
	if (Buffer.byteLength(name, 'latin1') > 255 || /[^\x20-\x7e]/.test(name)) throw new Error(`fbx: bad record name ${JSON.stringify(name)}`);
	return { name, props, children };
}

/** A plain computed array: its 13-byte header now, its elements when the file is written. */
interface Deferred {
	header: Buffer;
	array: FbxComputedArray;
	length: number;
}

/** A record with its properties already encoded, and its size in bytes (children and null record included). */
interface Prepared {
	name: Buffer;
	props: (Buffer | Deferred)[];
	propsLength: number;
	propCount: number;
	children: Prepared[];
	nullRecord: boolean;
	size: number;
}

/**
 * Encodes top-level records as a complete binary FBX 7.4 file: header, records, the null record closing the
 * top level, and the footer.
 *
 * @example
 * const bytes = encodeFbx([node('Creator', ['Orfeas'])]);
 */
export function encodeFbx(roots: FbxNode[], options: EncodeOptions = { deflate: true }): Uint8Array {
	const prepared = roots.map((root) => prepare(root, options));
	const header = MAGIC.length + 4;
	const body = prepared.reduce((sum, p) => sum + p.size, 0) + NULL_RECORD_LENGTH;
	const end = header + body;
	// Footer: id, four zeros, zeros to the next 16-byte boundary (a full 16 when already aligned), the version,
	// 120 zeros and the closing magic.
	const afterId = end + FOOTER_ID.length + 4;
	const padding = 16 - (afterId % 16);
	const total = afterId + padding + 4 + 120 + FOOTER_MAGIC.length;
	if (total > 0xffffffff) throw new Error(`fbx: the file would be ${total} bytes; FBX 7.4 records cannot address past 4 GiB`);

	const out = Buffer.alloc(total);
	MAGIC.copy(out, 0);
	out.writeUInt32LE(FBX_VERSION, MAGIC.length);
	let offset = header;
	const scratch = scratchFor(prepared);
	for (const p of prepared) offset = write(out, p, offset, scratch);
	offset += NULL_RECORD_LENGTH;
	FOOTER_ID.copy(out, offset);
	offset = afterId + padding;
	out.writeUInt32LE(FBX_VERSION, offset);
	FOOTER_MAGIC.copy(out, offset + 4 + 120);
	return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function prepare(record: FbxNode, options: EncodeOptions): Prepared {
	const name = Buffer.from(record.name, 'latin1');
	const props = record.props.map((prop) => (typeof prop === 'object' && 'type' in prop && prop.type === 'computed' && !options.deflate ? defer(prop) : encodeProperty(prop, options)));
	const propsLength = props.reduce((sum, p) => sum + p.length, 0);
	const children = record.children.map((child) => prepare(child, options));
	// A nested list always ends in a null record; so does a record with neither properties nor children, which
	// readers (the FBX SDK, Blender, assimp) otherwise take for the end of its parent's list.
	const nullRecord = children.length > 0 || props.length === 0;
	const size = 13 + name.length + propsLength + children.reduce((sum, c) => sum + c.size, 0) + (nullRecord ? NULL_RECORD_LENGTH : 0);
	return { name, props, propsLength, propCount: props.length, children, nullRecord, size };
}

function write(out: Buffer, p: Prepared, offset: number, scratch: ArrayBuffer): number {
	const end = offset + p.size;
	out.writeUInt32LE(end, offset);
	out.writeUInt32LE(p.propCount, offset + 4);
	out.writeUInt32LE(p.propsLength, offset + 8);
	out[offset + 12] = p.name.length;
	p.name.copy(out, offset + 13);
	let at = offset + 13 + p.name.length;
	for (const prop of p.props) {
		if (Buffer.isBuffer(prop)) {
			prop.copy(out, at);
		} else {
			prop.header.copy(out, at);
			writeElements(out, at + prop.header.length, prop.array, scratch);
		}
		at += prop.length;
	}
	for (const child of p.children) at = write(out, child, at, scratch);
	if (p.nullRecord) at += NULL_RECORD_LENGTH; // already zero
	if (at !== end) throw new Error(`fbx: record ${p.name.toString('latin1')} wrote ${at - offset} bytes, expected ${p.size}`);
	return end;
}

function defer(array: FbxComputedArray): Deferred {
	const size = array.code === 'd' ? 8 : 4;
	const header = Buffer.alloc(13);
	header[0] = array.code.charCodeAt(0);
	header.writeUInt32LE(array.count, 1);
	header.writeUInt32LE(0, 5);
	header.writeUInt32LE(array.count * size, 9);
	return { header, array, length: 13 + array.count * size };
}

function writeElements(out: Buffer, offset: number, array: FbxComputedArray, scratch: ArrayBuffer): void {
	const values = array.code === 'd' ? new Float64Array(scratch, 0, array.count) : new Int32Array(scratch, 0, array.count);
	array.fill(values);
	out.set(littleEndianBytes(values), offset);
}

/** One buffer big enough for the largest computed array of a tree, shared by all of them while writing. */
function scratchFor(prepared: Prepared[]): ArrayBuffer {
	let largest = 0;
	const visit = (p: Prepared) => {
		for (const prop of p.props) if (!Buffer.isBuffer(prop)) largest = Math.max(largest, prop.length - 13);
		p.children.forEach(visit);
	};
	prepared.forEach(visit);
	return new ArrayBuffer(largest);
}

/** One property: its type code then its value, little-endian. */
export function encodeProperty(prop: FbxProperty, options: EncodeOptions = { deflate: true }): Buffer {
	if (typeof prop === 'string') return lengthPrefixed('S', Buffer.from(prop, 'utf8'));
	if (typeof prop === 'boolean') return Buffer.from([0x43, prop ? 1 : 0]);
	if (prop instanceof Float64Array) return array('d', prop, options.deflate);
	if (prop instanceof Float32Array) return array('f', prop, options.deflate);
	if (prop instanceof Int32Array) return array('i', prop, options.deflate);
	if (prop instanceof BigInt64Array) return array('l', prop, options.deflate);
	if (prop instanceof Uint8Array) return lengthPrefixed('R', prop);
	switch (prop.type) {
		case 'Y':
			return scalar('Y', 2, (b) => b.writeInt16LE(prop.value, 1));
		case 'I':
			return scalar('I', 4, (b) => b.writeInt32LE(prop.value, 1));
		case 'F':
			return scalar('F', 4, (b) => b.writeFloatLE(prop.value, 1));
		case 'D':
			return scalar('D', 8, (b) => b.writeDoubleLE(prop.value, 1));
		case 'L':
			return scalar('L', 8, (b) => b.writeBigInt64LE(BigInt(prop.value), 1));
		case 'b':
			return array('b', prop.value, options.deflate);
		case 'computed': {
			const values = prop.code === 'd' ? new Float64Array(prop.count) : new Int32Array(prop.count);
			prop.fill(values);
			return array(prop.code, values, options.deflate);
		}
	}
}

function scalar(code: string, size: number, fill: (b: Buffer) => void): Buffer {
	const b = Buffer.alloc(1 + size);
	b[0] = code.charCodeAt(0);
	fill(b);
	return b;
}

function lengthPrefixed(code: 'S' | 'R', data: Uint8Array): Buffer {
	const b = Buffer.alloc(5 + data.length);
	b[0] = code.charCodeAt(0);
	b.writeUInt32LE(data.length, 1);
	b.set(data, 5);
	return b;
}

/** Array property: count, encoding (0 raw, 1 zlib), byte length, then the (compressed) elements. */
function array(code: 'd' | 'f' | 'i' | 'l' | 'b', data: Float64Array | Float32Array | Int32Array | BigInt64Array | Uint8Array, deflate: boolean): Buffer {
	let bytes = littleEndianBytes(data);
	const encoding = deflate && bytes.length > DEFLATE_MIN_BYTES ? 1 : 0;
	if (encoding === 1) bytes = zlib.deflateSync(bytes, { level: DEFLATE_LEVEL });
	const b = Buffer.alloc(13 + bytes.length);
	b[0] = code.charCodeAt(0);
	b.writeUInt32LE(data.length, 1);
	b.writeUInt32LE(encoding, 5);
	b.writeUInt32LE(bytes.length, 9);
	b.set(bytes, 13);
	return b;
}

function littleEndianBytes(data: Float64Array | Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array {
	const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
	const swapped = Uint8Array.from(bytes);
	const n = data.BYTES_PER_ELEMENT;
	for (let i = 0; i < swapped.length; i += n) swapped.subarray(i, i + n).reverse();
	return swapped;
}
