// What this build can make, checked before any work (and before a job is queued), with a sentence saying
// what works instead. Free of the stages' code, so the daemon's main thread can use it.
import { OrfeasError } from '../protocol/errors';
import type { GenerateOptions } from '../protocol/options';

export const BUILTIN_SHAPE = 'builtin:inflate';
export const SEGMENTATIONS = ['auto', 'alpha', 'chroma'] as const;

export function checkSupported(options: GenerateOptions): void {
	if (options.model !== BUILTIN_SHAPE) {
		throw new OrfeasError('E_MODEL_MISSING', `Model "${options.model}" is not installed. Available: ${BUILTIN_SHAPE}.`, {
			model: options.model,
		});
	}
	if (!(SEGMENTATIONS as readonly string[]).includes(options.segmentation)) {
		throw new OrfeasError(
			'E_MODEL_MISSING',
			`Segmentation "${options.segmentation}" is not installed. Available: ${SEGMENTATIONS.join(', ')}.`,
			{ model: options.segmentation },
		);
	}
	const unsupported = options.formats.filter((f) => f !== 'glb');
	if (unsupported.length > 0) {
		throw new OrfeasError('E_EXPORT', `Export to ${unsupported.join(', ')} is not available in this version; use glb.`);
	}
	if (options.lods.length > 1 || options.collider !== 'none' || options.profile !== 'generic') {
		throw new OrfeasError('E_EXPORT', 'LOD chains, colliders and engine profiles are not available in this version.');
	}
}
