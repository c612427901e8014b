// What was dropped on the scene view: the URIs of files dragged from VS Code's Explorer (or another editor tab).
// VS Code puts them in its own list type and in `text/uri-list`; its older `ResourceURLs` holds a JSON array.
// Files from the desktop carry no path a webview may see, so they come out empty here. Pure.

/** The part of DataTransfer this reads. */
export interface DropData {
	getData(type: string): string;
}

/** Most URIs taken from one drop. */
export const MAX_DROPPED = 200;

/** The dropped URIs, without comments, blanks or repeats; empty when the drop named no file. */
export function droppedUris(data: DropData): string[] {
	const read = (type: string) => {
		try {
			return data.getData(type);
		} catch {
			return '';
		}
	};
	let uris: string[] = [];
	for (const type of ['application/vnd.code.uri-list', 'text/uri-list']) {
		uris = uriList(read(type));
		if (uris.length) break;
	}
	if (!uris.length) {
		try {
			const list: unknown = JSON.parse(read('ResourceURLs') || '[]');
			if (Array.isArray(list)) uris = list.filter((u): u is string => typeof u === 'string' && u.length > 0);
		} catch {
			// not VS Code's list
		}
	}
	return [...new Set(uris.filter((u) => /^[a-z][a-z0-9+.-]*:/i.test(u) && u.length <= 4096))].slice(0, MAX_DROPPED);
}

/** RFC 2483's text/uri-list: one URI per line, `#` lines are comments. */
function uriList(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('#'));
}
