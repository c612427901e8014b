// The .vsix packages, staged and packed as `npm run package` does (extension/package-vsix.mjs): this machine's for
// the VS Code e2e tests, every platform's for the header test. Vitest runs test files in parallel: a lock folder
// lets one process pack while the others wait, and a package newer than everything it is made from is used as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, ROOT } from './cli';
import { until } from './poll';

export const HOST_TARGET = `${process.platform}-${process.arch}`;
export const VSIX = vsixFile(HOST_TARGET);

export function vsixFile(target: string): string {
	return path.join(ROOT, 'dist', `orfeas-${target}.vsix`);
}

const LOCK = path.join(ROOT, 'out', 'vsix.lock');
/** A lock older than this was left by a run that died; packing takes well under a minute. */
const STALE_LOCK_MS = 10 * 60_000;

/** Builds the bundles if needed and packs the target's .vsix unless an up-to-date one exists; resolves with its path. */
export async function packageVsix(target = HOST_TARGET): Promise<string> {
	ensureBuilt();
	mkdirSync(path.dirname(LOCK), { recursive: true });
	await until('the .vsix lock', () => takeLock(), { timeoutMs: 10 * 60_000, intervalMs: 250 });
	try {
		if (!upToDate(target)) execFileSync(process.execPath, [path.join(ROOT, 'extension', 'package-vsix.mjs'), '--target', target], { cwd: ROOT, stdio: 'ignore' });
	} finally {
		rmSync(LOCK, { recursive: true, force: true });
	}
	return vsixFile(target);
}

function takeLock(): boolean {
	try {
		mkdirSync(LOCK);
		return true;
	} catch {
		const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
		if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
		return false;
	}
}

/** Whether the .vsix is newer than the manifest, the packers and every bundle and model manifest it carries. */
function upToDate(target: string): boolean {
	if (!existsSync(vsixFile(target))) return false;
	const packed = statSync(vsixFile(target)).mtimeMs;
	const inputs = [
		'package.json',
		'extension/package-vsix.mjs',
		'packaging/natives.mjs',
		'extension/marketplace.md',
		...['dist', 'dist/webview', 'models'].flatMap((dir) =>
			readdirSync(path.join(ROOT, dir))
				.filter((f) => /\.(cjs|js|json)$/.test(f))
				.map((f) => `${dir}/${f}`),
		),
	];
	return inputs.every((file) => statSync(path.join(ROOT, file)).mtimeMs < packed);
}
