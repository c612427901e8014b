"""Finding the daemon (PROTOCOL.md § Finding): the home folder, its discovery file `daemon.json` (port and token,
and the certificate's fingerprint when it serves TLS), whether the process that wrote it is alive, and its
unauthenticated `/health` route. A team server is named in the preferences instead (server.py)."""
from __future__ import annotations

import http.client
import json
import os
import sys
from dataclasses import dataclass

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


def orfeas_home(override: str = "") -> str:
    """The daemon's home folder: the preference when set, else ORFEAS_HOME, else ~/.orfeas (as the daemon decides)."""
    home = override or os.environ.get("ORFEAS_HOME", "") or os.path.join(os.path.expanduser("~"), ".orfeas")
    return os.path.abspath(os.path.expanduser(home))


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
