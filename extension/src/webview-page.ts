// The page both of Orfeas's webviews are served in (the previewer's previewHtml and the scene editor's sceneHtml):
// a locked-down document (no network, scripts only by nonce) around one canvas, and the stylesheet of the layout
// they share. Pure and free of `vscode`, so tests can render it in Chromium.
import { randomBytes } from 'node:crypto';

export interface WebviewPageOptions {
	/** `webview.cspSource`: where the webview may load its own bundle from. */
	cspSource: string;
	/** `webview.asWebviewUri(dist/webview/<bundle>.js)`. */
	scriptUri: string;
	/** A fresh makeNonce() for every page. */
	nonce: string;
	/** The file name, for the page title. */
	title: string;
}

/** What one webview's page has of its own. */
export interface PageContent {
	/** The canvas's accessible name (plain text). */
	canvasLabel: string;
	/** Its stylesheet, usually pageStyle() and the rules of its own elements. */
	style: string;
	/** Attributes of <body>, which tests find the page by. */
	bodyAttributes?: Record<string, string>;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 random letters and digits. Bytes ≥ 248 are drawn again so every character is equally likely. */
export function makeNonce(): string {
	let nonce = '';
	while (nonce.length < 32) {
		for (const byte of randomBytes(48)) {
			if (byte < 248 && nonce.length < 32) nonce += ALPHABET[byte % ALPHABET.length];
		}
	}
	return nonce;
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The Content-Security-Policy of Orfeas's webview pages: nothing remote, the bundle only by nonce, blob:/data: for
 * the models' bytes (GLTFLoader fetches them, hence connect-src, and decodes images from them, hence img-src).
 * Throws, naming `caller`, on a nonce or CSP source that could break out of the policy.
 */
export function webviewPolicy(caller: string, cspSource: string, nonce: string): string {
	if (!/^[A-Za-z0-9]{16,}$/.test(nonce)) throw new Error(`${caller}: the nonce must be 16 or more letters and digits (use makeNonce()).`);
	// VS Code gives e.g. `'self' https://*.vscode-cdn.net`: host sources and the 'self' keyword, nothing that ends the directive.
	if (!/^(?:'self'|[^\s;,'"<>]+)(?: (?:'self'|[^\s;,'"<>]+))*$/.test(cspSource)) throw new Error(`${caller}: "${cspSource}" is not a CSP source list.`);
	return [
		"default-src 'none'",
		`img-src ${cspSource} blob: data:`,
		`style-src ${cspSource} 'nonce-${nonce}'`,
		`script-src 'nonce-${nonce}'`,
		'connect-src blob: data:',
		'worker-src blob:',
	].join('; ');
}

/** The page under webviewPolicy, its canvas `#viewport` in `#stage`; throws, naming `caller`, as webviewPolicy does. */
export function webviewPage(caller: string, { cspSource, scriptUri, nonce, title }: WebviewPageOptions, content: PageContent): string {
	const csp = webviewPolicy(caller, cspSource, nonce);
	const bodyAttributes = Object.entries(content.bodyAttributes ?? {})
		.map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
		.join('');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${content.style}</style>
</head>
<body${bodyAttributes}>
<main id="stage"><canvas id="viewport" tabindex="0" aria-label="${escapeHtml(content.canvasLabel)}"></canvas></main>
<script nonce="${nonce}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}

/**
 * The layout both pages share: toolbar on top, the view with a side panel (grid area `side.area`) beside it, a
 * status line below. The panel has a fixed width so the view does not change size as its content changes.
 * Colours come from VS Code's theme variables, with Dark+ values as fallbacks outside the editor.
 */
export function pageStyle(side: { area: string; width: string }): string {
	return `
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body {
	display: grid; grid-template-columns: minmax(0, 1fr) ${side.width}; grid-template-rows: auto minmax(0, 1fr) auto;
	grid-template-areas: "toolbar toolbar" "stage ${side.area}" "status status";
	background: var(--vscode-editor-background, #1e1e1e); color: var(--vscode-foreground, #cccccc);
	font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px);
}
[hidden] { display: none !important; }
#toolbar {
	grid-area: toolbar; display: flex; flex-wrap: wrap; align-items: center; gap: 4px; padding: 4px 6px;
	border-bottom: 1px solid var(--vscode-panel-border, transparent);
}
#toolbar button {
	font: inherit; padding: 2px 8px; border-radius: 2px; cursor: pointer;
	color: var(--vscode-button-secondaryForeground, #cccccc); background: var(--vscode-button-secondaryBackground, #3a3d41);
	border: 1px solid var(--vscode-button-border, transparent);
}
#toolbar button[aria-pressed="true"] { color: var(--vscode-button-foreground, #ffffff); background: var(--vscode-button-background, #0e639c); }
#toolbar select {
	font: inherit; color: var(--vscode-dropdown-foreground, #cccccc); background: var(--vscode-dropdown-background, #3c3c3c);
	border: 1px solid var(--vscode-dropdown-border, transparent);
}
#toolbar :focus-visible, #viewport:focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); outline-offset: -1px; }
#stage { grid-area: stage; position: relative; min-width: 0; min-height: 0; overflow: hidden; }
#viewport { display: block; width: 100%; height: 100%; touch-action: none; }
#status { grid-area: status; min-height: 1.4em; padding: 2px 8px; color: var(--vscode-descriptionForeground, #9d9d9d); }
#status.error { color: var(--vscode-errorForeground, #f48771); }
`;
}
