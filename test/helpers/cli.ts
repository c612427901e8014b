// Runs the bundled `orfeas` executable as a user would, building it first when it is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/orfeas.cjs');

export function ensureBuilt(): void {
	if (!existsSync(CLI)) execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function orfeas(args: string[], cwd: string): CliRun {
	const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ORFEAS_DEBUG: '' } });
	return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
