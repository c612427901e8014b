// The scene editor's HTML page: the previewer's locked-down webview page (../webview-page.ts) around the scene
// bundle (webview/src/scene/main.ts). Pure and free of `vscode`, so tests can render it in Chromium.
import { pageStyle, webviewPage, type WebviewPageOptions } from '../webview-page';

/** The page; throws on a nonce or CSP source that could widen the policy. */
export function sceneHtml(options: WebviewPageOptions): string {
	return webviewPage('sceneHtml', options, { canvasLabel: `3D view of the scene ${options.title}`, style: STYLE, bodyAttributes: { 'data-orfeas': 'scene' } });
}

// Beside the view, the object list; over it, the drop outline, the empty scene's hint and the placeholders' labels.
const STYLE = `${pageStyle({ area: 'list', width: '15em' })}
#toolbar .separator { width: 1px; align-self: stretch; margin: 2px 4px; background: var(--vscode-panel-border, rgba(128, 128, 128, 0.35)); }
#toolbar button:hover:enabled { background: var(--vscode-button-secondaryHoverBackground, #45494e); }
#toolbar button:disabled { opacity: 0.5; cursor: default; }
#objects :focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); outline-offset: -1px; }
#stage.dropping { outline: 2px dashed var(--vscode-focusBorder, #007fd4); outline-offset: -4px; }
#hint {
	position: absolute; inset: auto 0 40% 0; text-align: center; pointer-events: none; padding: 0 2em;
	color: var(--vscode-descriptionForeground, #9d9d9d);
}
.label {
	position: absolute; left: 0; top: 0; padding: 1px 4px; pointer-events: none; white-space: nowrap; font-size: 11px;
	color: var(--vscode-editor-foreground, #d4d4d4); background: rgba(30, 30, 30, 0.7); border-radius: 2px;
}
#objects {
	grid-area: list; margin: 0; padding: 4px 0; overflow: auto; list-style: none;
	border-left: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
}
#objects li { padding: 2px 10px; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#objects li:hover { background: var(--vscode-list-hoverBackground, #2a2d2e); }
#objects li[aria-selected="true"] { color: var(--vscode-list-activeSelectionForeground, #ffffff); background: var(--vscode-list-activeSelectionBackground, #04395e); }
#objects li .kind { color: var(--vscode-descriptionForeground, #9d9d9d); margin-left: 0.5em; font-size: 11px; }
`;
