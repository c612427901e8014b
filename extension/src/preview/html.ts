// The model previewer's HTML page: the shared locked-down webview page (../webview-page.ts) around the bundle
// webview/src/preview/main.ts. Pure and free of `vscode`, so tests can render it in Chromium.
import { pageStyle, webviewPage, type WebviewPageOptions } from '../webview-page';

/**
 * The page. GLTFLoader fetches blob: and data: URLs and decodes images from them; nothing else is reachable.
 * Throws on a nonce or CSP source that could break out of the policy.
 */
export function previewHtml(options: WebviewPageOptions): string {
	return webviewPage('previewHtml', options, { canvasLabel: `3D view of ${options.title}`, style: STYLE });
}

// Beside the view, the stats; the "1 m" label follows the scale bar over the canvas.
const STYLE = `${pageStyle({ area: 'stats', width: '16em' })}
#toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, #45494e); }
#toolbar button[aria-pressed="true"]:hover { background: var(--vscode-button-hoverBackground, #1177bb); }
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
`;
