import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr, attributeProto, encodeVarint, GraphBuilder, ProtoMessage, tensorProto, valueInfoProto } from '../../models/testing/onnx-writer';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeVarint', () => {
	it('writes base-128 groups, low first, with a continuation bit', () => {
		expect(hex(encodeVarint(0))).toBe('00');
		expect(hex(encodeVarint(1))).toBe('01');
		expect(hex(encodeVarint(127))).toBe('7f');
		expect(hex(encodeVarint(128))).toBe('8001');
		expect(hex(encodeVarint(300))).toBe('ac02');
		expect(hex(encodeVarint(2 ** 32))).toBe('8080808010');
		expect(hex(encodeVarint(2n ** 63n - 1n))).toBe('ffffffffffffffff7f');
	});

	it('writes negative int64 values as ten-byte two’s complement', () => {
		expect(hex(encodeVarint(-1))).toBe('ffffffffffffffffff01');
		expect(hex(encodeVarint(-2n))).toBe('feffffffffffffffff01');
		expect(hex(encodeVarint(-(2n ** 63n)))).toBe('80808080808080808001');
	});

	it('refuses numbers that are not safe integers', () => {
		expect(() => encodeVarint(1.5)).toThrow(RangeError);
		expect(() => encodeVarint(2 ** 53)).toThrow(RangeError);
	});
});

describe('ProtoMessage', () => {
	it('matches the protobuf encoding guide’s examples', () => {
		expect(hex(new ProtoMessage().varint(1, 150).toBytes())).toBe('089601');
		expect(hex(new ProtoMessage().string(2, 'testing').toBytes())).toBe('120774657374696e67');
		expect(hex(new ProtoMessage().message(3, new ProtoMessage().varint(1, 150)).toBytes())).toBe('1a03089601');
	});

	it('writes floats as little-endian fixed32 and counts its bytes', () => {
		const m = new ProtoMessage().float(2, 1.5).float(2, -2);
		expect(hex(m.toBytes())).toBe('150000c03f15000000c0');
		expect(m.byteLength).toBe(10);
	});
});

describe('ONNX messages', () => {
	it('writes a TensorProto with dims, data type, name and little-endian raw data', () => {
		// dims=2 (08 02), FLOAT (10 01), name "w" (42 01 77), raw_data 8 bytes (4a 08 …).
		expect(hex(tensorProto('w', [2], Float32Array.of(1, -2)).toBytes())).toBe('08021001420177' + '4a08' + '0000803f000000c0');
		expect(hex(tensorProto('a', [1], BigInt64Array.of(-1n)).toBytes())).toBe('08011007420161' + '4a08' + 'ffffffffffffffff');
		expect(() => tensorProto('bad', [2, 2], new Float32Array(3))).toThrow(/hold 4 values, the data has 3/);
	});

	it('writes fixed and named dimensions', () => {
		// name "x"; type { tensor_type { elem_type 1, shape { dim { dim_value 1 } dim { dim_param "N" } } } }
		expect(hex(valueInfoProto('x', 'float32', [1, 'N']).toBytes())).toBe('0a0178' + '120f' + '0a0d' + '0801' + '1209' + '0a020801' + '0a0312014e');
	});

	it('types attributes by their value', () => {
		// name "k", i=3 (18 03), type INT (a0 01 02)
		expect(hex(attributeProto('k', 3).toBytes())).toBe('0a016b' + '1803' + 'a00102');
		// ints [1, 2] (40 01 40 02), type INTS (a0 01 07)
		expect(hex(attributeProto('k', [1, 2]).toBytes())).toBe('0a016b' + '40014002' + 'a00107');
		// f=0.5 (15 0000003f), type FLOAT (a0 01 01)
		expect(hex(attributeProto('k', attr.float(0.5)).toBytes())).toBe('0a016b' + '150000003f' + 'a00101');
		// s="linear" (22 06 …), type STRING (a0 01 03)
		expect(hex(attributeProto('k', 'linear').toBytes())).toBe('0a016b' + '22066c696e656172' + 'a00103');
		expect(() => attributeProto('alpha', 0.2)).toThrow(/attr\.float/);
	});
});

describe('GraphBuilder', () => {
	it('builds a model onnxruntime runs, with float, tensor and ints attributes', async () => {
		const g = new GraphBuilder('writer_check');
		g.input('x', ['N', 2]);
		g.node('LeakyRelu', ['x'], ['leaky'], { alpha: attr.float(0.25) });
		g.node('Constant', [], ['offset'], { value: attr.tensor([2], Float32Array.of(10, 20)) });
		g.node('Add', ['leaky', 'offset'], ['shifted']);
		g.node('Transpose', ['shifted'], ['y'], { perm: [1, 0] });
		g.output('y', [2, 'N']);
		const session = await ort.InferenceSession.create(g.toBytes());
		expect(session.inputMetadata).toEqual([{ name: 'x', isTensor: true, type: 'float32', shape: ['N', 2] }]);
		const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, -4, -8, 2), [2, 2]) });
		expect(y.dims).toEqual([2, 2]);
		expect(Array.from(y.data as Float32Array)).toEqual([11, 8, 19, 22]);
	});

	it('refuses names used before they exist, twice, or never produced', () => {
		const g = new GraphBuilder('bad');
		g.input('x', [1]);
		expect(() => g.node('Relu', ['y'], ['z'])).toThrow(/reads "y", which nothing defines before it/);
		expect(() => g.node('Relu', ['x'], ['x'])).toThrow(/"x" is defined twice/);
		expect(() => g.output('missing', [1])).toThrow(/not produced by any node/);
		expect(() => g.toBytes()).toThrow(/no outputs/);
	});

	it('counts float initializer values as parameters, not int64 ones', () => {
		const g = new GraphBuilder('count');
		g.initializer('w', [2, 3], new Float32Array(6));
		g.initializer('axes', [2], BigInt64Array.of(0n, 1n));
		expect(g.parameters).toBe(6);
	});
});
