// Every manifest shipped in models/ parses, names its files' roles right for its kind, and states the facts a
// pull needs; and a broken manifest is reported, not fatal.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifestDir, parseManifest } from '../../daemon/src/engine/manifest';

const MODELS = path.resolve(__dirname, '../../models');

describe('shipped manifests', () => {
	const files = readdirSync(MODELS).filter((f) => f.endsWith('.json'));

	it('are there, and each one parses with its id as its file name', () => {
		expect(files.length).toBeGreaterThanOrEqual(2);
		for (const file of files) {
			const manifest = parseManifest(JSON.parse(readFileSync(path.join(MODELS, file), 'utf8')), file);
			expect(`${manifest.id}.json`).toBe(file);
			expect(manifest.licence.id.length).toBeGreaterThan(0);
			for (const f of manifest.files) expect(f.url).toMatch(/^https:\/\//);
		}
	});

	it('reports a broken manifest and keeps the good ones', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-manifests-'));
		try {
			writeFileSync(path.join(dir, 'good.json'), readFileSync(path.join(MODELS, files[0])));
			writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ id: 'Bad Id', kind: 'depth' }));
			const problems: string[] = [];
			const loaded = await loadManifestDir(dir, (e) => problems.push(e.message));
			expect(loaded).toHaveLength(1);
			expect(problems).toHaveLength(1);
			expect(problems[0]).toMatch(/bad\.json: invalid manifest field/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
