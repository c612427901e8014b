// A small binary FBX (7.0–7.4, 32-bit record offsets) reader written from the format description, independent
// of the writer in daemon/src/export/fbx: the record tree with typed properties (deflated arrays inflated), the
// offsets it found, and the footer. Tests use it to look inside the files the writer produces.
import zlib from 'node:zlib';

export const FBX_MAGIC = Buffer.from('Kaydara FBX Binary  \0\x1a\0', 'latin1');
const NULL_RECORD = 13;
const FOOTER_TAIL_ZEROS = 120;

export type FbxValue = number | bigint | boolean | string | Uint8Array | Float32Array | Float64Array | Int32Array | BigInt64Array;

export interface FbxRecord {
	name: string;
	props: FbxValue[];
	/** The type code of each property: Y C I F D L S R f d i l b. */
	types: string[];
	/** For array properties, the encoding found: 0 plain, 1 zlib; undefined for scalars. */
	encodings: (number | undefined)[];
	children: FbxRecord[];
	/** Where the record starts and the end offset it declares. */
	start: number;
	end: number;
	/** The record closed its nested list with a null record. */
	nullRecord: boolean;
}

export interface FbxFooter {
	/** Offset of the footer: right after the null record that closes the top level. */
	offset: number;
	id: Buffer;
	/** Zero bytes between the id and the version. */
	zeros: number;
	version: number;
	magic: Buffer;
}

export interface FbxFile {
	version: number;
	records: FbxRecord[];
	footer: FbxFooter;
}

/** Parses a whole file; throws on anything malformed, with the offset. */
export function readFbx(bytes: Uint8Array): FbxFile {
	const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (!data.subarray(0, FBX_MAGIC.length).equals(FBX_MAGIC)) throw new Error('not a binary FBX: bad magic');
	const version = data.readUInt32LE(FBX_MAGIC.length);
	if (version >= 7500) throw new Error(`FBX ${version} has 64-bit offsets; this reader handles up to 7400`);
	const records: FbxRecord[] = [];
	let at = FBX_MAGIC.length + 4;
	for (;;) {
		if (data.readUInt32LE(at) === 0) {
			if (!data.subarray(at, at + NULL_RECORD).every((b) => b === 0)) throw new Error(`top-level null record at ${at} is not all zeros`);
			at += NULL_RECORD;
			break;
		}
		const record = readRecord(data, at);
		records.push(record);
		at = record.end;
	}
	return { version, records, footer: readFooter(data, at) };
}

function readRecord(data: Buffer, start: number): FbxRecord {
	const end = data.readUInt32LE(start);
	const count = data.readUInt32LE(start + 4);
	const propsLength = data.readUInt32LE(start + 8);
	const nameLength = data[start + 12];
	const name = data.toString('latin1', start + 13, start + 13 + nameLength);
	if (end <= start || end > data.length) throw new Error(`record ${name} at ${start} declares end ${end}`);
	let at = start + 13 + nameLength;
	const propsStart = at;
	const record: FbxRecord = { name, props: [], types: [], encodings: [], children: [], start, end, nullRecord: false };
	for (let i = 0; i < count; i++) {
		const type = String.fromCharCode(data[at]);
		const [value, next, encoding] = readProperty(data, type, at + 1);
		record.props.push(value);
		record.types.push(type);
		record.encodings.push(encoding);
		at = next;
	}
	if (at - propsStart !== propsLength) throw new Error(`record ${name} at ${start}: properties take ${at - propsStart} bytes, header says ${propsLength}`);
	if (at < end) {
		while (at < end - NULL_RECORD) {
			const child = readRecord(data, at);
			record.children.push(child);
			at = child.end;
		}
		if (at !== end - NULL_RECORD || !data.subarray(at, end).every((b) => b === 0)) throw new Error(`record ${name} at ${start} does not end in a null record`);
		record.nullRecord = true;
		at = end;
	}
	if (at !== end) throw new Error(`record ${name} at ${start} ends at ${at}, header says ${end}`);
	return record;
}

function readProperty(data: Buffer, type: string, at: number): [FbxValue, number, number | undefined] {
	switch (type) {
		case 'Y':
			return [data.readInt16LE(at), at + 2, undefined];
		case 'C':
			return [data[at] !== 0, at + 1, undefined];
		case 'I':
			return [data.readInt32LE(at), at + 4, undefined];
		case 'F':
			return [data.readFloatLE(at), at + 4, undefined];
		case 'D':
			return [data.readDoubleLE(at), at + 8, undefined];
		case 'L':
			return [data.readBigInt64LE(at), at + 8, undefined];
		case 'S':
		case 'R': {
			const length = data.readUInt32LE(at);
			const slice = data.subarray(at + 4, at + 4 + length);
			return [type === 'S' ? slice.toString('utf8') : new Uint8Array(slice), at + 4 + length, undefined];
		}
		case 'f':
		case 'd':
		case 'i':
		case 'l':
		case 'b': {
			const length = data.readUInt32LE(at);
			const encoding = data.readUInt32LE(at + 4);
			const stored = data.readUInt32LE(at + 8);
			const raw = data.subarray(at + 12, at + 12 + stored);
			const bytes = encoding === 1 ? zlib.inflateSync(raw) : encoding === 0 ? Buffer.from(raw) : null;
			if (!bytes) throw new Error(`array at ${at} has unknown encoding ${encoding}`);
			const size = { f: 4, d: 8, i: 4, l: 8, b: 1 }[type];
			if (bytes.length !== length * size) throw new Error(`array at ${at}: ${bytes.length} bytes for ${length} elements of ${size}`);
			const copy = new Uint8Array(bytes).buffer;
			const value = { f: () => new Float32Array(copy), d: () => new Float64Array(copy), i: () => new Int32Array(copy), l: () => new BigInt64Array(copy), b: () => new Uint8Array(copy) }[type]();
			return [value, at + 12 + stored, encoding];
		}
		default:
			throw new Error(`unknown property type ${JSON.stringify(type)} at ${at - 1}`);
	}
}

function readFooter(data: Buffer, offset: number): FbxFooter {
	const rest = data.length - offset;
	const fixed = 16 + 4 + FOOTER_TAIL_ZEROS + 16;
	if (rest < fixed) throw new Error(`footer at ${offset} is ${rest} bytes, shorter than ${fixed}`);
	const zeros = rest - fixed;
	const id = data.subarray(offset, offset + 16);
	const padding = data.subarray(offset + 16, offset + 16 + zeros);
	const versionAt = offset + 16 + zeros;
	const tail = data.subarray(versionAt + 4, versionAt + 4 + FOOTER_TAIL_ZEROS);
	if (!padding.every((b) => b === 0) || !tail.every((b) => b === 0)) throw new Error(`footer at ${offset} has non-zero padding`);
	return { offset, id, zeros, version: data.readUInt32LE(versionAt), magic: data.subarray(data.length - 16) };
}

/** The first child record called `name`, or an error naming the children there are. */
export function child(record: FbxRecord | FbxFile, name: string): FbxRecord {
	const list = 'records' in record ? record.records : record.children;
	const found = list.find((r) => r.name === name);
	if (!found) throw new Error(`${'records' in record ? 'the file' : record.name} has no ${name}; it has ${list.map((r) => r.name).join(', ')}`);
	return found;
}

/** Every child record called `name`. */
export function children(record: FbxRecord | FbxFile, name: string): FbxRecord[] {
	return ('records' in record ? record.records : record.children).filter((r) => r.name === name);
}

/** A `Properties70` entry's values (after name, type, label and flags), or undefined when it is not set. */
export function property70(record: FbxRecord, name: string): FbxValue[] | undefined {
	const list = record.children.find((r) => r.name === 'Properties70');
	return list?.children.find((p) => p.name === 'P' && p.props[0] === name)?.props.slice(4);
}

/** The name of an object record (`Name\0\x01Class` in the file). */
export function objectName(record: FbxRecord): string {
	return String(record.props[1]).split('\0\x01')[0];
}
