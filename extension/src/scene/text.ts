// The text of a scene document: read and checked against the schema, written back with the schema's key order,
// the file's own indentation and vectors on one line, and the smallest replacement between two versions, so an
// edit in the view is a small diff in git and a small step in undo. Pure, free of `vscode`.
import { SceneDocument, type SceneDocumentView, type SceneObjectView, type SceneSourceView } from '../../../daemon/src/protocol/scene';

/** How the file is indented: a tab, or a number of spaces. */
export type Indent = '\t' | number;

/** New files are indented with tabs, like every JSON file the daemon writes. */
export const DEFAULT_INDENT: Indent = '\t';

export type Parsed = { ok: true; document: SceneDocumentView } | { ok: false; message: string };

/**
 * The scene in `text`, or a sentence saying where it is wrong. Blank text (a file just created) is `empty`, so a
 * new file can be opened and filled from the view.
 */
export function parseScene(text: string, empty: () => SceneDocumentView): Parsed {
	if (text.trim() === '') return { ok: true, document: empty() };
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		return { ok: false, message: `The file is not valid JSON (${(error as Error).message}). Fix it in a text editor (Reopen Editor With… ▸ Text Editor).` };
	}
	const parsed = SceneDocument.safeParse(json);
	// The text as written, not the parse: that would fill a picture's partial options with every default.
	if (parsed.success) return { ok: true, document: json as SceneDocumentView };
	const issue = parsed.error.issues[0];
	const where = issue.path.length ? issue.path.map(String).join('.') : 'the document';
	return { ok: false, message: `The file is not a valid Orfeas scene: ${where}: ${issue.message}. Fix it in a text editor (Reopen Editor With… ▸ Text Editor).` };
}

/** The indentation of the first indented line of `text`, else {@link DEFAULT_INDENT}. */
export function detectIndent(text: string): Indent {
	const match = /\n([ \t]+)\S/.exec(text);
	if (!match) return DEFAULT_INDENT;
	return match[1].startsWith('\t') ? '\t' : Math.min(match[1].length, 8);
}

/**
 * The document as JSON text: keys in the schema's order (whatever order the file had), arrays of numbers on one
 * line (`"position": [0, 0, 1.5]`), everything else one value per line, and a final newline.
 */
export function formatScene(document: SceneDocumentView, indent: Indent = DEFAULT_INDENT): string {
	const unit = indent === '\t' ? '\t' : ' '.repeat(indent);
	return `${formatValue(ordered(document), unit, '')}\n`;
}

/** The span of `before` to replace, and with what, to get `after`: common start and end left alone. Null when equal. */
export function minimalChange(before: string, after: string): { start: number; end: number; text: string } | null {
	if (before === after) return null;
	let start = 0;
	const shorter = Math.min(before.length, after.length);
	while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
	let end = 0;
	while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
	return { start, end: before.length - end, text: after.slice(start, after.length - end) };
}

/** A copy whose keys are inserted in the schema's order (JSON.stringify keeps insertion order). */
function ordered(document: SceneDocumentView): SceneDocumentView {
	const { format, version, name, units, up, ground, objects } = document;
	return { format, version, name, units, up, ground: { y: ground.y }, objects: objects.map(orderedObject) };
}

function orderedObject(object: SceneObjectView): SceneObjectView {
	const { id, name, source, transform, parent } = object;
	const { position, rotation, scale } = transform;
	return { id, name, source: orderedSource(source), transform: { position, rotation, scale }, ...(parent !== undefined ? { parent } : {}) };
}

function orderedSource(source: SceneSourceView): SceneSourceView {
	if ('model' in source) return { model: source.model };
	const { image, options, assetId } = source;
	return { image, ...(options !== undefined ? { options } : {}), ...(assetId !== undefined ? { assetId } : {}) };
}

function formatValue(value: unknown, unit: string, at: string): string {
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		if (value.every((v) => typeof v === 'number')) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
		const inner = at + unit;
		return `[\n${value.map((v) => inner + formatValue(v, unit, inner)).join(',\n')}\n${at}]`;
	}
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value).filter(([, v]) => v !== undefined);
		if (entries.length === 0) return '{}';
		const inner = at + unit;
		return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatValue(v, unit, inner)}`).join(',\n')}\n${at}}`;
	}
	return JSON.stringify(value);
}
