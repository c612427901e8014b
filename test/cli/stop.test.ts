// `orfeas stop` as a user runs it: it stops a running daemon through daemon.stop and returns once the daemon has
// ended (exit 0, daemon.json gone, `status` says not running); with no daemon, or a daemon.json whose daemon is
// gone, it says so with exit code 1.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { orfeas } from '../helpers/cli';
import { daemonFleet } from '../helpers/daemon';

const fleet = daemonFleet();

describe('orfeas stop', () => {
	it('stops the running daemon and returns once it has ended, exit 0', async () => {
		const home = fleet.home();
		const daemon = await fleet.start({ home });
		const run = orfeas(['stop', '--home', home], home);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toBe(`Stopped the Orfeas daemon (pid ${daemon.pid}, port ${daemon.port}) of ${home}.\n`);
		// Ended before the command returned: its exit code is already there to read.
		expect(await daemon.exited).toBe(0);
		expect(daemon.process.signalCode).toBeNull();
		expect(existsSync(path.join(home, 'daemon.json'))).toBe(false);
		expect(daemon.output()).toMatch(/stop requested: daemon\.stop from "orfeas-cli /);
		const status = orfeas(['status', '--home', home], home);
		expect(status.code).toBe(1);
		expect(status.stdout).toMatch(/not running/);
	});

	it('says no daemon is running, exit 1, when there is none', () => {
		const home = fleet.home();
		const run = orfeas(['stop', '--home', home], home);
		expect(run.code).toBe(1);
		expect(run.stderr).toBe(`orfeas stop: No daemon is running for ${home} (it has no daemon.json).\n`);
		const json = orfeas(['stop', '--home', home, '--json'], home);
		expect(json.code).toBe(1);
		expect(JSON.parse(json.stdout)).toMatchObject({ stopped: false, home });
	});

	it('stops nothing, exit 1, when daemon.json names a process that is not its daemon', () => {
		const home = fleet.home();
		// This test's own process: alive, but no daemon answers on that port.
		writeFileSync(path.join(home, 'daemon.json'), JSON.stringify({ version: '0.1.0', pid: process.pid, port: 9, token: 't', startedAt: new Date().toISOString() }));
		const run = orfeas(['stop', '--home', home], home);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(new RegExp(`No daemon is running for .*daemon\\.json names pid ${process.pid} on port 9, which does not answer as that daemon`));
	});
});
