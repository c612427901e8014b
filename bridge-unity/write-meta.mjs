// Unity wants a .meta beside every file and folder of a package; an immutable package (installed by git URL)
// cannot get them written at import, so they are committed. This writes the missing ones with GUIDs derived
// from the path (stable, unique per file) and leaves existing ones alone. Folders ending in `~` are ignored by
// Unity and get none. Run: `node bridge-unity/write-meta.mjs`.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = import.meta.dirname;

const IMPORTERS = {
	folder: 'DefaultImporter:\n  externalObjects: {}\n',
	'.cs': 'MonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n',
	'.asmdef': 'AssemblyDefinitionImporter:\n  externalObjects: {}\n',
	'.md': 'TextScriptImporter:\n  externalObjects: {}\n',
	'package.json': 'PackageManifestImporter:\n  externalObjects: {}\n',
};
const TAIL = '  userData: \n  assetBundleName: \n  assetBundleVariant: \n';

/** Files and folders Unity imports (everything but dotfiles, `~` folders, .meta files and this script). */
export function assets(dir = root) {
	return readdirSync(dir, { withFileTypes: true })
		.filter((e) => !e.name.startsWith('.') && !e.name.endsWith('~') && !e.name.endsWith('.meta') && e.name !== 'write-meta.mjs')
		.flatMap((e) => {
			const full = path.join(dir, e.name);
			return e.isDirectory() ? [full, ...assets(full)] : [full];
		});
}

export function metaFor(file, isFolder) {
	const relative = path.relative(root, file).split(path.sep).join('/');
	const guid = createHash('md5').update(`com.orfeas.bridge/${relative}`).digest('hex');
	const importer = isFolder ? IMPORTERS.folder : IMPORTERS[path.basename(file)] ?? IMPORTERS[path.extname(file)];
	if (!importer) throw new Error(`bridge-unity: no importer known for ${relative}; add one to write-meta.mjs`);
	return `fileFormatVersion: 2\nguid: ${guid}\n${isFolder ? 'folderAsset: yes\n' : ''}${importer}${TAIL}`;
}

if (process.argv[1] === import.meta.filename) {
	let written = 0;
	for (const file of assets()) {
		if (existsSync(`${file}.meta`)) continue;
		const isFolder = readdirSync(path.dirname(file), { withFileTypes: true }).find((e) => e.name === path.basename(file)).isDirectory();
		writeFileSync(`${file}.meta`, metaFor(file, isFolder));
		written++;
	}
	console.log(`bridge-unity: ${written} .meta files written`);
}
