"""Registers the Blender side: preferences, scene settings, operators, the sidebar panel and the timer that
drains the client's events; connects on start when the preferences say so."""
from __future__ import annotations

import bpy
from bpy.props import FloatProperty

from . import operators, panel, preferences, properties, runtime

CLASSES = (preferences.OrfeasPreferences, *properties.CLASSES, *operators.CLASSES, *panel.CLASSES)


def _progress(self) -> float:
    # Blender before 4.0 has no progress widget: the panel draws this read-only slider instead.
    active = runtime.RUNTIME.book.active()
    return active[0].progress * 100 if active else 0.0


def _start() -> None:
    # Runs once from a timer: preferences are readable there, and the connection starts without delaying load.
    if preferences.preferences().auto_connect:
        runtime.RUNTIME.configure()
    return None


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    properties.register_properties()
    bpy.types.WindowManager.orfeas_progress = FloatProperty(subtype="PERCENTAGE", min=0, max=100, get=_progress)
    bpy.app.timers.register(runtime.pump, first_interval=0.1, persistent=True)
    bpy.app.timers.register(_start, first_interval=0.05)


def unregister():
    for timer in (runtime.pump, _start):
        if bpy.app.timers.is_registered(timer):
            bpy.app.timers.unregister(timer)
    runtime.RUNTIME.shutdown()
    del bpy.types.WindowManager.orfeas_progress
    properties.unregister_properties()
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
