"""The "Orfeas" tab of the 3D View's sidebar: connection (with Start daemon, or how to install the daemon, when none
answers), pictures (the front with more views folded away, or a turnaround sheet) and options, Generate, progress
with Cancel, recent jobs with Import, and the Receive switch."""
from __future__ import annotations

import bpy

from ..client import CONNECTED, describe_agreement, views
from ..client.discovery import START_HINT
from . import preferences, properties
from .runtime import RUNTIME

STATE_ICONS = {"connected": "CHECKMARK", "connecting": "SORTTIME", "offline": "ERROR", "refused": "CANCEL", "idle": "UNLINKED"}


class VIEW3D_PT_orfeas(bpy.types.Panel):
    bl_idname = "VIEW3D_PT_orfeas"
    bl_label = "Orfeas"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "Orfeas"

    def draw(self, context):
        layout = self.layout
        connection = RUNTIME.connection
        state = connection.state if connection is not None else "idle"
        box = layout.box()
        row = box.row()
        row.label(text=state.capitalize(), icon=STATE_ICONS.get(state, "QUESTION"))
        row.operator("orfeas.connect", text="", icon="FILE_REFRESH")
        prefs = preferences.preferences(context)
        missing = RUNTIME.daemon_missing(prefs)
        if connection is not None and state != CONNECTED:
            # The start section below says what to do; the client's own hint would repeat it.
            _wrapped(box, connection.message.replace(START_HINT, "").strip() if missing else connection.message)
        if missing:
            _start_section(box, prefs)
        box.prop(prefs, "receive")

        settings = context.scene.orfeas
        _pictures(layout.column(), settings)
        options = layout.column(align=True)
        options.enabled = state == CONNECTED
        for name in ("model", "segmentation", "resolution", "thickness", "texture_size", "height", "max_triangles",
                     "lods", "collider"):
            options.prop(settings, name)
        row = layout.row(align=True)
        row.scale_y = 1.4
        sheet_wrong = settings.source == "SHEET" and bool(settings.sheet_problem())
        row.enabled = state == CONNECTED and bool(settings.image) and not sheet_wrong
        row.operator("orfeas.generate", icon="MESH_MONKEY")
        layout.operator("orfeas.reset_options", icon="LOOP_BACK")

        for view in RUNTIME.book.active():
            row = layout.row(align=True)
            _progress(row, view.progress, f"{view.name}: {view.describe()}")
            row.operator("orfeas.cancel", text="", icon="X").job_id = view.job_id

        if RUNTIME.notice and (connection is None or RUNTIME.notice != connection.message):
            _wrapped(layout, RUNTIME.notice, "ERROR" if RUNTIME.notice_error else "INFO")

        finished = [view for view in RUNTIME.book.views() if not view.active]
        if finished:
            box = layout.box()
            box.label(text="Recent")
            for view in finished:
                row = box.row(align=True)
                row.label(text=view.name, icon="CHECKMARK" if view.state == "done" else "X")
                if view.state == "done" and view.glb():
                    row.operator("orfeas.import_job", text="Import", icon="IMPORT").job_id = view.job_id
                else:
                    row.label(text=view.describe())
                agreement = describe_agreement(view.stats) if view.state == "done" else ""
                if agreement:
                    box.label(text=agreement)


def _start_section(layout, prefs) -> None:
    """Start daemon with the command it runs, the start's progress, or how to install the daemon."""
    if RUNTIME.starting is not None:
        _wrapped(layout, RUNTIME.starting.progress(), "SORTTIME")
        return
    command, problem = RUNTIME.daemon_command(prefs)
    if command is None:
        _wrapped(layout, problem, "INFO")
        return
    layout.operator("orfeas.start_daemon", icon="PLAY")
    _wrapped(layout, f"Runs {command.describe()}")


def _pictures(column, settings) -> None:
    column.row().prop(settings, "source", expand=True)
    if settings.source == "SHEET":
        column.prop(settings, "image", text="Sheet")
        column.prop(settings, "sheet_layout")
        if settings.sheet_layout == properties.CUSTOM_SHEET:
            column.prop(settings, "sheet_views")
            problem = settings.sheet_problem()
            if problem:
                _wrapped(column, problem, "ERROR")
    else:
        column.prop(settings, "image")
        # Folded by default: most models start from one picture, and the panel should stay short.
        box = column.box()
        given = len(settings.sides())
        box.prop(settings, "show_views", text=f"More views ({given})" if given else "More views", emboss=False,
                 icon="TRIA_DOWN" if settings.show_views else "TRIA_RIGHT")
        if settings.show_views:
            for view in views.extra_views():
                box.prop(settings, view)
    column.prop(settings, "name")


def _progress(layout, factor: float, text: str) -> None:
    if bpy.app.version >= (4, 0, 0):
        layout.progress(factor=factor, type="BAR", text=text)
    else:
        row = layout.row()
        row.enabled = False
        row.prop(bpy.context.window_manager, "orfeas_progress", text=text, slider=True)


def _wrapped(layout, text: str, icon: str = "NONE", width: int = 48) -> None:
    # Labels do not wrap; long sentences (the daemon's errors) are cut into lines at word boundaries.
    line, first = "", True
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            layout.label(text=line, icon=icon if first else "NONE")
            line, first = word, False
        else:
            line = f"{line} {word}".strip()
    if line:
        layout.label(text=line, icon=icon if first else "NONE")


CLASSES = (VIEW3D_PT_orfeas,)
