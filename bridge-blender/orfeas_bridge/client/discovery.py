"""Finding the daemon (PROTOCOL.md § Finding): the home folder, its discovery file `daemon.json` (port and token,
and the certificate's fingerprint when it serves TLS), whether the process that wrote it is alive, and its
unauthenticated `/health` route. A team server is named in the preferences instead (server.py); launch.py starts a
daemon when none runs.

The home folder is the daemon's own rule (`Home.resolve`), so both look in one place on every system:
  1. the add-on preference, when set (a leading `~` is the user's home folder);
  2. else the ORFEAS_HOME environment variable, taken as it is (the daemon does not expand `~` in it either);
  3. else `<user home>/.orfeas`, the user home being what Node's os.homedir() returns: USERPROFILE on Windows
     (`C:\\Users\\ana\\.orfeas`), HOME on macOS and Linux (`/Users/ana/.orfeas`, `/home/ana/.orfeas`). Python's
     expanduser reads the same variables (USERPROFILE on Windows since 3.8), and is asked only when they are unset.
A relative result is made absolute against the current folder, as the daemon's path.resolve does."""
from __future__ import annotations

import http.client
import json
import ntpath
import os
import posixpath
import sys
from dataclasses import dataclass
from typing import Mapping

from .errors import OrfeasError

START_HINT = ("Start it with `orfeas daemon` (or `npm start` in an Orfeas checkout), or open VS Code with the "
              "Orfeas extension, which starts it; the add-on connects as soon as it is up.")


@dataclass(frozen=True)
class Discovery:
    version: str
    pid: int
    port: int
    token: str
    started_at: str
    scheme: str = "http"
    fingerprint256: str = ""  # of its certificate, when the daemon serves HTTPS and WSS


def path_module(platform: str | None = None):
    """The path rules of `platform` (sys.platform's names): ntpath for Windows, posixpath for the others."""
    return ntpath if (platform or sys.platform) == "win32" else posixpath


def user_home(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """The user's home folder as Node's os.homedir() sees it: USERPROFILE on Windows, HOME elsewhere; when the
    variable is unset, what the system's expanduser says."""
    environ = os.environ if environ is None else environ
    value = environ.get("USERPROFILE" if (platform or sys.platform) == "win32" else "HOME", "")
    return value or path_module(platform).expanduser("~")


def expand_user(value: str, environ: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """`value` with a leading `~` (alone, or before a separator) replaced by the user's home folder."""
    paths = path_module(platform)
    separators = ("/", "\\") if paths is ntpath else ("/",)
    if value == "~":
        return user_home(environ, platform)
    if any(value.startswith("~" + separator) for separator in separators):
        return paths.join(user_home(environ, platform), value[2:])
    return paths.expanduser(value) if value.startswith("~") else value  # ~name: that user's home


def orfeas_home(override: str = "", environ: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """The daemon's home folder by the rule above: the preference when set, else ORFEAS_HOME, else
    `<user home>/.orfeas`. `environ` and `platform` default to this process's."""
    environ = os.environ if environ is None else environ
    paths = path_module(platform)
    if override.strip():
        home = expand_user(override.strip(), environ, platform)
    else:
        home = environ.get("ORFEAS_HOME", "") or paths.join(user_home(environ, platform), ".orfeas")
    return paths.abspath(home)


def read_discovery(home: str) -> Discovery | None:
    """The discovery file's contents, or None when it is missing or unreadable (no daemon has started here)."""
    try:
        with open(os.path.join(home, "daemon.json"), encoding="utf-8") as file:
            value = json.load(file)
        return Discovery(str(value.get("version", "")), int(value.get("pid", 0)), int(value["port"]),
                         str(value["token"]), str(value.get("startedAt", "")), str(value.get("scheme", "http")),
                         str(value.get("fingerprint256", "")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def process_alive(pid: int) -> bool:
    """Whether a process with this pid exists. Unknown on Windows without extra calls: assumed alive there, and
    `/health` decides (os.kill would terminate the process on Windows)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
        return True
    except PermissionError:
        return True
    except OSError:
        return False


def find_daemon(home: str) -> Discovery:
    """The running daemon of this home, by its file and pid (no network); raises E_CONNECTION saying what to do."""
    found = read_discovery(home)
    if found is None:
        raise OrfeasError("E_CONNECTION", f"The Orfeas daemon is not running (no daemon.json in {home}). {START_HINT}")
    if not process_alive(found.pid):
        raise OrfeasError("E_CONNECTION", f"The Orfeas daemon is not running (the one that wrote {home}/daemon.json, "
                                          f"pid {found.pid}, has stopped). {START_HINT}")
    return found


def health(port: int, timeout: float = 2.0) -> dict | None:
    """`GET /health` on 127.0.0.1: `{ok, version, uptimeMs}`, or None when nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/health")
        response = connection.getresponse()
        if response.status != 200:
            return None
        return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        connection.close()
