"""Add-on preferences (Edit ▸ Preferences ▸ Add-ons ▸ Orfeas): where the daemon lives, whether to connect and
receive on start, where downloaded models are kept."""
from __future__ import annotations

import os
import tempfile

import bpy
from bpy.props import BoolProperty, StringProperty

# The add-on's module name: `orfeas_bridge` as a legacy add-on, `bl_ext.<repo>.orfeas_bridge` as an extension.
ADDON = __package__.rsplit(".", 1)[0]


def _reconnect(self, context):
    from . import runtime
    runtime.RUNTIME.configure(self)


class OrfeasPreferences(bpy.types.AddonPreferences):
    bl_idname = ADDON

    home: StringProperty(
        name="Orfeas home",
        description="The daemon's home folder (holds daemon.json). Empty: ORFEAS_HOME, else ~/.orfeas",
        subtype="DIR_PATH",
        default="",
        update=_reconnect,
    )
    auto_connect: BoolProperty(
        name="Connect on start",
        description="Connect to the daemon when Blender starts, and whenever it comes back",
        default=True,
    )
    receive: BoolProperty(
        name="Receive from editors",
        description="Import models that VS Code (or another client) sends to Blender, at the 3D cursor",
        default=False,
        update=_reconnect,
    )
    downloads: StringProperty(
        name="Download folder",
        description="Where models are stored before import (their textures are packed into the .blend). Empty: the system's temporary folder",
        subtype="DIR_PATH",
        default="",
    )

    def draw(self, context):
        layout = self.layout
        layout.prop(self, "home")
        layout.prop(self, "downloads")
        row = layout.row()
        row.prop(self, "auto_connect")
        row.prop(self, "receive")


def preferences(context=None) -> OrfeasPreferences:
    context = context or bpy.context
    return context.preferences.addons[ADDON].preferences


def download_folder(prefs: OrfeasPreferences) -> str:
    base = bpy.path.abspath(prefs.downloads) if prefs.downloads else os.path.join(tempfile.gettempdir(), "orfeas-blender")
    return os.path.abspath(base)
