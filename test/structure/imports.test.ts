// Production code never depends on test code: nothing under daemon/src, extension/src or webview/src may import
// from test/ or from models/testing/ (the generator of the tiny ONNX models the tests use).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const PRODUCTION = ['daemon/src', 'extension/src', 'webview/src'];
const FORBIDDEN = ['test', 'models/testing'];
const SOURCE = /\.(c|m)?(t|j)sx?$/;

/** Every module specifier in a source text: static imports and re-exports, `import()` and `require()`. */
function specifiers(text: string): string[] {
	const found: { at: number; specifier: string }[] = [];
	const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
	for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push({ at: match.index, specifier: match[1] });
	return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

/** The forbidden folder a specifier of `file` reaches into, if any. */
function forbiddenTarget(file: string, specifier: string): string | undefined {
	if (!specifier.startsWith('.')) return undefined;
	const target = path.relative(ROOT, path.resolve(path.dirname(file), specifier)).split(path.sep).join('/');
	return FORBIDDEN.find((folder) => target === folder || target.startsWith(`${folder}/`));
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && SOURCE.test(entry.name))
		.map((entry) => path.join(entry.parentPath, entry.name));
}

describe('production code', () => {
	it('finds every kind of import the check relies on', () => {
		const file = path.join(ROOT, 'daemon/src/engine/x.ts');
		const text = [
			"import { a } from '../../../models/testing/onnx-writer';",
			"export * from '../../../test/helpers/random';",
			"const m = await import('../../../test/fixtures/png');",
			"const r = require('../../../models/testing');",
			"import '../../../test/setup';",
			"import { z } from 'zod';",
			"import { b } from './probe';",
		].join('\n');
		expect(specifiers(text).map((s) => forbiddenTarget(file, s) ?? 'ok')).toEqual(['models/testing', 'test', 'test', 'models/testing', 'test', 'ok', 'ok']);
	});

	it('imports nothing from test/ or models/testing/', () => {
		const offenders: string[] = [];
		let scanned = 0;
		for (const folder of PRODUCTION) {
			for (const file of sourceFiles(path.join(ROOT, folder))) {
				scanned++;
				for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
					const target = forbiddenTarget(file, specifier);
					if (target) offenders.push(`${path.relative(ROOT, file)} imports ${specifier} (${target}/)`);
				}
			}
		}
		expect(scanned).toBeGreaterThan(100);
		expect(offenders).toEqual([]);
	});
});
