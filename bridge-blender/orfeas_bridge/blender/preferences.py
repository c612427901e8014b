"""Add-on preferences (Edit ▸ Preferences ▸ Add-ons ▸ Orfeas): where the daemon lives and the command that
starts it, or the team server to use instead (its address, the user's token and the certificate fingerprint to
pin), whether to connect and receive on start, where downloaded models are kept. The token is not a preference:
it lives in a file only its owner can read, in Blender's user config folder."""
from __future__ import annotations

import os
import tempfile

import bpy
from bpy.props import BoolProperty, StringProperty

from ..client import Server, parse_server
from ..client.token_file import read_token, write_token

# The add-on's module name: `orfeas_bridge` as a legacy add-on, `bl_ext.<repo>.orfeas_bridge` as an extension.
ADDON = __package__.rsplit(".", 1)[0]
TOKEN_FILE = "orfeas-server-token"

# The token as last read or set, by file: the panel redraws often, the file changes only here.
_TOKENS: dict[str, str] = {}


def _reconnect(self, context):
    from . import runtime
    runtime.RUNTIME.configure(self)


def token_path() -> str:
    """Blender's user config folder (beside userpref.blend, not inside it) holds the token file."""
    return os.path.join(bpy.utils.user_resource("CONFIG"), TOKEN_FILE)


def _get_token(self) -> str:
    path = token_path()
    if path not in _TOKENS:
        _TOKENS[path] = read_token(path)
    return _TOKENS[path]


def _set_token(self, value: str) -> None:
    path = token_path()
    _TOKENS[path] = value.strip()
    try:
        write_token(path, value)
    except OSError as error:
        print(f"Orfeas: cannot write the token to {path} ({error.strerror or error}); it is kept until Blender closes.")


class OrfeasPreferences(bpy.types.AddonPreferences):
    bl_idname = ADDON

    home: StringProperty(
        name="Orfeas home",
        description="The daemon's home folder (holds daemon.json). Empty: ORFEAS_HOME, else .orfeas in your user "
                    "folder (%USERPROFILE% on Windows, ~ on macOS and Linux)",
        subtype="DIR_PATH",
        default="",
        update=_reconnect,
    )
    daemon_command: StringProperty(
        name="Orfeas command",
        description="What Start daemon runs: the `orfeas` command (orfeas.cmd on Windows) or an orfeas.cjs script "
                    "(run with node). Empty: `orfeas` on the PATH, else the copy inside the Orfeas extension of VS Code",
        subtype="FILE_PATH",
        default="",
    )
    server_url: StringProperty(
        name="Server",
        description="A team server's address, e.g. https://gpu-box:7878 (port 7878 unless given), reached over TLS. "
                    "Pictures are sent to it as files, never by path. Empty: the daemon on this computer, found "
                    "through its home folder",
        default="",
        update=_reconnect,
    )
    server_token: StringProperty(
        name="Token",
        description="Your user token for the server (`orfeas users add NAME` on the server prints it). Blender "
                    "stores preferences in plain text in userpref.blend, so the token is not kept there: it is in "
                    "the file orfeas-server-token in Blender's user config folder, readable by you only (0600)",
        subtype="PASSWORD",
        get=_get_token,
        set=_set_token,
        update=_reconnect,
    )
    server_fingerprint: StringProperty(
        name="Fingerprint",
        description="The SHA-256 fingerprint of the server's certificate, as it prints it at start (AB:CD:…), "
                    "checked before anything is sent. Needed for a self-signed certificate. Empty: the certificate "
                    "must verify against this computer's certificate authorities",
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
        box = layout.box()
        box.prop(self, "server_url")
        if self.server_url.strip():
            box.prop(self, "server_token")
            box.prop(self, "server_fingerprint")
        local = layout.column()
        local.enabled = not self.server_url.strip()
        local.prop(self, "home")
        local.prop(self, "daemon_command")
        layout.prop(self, "downloads")
        row = layout.row()
        row.prop(self, "auto_connect")
        row.prop(self, "receive")


def preferences(context=None) -> OrfeasPreferences:
    context = context or bpy.context
    return context.preferences.addons[ADDON].preferences


def server(prefs: OrfeasPreferences) -> Server | None:
    """The team server the preferences name, or None for the local daemon; raises OrfeasError E_SETTINGS."""
    return parse_server(prefs.server_url, prefs.server_token, prefs.server_fingerprint)


def download_folder(prefs: OrfeasPreferences) -> str:
    base = bpy.path.abspath(prefs.downloads) if prefs.downloads else os.path.join(tempfile.gettempdir(), "orfeas-blender")
    return os.path.abspath(base)
