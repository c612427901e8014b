// Binary frames (PROTOCOL.md § Frames): [uint32 big-endian header length][UTF-8 JSON header][payload bytes].
// The header is an ordinary message; the payload is an inline image (generate) or a file (asset).
import { OrfeasError } from './errors';

/** A header longer than this is refused: headers are small messages, payloads carry the bulk. */
export const MAX_HEADER_BYTES = 64 * 1024;

export interface Frame {
	header: unknown;
	payload: Uint8Array;
}

export function encodeFrame(header: object, payload: Uint8Array): Uint8Array {
	const json = Buffer.from(JSON.stringify(header), 'utf8');
	const frame = new Uint8Array(4 + json.length + payload.length);
	new DataView(frame.buffer).setUint32(0, json.length, false);
	frame.set(json, 4);
	frame.set(payload, 4 + json.length);
	return frame;
}

/** Splits a binary frame; throws E_BAD_MESSAGE with a sentence when it is malformed. */
export function decodeFrame(frame: Uint8Array): Frame {
	if (frame.length < 4) {
		throw new OrfeasError('E_BAD_MESSAGE', 'A binary frame must start with a 4-byte header length.');
	}
	const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, false);
	if (length === 0 || length > MAX_HEADER_BYTES || 4 + length > frame.length) {
		throw new OrfeasError(
			'E_BAD_MESSAGE',
			`The binary frame's header length (${length}) does not fit the frame (${frame.length} bytes, header at most ${MAX_HEADER_BYTES}).`,
		);
	}
	let header: unknown;
	try {
		header = JSON.parse(Buffer.from(frame.buffer, frame.byteOffset + 4, length).toString('utf8'));
	} catch {
		throw new OrfeasError('E_BAD_MESSAGE', "The binary frame's header is not valid JSON.");
	}
	return { header, payload: frame.subarray(4 + length) };
}
