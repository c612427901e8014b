// The Blender add-on's client (bridge-blender/orfeas_bridge/client, stdlib-only Python) runs its own tests under
// plain python3 against real daemon processes started from dist/orfeas.cjs: handshake, generate, progress,
// download, cancel, several views and sheets, reconnect after a restart, push, no daemon, every protocol vector
// as the TS side reads it, and a team server over TLS (`--tls-self-signed`, a user from `orfeas users add`): the
// right pin generates and downloads over HTTPS, a wrong one is refused before anything is sent.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../helpers/cli';
import { requireProgram } from '../helpers/external';

describe('Blender add-on client under python3', () => {
	it('passes its unittest suite against a real daemon', () => {
		ensureBuilt();
		const python = requireProgram('python3');
		const run = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], {
			cwd: path.join(ROOT, 'bridge-blender'),
			env: { ...process.env, ORFEAS_NODE: process.execPath, PYTHONDONTWRITEBYTECODE: '1' },
			encoding: 'utf8',
			timeout: 600_000,
		});
		const output = `${run.stdout}${run.stderr}`;
		const ran = Number(/Ran (\d+) tests?/.exec(output)?.[1] ?? 0);
		expect(run.status, output.slice(-6000)).toBe(0);
		expect(output).toMatch(/\nOK\n/);
		// Each module's tests are there: a path mistake must not pass with fewer.
		for (const name of ['test_client', 'test_frames', 'test_jobs', 'test_schema', 'test_vectors', 'test_server', 'test_views', 'test_websocket']) expect(output).toContain(`(${name}.`);
		expect(ran).toBeGreaterThanOrEqual(77);
	}, 600_000);
});
