// The protocol vectors against the schemas they describe: client messages through parseClientMessage, daemon
// messages through DaemonMessages, binary frames through decodeFrame. The Python and C# bridges run the same files.
import { describe, expect, it } from 'vitest';
import { DaemonMessages } from '../../daemon/src/protocol/events';
import { OrfeasError } from '../../daemon/src/protocol/errors';
import { decodeFrame } from '../../daemon/src/protocol/frames';
import { ClientMessages } from '../../daemon/src/protocol/messages';
import { parseClientMessage } from '../../daemon/src/protocol/parse';
import { clientText, loadVectors, type ClientVector, type DaemonVector, type FrameVector } from '../helpers/protocol-vectors';

const clientValid = loadVectors<ClientVector>('client/valid');
const clientInvalid = loadVectors<ClientVector>('client/invalid');
const daemonValid = loadVectors<DaemonVector>('daemon/valid');
const daemonInvalid = loadVectors<DaemonVector>('daemon/invalid');
const frames = loadVectors<FrameVector>('frames');

/** The request type an invalid client vector exercises, when its JSON names a known one. */
function requestType(vector: ClientVector): string | undefined {
	const json = vector.json as { type?: unknown } | null | undefined;
	return typeof json?.type === 'string' && Object.hasOwn(ClientMessages, json.type) ? json.type : undefined;
}

function judgeDaemon(message: Record<string, unknown>): boolean {
	const type = message.type;
	if (typeof type !== 'string' || !Object.hasOwn(DaemonMessages, type)) return false;
	return DaemonMessages[type as keyof typeof DaemonMessages].safeParse(message).success;
}

describe('protocol vectors', () => {
	it('has vectors in every folder and covers every message type', () => {
		for (const folder of [clientValid, clientInvalid, daemonValid, daemonInvalid, frames]) expect(folder.length).toBeGreaterThan(0);
		const types = Object.keys(ClientMessages).sort();
		expect([...new Set(clientValid.map((v) => (v.vector.expect.valid ? v.vector.expect.type : '')))].sort()).toEqual(types);
		expect([...new Set(clientInvalid.map((v) => requestType(v.vector)).filter(Boolean))].sort()).toEqual(types);
		expect([...new Set(daemonValid.map((v) => v.vector.json.type))].sort()).toEqual(Object.keys(DaemonMessages).sort());
		expect(frames.some((f) => f.vector.expect.valid)).toBe(true);
		expect(frames.some((f) => !f.vector.expect.valid)).toBe(true);
	});

	describe('client/valid', () => {
		it.each(clientValid)('$name', ({ vector }) => {
			expect(vector.expect.valid).toBe(true);
			const result = parseClientMessage(clientText(vector));
			expect(result, vector.description).toMatchObject({ ok: true });
			if (result.ok && vector.expect.valid) expect(result.message.type).toBe(vector.expect.type);
		});
	});

	describe('client/invalid', () => {
		it.each(clientInvalid)('$name', ({ vector }) => {
			const expected = vector.expect;
			if (expected.valid) throw new Error('a vector in client/invalid must expect valid: false');
			const result = parseClientMessage(clientText(vector));
			if (result.ok) throw new Error(`accepted: ${vector.description}`);
			expect(result.code).toBe(expected.code);
			expect(result.details?.field).toBe(expected.field);
			expect(result.re).toBe(expected.re);
			expect(result.message.length).toBeGreaterThan(0);
		});
	});

	describe('daemon', () => {
		it.each([...daemonValid, ...daemonInvalid])('$name', ({ vector }) => {
			expect(judgeDaemon(vector.json), vector.description).toBe(vector.expect.valid);
		});
		it('puts every vector in the folder its verdict names', () => {
			expect(daemonValid.every((v) => v.vector.expect.valid)).toBe(true);
			expect(daemonInvalid.every((v) => !v.vector.expect.valid)).toBe(true);
		});
	});

	describe('frames', () => {
		it.each(frames)('$name', ({ vector }) => {
			expect(vector.hex).toMatch(/^([0-9a-f]{2})*$/);
			const bytes = Buffer.from(vector.hex, 'hex');
			const expected = vector.expect;
			if (expected.valid) {
				const frame = decodeFrame(bytes);
				expect(frame.header).toEqual(expected.header);
				expect(Buffer.from(frame.payload).toString('hex')).toBe(expected.payloadHex);
			} else {
				let thrown: unknown;
				try {
					decodeFrame(bytes);
				} catch (error) {
					thrown = error;
				}
				expect(thrown).toBeInstanceOf(OrfeasError);
				expect((thrown as OrfeasError).code).toBe(expected.code);
			}
		});
	});
});
