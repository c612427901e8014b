// `dist/orfeas_bridge.zip`: the Blender add-on as Blender installs it (Preferences ▸ Add-ons ▸ Install… for
// 3.x and 4.x, Install from Disk for 4.2+ extensions): one top folder `orfeas_bridge/` with `bl_info` in its
// `__init__.py` and `blender_manifest.toml` beside it. Same bytes for the same sources (fixed dates, sorted).
import { createWriteStream, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'bridge-blender', 'orfeas_bridge');
const output = path.join(root, 'dist', 'orfeas_bridge.zip');
const KEEP = /\.(py|json|toml|md)$/;
const DATE = new Date('2026-01-01T00:00:00Z');

function files(dir) {
	return readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.name !== '__pycache__' && !entry.name.startsWith('.'))
		.sort((a, b) => a.name.localeCompare(b.name))
		.flatMap((entry) => {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) return files(full);
			return KEEP.test(entry.name) ? [full] : [];
		});
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const init = readFileSync(path.join(source, '__init__.py'), 'utf8');
const toml = readFileSync(path.join(source, 'blender_manifest.toml'), 'utf8');
const tuple = manifest.version.split('.').join(', ');
if (!init.includes(`"version": (${tuple})`) || !init.includes(`VERSION = "${manifest.version}"`) || !toml.includes(`version = "${manifest.version}"`)) {
	throw new Error(`bridge-blender/orfeas_bridge: bl_info, VERSION and blender_manifest.toml must all say ${manifest.version} (package.json).`);
}

mkdirSync(path.dirname(output), { recursive: true });
const zip = new yazl.ZipFile();
for (const file of files(source)) {
	zip.addBuffer(readFileSync(file), `orfeas_bridge/${path.relative(source, file).split(path.sep).join('/')}`, { mtime: DATE, mode: 0o100644 });
}
zip.addBuffer(readFileSync(path.join(root, 'LICENSE')), 'orfeas_bridge/LICENSE', { mtime: DATE, mode: 0o100644 });
zip.end();
await new Promise((resolve, reject) => zip.outputStream.pipe(createWriteStream(output)).on('close', resolve).on('error', reject));
console.log(`${path.relative(root, output)}: ${files(source).length + 1} files, ${(statSync(output).size / 1024).toFixed(0)} KiB`);
