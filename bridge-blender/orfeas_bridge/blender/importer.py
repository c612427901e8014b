"""Brings a GLB into the open scene: Blender's own glTF importer, then the objects moved into the "Orfeas"
collection, the importer's empty parent removed, the result placed (3D cursor by default), selected and active."""
from __future__ import annotations

import math

import bpy
from mathutils import Euler, Matrix, Vector

from ..client.errors import OrfeasError

COLLECTION = "Orfeas"


def ensure_numpy_bool() -> None:
    """Blender 3.4's glTF importer uses `np.bool`, which NumPy 1.24 (paired with distro Blender) removed."""
    try:
        import numpy as np
    except ImportError:
        return
    if not hasattr(np, "bool"):
        np.bool = bool


def import_glb(context, filepath: str, name: str, placement: dict | None = None, scene: bool = False) -> list:
    """Imports `filepath`; returns the new top-level objects. `placement` (protocol `Placement`) moves the file's
    origin: `position` in metres and `rotation` in degrees (XYZ Euler) in Blender's world axes, `scale` factors;
    `atCursor` (the default when no position is given) puts it at the 3D cursor. None leaves every object where
    the file puts it — a pushed scene arrives at its own positions. A `scene` keeps its objects' names."""
    ensure_numpy_bool()
    before = set(bpy.data.objects[:])
    try:
        result = bpy.ops.import_scene.gltf(filepath=filepath)
    except RuntimeError as error:
        raise OrfeasError("E_IMPORT", f"Blender's glTF importer could not read {name}: {error}") from error
    if "FINISHED" not in result:
        raise OrfeasError("E_IMPORT", f"Blender's glTF importer did not import {name}.")
    created = [obj for obj in bpy.data.objects if obj not in before]
    if not created:
        raise OrfeasError("E_IMPORT", f"{name} holds no objects to import.")

    collection = _collection(context.scene)
    for obj in created:
        for other in list(obj.users_collection):
            other.objects.unlink(obj)
        collection.objects.link(obj)
    roots = _drop_empty_parents(created)
    if not scene:
        _name(roots, name)
    if placement is not None:
        _place(context, roots, placement)

    for obj in context.view_layer.objects:
        obj.select_set(False)
    for obj in roots:
        for each in [obj, *obj.children_recursive]:
            each.select_set(True)
    context.view_layer.objects.active = roots[0]
    return roots


def _collection(scene) -> bpy.types.Collection:
    collection = bpy.data.collections.get(COLLECTION)
    if collection is None:
        collection = bpy.data.collections.new(COLLECTION)
    if collection.name not in scene.collection.children:
        scene.collection.children.link(collection)
    return collection


def _drop_empty_parents(created: list) -> list:
    """The importer wraps a glTF scene's nodes under an empty when there are several roots; keep the children."""
    roots = [obj for obj in created if obj.parent is None]
    kept = []
    for root in roots:
        if root.type == "EMPTY" and root.children:
            for child in list(root.children):
                world = child.matrix_world.copy()
                child.parent = None
                child.matrix_world = world
                kept.append(child)
            bpy.data.objects.remove(root, do_unlink=True)
        else:
            kept.append(root)
    return kept


def _name(roots: list, name: str) -> None:
    if len(roots) == 1:
        roots[0].name = name
        if roots[0].data is not None and roots[0].type == "MESH":
            roots[0].data.name = name


def _place(context, roots: list, placement: dict) -> None:
    """Moves the file's origin to the target, turning and scaling about it: every object keeps its place relative
    to the others (a model stands on its origin, so it stands on the target)."""
    position = placement.get("position")
    target = Vector(position) if position is not None and not placement.get("atCursor") else context.scene.cursor.location.copy()
    rotation = Euler([math.radians(angle) for angle in placement.get("rotation", (0, 0, 0))], "XYZ").to_matrix().to_4x4()
    scale = Matrix.Diagonal(Vector(placement.get("scale", (1, 1, 1)))).to_4x4()
    for obj in roots:
        obj.matrix_world = Matrix.Translation(target) @ rotation @ scale @ obj.matrix_world
