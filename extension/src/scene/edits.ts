// What the scene editor does to a document: the view's intents (move, remove, add, lay out) as edits of the
// document, checked against the schema as a whole (the same rules and messages as the daemon's scene.update), and
// the view model the webview draws. The result is the edited document itself, not the schema's parse of it: a
// parse fills a picture's partial `options` with every default, which would write them all into the file.
// Pure, free of `vscode`.
import { OrfeasError } from '../../../daemon/src/protocol/errors';
import { SceneDocument, type LayoutMode, type SceneDocumentView, type SceneObjectView, type SceneTransformView } from '../../../daemon/src/protocol/scene';
import { descendants } from '../../../daemon/src/scene/ops';
import { VIEW_LAYOUT_MODES, type ViewLayoutMode, type ViewObject, type ViewTransform } from '../../../webview/src/scene-messages';

// The webview repeats the layout modes and the transform shape to stay free of Node; these fail to compile if
// the protocol's and the view's ever differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameModes: Same<ViewLayoutMode, LayoutMode> = true;
const sameTransform: Same<ViewTransform, SceneTransformView> = true;
void [sameModes, sameTransform, VIEW_LAYOUT_MODES];

/** `document` with `id` placed at `transform` (relative to its parent). */
export function setTransform(document: SceneDocumentView, id: string, transform: SceneTransformView): SceneDocumentView {
	const next = structuredClone(document);
	find(next, id).transform = structuredClone(transform);
	return checked(next);
}

/** `document` without `id` and the objects below it (children go with their parent, as in the daemon). */
export function removeObject(document: SceneDocumentView, id: string): SceneDocumentView {
	find(document, id);
	const removed = new Set([id, ...descendants(document, id)]);
	return checked({ ...structuredClone(document), objects: structuredClone(document.objects.filter((o) => !removed.has(o.id))) });
}

/** `document` with `objects` appended; an id already there is E_CONFLICT. */
export function addObjects(document: SceneDocumentView, objects: readonly SceneObjectView[]): SceneDocumentView {
	const next = structuredClone(document);
	for (const object of objects) {
		if (next.objects.some((o) => o.id === object.id)) throw new OrfeasError('E_CONFLICT', `Object "${object.id}" is already in the scene; choose another id.`);
		next.objects.push(structuredClone(object));
	}
	return checked(next);
}

/**
 * `document` with the positions `laidOut` (the daemon's scene.layout reply) gave its top-level objects. Only
 * transforms move across: an object added or removed while the daemon worked stays added or removed.
 */
export function withLayout(document: SceneDocumentView, laidOut: SceneDocumentView): SceneDocumentView {
	const placed = new Map(laidOut.objects.filter((o) => o.parent === undefined).map((o) => [o.id, o.transform]));
	const next = structuredClone(document);
	for (const object of next.objects) {
		const transform = placed.get(object.id);
		if (object.parent === undefined && transform) object.transform = structuredClone(transform);
	}
	return checked(next);
}

/** The objects as the webview draws them. */
export function viewObjects(document: SceneDocumentView): ViewObject[] {
	return document.objects.map((object) => ({
		id: object.id,
		name: object.name,
		source:
			'model' in object.source
				? { kind: 'model', path: object.source.model }
				: { kind: 'image', path: object.source.image, built: object.source.assetId !== undefined, ...(object.source.assetId ? { model: assetKey(object.source.assetId) } : {}) },
		transform: object.transform,
		...(object.parent !== undefined ? { parent: object.parent } : {}),
	}));
}

/** The models the document names: model files by relative path, built pictures by `asset:<assetId>`. */
export function modelPaths(document: SceneDocumentView): Set<string> {
	return new Set(document.objects.flatMap((o) => ('model' in o.source ? [o.source.model] : o.source.assetId ? [assetKey(o.source.assetId)] : [])));
}

const ASSET_KEY = 'asset:';

/** The key the view asks for a built picture's model by. */
export function assetKey(assetId: string): string {
	return `${ASSET_KEY}${assetId}`;
}

/** The asset id of an `asset:<assetId>` key, or undefined for a file path. */
export function assetOfKey(key: string): string | undefined {
	return key.startsWith(ASSET_KEY) ? key.slice(ASSET_KEY.length) : undefined;
}

function find(document: SceneDocumentView, id: string): SceneObjectView {
	const object = document.objects.find((o) => o.id === id);
	if (!object) throw new OrfeasError('E_NOT_FOUND', `No object "${id}" in the scene; it may have been removed meanwhile.`);
	return object;
}

/** `document` itself once the schema accepts it; E_BAD_MESSAGE naming the field otherwise. */
function checked(document: SceneDocumentView): SceneDocumentView {
	const result = SceneDocument.safeParse(document);
	if (result.success) return document;
	const issue = result.error.issues[0];
	const field = issue.path.map(String).join('.');
	throw new OrfeasError('E_BAD_MESSAGE', `The scene would not be valid after this edit: ${field ? `${field}: ` : ''}${issue.message}.`, { field });
}
