"""The add-on's state while Blender runs: one client connection, the jobs it follows, the downloads under way, a
daemon start under way, and `pump()`, the timer that drains the client's events on Blender's main thread. Every
bpy call the network causes happens here; the client's threads only fill queues."""
from __future__ import annotations

import json
import os
import queue
import re
import time
import traceback
from dataclasses import dataclass

import bpy

from .. import VERSION
from ..client import (CONNECTED, CONNECTING, IDLE, OFFLINE, Connection, JobBook, OrfeasError, Pending, launch,
                      orfeas_home)
from . import preferences

PUMP_ACTIVE_S = 0.1
PUMP_IDLE_S = 0.5
# How long a finding of the `orfeas` command is reused: the panel asks on every redraw, an install takes longer.
COMMAND_CACHE_S = 5.0


@dataclass
class Download:
    """A file on its way to be imported: `pending` settles with its path."""
    pending: Pending
    name: str
    placement: dict | None
    source: str
    scene: bool = False


class Runtime:
    def __init__(self):
        self.connection: Connection | None = None
        self.book = JobBook()
        self.auto_import: set[str] = set()
        self.downloads: list[Download] = []
        self.listing: Pending | None = None
        self.notice = ""
        self.notice_error = False
        self.imported: list[str] = []
        self.starting: launch.DaemonStart | None = None  # shown as under way until it answers or gives up
        self._started: launch.DaemonStart | None = None  # followed until it answers or stops, even past that
        self._offline = False
        self._command: tuple = ((), 0.0, None, "")
        self._start_tick = -1
        self._start_seen = False
        self._defaults_applied = False

    # --- connection ------------------------------------------------------------------------------------------

    def welcome(self) -> dict | None:
        connection = self.connection
        return connection.welcome if connection is not None and connection.connected else None

    def configure(self, prefs=None) -> Connection | None:
        """Creates and starts the connection; reconnects it when the preferences' home, server or roles changed,
        or when it is not connected (the Connect button). A connected link with the same settings is left alone.
        Server settings that cannot be used stop the link and say why (None is returned)."""
        prefs = prefs or preferences.preferences()
        roles = ("import-target",) if prefs.receive else ()
        home = bpy.path.abspath(prefs.home) if prefs.home else ""
        try:
            server = preferences.server(prefs)
        except OrfeasError as error:
            self.shutdown()
            self.say(f"{error.message} [{error.code}]", error=True)
            return None
        connection = self.connection
        if connection is None:
            self.connection = Connection("blender", VERSION, roles, home, log=lambda line: print(f"Orfeas: {line}"),
                                         server=server)
            self.connection.start()
        elif (roles, home, server) != (connection.roles, connection.home, connection.server) or not connection.connected:
            connection.reconnect(roles, home, server)
        return self.connection

    def shutdown(self) -> None:
        # A daemon being started is not stopped: it is meant to outlive the add-on, and Blender.
        self.starting = self._started = None
        if self.connection is not None:
            self.connection.stop()
            self.connection = None

    # --- starting the daemon ---------------------------------------------------------------------------------

    def daemon_missing(self, prefs=None) -> bool:
        """Whether the local daemon is wanted and none answers: the panel then offers to start one."""
        prefs = prefs or preferences.preferences()
        if prefs.server_url.strip():
            return False
        connection = self.connection
        if connection is None or connection.state == IDLE:
            return True
        # The link also passes through "connecting" while it retries; before its first failure it may be a moment
        # from connecting to a daemon that runs.
        return connection.state == OFFLINE or (connection.state == CONNECTING and self._offline)

    def daemon_command(self, prefs=None) -> tuple:
        """(DaemonCommand, "") for the `orfeas` command found by launch.find_command, or (None, what to do)."""
        prefs = prefs or preferences.preferences()
        preference = bpy.path.abspath(prefs.daemon_command) if prefs.daemon_command.strip() else ""
        key = (preference, os.environ.get("PATH", ""), os.environ.get("HOME", ""), os.environ.get("USERPROFILE", ""))
        cached_key, when, command, problem = self._command
        if cached_key != key or time.monotonic() - when > COMMAND_CACHE_S:
            try:
                command, problem = launch.find_command(preference), ""
            except OrfeasError as error:
                command, problem = None, error.message
            self._command = (key, time.monotonic(), command, problem)
        return command, problem

    def start_daemon(self, prefs=None) -> str:
        """Starts `orfeas daemon` for this home, detached; the timer watches it come up. Raises OrfeasError."""
        prefs = prefs or preferences.preferences()
        self._command = ((), 0.0, None, "")  # look again: the user may just have installed it
        command, problem = self.daemon_command(prefs)
        if command is None:
            raise OrfeasError(launch.CODE, problem)
        home = orfeas_home(bpy.path.abspath(prefs.home) if prefs.home else "")
        self.starting = self._started = launch.start_detached(command, home)
        self._start_tick, self._start_seen = -1, False
        self.configure(prefs)
        return f"Starting the Orfeas daemon in {home} with {command.describe()}…"

    def _watch_start(self) -> bool:
        """One look at the daemon started last; whether the panel has something new to show. After the start's
        timeout the panel offers Start daemon again, but a daemon that comes up late is still announced."""
        start, connection = self._started, self.connection
        if start is None or connection is None:
            return False
        if connection.connected:
            self._started = self.starting = None
            if start.running():
                self.say(f"{connection.message} Started the daemon (pid {start.pid}); it keeps running when Blender "
                         f"closes.")
            return True
        if not self._start_seen and start.written() is not None:
            self._start_seen = True
            connection.reconnect()  # at once, not after the link's backoff
        if self.starting is None:
            if not start.running():
                self._started = None  # a late one that stopped after all: its log was already shown
            return False
        problem = start.problem()
        if problem:
            self.starting = None
            self.say(problem, error=True)
            return True
        tick = int(start.elapsed())
        changed, self._start_tick = tick != self._start_tick, tick
        return changed

    # --- work ------------------------------------------------------------------------------------------------

    def submit(self, job_id: str, name: str) -> None:
        """A generation this Blender asked for: follow it and import it when it is done."""
        self.book.add(job_id, name)
        self.auto_import.add(job_id)
        self.connection.follow(job_id)

    def import_job(self, job_id: str) -> None:
        view = self.book.get(job_id)
        if view is None or view.asset_id is None or view.glb() is None:
            raise OrfeasError("E_NOT_FOUND", "That job has no model to import.")
        self._download(view.asset_id, view.glb(), _object_name(view.name), {"atCursor": True}, f"job {job_id}")

    def _download(self, asset_id: str, file: str, name: str, placement: dict | None, source: str, scene: bool = False) -> None:
        folder = os.path.join(preferences.download_folder(preferences.preferences()), asset_id)
        pending = self.connection.download(asset_id, file, os.path.join(folder, _safe_file(file)))
        self.downloads.append(Download(pending, name, placement, source, scene))

    def say(self, text: str, error: bool = False) -> None:
        """A line for the panel; errors also pop up where there is a window."""
        self.notice, self.notice_error = text, error
        print(f"Orfeas: {text}")
        if error:
            _popup(text)

    # --- the timer -------------------------------------------------------------------------------------------

    def pump(self) -> float | None:
        connection = self.connection
        if connection is None:
            return PUMP_IDLE_S
        changed = False
        watching = self.starting is not None
        while True:
            try:
                event = connection.events.get_nowait()
            except queue.Empty:
                break
            changed = True
            try:
                self._handle(event)
            except Exception:  # one bad event must not stop the timer
                traceback.print_exc()
        changed |= self._finish_downloads()
        changed |= self._finish_listing()
        changed |= self._watch_start()
        if changed:
            _redraw()
        busy = watching or self.downloads or self.book.active() or connection.state != CONNECTED
        return PUMP_ACTIVE_S if busy else PUMP_IDLE_S

    def _handle(self, event: dict) -> None:
        kind = event["type"]
        if kind == "connection":
            if event["state"] != CONNECTING:
                self._offline = event["state"] == OFFLINE
            if event["state"] == CONNECTED:
                self._connected()
            elif event["state"] != "connecting":
                self.say(event["message"], error=event["state"] == "refused")
            return
        if kind == "import":
            self._received(event)
            return
        view = self.book.apply(event)
        if view is None:
            return
        if kind == "job.done" and view.job_id in self.auto_import:
            self.auto_import.discard(view.job_id)
            self.import_job(view.job_id)
        elif kind == "job.failed":
            self.auto_import.discard(view.job_id)
            self.say(f"{view.name}: {view.error} [{view.error_code}]", error=True)
        elif kind == "job.cancelled":
            self.auto_import.discard(view.job_id)
            self.say(f"{view.name}: cancelled.")

    def _connected(self) -> None:
        welcome = self.connection.welcome
        self.say(self.connection.message)
        if not self._defaults_applied:
            self._defaults_applied = True
            for scene in bpy.data.scenes:
                if not scene.orfeas.get("defaults_applied"):
                    scene.orfeas.apply_defaults(welcome["defaults"])
                    scene.orfeas["defaults_applied"] = True
        self.listing = self.connection.request({"type": "job.list", "state": "done", "limit": self.book.keep})

    def _received(self, event: dict) -> None:
        if not preferences.preferences().receive:
            return
        source = event.get("from") or "another editor"
        models = [file for file in event["files"] if file["format"] == "glb"]
        if not models:
            self.say(f"{source} sent files Blender cannot import here ({', '.join(f['name'] for f in event['files'])}).", error=True)
            return
        scene = "sceneId" in event
        # A model lands at the cursor unless told otherwise; a scene keeps its objects' positions.
        placement = event.get("placement") or (None if scene else {"atCursor": True})
        for file in models:
            try:
                asset_id = event.get("assetId") or _asset_of(file)
                self._download(asset_id, file["name"], _object_name(file["name"]), placement, source, scene)
            except OrfeasError as error:
                self.say(f"{file['name']} from {source}: {error.message} [{error.code}]", error=True)

    def _finish_downloads(self) -> bool:
        done = [download for download in self.downloads if download.pending.done()]
        self.downloads = [download for download in self.downloads if not download.pending.done()]
        for download in done:
            try:
                path = download.pending.result()
                import_file(path, download.name, download.placement, download.scene)
                self.imported.append(download.name)
                self.say(f"Imported {download.name} from {download.source}.")
            except OrfeasError as error:
                self.say(f"{download.name}: {error.message} [{error.code}]", error=True)
        return bool(done)

    def _finish_listing(self) -> bool:
        if self.listing is None or not self.listing.done():
            return False
        listing, self.listing = self.listing, None
        try:
            self.book.load(listing.result()["jobs"])
        except OrfeasError as error:
            print(f"Orfeas: could not list recent jobs: {error}")
        return True


RUNTIME = Runtime()


def pump() -> float | None:
    """The bpy.app.timers callback (and what a headless script calls to drive the add-on)."""
    return RUNTIME.pump()


def import_file(path: str, name: str, placement: dict | None, scene: bool = False) -> None:
    """Runs the undoable import operator, so one import is one undo step."""
    try:
        # The second argument asks for an undo step: operators called from Python push none by default.
        result = bpy.ops.orfeas.import_file("EXEC_DEFAULT", True, filepath=path, object_name=name,
                                            placement=json.dumps(placement), scene=scene)
    except RuntimeError as error:
        raise OrfeasError("E_IMPORT", str(error).removeprefix("Error: ").strip()) from error
    if "FINISHED" not in result:
        raise OrfeasError("E_IMPORT", f"{name} was not imported.")


def _object_name(file_or_name: str) -> str:
    base = os.path.splitext(os.path.basename(file_or_name))[0]
    return base or "Orfeas model"


def _safe_file(name: str) -> str:
    # Names come from the daemon; keep them to one harmless path component all the same.
    return re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(name)) or "model.glb"


def _asset_of(file: dict) -> str:
    # A scene push names its files by URL: /v1/assets/<assetId>/<file>.
    match = re.search(r"/assets/([a-f0-9]{64})/", file.get("url", ""))
    if match is None:
        raise OrfeasError("E_BAD_MESSAGE", f"The pushed file {file['name']} names no asset.")
    return match.group(1)


def _redraw() -> None:
    for window in getattr(bpy.context.window_manager, "windows", []):
        for area in window.screen.areas:
            if area.type == "VIEW_3D":
                area.tag_redraw()


def _popup(text: str) -> None:
    wm = bpy.context.window_manager
    # Background Blender keeps the startup file's windows but cannot draw them: a popup there crashes it.
    if bpy.app.background or wm is None or not wm.windows:
        return

    def draw(menu, context):
        menu.layout.label(text=text)
    wm.popup_menu(draw, title="Orfeas", icon="ERROR")
