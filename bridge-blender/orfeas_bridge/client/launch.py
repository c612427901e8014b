"""Starting the daemon from an editor when none runs: finding the `orfeas` command, starting it detached so it
outlives the editor (its output appended to `<home>/daemon-start.log`), and watching the start from the host's
timer until discovery.py finds the daemon it wrote, or the process stops. Stdlib only, no waiting.

The command is looked for in this order:
  1. the path in the add-on preferences: an `orfeas` (`orfeas.cmd`) executable, or an `orfeas.cjs` script;
  2. `orfeas` on the PATH (`npm install -g orfeas` puts it there; on Windows it is `orfeas.cmd`);
  3. `dist/orfeas.cjs` inside an installed Orfeas extension of VS Code (`orfeas.orfeas-<version>[-<platform>]`
     under ~/.vscode/extensions and its siblings), the highest version.
A script runs with `node` from the PATH."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Callable, Mapping

from .discovery import Discovery, expand_user, process_alive, read_discovery, user_home
from .errors import OrfeasError

CODE = "E_DAEMON_START"
INSTALL_HINT = ("Install the Orfeas daemon: `npm install -g orfeas` (Node.js 20 or newer from nodejs.org), or install "
                "the Orfeas extension in VS Code, or set the Orfeas command's path in the add-on preferences.")
LOG_FILE = "daemon-start.log"
START_TIMEOUT_S = 30.0
SCRIPT_SUFFIXES = (".cjs", ".js")
# Where VS Code and its relatives keep extensions, under the user's home folder (the same names on every system).
EXTENSION_FOLDERS = (
    (".vscode", "extensions"),
    (".vscode-insiders", "extensions"),
    (".vscode-oss", "extensions"),
    (".vscode-server", "extensions"),
    (".local", "share", "code-server", "extensions"),
)
EXTENSION = re.compile(r"^orfeas\.orfeas-(\d+(?:\.\d+)*)(?:-[a-z0-9]+(?:-[a-z0-9]+)*)?$", re.IGNORECASE)
# Programs started from the Dock on macOS get a short PATH without Homebrew's folders, where npm and node live.
MACOS_BIN = ("/opt/homebrew/bin", "/usr/local/bin")
# subprocess has these names on Windows only; the values are Windows' own.
WINDOWS_FLAGS = (("DETACHED_PROCESS", 0x00000008), ("CREATE_NEW_PROCESS_GROUP", 0x00000200),
                 ("CREATE_NO_WINDOW", 0x08000000))

Which = Callable[..., "str | None"]


@dataclass(frozen=True)
class DaemonCommand:
    """What runs `orfeas`: the executable `path`, or the script `path` run by `node`."""
    path: str
    origin: str  # where it was found, in words: "on the PATH", "set in the add-on preferences", …
    node: str = ""

    @property
    def argv(self) -> list:
        return [self.node, self.path] if self.node else [self.path]

    def describe(self) -> str:
        return f"{self.path} ({self.origin}" + (f", run by {self.node})" if self.node else ")")


def search_path(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """The folders looked in for `orfeas` and `node`: the PATH, and on macOS Homebrew's folders after it."""
    environ = os.environ if environ is None else environ
    folders = [folder for folder in environ.get("PATH", "").split(os.pathsep) if folder]
    if (platform or sys.platform) == "darwin":
        folders += [folder for folder in MACOS_BIN if folder not in folders]
    return os.pathsep.join(folders)


def find_command(preference: str = "", environ: Mapping[str, str] | None = None, platform: str | None = None,
                 which: Which = shutil.which) -> DaemonCommand:
    """The `orfeas` command to start the daemon with, by the order above; raises OrfeasError E_DAEMON_START with
    what to do when there is none (or the preference names something that cannot run). `environ` (PATH, HOME,
    USERPROFILE), `platform` and `which` default to this process's."""
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    folders = search_path(environ, platform)
    if preference.strip():
        return _from_preference(expand_user(preference.strip(), environ, platform), folders, platform, which)
    # npm on Windows writes orfeas.cmd beside an extensionless `orfeas` for POSIX shells, which Windows cannot run.
    names = ("orfeas.cmd", "orfeas.exe") if platform == "win32" else ("orfeas",)
    found = next((path for path in (which(name, path=folders) for name in names) if path), None)
    if found:
        return _unwrap_npm_shim(DaemonCommand(os.path.abspath(found), "on the PATH"), folders, platform, which)
    copy = extension_copy(user_home(environ, platform))
    if copy is not None:
        version, script = copy
        return _with_node(script, f"in the VS Code extension {version}", folders, which)
    raise OrfeasError(CODE, INSTALL_HINT)


def extension_copy(home: str) -> tuple | None:
    """(version, path of dist/orfeas.cjs) of the highest installed version of the VS Code extension, or None."""
    found = []
    for parts in EXTENSION_FOLDERS:
        folder = os.path.join(home, *parts)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            match = EXTENSION.match(name)
            script = os.path.join(folder, name, "dist", "orfeas.cjs")
            if match and os.path.isfile(script):
                found.append((tuple(int(part) for part in match.group(1).split(".")), name, match.group(1), script))
    if not found:
        return None
    _, _, version, script = max(found)
    return version, script


def _from_preference(path: str, folders: str, platform: str, which: Which) -> DaemonCommand:
    origin = "set in the add-on preferences"
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise OrfeasError(CODE, f"The Orfeas command set in the add-on preferences, {path}, is not a file. Point it "
                                f"at the `orfeas` command ({'orfeas.cmd' if platform == 'win32' else 'orfeas'}) or "
                                "at an orfeas.cjs, or leave it empty to look on the PATH.")
    if path.lower().endswith(SCRIPT_SUFFIXES):
        return _with_node(path, origin, folders, which)
    if platform != "win32" and not os.access(path, os.X_OK):
        raise OrfeasError(CODE, f"The Orfeas command set in the add-on preferences, {path}, is not executable. Make "
                                "it executable (chmod +x), or point the preference at an orfeas.cjs.")
    return _unwrap_npm_shim(DaemonCommand(path, origin), folders, platform, which)


def _with_node(script: str, origin: str, folders: str, which: Which, node: str = "") -> DaemonCommand:
    node = node or which("node", path=folders) or ""
    if not node:
        raise OrfeasError(CODE, f"Found the Orfeas daemon {origin} ({script}), but no Node.js to run it: install "
                                "Node.js 20 or newer from nodejs.org, so that `node` is on the PATH.")
    return DaemonCommand(script, origin, os.path.abspath(node))


def _unwrap_npm_shim(command: DaemonCommand, folders: str, platform: str, which: Which) -> DaemonCommand:
    """On Windows, npm's `orfeas.cmd` runs node on the package's script: run that directly, so no console window
    opens for cmd.exe and the arguments are not re-read by cmd's rules. Anything else is run as it is."""
    if platform != "win32" or not command.path.lower().endswith(".cmd"):
        return command
    folder = os.path.dirname(command.path)
    script = os.path.join(folder, "node_modules", "orfeas", "dist", "orfeas.cjs")
    if not os.path.isfile(script):
        return command
    bundled = os.path.join(folder, "node.exe")  # npm's shim prefers a node.exe beside it, as this does
    try:
        return _with_node(script, command.origin, folders, which, bundled if os.path.isfile(bundled) else "")
    except OrfeasError:
        return command


# --- starting it ---------------------------------------------------------------------------------------------

def daemon_arguments(command: DaemonCommand, home: str) -> list:
    """`orfeas daemon --home <home>`: the daemon's default port, so every editor finds it the same way."""
    return [*command.argv, "daemon", "--home", home]


def detached_options(platform: str | None = None) -> dict:
    """Popen options that let the daemon outlive the editor: its own session on POSIX (no hang-up or Ctrl+C from
    the editor's terminal reaches it); on Windows no console, its own process group, no window."""
    if (platform or sys.platform) == "win32":
        flags = 0
        for name, value in WINDOWS_FLAGS:
            flags |= getattr(subprocess, name, value)
        return {"creationflags": flags, "close_fds": True}
    return {"start_new_session": True, "close_fds": True}


def start_detached(command: DaemonCommand, home: str, environ: Mapping[str, str] | None = None,
                   platform: str | None = None, popen: Callable = subprocess.Popen) -> DaemonStart:
    """Starts `orfeas daemon --home <home>` detached, stdin from devnull and its output appended to
    `<home>/daemon-start.log`; returns at once. Raises OrfeasError E_DAEMON_START when it cannot be run."""
    environ = dict(os.environ if environ is None else environ)
    environ["PATH"] = search_path(environ, platform)  # an `orfeas` that starts with `#!/usr/bin/env node` finds node
    arguments = daemon_arguments(command, home)
    try:
        os.makedirs(home, exist_ok=True)
        log_path = os.path.join(home, LOG_FILE)
        before = read_discovery(home)
        with open(log_path, "ab") as log:
            log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} {_quote(arguments)}\n".encode("utf-8"))
            log.flush()
            offset = log.tell()
            process = popen(arguments, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=home,
                            env=environ, **detached_options(platform))
    except OSError as error:
        raise OrfeasError(CODE, f"Could not start the Orfeas daemon with {command.describe()}: "
                                f"{error.strerror or error}. Check the Orfeas command in the add-on preferences.")
    return DaemonStart(process, home, log_path, offset, before)


def _quote(arguments: list) -> str:
    return " ".join(f'"{part}"' if " " in part else part for part in arguments)


class DaemonStart:
    """One start under way, polled from the host's timer: `check()` never waits."""

    def __init__(self, process, home: str, log_path: str, offset: int = 0, before: Discovery | None = None,
                 timeout: float = START_TIMEOUT_S, clock: Callable[[], float] = time.monotonic):
        self.process = process
        self.home = home
        self.log_path = log_path
        self.timeout = timeout
        self._offset = offset
        self._before = before
        self._clock = clock
        self._started = clock()

    @property
    def pid(self) -> int:
        return self.process.pid

    def elapsed(self) -> float:
        return self._clock() - self._started

    def running(self) -> bool:
        return self.process.poll() is None

    def written(self) -> Discovery | None:
        """The discovery file, once a live daemon has written one since the start (it is listening then)."""
        found = read_discovery(self.home)
        if found is None or found == self._before or not process_alive(found.pid):
            return None
        return found

    def problem(self) -> str:
        """Why the start failed, in a sentence with the log's last lines; "" while it may still come up."""
        code = self.process.poll()
        if code is not None:
            return f"The Orfeas daemon stopped at once (exit code {code}). {self.log_tail()}"
        if self.elapsed() > self.timeout:
            return (f"The Orfeas daemon has not answered in {self.timeout:g} s; the add-on keeps trying to connect. "
                    f"{self.log_tail()}")
        return ""

    def progress(self) -> str:
        return f"Starting the Orfeas daemon… {int(self.elapsed())} s"

    def log_tail(self, count: int = 3) -> str:
        """This start's last lines of output, as a sentence naming the log file."""
        try:
            with open(self.log_path, "rb") as file:
                file.seek(self._offset)
                text = file.read()[-8192:].decode("utf-8", "replace")
        except OSError:
            text = ""
        lines = [line.strip() for line in text.splitlines() if line.strip()][-count:]
        if not lines:
            return f"It printed nothing (log: {self.log_path})."
        return f"Its log ({self.log_path}) ends: {' | '.join(lines)}"
