"""Orfeas for Blender: generate a 3D model from a picture in the 3D View's sidebar and import it at the 3D cursor,
or receive models pushed from VS Code. `client/` talks to the daemon without bpy; `blender/` is the Blender side.
Nothing here imports bpy at module level, so the client can be imported and tested with plain Python."""

bl_info = {
    "name": "Orfeas",
    "author": "The Orfeas developers",
    "version": (0, 1, 0),
    "blender": (3, 4, 0),
    "location": "3D View > Sidebar > Orfeas",
    "description": "Image to 3D on your own machine: generate from a picture, import at the 3D cursor, receive from editors",
    "doc_url": "",
    "category": "Import-Export",
}

VERSION = "0.1.0"


def register():
    from .blender import register as register_blender
    register_blender()


def unregister():
    from .blender import unregister as unregister_blender
    unregister_blender()
