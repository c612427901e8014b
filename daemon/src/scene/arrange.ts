// `scene.layout` on a held scene: the models' boxes (descendants included), the layout of the top-level objects,
// and the document with their new transforms committed against the revision the layout started from, so an edit
// made meanwhile is never overwritten (E_CONFLICT instead).
import type { Home } from '../jobs/home';
import type { LayoutMode } from '../protocol/scene';
import { layout } from './layout';
import { loadSceneModels, rootBounds } from './models';
import type { HeldScene, SceneStore } from './store';

export interface ArrangeRequest {
	sceneId: string;
	revision?: number;
	mode?: LayoutMode;
	seed?: number;
	spacing?: number;
}

export async function arrangeScene(store: SceneStore, home: Home, request: ArrangeRequest, origin?: unknown): Promise<HeldScene> {
	const scene = await store.get(request.sceneId);
	const revision = request.revision ?? scene.revision;
	const { document } = scene;
	const models = await loadSceneModels(document, scene.base, home);
	const bounds = rootBounds(document, models);
	const roots = document.objects.filter((o) => o.parent === undefined);
	const placed = layout(
		roots.map((o) => ({ id: o.id, bounds: bounds.get(o.id)!, transform: o.transform })),
		document.ground.y,
		{ ...(request.mode ? { mode: request.mode } : {}), ...(request.seed !== undefined ? { seed: request.seed } : {}), ...(request.spacing !== undefined ? { spacing: request.spacing } : {}) },
	);
	const objects = document.objects.map((o) => (placed.has(o.id) ? { ...o, transform: placed.get(o.id)! } : o));
	return store.replace(request.sceneId, revision, { ...document, objects }, origin);
}
