// previewHtml: the page is locked down (CSP with a per-page nonce, nothing remote) and the title cannot inject.
import { describe, expect, it } from 'vitest';
import { previewHtml } from '../../extension/src/preview/html';
import { makeNonce } from '../../extension/src/webview-page';

const OPTIONS = {
	cspSource: 'https://*.vscode-cdn.net',
	scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/preview.js',
	nonce: 'abcDEF0123456789abcDEF0123456789',
	title: 'Crate.glb',
};

/** The policy's directives by name, from the page's CSP meta tag. */
function policy(html: string): Map<string, string[]> {
	const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
	expect(match, 'CSP meta tag').not.toBeNull();
	const directives = match![1]
		.split(';')
		.map((d) => d.trim().split(/\s+/))
		.filter((d) => d[0]);
	return new Map(directives.map(([name, ...sources]) => [name, sources]));
}

describe('previewHtml', () => {
	it('sets a CSP that allows only the nonce’d script, own styles and blob:/data: loads', () => {
		const csp = policy(previewHtml(OPTIONS));
		expect(csp.get('default-src')).toEqual(["'none'"]);
		expect(csp.get('script-src')).toEqual([`'nonce-${OPTIONS.nonce}'`]);
		expect(csp.get('style-src')).toEqual([OPTIONS.cspSource, `'nonce-${OPTIONS.nonce}'`]);
		expect(csp.get('img-src')).toEqual([OPTIONS.cspSource, 'blob:', 'data:']);
		expect(csp.get('connect-src')).toEqual(['blob:', 'data:']);
		for (const [name, sources] of csp) {
			for (const source of sources) {
				expect(source, `${name} ${source}`).not.toMatch(/unsafe-(inline|eval)|^\*$|^https?:$|^wss?:/);
				if (/^https?:/.test(source)) expect(source, `${name} allows only the webview's own source`).toBe(OPTIONS.cspSource);
			}
		}
	});

	it('loads the bundle with the nonce and has no other script, inline or remote', () => {
		const html = previewHtml(OPTIONS);
		const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
		expect(scripts).toEqual([`<script nonce="${OPTIONS.nonce}" src="${OPTIONS.scriptUri}"></script>`]);
		expect(html).toMatch(new RegExp(`<style nonce="${OPTIONS.nonce}">`));
		expect(html).toContain('<canvas id="viewport"');
		expect(html.match(/\b(?:src|href)="([^"]*)"/g)).toEqual([`src="${OPTIONS.scriptUri}"`]);
	});

	it('escapes the title', () => {
		const html = previewHtml({ ...OPTIONS, title: '<script>alert(1)</script> & "x".glb' });
		expect(html).not.toContain('<script>alert');
		expect(html).toContain('<title>&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;x&#34;.glb</title>');
		expect(html.match(/<script\b/g)).toHaveLength(1);
	});

	it('refuses a nonce or CSP source that could widen the policy', () => {
		expect(() => previewHtml({ ...OPTIONS, nonce: "x' 'unsafe-inline" })).toThrow(/nonce/);
		expect(() => previewHtml({ ...OPTIONS, nonce: 'short' })).toThrow(/nonce/);
		expect(() => previewHtml({ ...OPTIONS, cspSource: "https://a; script-src 'unsafe-inline'" })).toThrow(/CSP source/);
		expect(() => previewHtml({ ...OPTIONS, cspSource: 'https://a"><script>' })).toThrow(/CSP source/);
		expect(() => previewHtml({ ...OPTIONS, cspSource: "'self' 'unsafe-eval'" })).toThrow(/CSP source/);
	});

	it("accepts VS Code's own source list, 'self' included", () => {
		const html = previewHtml({ ...OPTIONS, cspSource: "'self' https://*.vscode-cdn.net" });
		expect(html).toContain("img-src 'self' https://*.vscode-cdn.net blob: data:");
	});
});

describe('makeNonce', () => {
	it('makes 32 letters and digits, different every time', () => {
		const nonces = Array.from({ length: 200 }, makeNonce);
		for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9]{32}$/);
		expect(new Set(nonces).size).toBe(nonces.length);
		// Every character of the alphabet shows up across 6400 draws; a biased or truncated alphabet would not.
		expect(new Set(nonces.join('')).size).toBe(62);
	});
});
