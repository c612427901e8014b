// Edits of a scene document (`scene.update.ops`): applied in order to a copy, the result checked as a whole, so a
// failing op changes nothing. Pure; the store decides about revisions and persistence.
import { OrfeasError } from '../protocol/errors';
import { SceneDocument, type SceneDocumentView, type SceneOpView } from '../protocol/scene';

/**
 * The document after `ops`; throws E_NOT_FOUND for an op naming an object that is not there, E_CONFLICT for an
 * added id that exists, and E_BAD_MESSAGE (naming the field) when the result is not a valid scene (a parent
 * cycle, say).
 *
 * @example
 * const next = applyOps(doc, [{ op: 'set', id: 'crate', transform: { position: [1, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] } }]);
 */
export function applyOps(document: SceneDocumentView, ops: readonly SceneOpView[]): SceneDocumentView {
	let next: SceneDocumentView = structuredClone(document);
	ops.forEach((op, index) => {
		const where = `ops.${index}`;
		switch (op.op) {
			case 'replace':
				next = structuredClone(op.document);
				return;
			case 'add':
				if (next.objects.some((o) => o.id === op.object.id)) {
					throw new OrfeasError('E_CONFLICT', `Object "${op.object.id}" is already in the scene (${where}); choose another id or set it.`, { field: `${where}.object.id` });
				}
				next.objects.push(structuredClone(op.object));
				return;
			case 'remove': {
				const found = find(next, op.id, where);
				// Children go with their parent, as in every editor.
				const removed = new Set([found.id, ...descendants(next, found.id)]);
				next.objects = next.objects.filter((o) => !removed.has(o.id));
				return;
			}
			case 'set': {
				const object = find(next, op.id, where);
				if (op.name !== undefined) object.name = op.name;
				if (op.source !== undefined) object.source = structuredClone(op.source);
				if (op.transform !== undefined) object.transform = structuredClone(op.transform);
				if (op.parent === null) delete object.parent;
				else if (op.parent !== undefined) object.parent = op.parent;
				return;
			}
		}
	});
	const checked = SceneDocument.safeParse(next);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		const field = issue.path.map(String).join('.');
		throw new OrfeasError('E_BAD_MESSAGE', `The scene would not be valid after these edits: ${field ? `${field}: ` : ''}${issue.message}.`, { field: `document.${field}` });
	}
	return checked.data;
}

function find(document: SceneDocumentView, id: string, where: string) {
	const object = document.objects.find((o) => o.id === id);
	if (!object) throw new OrfeasError('E_NOT_FOUND', `No object "${id}" in the scene (${where}).`, { field: `${where}.id` });
	return object;
}

/** Ids of every object below `id` in the parent chain. */
export function descendants(document: SceneDocumentView, id: string): string[] {
	const found: string[] = [];
	const stack = [id];
	while (stack.length) {
		const parent = stack.pop()!;
		for (const o of document.objects) {
			if (o.parent === parent && !found.includes(o.id)) {
				found.push(o.id);
				stack.push(o.id);
			}
		}
	}
	return found;
}
