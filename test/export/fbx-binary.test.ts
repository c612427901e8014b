// The binary FBX record encoder: exact bytes of records and properties, deflated arrays, header and footer
// layout. Reading whole files back is fbx-readers.test.ts's job, through test/helpers/fbx-reader.ts.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
	boolArray,
	DEFLATE_MIN_BYTES,
	doubles,
	encodeFbx,
	encodeProperty,
	f32,
	f64,
	FBX_VERSION,
	i16,
	i32,
	i64,
	ints,
	node,
	type FbxProperty,
} from '../../daemon/src/export/fbx/binary';

const MAGIC = Buffer.from('Kaydara FBX Binary  \0\x1a\0', 'latin1');
const FOOTER_ID = Buffer.from([0xfa, 0xbc, 0xab, 0x09, 0xd0, 0xc8, 0xd4, 0x66, 0xb1, 0x76, 0xfb, 0x83, 0x1c, 0xf7, 0x26, 0x7e]);
const FOOTER_MAGIC = Buffer.from([0xf8, 0x5a, 0x8c, 0x6a, 0xde, 0xf5, 0xd9, 0x7e, 0xec, 0xe9, 0x0c, 0xe3, 0x75, 0x8f, 0x29, 0x0b]);
const HEADER = 27;

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

describe('FBX records', () => {
	it('encode a record with properties as end offset, count, length, name and typed values', () => {
		const bytes = Buffer.from(encodeFbx([node('Ab', [i32(1), 'x'])]));
		// 13-byte record head + 2-byte name + I (1 + 4) + S (1 + 4 + 1) = 26 bytes, ending at 27 + 26.
		expect([...bytes.subarray(HEADER, HEADER + 26)]).toEqual([
			...u32(53),
			...u32(2),
			...u32(11),
			2,
			...ascii('Ab'),
			...ascii('I'),
			...u32(1),
			...ascii('S'),
			...u32(1),
			...ascii('x'),
		]);
		expect([...bytes.subarray(53, 53 + 13)]).toEqual(new Array(13).fill(0)); // closes the top level
	});

	it('close a nested list with a 13-byte null record', () => {
		const bytes = Buffer.from(encodeFbx([node('P', [], [node('C', [true])])]));
		const child = [...u32(HEADER + 14 + 16), ...u32(1), ...u32(2), 1, ...ascii('C'), ...ascii('C'), 1];
		expect([...bytes.subarray(HEADER, HEADER + 14 + 16 + 13)]).toEqual([
			...u32(HEADER + 14 + 16 + 13),
			...u32(0),
			...u32(0),
			1,
			...ascii('P'),
			...child,
			...new Array(13).fill(0),
		]);
	});

	it('close a record with neither properties nor children with a null record too', () => {
		const bytes = Buffer.from(encodeFbx([node('References')]));
		expect(bytes.readUInt32LE(HEADER)).toBe(HEADER + 13 + 10 + 13);
		expect([...bytes.subarray(HEADER + 23, HEADER + 36)]).toEqual(new Array(13).fill(0));
	});

	it('encode every scalar type little-endian behind its type code', () => {
		const cases: [FbxProperty, number[]][] = [
			[i16(-2), [...ascii('Y'), 0xfe, 0xff]],
			[true, [...ascii('C'), 1]],
			[false, [...ascii('C'), 0]],
			[i32(-1), [...ascii('I'), 0xff, 0xff, 0xff, 0xff]],
			[f32(1), [...ascii('F'), 0, 0, 0x80, 0x3f]],
			[f64(1), [...ascii('D'), 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]],
			[i64(2n ** 40n + 1n), [...ascii('L'), 1, 0, 0, 0, 0, 1, 0, 0]],
			[i64(-1), [...ascii('L'), ...new Array(8).fill(0xff)]],
			['é', [...ascii('S'), ...u32(2), 0xc3, 0xa9]],
			['A\0\x01Model', [...ascii('S'), ...u32(8), ...ascii('A\0\x01Model')]],
			[new Uint8Array([9, 8]), [...ascii('R'), ...u32(2), 9, 8]],
		];
		for (const [prop, expected] of cases) expect([...encodeProperty(prop)]).toEqual(expected);
	});

	it('store small arrays raw: count, encoding 0, byte length, elements', () => {
		expect([...encodeProperty(Int32Array.of(1, -2))]).toEqual([...ascii('i'), ...u32(2), ...u32(0), ...u32(8), ...u32(1), ...u32(-2 >>> 0)]);
		expect([...encodeProperty(boolArray([true, false, true]))]).toEqual([...ascii('b'), ...u32(3), ...u32(0), ...u32(3), 1, 0, 1]);
		const d = encodeProperty(Float64Array.of(0.5));
		expect([...d.subarray(0, 13)]).toEqual([...ascii('d'), ...u32(1), ...u32(0), ...u32(8)]);
		expect(d.readDoubleLE(13)).toBe(0.5);
	});

	it('deflate arrays over the threshold (encoding 1) so that inflating gives the elements back', () => {
		const n = 1000;
		const arrays: [string, Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array, FbxProperty][] = [];
		const f = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
		const d = Float64Array.from({ length: n }, (_, i) => Math.cos(i) * 1e3);
		const l = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 3_000_000_000n - 7n);
		const ii = Int32Array.from({ length: n }, (_, i) => (i % 3 === 2 ? ~i : i));
		const b = Uint8Array.from({ length: n }, (_, i) => i % 2);
		arrays.push(['f', f, f], ['d', d, d], ['l', l, l], ['i', ii, ii], ['b', b, boolArray(b)]);
		for (const [code, data, prop] of arrays) {
			const bytes = encodeProperty(prop);
			expect(String.fromCharCode(bytes[0])).toBe(code);
			expect(bytes.readUInt32LE(1)).toBe(n);
			expect(bytes.readUInt32LE(5)).toBe(1);
			const compressed = bytes.readUInt32LE(9);
			expect(bytes.length).toBe(13 + compressed);
			const raw = zlib.inflateSync(bytes.subarray(13));
			expect(raw.equals(Buffer.from(data.buffer, data.byteOffset, data.byteLength))).toBe(true);
		}
		// Right at the threshold the array stays raw.
		const edge = encodeProperty(new Int32Array(DEFLATE_MIN_BYTES / 4));
		expect(edge.readUInt32LE(5)).toBe(0);
		expect(encodeProperty(new Int32Array(DEFLATE_MIN_BYTES / 4 + 1)).readUInt32LE(5)).toBe(1);
	});

	it('write computed arrays like the arrays they compute, plain or deflated', () => {
		const values = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i));
		const indices = Int32Array.from({ length: 90 }, (_, i) => (i % 3 === 2 ? ~i : i));
		const computed = [node('V', [doubles(values.length, (target) => target.set(values))]), node('P', [ints(indices.length, (target) => target.set(indices))])];
		const stored = [node('V', [values]), node('P', [indices])];
		for (const deflate of [false, true]) {
			expect(Buffer.from(encodeFbx(computed, { deflate })).equals(Buffer.from(encodeFbx(stored, { deflate }))), `deflate ${deflate}`).toBe(true);
		}
	});

	it('refuse record names that do not fit the one-byte length or are not printable ASCII', () => {
		expect(() => node('x'.repeat(256))).toThrow(/bad record name/);
		expect(() => node('a\0b')).toThrow(/bad record name/);
	});
});

describe('FBX header and footer', () => {
	it('start with the 23-byte magic and the version', () => {
		const bytes = Buffer.from(encodeFbx([]));
		expect(bytes.subarray(0, 23).equals(MAGIC)).toBe(true);
		expect([...bytes.subarray(18, 23)]).toEqual([0x20, 0x20, 0x00, 0x1a, 0x00]);
		expect(bytes.readUInt32LE(23)).toBe(FBX_VERSION);
		expect(FBX_VERSION).toBe(7400);
	});

	it('end with footer id, zeros, padding to 16, version, 120 zeros and the closing magic for every alignment', () => {
		const paddings = new Set<number>();
		for (let length = 1; length <= 16; length++) {
			const bytes = Buffer.from(encodeFbx([node('N'.repeat(length), ['v'])]));
			const end = HEADER + 13 + length + 6 + 13; // record, then the null record closing the top level
			expect([...bytes.subarray(end - 13, end)]).toEqual(new Array(13).fill(0));
			expect(bytes.subarray(end, end + 16).equals(FOOTER_ID)).toBe(true);
			expect(bytes.readUInt32LE(end + 16)).toBe(0);
			const afterId = end + 20;
			const padding = bytes.length - afterId - 4 - 120 - 16;
			expect(padding).toBeGreaterThanOrEqual(1);
			expect(padding).toBeLessThanOrEqual(16);
			expect((afterId + padding) % 16).toBe(0);
			expect(bytes.subarray(afterId, afterId + padding).every((x) => x === 0)).toBe(true);
			expect(bytes.readUInt32LE(afterId + padding)).toBe(FBX_VERSION);
			expect(bytes.subarray(afterId + padding + 4, afterId + padding + 124).every((x) => x === 0)).toBe(true);
			expect(bytes.subarray(bytes.length - 16).equals(FOOTER_MAGIC)).toBe(true);
			paddings.add(padding);
		}
		expect(paddings.size).toBe(16); // 1…16: a file already aligned gets a full 16 bytes
	});
});
