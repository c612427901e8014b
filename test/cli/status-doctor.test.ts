// `orfeas status` with no daemon and `orfeas doctor` on this machine, as a user runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, orfeas } from '../helpers/cli';

let home: string;
beforeAll(() => {
	ensureBuilt();
	home = mkdtempSync(path.join(tmpdir(), 'orfeas-doctor-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('orfeas status and doctor', () => {
	it('status says the daemon is not running and how to start it, with exit code 1', () => {
		const run = orfeas(['status', '--home', home], home);
		expect(run.code).toBe(1);
		expect(run.stdout).toMatch(/not running/);
		expect(run.stdout).toMatch(/orfeas daemon --home/);
	});

	it('doctor checks the libraries, a worker thread and a real generation, and passes on this machine', () => {
		const run = orfeas(['doctor', '--home', home, '--json'], home);
		expect(run.code).toBe(0);
		const checks = JSON.parse(run.stdout) as Array<{ name: string; ok: boolean; optional?: boolean; detail: string }>;
		const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
		expect(byName['Pipeline self-test']).toMatchObject({ ok: true, detail: expect.stringMatching(/watertight/) });
		expect(byName['Worker threads'].ok).toBe(true);
		expect(byName['Home folder'].ok).toBe(true);
		expect(byName.Daemon).toMatchObject({ ok: false, optional: true });
		expect(byName['Inference engine (onnxruntime-node)']).toMatchObject({ ok: true, detail: expect.stringMatching(/run on cpu/) });
		// No GPU provider is installed here: optional, with how to get one.
		expect(byName.GPU).toMatchObject({ ok: false, optional: true, fix: expect.stringMatching(/--onnxruntime-node-install=cuda12/) });
		expect(byName['Learned models'].detail).toMatch(/none installed; 6 more in the catalogue/);
		expect(checks.filter((c) => !c.ok && !c.optional)).toEqual([]);
	});
});
