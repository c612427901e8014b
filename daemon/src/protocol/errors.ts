// The one table of error codes (PROTOCOL.md § Errors). Code throws `OrfeasError` where a failure happens;
// the edges (CLI, WebSocket, HTTP) turn it into an exit code, an `error` message or a status.

/** Every stable error code, with when it is used. Clients may switch on the code; never rename one. */
export const ERROR_CODES = {
	E_AUTH: 'missing or wrong token, or a message before hello',
	E_PROTOCOL: 'unsupported protocol version',
	E_ORIGIN: 'Host or Origin not allowed',
	E_FORBIDDEN: "a valid token that does not allow this request (daemon.stop takes the daemon's own token, from this machine)",
	E_BAD_MESSAGE: 'malformed message or invalid field',
	E_UNKNOWN_TYPE: 'unknown message type',
	E_PAYLOAD_TOO_LARGE: 'frame or body over the size limit',
	E_RATE_LIMIT: 'too many messages per second on one connection',
	E_IMAGE_DECODE: 'the image cannot be read',
	E_IMAGE_TOO_LARGE: 'the image is over the byte or pixel cap',
	E_IMAGE_NO_SUBJECT: 'no foreground subject was found',
	E_SHEET: 'a turnaround sheet does not split into the views it names',
	E_VIEWS: 'pictures of an object from several sides do not agree (another object, or a view under the wrong name)',
	E_PATH: 'a path that is not allowed, or an output that would be overwritten',
	E_NOT_FOUND: 'unknown id or missing file',
	E_CONFLICT: 'state conflict (revision, job state)',
	E_QUEUE_FULL: 'the job queue is at its limit',
	E_MODEL_MISSING: 'the model has not been pulled',
	E_MODEL_LOAD: 'the model cannot be loaded',
	E_MODEL_CHECKSUM: 'a downloaded model file is corrupt',
	E_INFERENCE: 'running the model failed',
	E_OUT_OF_MEMORY: 'the model ran out of memory (a smaller grid or the CPU may fit)',
	E_BACKEND: 'a generation server refused or failed the job (its own words follow)',
	E_BACKEND_UNREACHABLE: 'a generation server cannot be reached',
	E_EXPORT: 'export failed',
	E_CANCELLED: 'the job was cancelled',
	E_INTERRUPTED: 'the job was lost to a crash three times',
	E_INTERNAL: 'a bug in Orfeas',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure with a stable code and a sentence a person can act on. */
export class OrfeasError extends Error {
	override readonly name = 'OrfeasError';
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly details?: Record<string, unknown>,
	) {
		super(message);
	}
}

export function isErrorCode(value: unknown): value is ErrorCode {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/**
 * Maps anything thrown to an OrfeasError: aborts become `E_CANCELLED`, unknown errors `E_INTERNAL` with their
 * message kept (the stack stays in the log, never on the wire).
 */
export function toOrfeasError(error: unknown): OrfeasError {
	if (error instanceof OrfeasError) return error;
	if (isAbortError(error)) return new OrfeasError('E_CANCELLED', 'The job was cancelled.');
	const message = error instanceof Error ? error.message : String(error);
	return new OrfeasError('E_INTERNAL', `Internal error: ${message}. Please report it with the daemon log.`);
}

export function isAbortError(error: unknown): boolean {
	return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/** WebSocket close codes (PROTOCOL.md § Errors). */
export const CLOSE = {
	goingAway: 1001,
	auth: 4001,
	protocol: 4002,
	origin: 4003,
	policy: 4008,
} as const;

/** HTTP status for each code, for the routes under /v1. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
	E_AUTH: 401,
	E_PROTOCOL: 400,
	E_ORIGIN: 403,
	E_FORBIDDEN: 403,
	E_BAD_MESSAGE: 400,
	E_UNKNOWN_TYPE: 400,
	E_PAYLOAD_TOO_LARGE: 413,
	E_RATE_LIMIT: 429,
	E_IMAGE_DECODE: 422,
	E_IMAGE_TOO_LARGE: 413,
	E_IMAGE_NO_SUBJECT: 422,
	E_SHEET: 422,
	E_VIEWS: 422,
	E_PATH: 400,
	E_NOT_FOUND: 404,
	E_CONFLICT: 409,
	E_QUEUE_FULL: 503,
	E_MODEL_MISSING: 404,
	E_MODEL_LOAD: 500,
	E_MODEL_CHECKSUM: 500,
	E_INFERENCE: 500,
	E_OUT_OF_MEMORY: 507,
	E_BACKEND: 502,
	E_BACKEND_UNREACHABLE: 504,
	E_EXPORT: 422,
	E_CANCELLED: 409,
	E_INTERRUPTED: 500,
	E_INTERNAL: 500,
};
