// The .vsix the VS Code e2e tests install, staged and packed as `npm run package` does (extension/package-vsix.mjs).
// Vitest runs test files in parallel and every VS Code suite needs the package: a lock folder lets one process
// pack while the others wait, and a package newer than everything it is made from is used as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, ROOT } from './cli';
import { until } from './poll';

export const VSIX = path.join(ROOT, 'dist', `orfeas-${process.platform}-${process.arch}.vsix`);

const LOCK = path.join(ROOT, 'out', 'vsix.lock');
/** A lock older than this was left by a run that died; packing takes well under a minute. */
const STALE_LOCK_MS = 10 * 60_000;

/** Builds the bundles if needed and packs the .vsix unless an up-to-date one exists; resolves with its path. */
export async function packageVsix(): Promise<string> {
	ensureBuilt();
	mkdirSync(path.dirname(LOCK), { recursive: true });
	await until('the .vsix lock', () => takeLock(), { timeoutMs: 5 * 60_000, intervalMs: 250 });
	try {
		if (!upToDate()) execFileSync(process.execPath, [path.join(ROOT, 'extension', 'package-vsix.mjs')], { cwd: ROOT, stdio: 'ignore' });
	} finally {
		rmSync(LOCK, { recursive: true, force: true });
	}
	return VSIX;
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

/** Whether the .vsix is newer than the manifest, the packer and every bundle and model manifest it carries. */
function upToDate(): boolean {
	if (!existsSync(VSIX)) return false;
	const packed = statSync(VSIX).mtimeMs;
	const inputs = [
		'package.json',
		'extension/package-vsix.mjs',
		'extension/marketplace.md',
		...['dist', 'dist/webview', 'models'].flatMap((dir) =>
			readdirSync(path.join(ROOT, dir))
				.filter((f) => /\.(cjs|js|json)$/.test(f))
				.map((f) => `${dir}/${f}`),
		),
	];
	return inputs.every((file) => statSync(path.join(ROOT, file)).mtimeMs < packed);
}
