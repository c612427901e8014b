// What the daemon and the extension decide per system, run with Windows, macOS and Linux inputs on this machine:
// how the extension starts the daemon with the editor's own Node (or orfeas.daemon.nodePath), when daemon.json's
// token is exposed on Windows, which signals stop the daemon and which end one that did not take daemon.stop, and
// how a client tells that the daemon answering is the one daemon.json names.
import { describe, expect, it } from 'vitest';
import { stopSignals } from '../../daemon/src/cli/daemon';
import { discoveryExposure, sameDaemon } from '../../daemon/src/server/discovery';
import { fallbackSignals } from '../../extension/src/daemon/launcher';
import { daemonSpawn, SpawnSettingError, type SpawnInput } from '../../extension/src/daemon/spawn';

const WINDOWS_CODE = 'C:\\Users\\Ana Lopez\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe';
const MAC_HELPER = '/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin)';
const LINUX_CODE = '/usr/share/code/code';

function input(platform: NodeJS.Platform, execPath: string, extra: Partial<SpawnInput> = {}): SpawnInput {
	const windows = platform === 'win32';
	return {
		platform,
		execPath,
		env: { PATH: windows ? 'C:\\Windows\\system32' : '/usr/bin', VSCODE_PID: '42' },
		script: windows ? 'C:\\Users\\Ana Lopez\\.vscode\\extensions\\orfeas.orfeas-0.1.0\\dist\\orfeas.cjs' : '/home/ana/.vscode/extensions/orfeas.orfeas-0.1.0/dist/orfeas.cjs',
		home: windows ? 'C:\\Users\\Ana Lopez\\.orfeas' : '/home/ana/.orfeas',
		port: 7878,
		...extra,
	};
}

describe('starting the daemon with the editor (extension/src/daemon/spawn.ts)', () => {
	it.each([
		['win32', WINDOWS_CODE],
		['darwin', MAC_HELPER],
		['linux', LINUX_CODE],
	] as const)('on %s runs the editor binary itself as Node, path with spaces as one argument, no shell', (platform, execPath) => {
		const plan = daemonSpawn(input(platform, execPath));
		expect(plan.command).toBe(execPath);
		expect(plan.args).toEqual([input(platform, execPath).script, 'daemon', '--home', input(platform, execPath).home, '--port', '7878']);
		expect(plan.options.env.ELECTRON_RUN_AS_NODE).toBe('1');
		expect(plan.options.env.ORFEAS_HOME).toBe(input(platform, execPath).home);
		// The rest of the editor's environment goes along (PATH for a bare nodePath, the user's variables).
		expect(plan.options.env.PATH).toBe(input(platform, execPath).env.PATH);
		expect(plan.options).not.toHaveProperty('shell');
	});

	it('detaches the daemon with no window and no pipes, in its home folder, on every system', () => {
		for (const [platform, execPath] of [['win32', WINDOWS_CODE], ['darwin', MAC_HELPER], ['linux', LINUX_CODE]] as const) {
			const { options } = daemonSpawn(input(platform, execPath));
			expect(options, platform).toMatchObject({ detached: true, windowsHide: true, stdio: 'ignore', cwd: input(platform, execPath).home });
		}
	});

	it('does not change the environment it was given', () => {
		const given = input('win32', WINDOWS_CODE);
		daemonSpawn(given);
		expect(given.env).toEqual({ PATH: 'C:\\Windows\\system32', VSCODE_PID: '42' });
	});

	it('runs orfeas.daemon.nodePath instead when set: node.exe on Windows, quotes from "Copy as path" removed', () => {
		const windows = daemonSpawn(input('win32', WINDOWS_CODE, { nodePath: '"C:\\Program Files\\nodejs\\node.exe"' }));
		expect(windows.command).toBe('C:\\Program Files\\nodejs\\node.exe');
		expect(windows.options.windowsHide).toBe(true);
		expect(daemonSpawn(input('win32', WINDOWS_CODE, { nodePath: '  node.exe ' })).command).toBe('node.exe');
		expect(daemonSpawn(input('win32', WINDOWS_CODE, { nodePath: 'node' })).command).toBe('node');
		expect(daemonSpawn(input('darwin', MAC_HELPER, { nodePath: '/opt/homebrew/bin/node' })).command).toBe('/opt/homebrew/bin/node');
		expect(daemonSpawn(input('linux', LINUX_CODE, { nodePath: '' })).command).toBe(LINUX_CODE);
	});

	it('refuses a nodePath that cannot start without a shell: a batch file on Windows, a relative path', () => {
		expect(() => daemonSpawn(input('win32', WINDOWS_CODE, { nodePath: 'C:\\Users\\ana\\AppData\\Roaming\\nvm\\node.cmd' }))).toThrow(SpawnSettingError);
		expect(() => daemonSpawn(input('win32', WINDOWS_CODE, { nodePath: 'C:\\tools\\node.BAT' }))).toThrow(/batch file/);
		expect(() => daemonSpawn(input('win32', WINDOWS_CODE, { nodePath: 'tools\\node.exe' }))).toThrow(/relative path/);
		expect(() => daemonSpawn(input('linux', LINUX_CODE, { nodePath: './bin/node' }))).toThrow(/relative path/);
		// A .cmd is an ordinary file name elsewhere.
		expect(daemonSpawn(input('linux', LINUX_CODE, { nodePath: '/opt/node.cmd' })).command).toBe('/opt/node.cmd');
	});
});

describe("daemon.json's protection on Windows (server/discovery.ts)", () => {
	const profile = 'C:\\Users\\ana';

	it('says nothing for a home under the profile folder, whatever the case or separators', () => {
		expect(discoveryExposure('C:\\Users\\ana\\.orfeas', { platform: 'win32', profile })).toBeUndefined();
		expect(discoveryExposure('c:/users/ANA/AppData/Local/orfeas', { platform: 'win32', profile })).toBeUndefined();
	});

	it('warns, naming the home and the risk, for a home elsewhere: another folder, drive or share', () => {
		for (const home of ['C:\\orfeas', 'D:\\data\\orfeas', '\\\\nas\\team\\orfeas', 'C:\\Users\\ana-shared\\.orfeas', 'C:\\Users\\ana\\..\\Public\\.orfeas']) {
			const warning = discoveryExposure(home, { platform: 'win32', profile });
			expect(warning, home).toContain(home);
			expect(warning, home).toMatch(/other users of this machine may be able to read it/);
			expect(warning, home).toMatch(/%USERPROFILE%\\\.orfeas/);
		}
	});

	it('says nothing on macOS and Linux, where the file is created owner-only (0600)', () => {
		expect(discoveryExposure('/srv/orfeas', { platform: 'darwin', profile: '/Users/ana' })).toBeUndefined();
		expect(discoveryExposure('/srv/orfeas', { platform: 'linux', profile: '/home/ana' })).toBeUndefined();
	});
});

describe('stopping (cli/daemon.ts, extension/src/daemon/launcher.ts)', () => {
	it('stops gracefully on SIGTERM and Ctrl-C, and on Windows on Ctrl-Break and a closed console', () => {
		expect(stopSignals('linux')).toEqual(['SIGTERM', 'SIGINT']);
		expect(stopSignals('darwin')).toEqual(['SIGTERM', 'SIGINT']);
		expect(stopSignals('win32')).toEqual(['SIGINT', 'SIGBREAK', 'SIGHUP']);
	});

	it('ends a daemon that did not take daemon.stop with SIGTERM then SIGKILL, and on Windows with one termination', () => {
		expect(fallbackSignals('linux')).toEqual(['SIGTERM', 'SIGKILL']);
		expect(fallbackSignals('darwin')).toEqual(['SIGTERM', 'SIGKILL']);
		expect(fallbackSignals('win32')).toEqual(['SIGTERM']);
	});
});

describe('which daemon answers (server/discovery.ts)', () => {
	const file = { pid: 4242, startedAt: '2025-01-02T03:04:05.678Z' };

	it('is the one daemon.json names when /health reports its pid and start time', () => {
		expect(sameDaemon(file, { pid: 4242, startedAt: '2025-01-02T03:04:05.678Z' })).toBe(true);
	});

	it('is not when either differs: the pid reused by a later daemon, or another daemon on the port', () => {
		expect(sameDaemon(file, { pid: 4242, startedAt: '2025-01-02T09:00:00.000Z' })).toBe(false);
		expect(sameDaemon(file, { pid: 77, startedAt: '2025-01-02T03:04:05.678Z' })).toBe(false);
	});

	it('takes an older daemon, which reports neither, at its word', () => {
		expect(sameDaemon(file, {})).toBe(true);
	});
});
