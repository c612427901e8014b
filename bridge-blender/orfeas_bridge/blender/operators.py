"""Operators behind the panel's buttons. Each catches OrfeasError and reports its sentence and code; none waits
on the network in the UI: Generate waits for the daemon's `accepted` as a modal operator (scripts, which have no
event loop, wait in `execute` instead); Start daemon starts the process and leaves the watching to the timer."""
from __future__ import annotations

import json
import os
import time

import bpy
from bpy.props import BoolProperty, StringProperty

from ..client import OrfeasError, find_daemon, orfeas_home, views
from . import importer, preferences
from .runtime import RUNTIME

SCRIPT_WAIT_S = 30.0


def _connection():
    connection = RUNTIME.connection
    if connection is None or not connection.connected:
        message = connection.message if connection is not None else "Not connected."
        raise OrfeasError("E_CONNECTION", f"Not connected to the Orfeas daemon. {message}")
    return connection


def _path(value: str) -> str:
    # Blender's `//` paths are relative to the .blend file; the daemon takes absolute paths only.
    return os.path.abspath(bpy.path.abspath(value)) if value.strip() else ""


def report_error(operator, error: OrfeasError) -> set:
    operator.report({"ERROR"}, f"{error.message} [{error.code}]")
    return {"CANCELLED"}


class Reporting:
    """Mixin: `run()` does the work; an OrfeasError becomes an error report with its sentence and code."""

    def run(self, context) -> str:
        raise NotImplementedError

    def execute(self, context):
        try:
            done = self.run(context)
        except OrfeasError as error:
            return report_error(self, error)
        if done:
            self.report({"INFO"}, done)
        return {"FINISHED"}


class ORFEAS_OT_connect(Reporting, bpy.types.Operator):
    bl_idname = "orfeas.connect"
    bl_label = "Connect"
    bl_description = "Connect to the Orfeas daemon, or the team server in the preferences (again)"

    def run(self, context):
        prefs = preferences.preferences(context)
        server = preferences.server(prefs)
        RUNTIME.configure(prefs)
        if server is not None:
            return f"Connecting to {server.url}…"
        # Only the discovery file and the pid: no network here; the client connects in the background.
        find_daemon(orfeas_home(bpy.path.abspath(prefs.home) if prefs.home else ""))
        return "Connecting to the Orfeas daemon…"


class ORFEAS_OT_start_daemon(Reporting, bpy.types.Operator):
    bl_idname = "orfeas.start_daemon"
    bl_label = "Start daemon"
    bl_description = ("Start the Orfeas daemon on this computer with the `orfeas` command found; it keeps running "
                      "when Blender closes")

    @classmethod
    def poll(cls, context):
        prefs = preferences.preferences(context)
        if RUNTIME.starting is not None:
            cls.poll_message_set("The Orfeas daemon is starting.")
            return False
        if not RUNTIME.daemon_missing(prefs):
            cls.poll_message_set("The Orfeas daemon is already running, or a team server is set in the preferences.")
            return False
        command, problem = RUNTIME.daemon_command(prefs)
        if command is None:
            cls.poll_message_set(problem)
        return command is not None

    def run(self, context):
        return RUNTIME.start_daemon(preferences.preferences(context))


class ORFEAS_OT_generate(bpy.types.Operator):
    bl_idname = "orfeas.generate"
    bl_label = "Generate"
    bl_description = "Generate a 3D model from the pictures; it is imported at the 3D cursor when done"

    _pending = None
    _timer = None
    _name = ""

    def _submit(self, context):
        settings = context.scene.orfeas
        try:
            options = settings.options()
        except ValueError:
            raise OrfeasError("E_BAD_MESSAGE", "LODs must be decreasing numbers between 0 and 1, e.g. 1, 0.5, 0.25.")
        name = settings.name.strip() or None
        if settings.source == "SHEET":
            request = views.generate_request(_path(settings.image), sheet=settings.sheet(), options=options, name=name)
        else:
            sides = [(view, _path(path)) for view, path in settings.sides()]
            request = views.generate_request(_path(settings.image), views=sides, options=options, name=name)
        self._name = request["name"]
        # To a team server the pictures go as bytes (the front inline, other views uploaded), never as paths.
        self._pending = _connection().generate(request)

    def _accepted(self) -> set:
        try:
            reply = self._pending.result(0)
        except OrfeasError as error:
            return report_error(self, error)
        RUNTIME.submit(reply["jobId"], self._name)
        self.report({"INFO"}, f"Generating {self._name}…")
        return {"FINISHED"}

    def execute(self, context):
        try:
            self._submit(context)
        except OrfeasError as error:
            return report_error(self, error)
        deadline = time.monotonic() + SCRIPT_WAIT_S
        while not self._pending.done() and time.monotonic() < deadline:
            time.sleep(0.01)
        return self._accepted()

    def invoke(self, context, event):
        try:
            self._submit(context)
        except OrfeasError as error:
            return report_error(self, error)
        self._timer = context.window_manager.event_timer_add(0.05, window=context.window)
        context.window_manager.modal_handler_add(self)
        return {"RUNNING_MODAL"}

    def modal(self, context, event):
        if event.type != "TIMER" or not self._pending.done():
            return {"PASS_THROUGH"}
        context.window_manager.event_timer_remove(self._timer)
        return self._accepted()


class ORFEAS_OT_cancel(Reporting, bpy.types.Operator):
    bl_idname = "orfeas.cancel"
    bl_label = "Cancel"
    bl_description = "Cancel this generation"

    job_id: StringProperty(options={"HIDDEN"})

    def run(self, context):
        _connection().request({"type": "cancel", "jobId": self.job_id})
        RUNTIME.auto_import.discard(self.job_id)
        return "Cancelling…"


class ORFEAS_OT_import_job(Reporting, bpy.types.Operator):
    bl_idname = "orfeas.import_job"
    bl_label = "Import"
    bl_description = "Import this model at the 3D cursor"

    job_id: StringProperty(options={"HIDDEN"})

    def run(self, context):
        _connection()
        RUNTIME.import_job(self.job_id)
        return "Downloading…"


class ORFEAS_OT_import_file(Reporting, bpy.types.Operator):
    """The import itself, as one undo step (the glTF importer runs inside it)."""
    bl_idname = "orfeas.import_file"
    bl_label = "Import Orfeas Model"
    bl_options = {"REGISTER", "UNDO", "INTERNAL"}

    filepath: StringProperty(subtype="FILE_PATH", options={"HIDDEN"})
    object_name: StringProperty(options={"HIDDEN"})
    placement: StringProperty(default="{}", options={"HIDDEN"})
    scene: BoolProperty(default=False, options={"HIDDEN"})

    def run(self, context):
        # JSON null: leave every object where the file puts it (a pushed scene).
        placement = json.loads(self.placement) if self.placement else {}
        importer.import_glb(context, self.filepath, self.object_name or "Orfeas model", placement, self.scene)
        return ""


class ORFEAS_OT_reset_options(Reporting, bpy.types.Operator):
    bl_idname = "orfeas.reset_options"
    bl_label = "Reset to Defaults"
    bl_description = "Use the daemon's default generation options"

    def run(self, context):
        context.scene.orfeas.apply_defaults(_connection().welcome["defaults"])
        return ""


CLASSES = (ORFEAS_OT_connect, ORFEAS_OT_start_daemon, ORFEAS_OT_generate, ORFEAS_OT_cancel, ORFEAS_OT_import_job,
           ORFEAS_OT_import_file, ORFEAS_OT_reset_options)
