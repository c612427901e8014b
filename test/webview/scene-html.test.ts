// sceneHtml: the scene editor's page has the previewer's locked-down policy (one nonce'd script, nothing remote)
// and its title cannot inject.
import { describe, expect, it } from 'vitest';
import { previewHtml } from '../../extension/src/preview/html';
import { sceneHtml } from '../../extension/src/scene/html';

const OPTIONS = {
	cspSource: 'https://*.vscode-cdn.net',
	scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/scene.js',
	nonce: 'abcDEF0123456789abcDEF0123456789',
	title: 'yard.orfeas-scene.json',
};

const policyOf = (html: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];

describe('sceneHtml', () => {
	it("uses the previewer's policy and loads only its bundle, by nonce", () => {
		const html = sceneHtml(OPTIONS);
		expect(policyOf(html)).toBe(policyOf(previewHtml(OPTIONS)));
		expect(policyOf(html)).toContain("default-src 'none'");
		expect(html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g)).toEqual([`<script nonce="${OPTIONS.nonce}" src="${OPTIONS.scriptUri}"></script>`]);
		expect(html.match(/\b(?:src|href)="([^"]*)"/g)).toEqual([`src="${OPTIONS.scriptUri}"`]);
		expect(html).toContain('<body data-orfeas="scene">');
		expect(html).toContain('<canvas id="viewport"');
	});

	it('escapes the title and refuses a nonce or source that could widen the policy', () => {
		const html = sceneHtml({ ...OPTIONS, title: '"><script>alert(1)</script>.orfeas-scene.json' });
		expect(html).not.toContain('<script>alert');
		expect(html.match(/<script\b/g)).toHaveLength(1);
		expect(() => sceneHtml({ ...OPTIONS, nonce: 'short' })).toThrow(/^sceneHtml: the nonce/);
		expect(() => sceneHtml({ ...OPTIONS, cspSource: "https://a; script-src 'unsafe-inline'" })).toThrow(/^sceneHtml: .* is not a CSP source list/);
	});
});
