// Runs the Khronos glTF validator over a GLB and condenses its report, so tests can demand zero errors and
// print the messages when they fail.
import { createRequire } from 'node:module';

/** One issue from the validator; severity 0 = error, 1 = warning, 2 = info, 3 = hint. */
export interface ValidationMessage {
	code: string;
	message: string;
	severity: number;
	/** JSON pointer into the glTF, for issues in the JSON. */
	pointer?: string;
	/** Byte offset, for issues in the GLB container or binary data. */
	offset?: number;
}

export interface ValidationSummary {
	errors: number;
	warnings: number;
	infos: number;
	messages: ValidationMessage[];
}

/** The part of the validator's report used here (the package ships no type declarations). */
interface ValidatorReport {
	issues: {
		numErrors: number;
		numWarnings: number;
		numInfos: number;
		numHints: number;
		messages: ValidationMessage[];
		truncated: boolean;
	};
}

interface Validator {
	validateBytes(
		data: Uint8Array,
		options?: { format?: 'glb' | 'gltf'; maxIssues?: number; writeTimestamp?: boolean },
	): Promise<ValidatorReport>;
}

// Required rather than imported: the package ships no type declarations, so it is given the shape above here
// instead of a project-wide ambient module.
const validator = createRequire(import.meta.url)('gltf-validator') as Validator;

/**
 * Validates GLB bytes and returns issue counts plus every message. Bytes that are not a GLB come back as errors
 * (e.g. `GLB_UNEXPECTED_END_OF_HEADER`), not as a rejection.
 *
 * @example
 * const report = await validateGlb(bytes);
 * expect(report.errors, JSON.stringify(report.messages)).toBe(0);
 */
export async function validateGlb(bytes: Uint8Array): Promise<ValidationSummary> {
	const report = await validator.validateBytes(new Uint8Array(bytes), {
		format: 'glb',
		maxIssues: 0,
		writeTimestamp: false,
	});
	const { numErrors, numWarnings, numInfos, messages } = report.issues;
	return {
		errors: numErrors,
		warnings: numWarnings,
		infos: numInfos,
		messages: messages.map(({ code, message, severity, pointer, offset }) => ({
			code,
			message,
			severity,
			pointer,
			offset,
		})),
	};
}
