// Installs the project's tiny test models into a home folder the way a finished pull leaves them: the files
// beside a manifest.json (its URLs are never fetched here).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INSTALLED_MANIFEST } from '../../daemon/src/engine/registry';
import type { Home } from '../../daemon/src/jobs/home';
import { modelFiles, type AnyTestModel } from '../../models/testing/models';

export function installTestModel(home: Home, model: AnyTestModel, id = model.description.id): string {
	const dir = path.join(home.models, id);
	mkdirSync(dir, { recursive: true });
	for (const file of modelFiles(model)) writeFileSync(path.join(dir, file.name), file.bytes);
	const { graphs: _graphs, ...description } = model.description;
	const manifest = {
		...description,
		id,
		files: description.files.map((f) => ({ ...f, url: `http://127.0.0.1/test-models/${f.name}` })),
	};
	writeFileSync(path.join(dir, INSTALLED_MANIFEST), JSON.stringify(manifest, null, 1));
	return dir;
}

/** A manifest's file entry for bytes served at `url`, with their true size and sha256, as a catalogue states them. */
export function catalogueFile(role: string, name: string, bytes: Uint8Array, url: string) {
	return { role, name, url, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
