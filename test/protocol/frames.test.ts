import { describe, expect, it } from 'vitest';
import { OrfeasError } from '../../daemon/src/protocol/errors';
import { decodeFrame, encodeFrame, MAX_HEADER_BYTES } from '../../daemon/src/protocol/frames';

describe('binary frames', () => {
	it('round-trips a header and payload, with a big-endian header length', () => {
		const payload = Uint8Array.from([1, 2, 3, 250]);
		const frame = encodeFrame({ type: 'generate', id: 'é' }, payload);
		const headerLength = new DataView(frame.buffer).getUint32(0, false);
		expect(headerLength).toBe(Buffer.byteLength(JSON.stringify({ type: 'generate', id: 'é' })));
		const decoded = decodeFrame(frame);
		expect(decoded.header).toEqual({ type: 'generate', id: 'é' });
		expect(Array.from(decoded.payload)).toEqual([1, 2, 3, 250]);
	});

	it('refuses short frames, bad lengths and non-JSON headers with E_BAD_MESSAGE', () => {
		const bad = [
			Uint8Array.from([0, 0, 1]),
			Uint8Array.from([0, 0, 0, 0, 1]),
			Uint8Array.from([0, 0, 0, 9, 123]),
			Uint8Array.from([0xff, 0xff, 0xff, 0xff, 1]),
			new Uint8Array([0, 0, 0, 3, 0x7b, 0x7b, 0x7b, 9]),
		];
		for (const frame of bad) {
			let error: unknown;
			try {
				decodeFrame(frame);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(OrfeasError);
			expect((error as OrfeasError).code).toBe('E_BAD_MESSAGE');
		}
		expect(MAX_HEADER_BYTES).toBeGreaterThanOrEqual(4096);
	});
});
