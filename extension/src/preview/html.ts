// The model previewer's HTML page: a locked-down document (no network, scripts only by nonce) that loads the
// webview bundle (webview/src/preview/main.ts). Pure and free of `vscode`, so tests can render it in Chromium.
import { randomBytes } from 'node:crypto';

export interface PreviewHtmlOptions {
	/** `webview.cspSource`: where the webview may load its own bundle from. */
	cspSource: string;
	/** `webview.asWebviewUri(dist/webview/preview.js)`. */
	scriptUri: string;
	/** A fresh makeNonce() for every page. */
	nonce: string;
	/** The file name, for the page title. */
	title: string;
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
 * The page. GLTFLoader fetches blob: and data: URLs (hence connect-src) and decodes images from them (img-src);
 * nothing else is reachable. Throws on a nonce or CSP source that could break out of the policy.
 */
export function previewHtml({ cspSource, scriptUri, nonce, title }: PreviewHtmlOptions): string {
	if (!/^[A-Za-z0-9]{16,}$/.test(nonce)) throw new Error('previewHtml: the nonce must be 16 or more letters and digits (use makeNonce()).');
	// VS Code gives e.g. `'self' https://*.vscode-cdn.net`: host sources and the 'self' keyword, nothing that ends the directive.
	if (!/^(?:'self'|[^\s;,'"<>]+)(?: (?:'self'|[^\s;,'"<>]+))*$/.test(cspSource)) throw new Error(`previewHtml: "${cspSource}" is not a CSP source list.`);
	const csp = [
		"default-src 'none'",
		`img-src ${cspSource} blob: data:`,
		`style-src ${cspSource} 'nonce-${nonce}'`,
		`script-src 'nonce-${nonce}'`,
		'connect-src blob: data:',
		'worker-src blob:',
	].join('; ');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main id="stage"><canvas id="viewport" tabindex="0" aria-label="3D view of ${escapeHtml(title)}"></canvas></main>
<script nonce="${nonce}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}

// Layout for what ui.ts builds: toolbar on top, the view with the stats beside it, a status line below. The stats
// column has a fixed width so the view does not change size when a model's numbers arrive.
// Colours come from VS Code's theme variables, with Dark+ values as fallbacks outside the editor.
const STYLE = `
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body {
	display: grid; grid-template-columns: minmax(0, 1fr) 16em; grid-template-rows: auto minmax(0, 1fr) auto;
	grid-template-areas: "toolbar toolbar" "stage stats" "status status";
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
#toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, #45494e); }
#toolbar button[aria-pressed="true"] { color: var(--vscode-button-foreground, #ffffff); background: var(--vscode-button-background, #0e639c); }
#toolbar button[aria-pressed="true"]:hover { background: var(--vscode-button-hoverBackground, #1177bb); }
#toolbar select {
	font: inherit; color: var(--vscode-dropdown-foreground, #cccccc); background: var(--vscode-dropdown-background, #3c3c3c);
	border: 1px solid var(--vscode-dropdown-border, transparent);
}
#toolbar :focus-visible, #viewport:focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); outline-offset: -1px; }
#stage { grid-area: stage; position: relative; min-width: 0; min-height: 0; overflow: hidden; }
#viewport { display: block; width: 100%; height: 100%; touch-action: none; }
#scale-label {
	position: absolute; left: 0; top: 0; padding: 0 3px; pointer-events: none; white-space: nowrap;
	font-size: 11px; color: #d18616;
}
#stats {
	grid-area: stats; margin: 0; padding: 8px 10px; overflow: auto;
	display: grid; grid-template-columns: auto auto; gap: 2px 12px; align-content: start;
	border-left: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35)); font-variant-numeric: tabular-nums;
}
#stats dt { color: var(--vscode-descriptionForeground, #9d9d9d); }
#stats dd { margin: 0; text-align: right; overflow-wrap: anywhere; }
#status { grid-area: status; min-height: 1.4em; padding: 2px 8px; color: var(--vscode-descriptionForeground, #9d9d9d); }
#status.error { color: var(--vscode-errorForeground, #f48771); }
`;
