// Small DOM helpers for the pages the webviews build around their canvas (preview/ui.ts and scene/ui.ts): plain
// elements, no framework, styled by the stylesheet the extension puts in the page.
export type ElementMaker = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Record<string, string>, text?: string, parent?: Element) => HTMLElementTagNameMap[K];

/** Makes elements of `doc` with attributes (`hidden: ''` hides one) and text, appended to `parent` when given. */
export function elementMaker(doc: Document): ElementMaker {
	return (tag, attributes = {}, text, parent) => {
		const element = doc.createElement(tag);
		for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
		if (text !== undefined) element.textContent = text;
		parent?.append(element);
		return element;
	};
}

/** Puts `text` on the status line, in the error colour for `error`. */
export function showStatus(status: HTMLElement, text: string, kind: 'info' | 'error' = 'info'): void {
	status.textContent = text;
	status.classList.toggle('error', kind === 'error');
}
