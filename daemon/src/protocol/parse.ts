// Validation of incoming client messages: one function that every edge calls, answering with the message or
// with the error the protocol prescribes (E_BAD_MESSAGE naming the field, E_UNKNOWN_TYPE for a type it does
// not know), and the request id to answer to when one could be read.
import type { ErrorCode } from './errors';
import { ClientMessages, isClientType, type ClientMessage } from './messages';

export interface ParseFailure {
	ok: false;
	code: ErrorCode;
	message: string;
	/** The request id, when the message carried a usable one. */
	re?: string;
	details?: { field?: string };
}

export type ParseResult = { ok: true; message: ClientMessage } | ParseFailure;

/** Parses a text frame's JSON, or an already parsed value (a binary frame's header). */
export function parseClientMessage(input: string | unknown): ParseResult {
	let value: unknown = input;
	if (typeof input === 'string') {
		try {
			value = JSON.parse(input);
		} catch {
			return fail('E_BAD_MESSAGE', 'The message is not valid JSON. Send one JSON object per text frame.');
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return fail('E_BAD_MESSAGE', 'A message must be a JSON object with a "type" field.');
	}
	const record = value as Record<string, unknown>;
	const re = typeof record.id === 'string' && record.id.length > 0 && record.id.length <= 64 ? record.id : undefined;
	if (typeof record.type !== 'string') {
		return fail('E_BAD_MESSAGE', 'Field "type" is missing or not a string.', re, 'type');
	}
	if (!isClientType(record.type)) {
		return fail('E_UNKNOWN_TYPE', `Unknown message type "${record.type.slice(0, 64)}".`, re);
	}
	const result = ClientMessages[record.type].safeParse(record);
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue.path.map(String).join('.') || 'message';
		return fail('E_BAD_MESSAGE', `Invalid field "${field}" in ${record.type}: ${issue.message}.`, re, field);
	}
	return { ok: true, message: result.data as ClientMessage };
}

function fail(code: ErrorCode, message: string, re?: string, field?: string): ParseFailure {
	return { ok: false, code, message, ...(re ? { re } : {}), ...(field ? { details: { field } } : {}) };
}
