"""The add-on's link to the daemon: a background thread that finds the daemon (or reaches the team server the
preferences name, over TLS), connects, says hello, reads messages and reconnects with the protocol's backoff; a
writer thread that sends. The host (Blender) never touches the network: it calls `request()`, which returns a
`Pending` at once, and drains `events` from its own timer."""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import queue
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from . import dial, schema, transfer
from .errors import OrfeasError, refusal
from .frames import FrameError, decode_frame, encode_frame
from .jobs import FINAL_EVENTS
from .server import Server
from .websocket import ConnectionClosed, WebSocket

PROTOCOL_VERSION = 1
BACKOFF_S = (0.5, 1, 2, 5, 10, 30)
EVENT_TYPES = frozenset({"job.state", "job.progress", "job.done", "job.failed", "job.cancelled", "import", "scene.changed"})

# Connection states, as the panel shows them.
IDLE, CONNECTING, CONNECTED, OFFLINE, REFUSED = "idle", "connecting", "connected", "offline", "refused"
# Errors retrying cannot mend: the panel shows them as refused (the link still tries again, with the backoff).
REFUSING = frozenset({"E_AUTH", "E_PROTOCOL", "E_ORIGIN", "E_CERTIFICATE", "E_SETTINGS"})
_KEEP = object()


class Pending:
    """A request on its way: `done()` says whether the reply is here, `result()` returns it or raises OrfeasError."""

    def __init__(self, kind: str):
        self.kind = kind
        self._ready = threading.Event()
        self._value = None
        self._error: OrfeasError | None = None

    def done(self) -> bool:
        return self._ready.is_set()

    def result(self, timeout: float | None = None):
        if not self._ready.wait(timeout):
            raise OrfeasError("E_TIMEOUT", f"The Orfeas daemon did not answer \"{self.kind}\" in time.")
        if self._error is not None:
            raise self._error
        return self._value

    def error(self) -> OrfeasError | None:
        return self._error if self._ready.is_set() else None

    def _settle(self, value=None, error: OrfeasError | None = None) -> None:
        if not self._ready.is_set():
            self._value, self._error = value, error
            self._ready.set()

    @classmethod
    def failed(cls, kind: str, error: OrfeasError) -> Pending:
        pending = cls(kind)
        pending._settle(error=error)
        return pending


@dataclass
class _Waiting:
    pending: Pending
    generation: int
    dest: str | None = None
    chunks: bytearray | None = None
    extra: dict = field(default_factory=dict)


class Connection:
    """One client of the daemon. Thread-safe; every public method returns at once.

    With `server` None it uses the daemon of `home`, found through daemon.json. With a `Server` it reaches that
    team server over TLS with the user's token and never looks for a local daemon; pictures then travel as bytes
    (`generate`) and models come down over HTTPS (`download`)."""

    def __init__(self, client_name: str, client_version: str, roles: tuple = (), home: str = "",
                 log: Callable[[str], None] | None = None, server: Server | None = None):
        self.client = {"name": client_name, "version": client_version}
        self.roles = tuple(roles)
        self.home = home
        self.server = server
        self.log = log or (lambda message: None)
        self.events: queue.Queue = queue.Queue()
        self.state = IDLE
        self.message = "Not connected."
        self.welcome: dict | None = None
        self.port = 0
        self._lock = threading.Lock()
        self._waiting: dict[str, _Waiting] = {}
        self._followed: set[str] = set()
        self._ids = itertools.count(1)
        self._generation = 0
        self._ws: WebSocket | None = None
        self._outbox: queue.Queue = queue.Queue()
        self._wake = threading.Event()
        self._urgent = False
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Starts connecting in the background (again, after `stop()`)."""
        if any(thread.is_alive() for thread in self._threads):
            return
        self._stopping.clear()
        self._outbox = queue.Queue()  # a fresh one: the last stop() may have left its end marker in the old one
        self._threads = [threading.Thread(target=self._run, name="orfeas-reader", daemon=True),
                         threading.Thread(target=self._write, name="orfeas-writer", daemon=True)]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Closes the connection and ends the threads; pending requests fail with E_CONNECTION."""
        self._stopping.set()
        self._wake.set()
        self._outbox.put(None)
        ws = self._ws
        if ws is not None:
            ws.close()
            ws.abort()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []
        self._set_state(IDLE, "Not connected.")

    def reconnect(self, roles: tuple | None = None, home: str | None = None, server=_KEEP) -> None:
        """Drops the current connection and connects again now (new roles, home or server take effect on the
        hello; `server=None` goes back to the local daemon)."""
        if roles is not None:
            self.roles = tuple(roles)
        if home is not None:
            self.home = home
        if server is not _KEEP:
            self.server = server
        self._urgent = True
        ws = self._ws
        if ws is not None:
            ws.abort()
        self._wake.set()
        self.start()

    @property
    def connected(self) -> bool:
        return self.state == CONNECTED

    def wait_connected(self, timeout: float) -> bool:
        """For scripts and tests: blocks until connected or the timeout passes."""
        deadline = time.monotonic() + timeout
        while not self.connected and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.connected

    # --- requests --------------------------------------------------------------------------------------------

    def request(self, message: dict, payload: bytes | None = None, dest: str | None = None) -> Pending:
        """Sends a request (a binary frame with `payload`); the Pending settles with the reply or its error."""
        kind = str(message.get("type"))
        with self._lock:
            if self.state != CONNECTED:
                return Pending.failed(kind, OrfeasError("E_CONNECTION", f"Not connected to the Orfeas daemon. {self.message}"))
            request_id = f"b{next(self._ids)}"
            wire = dict(message, id=request_id)
            problem = schema.parse_client_message(wire)
            if not problem.ok:
                return Pending.failed(kind, OrfeasError(problem.code, problem.message_text, {"field": problem.field}))
            waiting = _Waiting(Pending(kind), self._generation, dest)
            self._waiting[request_id] = waiting
            if kind == "subscribe" and wire.get("jobId") != "*":
                self._followed.add(wire["jobId"])
            frame = encode_frame(wire, payload) if payload is not None else json.dumps(wire, separators=(",", ":"))
            self._outbox.put((self._generation, frame))
        return waiting.pending

    def follow(self, job_id: str) -> Pending:
        """Subscribes to a job and subscribes again after every reconnect, until it ends."""
        return self.request({"type": "subscribe", "jobId": job_id})

    def generate(self, message: dict) -> Pending:
        """Sends a `generate` request. Pictures named by path go as they are to the local daemon; to a server,
        which cannot read this computer's files, as bytes: the front inline, the other views uploaded first (on
        a thread of its own, so this returns at once as `request` does)."""
        server = self.server
        if server is None:
            return self.request(message)
        pending = Pending("generate")

        def send() -> None:
            try:
                wire, payload = transfer.pictures_by_value(message, server)
            except OrfeasError as error:
                pending._settle(error=error)
                return
            sent = self.request(wire, payload)
            sent._ready.wait()
            pending._settle(sent._value, sent._error)
        threading.Thread(target=send, name="orfeas-pictures", daemon=True).start()
        return pending

    def download(self, asset_id: str, file: str, dest: str) -> Pending:
        """Fetches one file of an asset into `dest` (written whole or not at all, sha256 checked); settles with
        `dest`. Over the WebSocket from the local daemon; over HTTPS, on a thread of its own, from a server."""
        server = self.server
        if server is None:
            return self.request({"type": "asset.get", "assetId": asset_id, "file": file}, dest=dest)
        pending = Pending("asset.get")

        def fetch() -> None:
            try:
                pending._settle(transfer.download(server, asset_id, file, dest))
            except OrfeasError as error:
                pending._settle(error=error)
        threading.Thread(target=fetch, name="orfeas-download", daemon=True).start()
        return pending

    # --- the threads -----------------------------------------------------------------------------------------

    def _run(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            # Cleared before trying, so a reconnect() asked for during the attempt skips the wait after it.
            self._wake.clear()
            if self._urgent:
                self._urgent, attempt = False, 0
            try:
                ws, welcome = self._open()
            except OrfeasError as error:
                self._set_state(REFUSED if error.code in REFUSING else OFFLINE, error.message)
            else:
                attempt = 0
                self._serve(ws, welcome)
            if self._stopping.is_set():
                break
            delay = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]
            attempt += 1
            self._wake.wait(delay)

    def _open(self) -> tuple[WebSocket, dict]:
        server = self.server
        if server is None:
            self._set_state(CONNECTING, "Connecting to the Orfeas daemon…")
            ws, port = dial.open_local(self.home)
        else:
            self._set_state(CONNECTING, f"Connecting to {server.url}…")
            ws, port = dial.open_server(server), server.port
        hello = {"type": "hello", "id": "hello", "protocol": PROTOCOL_VERSION, "client": self.client}
        if server is not None:
            hello["token"] = server.token  # the user's token; the local daemon's went in the upgrade header
        if self.roles:
            hello["roles"] = list(self.roles)
        try:
            ws.set_timeout(10.0)
            ws.send_text(json.dumps(hello))
            kind, data = ws.receive()
            reply = schema.loads_strict(data) if kind == 1 else None
        except ConnectionClosed as closed:
            raise refusal(closed.code, server is not None) or OrfeasError("E_CONNECTION", "The daemon closed the connection during hello.")
        except (OSError, ValueError):
            ws.abort()
            raise OrfeasError("E_CONNECTION", "The daemon did not answer hello.")
        if isinstance(reply, dict) and reply.get("type") == "error" and schema.check_daemon_message(reply) is None:
            ws.abort()
            if server is not None and reply["code"] == "E_AUTH":
                raise refusal(4001, server=True)  # the daemon's words for a local client may point at daemon.json
            raise OrfeasError(reply["code"], reply["message"])
        if not isinstance(reply, dict) or reply.get("type") != "welcome" or schema.check_daemon_message(reply) is not None:
            ws.abort()
            raise OrfeasError("E_PROTOCOL", "The daemon's answer to hello is not a protocol v1 welcome. Update the add-on or the daemon.")
        self.port = port
        return ws, reply

    def _serve(self, ws: WebSocket, welcome: dict) -> None:
        # A daemon pings every keepAliveMs; silence for much longer than that means it is gone.
        ws.set_timeout(max(30.0, welcome["keepAliveMs"] * 2.5 / 1000))
        with self._lock:
            self._generation += 1
            self._ws = ws
            self.welcome = welcome
            followed = sorted(self._followed)
        where = f"at {self.server.url}" if self.server is not None else f"on port {self.port}"
        self._set_state(CONNECTED, f"Connected to Orfeas {welcome['daemon']['version']} {where} "
                                   f"({welcome['engine']['active']}).")
        for job_id in followed:
            self.request({"type": "subscribe", "jobId": job_id})
        reason = "The connection to the Orfeas daemon was lost; reconnecting."
        try:
            while not self._stopping.is_set():
                kind, data = ws.receive()
                self._dispatch(kind, data)
        except ConnectionClosed as closed:
            refused = refusal(closed.code, self.server is not None)
            if refused is not None:
                reason = refused.message
            elif closed.code == 1001:
                reason = "The Orfeas daemon is shutting down; reconnecting when it is back."
        except socket.timeout:
            reason = "The Orfeas daemon stopped answering; reconnecting."
        except OSError:
            pass
        finally:
            ws.abort()
            with self._lock:
                self._ws = None
                self._generation += 1
                lost = list(self._waiting.values())
                self._waiting.clear()
            for waiting in lost:
                waiting.pending._settle(error=OrfeasError("E_CONNECTION", reason))
        if not self._stopping.is_set():
            self._set_state(OFFLINE, reason)

    def _write(self) -> None:
        while True:
            item = self._outbox.get()
            if item is None or self._stopping.is_set():
                return
            generation, frame = item
            ws = self._ws
            if ws is None or generation != self._generation:
                continue  # that connection is gone; its requests already failed
            try:
                if isinstance(frame, bytes):
                    ws.send_binary(frame)
                else:
                    ws.send_text(frame)
            except OSError:
                ws.abort()  # the reader sees the loss and fails the waiting requests

    def _dispatch(self, kind: int, data) -> None:
        payload = b""
        try:
            if kind == 2:
                message, payload = decode_frame(data)
            else:
                message = schema.loads_strict(data)
        except (FrameError, ValueError):
            self.log("Dropped an unreadable frame from the daemon.")
            return
        problem = schema.check_daemon_message(message)
        if problem is not None:
            self.log(f"Dropped a message the protocol does not allow: {problem}")
            return
        if "re" in message:
            self._settle(message, payload)
        elif message["type"] in EVENT_TYPES:
            if message["type"] in FINAL_EVENTS:
                with self._lock:
                    self._followed.discard(message["jobId"])
            self.events.put(message)
        elif message["type"] == "error":
            self.log(f"Daemon: {message['code']} {message['message']}")

    def _settle(self, message: dict, payload: bytes) -> None:
        with self._lock:
            waiting = self._waiting.get(message["re"])
        if waiting is None:
            return
        if message["type"] == "asset":
            if waiting.chunks is None:
                waiting.chunks = bytearray(message["bytes"])
            end = min(message["bytes"], message["offset"] + len(payload))
            waiting.chunks[message["offset"]:end] = payload[:end - message["offset"]]
            if not message["last"]:
                return
        with self._lock:
            self._waiting.pop(message["re"], None)
        if message["type"] == "error":
            waiting.pending._settle(error=OrfeasError(message["code"], message["message"], message.get("details")))
        elif message["type"] == "asset":
            try:
                waiting.pending._settle(self._finish_download(message, bytes(waiting.chunks or b""), waiting.dest))
            except OrfeasError as error:
                waiting.pending._settle(error=error)
        else:
            waiting.pending._settle(message)

    @staticmethod
    def _finish_download(message: dict, data: bytes, dest: str | None):
        if hashlib.sha256(data).hexdigest() != message["sha256"]:
            raise OrfeasError("E_DOWNLOAD", f"{message['file']} arrived damaged (checksum mismatch); try again.")
        if dest is None:
            return data
        try:
            os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
            temporary = f"{dest}.part"
            with open(temporary, "wb") as file:
                file.write(data)
            os.replace(temporary, dest)
        except OSError as error:
            raise OrfeasError("E_DOWNLOAD", f"Cannot write {dest}: {error.strerror or error}.")
        return dest

    def _set_state(self, state: str, message: str) -> None:
        changed = (state, message) != (self.state, self.message)
        self.state, self.message = state, message
        if changed:
            self.log(message)
            self.events.put({"type": "connection", "state": state, "message": message})
