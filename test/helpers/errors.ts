// What a refused export must look like: an OrfeasError with code E_EXPORT and a sentence, not a stack trace.
import { expect } from 'vitest';
import { OrfeasError } from '../../daemon/src/protocol/errors';

/**
 * Runs work that must fail with E_EXPORT (a promise that must reject, or a function that must throw); returns
 * the error for checks on its sentence.
 */
export async function exportError(work: Promise<unknown> | (() => unknown)): Promise<OrfeasError> {
	const error = await (typeof work === 'function' ? Promise.resolve().then(work) : work).then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(OrfeasError);
	expect((error as OrfeasError).code).toBe('E_EXPORT');
	expect((error as Error).message).not.toMatch(/\n\s+at /);
	return error as OrfeasError;
}

/** The code of the OrfeasError `work` throws; undefined when it does not throw (anything else thrown fails the test). */
export function codeOf(work: () => unknown): string | undefined {
	try {
		work();
	} catch (error) {
		expect(error).toBeInstanceOf(OrfeasError);
		return (error as OrfeasError).code;
	}
	return undefined;
}
