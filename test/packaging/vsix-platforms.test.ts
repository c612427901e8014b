// One .vsix per platform, as `npm run package` writes them: each says its target in its manifest and carries
// sharp (with libvips) and onnxruntime-node for that platform only — every native file in it is checked by its
// header (ELF / PE / Mach-O and the machine type), and nothing belonging to another platform is inside.
import { describe, expect, it } from 'vitest';
import { FORMAT_OF_PLATFORM, nativeHeader } from '../helpers/native-headers';
import { packageVsix } from '../helpers/vsix';
import { readZip, type ZipEntry } from '../helpers/zip';

const TARGETS = ['win32-x64', 'win32-arm64', 'darwin-arm64', 'darwin-x64', 'linux-x64', 'linux-arm64'];
/** Names a native library or add-on has on any platform. */
const NATIVE_NAME = /\.(node|dll|exe|dylib|so)(\.\d+)*$/;
const MODULES = 'extension/dist/node_modules/';

describe.each(TARGETS)('the %s package', (target) => {
	const [platform, arch] = target.split('-');
	let entries: ZipEntry[];

	it('is written and names its target', { timeout: 600_000 }, async () => {
		entries = readZip(await packageVsix(target));
		const manifest = entries.find((e) => e.name === 'extension.vsixmanifest')!.read().toString('utf8');
		expect(manifest).toContain(`TargetPlatform="${target}"`);
		const names = entries.map((e) => e.name);
		for (const bundle of ['orfeas.cjs', 'worker.cjs', 'extension.cjs', 'webview/preview.js']) expect(names).toContain(`extension/dist/${bundle}`);
		expect(names.some((n) => n.startsWith('extension/models/') && n.endsWith('.json'))).toBe(true);
	});

	it(`holds only ${FORMAT_OF_PLATFORM[platform]} binaries for ${arch}`, () => {
		const natives = entries.filter((e) => NATIVE_NAME.test(e.name) || nativeHeader(e.read().subarray(0, 4096)) !== null);
		const wrong = natives
			.map((e) => ({ name: e.name, header: nativeHeader(e.read().subarray(0, 4096)) }))
			.filter(({ header }) => header?.format !== FORMAT_OF_PLATFORM[platform] || header.arches.length !== 1 || header.arches[0] !== arch);
		expect(wrong).toEqual([]);
		const names = natives.map((e) => e.name.slice(MODULES.length));
		// The inference engine: its add-on and its library, from this platform's folder of onnxruntime-node.
		expect(names).toContain(`onnxruntime-node/bin/napi-v6/${platform}/${arch}/onnxruntime_binding.node`);
		expect(names.some((n) => /^onnxruntime-node\/bin\/napi-v6\/[^/]+\/[^/]+\/(lib)?onnxruntime[.\w]*\.(dll|so|dylib)/.test(n))).toBe(true);
		// The image library: sharp's add-on and libvips (Windows builds carry libvips inside @img/sharp-win32-*).
		expect(names.some((n) => n.startsWith(`@img/sharp-${target}/lib/sharp-${target}`) && n.endsWith('.node'))).toBe(true);
		expect(names.some((n) => /libvips/.test(n))).toBe(true);
	});

	it('carries nothing for another platform', () => {
		const foreign = entries
			.map((e) => e.name)
			.filter((n) => {
				const ort = /onnxruntime-node\/bin\/napi-v6\/([^/]+)\/([^/]+)\//.exec(n);
				const img = /@img\/sharp-(?:libvips-)?([a-z0-9]+-[a-z0-9]+)\//.exec(n);
				return (ort && `${ort[1]}-${ort[2]}` !== target) || (img && img[1] !== target);
			});
		expect(foreign).toEqual([]);
		// onnxruntime-node without its install step, which would reach outside the npm registry.
		const ortManifest = JSON.parse(entries.find((e) => e.name === `${MODULES}onnxruntime-node/package.json`)!.read().toString('utf8'));
		expect(ortManifest.scripts).toBeUndefined();
	});
});
