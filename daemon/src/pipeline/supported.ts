// What this build can make, checked before any work (and before a job is queued), with a sentence saying
// what works instead. Free of the stages' code, so the daemon's main thread can use it.
import type { RegistryKind } from '../engine/registry';
import { OrfeasError } from '../protocol/errors';
import type { GenerateOptions } from '../protocol/options';

export const BUILTIN_SHAPE = 'builtin:inflate';
export const SEGMENTATIONS = ['auto', 'alpha', 'chroma'] as const;
/** Kinds that make (or shape) the model, generation servers among them; segmentation models only cut the subject out. */
const SHAPE_KINDS: readonly (RegistryKind | undefined)[] = ['depth', 'implicit', 'triplane', 'remote'];

export function isBuiltinSegmentation(segmentation: string): boolean {
	return (SEGMENTATIONS as readonly string[]).includes(segmentation.replace(/^builtin:/, ''));
}

/**
 * Refuses what cannot run. `installedKind` tells the kind of an installed learned model (undefined when the id
 * is not one); without it only the built-ins are accepted.
 */
export function checkSupported(
	options: GenerateOptions,
	installedKind: (id: string) => RegistryKind | undefined = () => undefined,
	pictures: { views: number; sheet: boolean } = { views: 0, sheet: false },
): void {
	const shapeKind = installedKind(options.model);
	if ((pictures.views > 0 || pictures.sheet) && options.model !== BUILTIN_SHAPE) {
		throw new OrfeasError(
			'E_BAD_MESSAGE',
			`Pictures from several sides are carved by the built-in shape; "${options.model}" takes one picture. Leave the model at ${BUILTIN_SHAPE}, or send the front alone.`,
			{ field: 'options.model' },
		);
	}
	if (options.model !== BUILTIN_SHAPE && !SHAPE_KINDS.includes(shapeKind!)) {
		throw new OrfeasError(
			'E_MODEL_MISSING',
			shapeKind
				? `Model "${options.model}" is a ${shapeKind} model; use it as segmentation, or pick ${BUILTIN_SHAPE}, a depth, implicit or triplane model, or a generation server.`
				: `Model "${options.model}" is not installed. Install it with: orfeas models pull ${options.model} (see orfeas models list).`,
			{ model: options.model },
		);
	}
	if (!isBuiltinSegmentation(options.segmentation) && installedKind(options.segmentation) !== 'segmentation') {
		throw new OrfeasError(
			'E_MODEL_MISSING',
			`Segmentation "${options.segmentation}" is not installed. Use ${SEGMENTATIONS.join(', ')}, or pull a segmentation model: orfeas models pull ${options.segmentation}.`,
			{ model: options.segmentation },
		);
	}
}

/** Whether the options ask for nothing but the one GLB (any profile names a lone GLB the same way). */
export function isPlainGlb(options: Pick<GenerateOptions, 'formats' | 'lods' | 'collider'>): boolean {
	const oneLevel = options.lods.length === 0 || (options.lods.length === 1 && options.lods[0] === 1);
	return options.formats.every((f) => f === 'glb') && oneLevel && options.collider === 'none';
}
