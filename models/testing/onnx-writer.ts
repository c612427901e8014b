// A minimal ONNX writer: protobuf wire encoding plus the few ONNX messages the test models need (models.ts builds
// them). Field numbers follow onnx.proto (proto2); nothing here reads ONNX back.

// ---- protobuf wire format ----

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();

/** Base-128 varint of an integer as protobuf's int64 sees it: a negative value is its 64-bit two's complement (ten bytes). */
export function encodeVarint(value: number | bigint): Uint8Array {
	if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`encodeVarint: ${value} is not a safe integer.`);
	let v = BigInt.asUintN(64, BigInt(value));
	const out: number[] = [];
	while (v >= 0x80n) {
		out.push(Number(v & 0x7fn) | 0x80);
		v >>= 7n;
	}
	out.push(Number(v));
	return Uint8Array.from(out);
}

/**
 * One protobuf message, written field by field in call order. A nested message keeps its chunks instead of being
 * flattened, so a 100 MB tensor is copied once, by the outermost `toBytes`.
 *
 * @example new ProtoMessage().varint(1, 150).string(2, 'testing').toBytes() // 08 96 01 12 07 74 65 73 74 69 6e 67
 */
export class ProtoMessage {
	private readonly chunks: Uint8Array[] = [];
	private length = 0;

	get byteLength(): number {
		return this.length;
	}

	/** int32, int64, uint64, bool and enum fields. */
	varint(field: number, value: number | bigint): this {
		this.tag(field, WIRE_VARINT);
		this.push(encodeVarint(value));
		return this;
	}

	float(field: number, value: number): this {
		this.tag(field, WIRE_FIXED32);
		const b = new Uint8Array(4);
		new DataView(b.buffer).setFloat32(0, value, true);
		this.push(b);
		return this;
	}

	bytes(field: number, value: Uint8Array): this {
		this.tag(field, WIRE_BYTES);
		this.push(encodeVarint(value.length));
		this.push(value);
		return this;
	}

	string(field: number, value: string): this {
		return this.bytes(field, textEncoder.encode(value));
	}

	message(field: number, value: ProtoMessage): this {
		this.tag(field, WIRE_BYTES);
		this.push(encodeVarint(value.length));
		for (const chunk of value.chunks) this.push(chunk);
		return this;
	}

	toBytes(): Uint8Array {
		const out = new Uint8Array(this.length);
		let at = 0;
		for (const chunk of this.chunks) {
			out.set(chunk, at);
			at += chunk.length;
		}
		return out;
	}

	private tag(field: number, wire: number): void {
		this.push(encodeVarint(field * 8 + wire));
	}

	private push(chunk: Uint8Array): void {
		this.chunks.push(chunk);
		this.length += chunk.length;
	}
}

// ---- ONNX messages ----

export type ElementType = 'float32' | 'int64';
/** A tensor dimension: a fixed size, or a name for a size chosen at run time (`'H'`, `'N'`). */
export type Dim = number | string;
export type TensorData = Float32Array | BigInt64Array;

/** TensorProto.DataType. */
const DATA_TYPE: Record<ElementType, number> = { float32: 1, int64: 7 };
/** AttributeProto.AttributeType. */
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** raw_data must be little-endian whatever the host is. */
function littleEndianBytes(data: TensorData): Uint8Array {
	if (HOST_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	const out = new Uint8Array(data.byteLength);
	const view = new DataView(out.buffer);
	for (let i = 0; i < data.length; i++) {
		if (data instanceof Float32Array) view.setFloat32(i * 4, data[i], true);
		else view.setBigInt64(i * 8, data[i], true);
	}
	return out;
}

/** TensorProto with its values in raw_data. */
export function tensorProto(name: string, dims: readonly number[], data: TensorData): ProtoMessage {
	const count = dims.reduce((a, d) => a * d, 1);
	if (count !== data.length) throw new RangeError(`tensor "${name}": dims [${dims.join(', ')}] hold ${count} values, the data has ${data.length}.`);
	const m = new ProtoMessage();
	for (const d of dims) m.varint(1, d);
	m.varint(2, DATA_TYPE[data instanceof Float32Array ? 'float32' : 'int64']);
	if (name) m.string(8, name);
	return m.bytes(9, littleEndianBytes(data));
}

/** ValueInfoProto of a tensor: TypeProto.Tensor with elem_type and a TensorShapeProto. */
export function valueInfoProto(name: string, type: ElementType, shape: readonly Dim[]): ProtoMessage {
	const shapeProto = new ProtoMessage();
	for (const d of shape) {
		const dim = typeof d === 'number' ? new ProtoMessage().varint(1, d) : new ProtoMessage().string(2, d);
		shapeProto.message(1, dim);
	}
	const tensorType = new ProtoMessage().varint(1, DATA_TYPE[type]).message(2, shapeProto);
	return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
}

/** Attribute values that plain numbers cannot say: a float, a float list, a tensor. */
export type MarkedAttribute =
	| { readonly kind: 'float'; readonly value: number }
	| { readonly kind: 'floats'; readonly values: readonly number[] }
	| { readonly kind: 'tensor'; readonly dims: readonly number[]; readonly data: TensorData };

/** An integer is an INT attribute, a string a STRING, a number array INTS; floats and tensors go through `attr`. */
export type AttributeValue = number | bigint | string | readonly number[] | MarkedAttribute;

/** Markers for attributes that are not integers, e.g. `{ alpha: attr.float(0.2) }`. */
export const attr = {
	float: (value: number): MarkedAttribute => ({ kind: 'float', value }),
	floats: (values: readonly number[]): MarkedAttribute => ({ kind: 'floats', values }),
	tensor: (dims: readonly number[], data: TensorData): MarkedAttribute => ({ kind: 'tensor', dims, data }),
};

export function attributeProto(name: string, value: AttributeValue): ProtoMessage {
	const m = new ProtoMessage().string(1, name);
	if (typeof value === 'number' || typeof value === 'bigint') {
		if (typeof value === 'number' && !Number.isInteger(value)) throw new TypeError(`attribute "${name}": ${value} is not an integer; use attr.float() for a FLOAT attribute.`);
		return m.varint(3, value).varint(20, ATTR.INT);
	}
	if (typeof value === 'string') return m.string(4, value).varint(20, ATTR.STRING);
	if (Array.isArray(value)) {
		for (const v of value as readonly number[]) m.varint(8, v);
		return m.varint(20, ATTR.INTS);
	}
	const marked = value as MarkedAttribute;
	switch (marked.kind) {
		case 'float':
			return m.float(2, marked.value).varint(20, ATTR.FLOAT);
		case 'floats':
			for (const v of marked.values) m.float(7, v);
			return m.varint(20, ATTR.FLOATS);
		case 'tensor':
			return m.message(5, tensorProto('', marked.dims, marked.data)).varint(20, ATTR.TENSOR);
	}
}

// ---- graph builder ----

export interface TensorInfo {
	name: string;
	type: ElementType;
	shape: Dim[];
}

export interface ModelOptions {
	/** Default ONNX opset; 18 is the first where every Reduce* op takes its axes as an input. */
	opset?: number;
	/** IR version 8 goes with opsets 17 and 18. */
	irVersion?: number;
	producer?: string;
}

export const MODEL_DEFAULTS: Required<ModelOptions> = { opset: 18, irVersion: 8, producer: 'orfeas-testing' };

/**
 * Builds one ONNX graph in topological order: every node input must already be a graph input, an initializer or an
 * earlier node's output, so a misspelt name fails here rather than inside onnxruntime.
 *
 * @example
 * const g = new GraphBuilder('double');
 * g.input('x', [1, 'N']);
 * g.initializer('two', [], Float32Array.of(2));
 * g.node('Mul', ['x', 'two'], ['y']);
 * g.output('y', [1, 'N']);
 * const bytes = g.toBytes();
 */
export class GraphBuilder {
	private readonly nodes: ProtoMessage[] = [];
	private readonly initializers: ProtoMessage[] = [];
	private readonly inputs: TensorInfo[] = [];
	private readonly outputs: TensorInfo[] = [];
	private readonly known = new Set<string>();
	private floatValues = 0;

	constructor(readonly name: string) {}

	/** How many float values the initializers hold (weights, biases and float constants; int64 shapes and axes are not counted). */
	get parameters(): number {
		return this.floatValues;
	}

	/** The graph's inputs and outputs as declared. */
	signature(): { inputs: TensorInfo[]; outputs: TensorInfo[] } {
		const copy = (t: TensorInfo) => ({ ...t, shape: [...t.shape] });
		return { inputs: this.inputs.map(copy), outputs: this.outputs.map(copy) };
	}

	input(name: string, shape: readonly Dim[], type: ElementType = 'float32'): string {
		this.define(name);
		this.inputs.push({ name, type, shape: [...shape] });
		return name;
	}

	initializer(name: string, dims: readonly number[], data: TensorData): string {
		const proto = tensorProto(name, dims, data);
		this.define(name);
		this.initializers.push(proto);
		if (data instanceof Float32Array) this.floatValues += data.length;
		return name;
	}

	/** Adds a node and returns its first output's name. An empty input name skips an optional input. */
	node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
		for (const i of inputs) {
			if (i !== '' && !this.known.has(i)) throw new Error(`graph "${this.name}": ${opType} reads "${i}", which nothing defines before it.`);
		}
		for (const o of outputs) this.define(o);
		const m = new ProtoMessage();
		for (const i of inputs) m.string(1, i);
		for (const o of outputs) m.string(2, o);
		m.string(3, `${opType}_${this.nodes.length}`).string(4, opType);
		for (const [key, value] of Object.entries(attributes)) m.message(5, attributeProto(key, value));
		this.nodes.push(m);
		return outputs[0];
	}

	output(name: string, shape: readonly Dim[], type: ElementType = 'float32'): string {
		if (!this.known.has(name)) throw new Error(`graph "${this.name}": output "${name}" is not produced by any node.`);
		this.outputs.push({ name, type, shape: [...shape] });
		return name;
	}

	/** The ModelProto bytes. */
	toBytes(options: ModelOptions = {}): Uint8Array {
		const { opset, irVersion, producer } = { ...MODEL_DEFAULTS, ...options };
		if (this.outputs.length === 0) throw new Error(`graph "${this.name}" has no outputs.`);
		const graph = new ProtoMessage();
		for (const n of this.nodes) graph.message(1, n);
		graph.string(2, this.name);
		for (const t of this.initializers) graph.message(5, t);
		for (const t of this.inputs) graph.message(11, valueInfoProto(t.name, t.type, t.shape));
		for (const t of this.outputs) graph.message(12, valueInfoProto(t.name, t.type, t.shape));
		return new ProtoMessage()
			.varint(1, irVersion)
			.string(2, producer)
			.message(7, graph)
			.message(8, new ProtoMessage().varint(2, opset))
			.toBytes();
	}

	private define(name: string): void {
		if (!name) throw new Error(`graph "${this.name}": a value needs a name.`);
		if (this.known.has(name)) throw new Error(`graph "${this.name}": "${name}" is defined twice.`);
		this.known.add(name);
	}
}
