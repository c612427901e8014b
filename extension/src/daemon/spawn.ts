// How the extension starts the bundled daemon on each system, decided by one pure function of the platform, the
// editor's executable and the environment, so the Windows and macOS answers are tested on any machine. The daemon
// runs on the editor's own Node: process.execPath is `Code.exe` on Windows, `Code Helper (Plugin)` inside the app
// bundle on macOS and `code` on Linux, each of which runs as plain Node when ELECTRON_RUN_AS_NODE=1 is set. The
// orfeas.daemon.nodePath setting names another Node instead (`node.exe` on Windows).
import nodePath from 'node:path';

type PathModule = typeof nodePath.posix;

export interface SpawnInput {
	platform: NodeJS.Platform;
	/** The extension host's process.execPath. */
	execPath: string;
	/** orfeas.daemon.nodePath; empty or absent: the editor's own executable. */
	nodePath?: string;
	env: NodeJS.ProcessEnv;
	/** The bundled dist/orfeas.cjs. */
	script: string;
	home: string;
	port: number;
}

export interface SpawnPlan {
	/** The program, run without a shell: a path with spaces (`C:\Program Files\…`, `Code Helper (Plugin)`) needs no quotes. */
	command: string;
	args: string[];
	options: {
		/**
		 * Its own process group on macOS and Linux, so closing the editor (or its terminal's hang-up) does not end it;
		 * on Windows, a process that outlives the editor (DETACHED_PROCESS).
		 */
		detached: true;
		/** On Windows a detached console program (node.exe) would otherwise open a console window of its own. */
		windowsHide: true;
		/** The daemon writes its own log (daemon.log in the home folder); nothing is read from its pipes. */
		stdio: 'ignore';
		/**
		 * The home folder: a process's current folder cannot be deleted or renamed on Windows while it runs, and the
		 * daemon outlives the editor, so it must not hold the editor's (a workspace folder, say).
		 */
		cwd: string;
		env: NodeJS.ProcessEnv;
	};
}

/** Why a setting cannot start the daemon, in a sentence for the user. */
export class SpawnSettingError extends Error {}

/**
 * The command, arguments and spawn options that start the daemon. Throws SpawnSettingError for a nodePath that
 * cannot work: a Windows batch file (`node.cmd`, which Node runs only through a shell) or a relative path.
 *
 * @example
 * daemonSpawn({ platform: 'win32', execPath: 'C:\\Program Files\\Microsoft VS Code\\Code.exe', env, script, home, port: 0 });
 * // { command: 'C:\\Program Files\\Microsoft VS Code\\Code.exe', args: [script, 'daemon', …], options: { … ELECTRON_RUN_AS_NODE: '1' } }
 */
export function daemonSpawn(input: SpawnInput): SpawnPlan {
	const p: PathModule = input.platform === 'win32' ? nodePath.win32 : nodePath.posix;
	const setting = unquote(input.nodePath ?? '');
	const command = setting || input.execPath;
	if (setting) checkNodePath(setting, input.platform, p);
	const env: NodeJS.ProcessEnv = { ...input.env, ORFEAS_HOME: input.home };
	// The editor's binary is Electron: this variable makes it plain Node. A real Node ignores it.
	env.ELECTRON_RUN_AS_NODE = '1';
	return {
		command,
		args: [input.script, 'daemon', '--home', input.home, '--port', String(input.port)],
		options: { detached: true, windowsHide: true, stdio: 'ignore', cwd: input.home, env },
	};
}

/**
 * A path pasted with its quotes (Windows Explorer's "Copy as path" gives `"C:\Program Files\nodejs\node.exe"`) is
 * meant without them: no shell removes them here.
 */
function unquote(value: string): string {
	const trimmed = value.trim();
	return /^"[^"]*"$|^'[^']*'$/.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}

function checkNodePath(node: string, platform: NodeJS.Platform, p: PathModule): void {
	// A bare `node` (or `node.exe`) is looked up on PATH, as a shell would; anything with a folder must be absolute.
	const bare = !/[\\/]/.test(node);
	if (!bare && !p.isAbsolute(node)) {
		throw new SpawnSettingError(`orfeas.daemon.nodePath is "${node}", a relative path. Give the full path of Node (e.g. ${platform === 'win32' ? 'C:\\Program Files\\nodejs\\node.exe' : '/usr/local/bin/node'}), or leave it empty to use the editor's own.`);
	}
	if (platform === 'win32' && /\.(cmd|bat)$/i.test(node)) {
		throw new SpawnSettingError(`orfeas.daemon.nodePath is "${node}", a batch file, which Windows runs only through a shell. Give node.exe itself (where.exe node shows it), or leave it empty to use the editor's own.`);
	}
}
