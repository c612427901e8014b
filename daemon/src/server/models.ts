// The models this daemon can use. Today these are the built-in ones; learned models pulled from manifests join
// this list when the engine lands.
import type { ModelView } from '../protocol/events';
import { OrfeasError } from '../protocol/errors';

export const BUILTIN_MODELS: readonly ModelView[] = [
	{ id: 'builtin:inflate', kind: 'shape', builtin: true, installed: true, loaded: true, description: 'Silhouette inflation (no download, CPU).' },
	{ id: 'builtin:alpha', kind: 'segmentation', builtin: true, installed: true, loaded: true, description: "Subject from the picture's transparency." },
	{ id: 'builtin:chroma', kind: 'segmentation', builtin: true, installed: true, loaded: true, description: 'Subject by removing a plain background.' },
];

export function listModels(): ModelView[] {
	return BUILTIN_MODELS.map((m) => ({ ...m }));
}

/** A known model, or E_MODEL_MISSING listing the ones there are. */
export function requireModel(modelId: string): ModelView {
	const model = BUILTIN_MODELS.find((m) => m.id === modelId);
	if (!model) {
		throw new OrfeasError('E_MODEL_MISSING', `No model "${modelId}" is installed. Available: ${BUILTIN_MODELS.map((m) => m.id).join(', ')}.`, {
			model: modelId,
		});
	}
	return model;
}
