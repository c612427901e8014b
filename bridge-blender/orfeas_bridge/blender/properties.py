"""The panel's settings, kept with the scene (saved in the .blend). Defaults, bounds and choices come from the
protocol schema shipped with the client (the daemon's GENERATE_DEFAULTS); once connected, `welcome.defaults`
replaces them, so one number is written in one place."""
from __future__ import annotations

import bpy
from bpy.props import BoolProperty, EnumProperty, FloatProperty, IntProperty, PointerProperty, StringProperty

from ..client import OrfeasError, schema, views

# Blender keeps only pointers into the lists an items callback returns; the lists must outlive the call.
_ITEMS: dict[str, list] = {}


def _option(name: str) -> dict:
    return schema.generate_options()[name]


def _int(name: str, label: str, description: str, **extra) -> IntProperty:
    option = _option(name)
    return IntProperty(name=label, description=description, default=option["default"], min=option["minimum"],
                       max=option["maximum"], **extra)


def _float(name: str, label: str, description: str, **extra) -> FloatProperty:
    option = _option(name)
    return FloatProperty(name=label, description=description, default=option["default"], min=option["minimum"],
                         max=option["maximum"], **extra)


def _models(kind_filter) -> list:
    from . import runtime
    welcome = runtime.RUNTIME.welcome()
    return [model for model in (welcome or {}).get("models", []) if model["installed"] and kind_filter(model["kind"])]


def _model_items(self, context):
    default = _option("model")["default"]
    items = [(default, "Built-in", "The built-in model: no download, no GPU")]
    items += [(m["id"], m.get("name") or m["id"], m["description"]) for m in _models(lambda kind: kind != "segmentation")
              if m["id"] != default]
    _ITEMS["model"] = items
    return items


def _segmentation_items(self, context):
    items = [("auto", "Auto", "Alpha channel when the picture has one, else the background colour"),
             ("alpha", "Alpha", "The picture's alpha channel"),
             ("chroma", "Background colour", "Remove the colour at the picture's border")]
    items += [(m["id"], m.get("name") or m["id"], m["description"]) for m in _models(lambda kind: kind == "segmentation")]
    _ITEMS["segmentation"] = items
    return items


def _collider_items() -> list:
    words = {"none": "No collider", "hull": "Convex hull", "mesh": "Simplified mesh"}
    return [(value, words.get(value, value), "") for value in _option("collider")["enum"]]


# Where each side's camera stands (protocol/views.ts); the words a user needs to pick the right picture.
_SIDES = {
    "back": "Taken from behind the object",
    "left": "Taken from the object's left: its front faces the right of the picture",
    "right": "Taken from the object's right: its front faces the left of the picture",
    "top": "Taken from above, the object's front at the bottom of the picture",
}
CUSTOM_SHEET = "CUSTOM"


def _side(view: str) -> StringProperty:
    return StringProperty(name=view.capitalize(), description=f"{_SIDES[view]} (optional)", subtype="FILE_PATH")


def _sheet_items() -> list:
    items = [(",".join(layout), ", ".join(view.capitalize() for view in layout), "The sheet's views, left to right")
             for layout in views.SHEET_LAYOUTS]
    return items + [(CUSTOM_SHEET, "Other…", "Name the sheet's views, left to right")]


class OrfeasSettings(bpy.types.PropertyGroup):
    source: EnumProperty(name="Pictures", items=[
        ("VIEWS", "Views", "The object's front, and optionally more sides, each in its own picture"),
        ("SHEET", "Sheet", "One turnaround picture holding several views side by side"),
    ], default="VIEWS")
    image: StringProperty(name="Front", description="The picture of the object's front (with Sheet: the sheet)",
                          subtype="FILE_PATH")
    back: _side("back")
    left: _side("left")
    right: _side("right")
    top: _side("top")
    show_views: BoolProperty(name="More views", description="Pictures of other sides of the same object", default=False)
    sheet_layout: EnumProperty(name="Layout", description="The views the sheet holds, left to right", items=_sheet_items())
    sheet_views: StringProperty(name="Views", description="The sheet's views left to right, each once, with the front, "
                                "e.g. front, right, back, top", default=",".join(views.SHEET_LAYOUTS[0]))
    name: StringProperty(name="Name", description="Name of the model (default: the picture's file name, without _front)")
    model: EnumProperty(name="Model", description="Shape model (installed ones; pull others with `orfeas models pull`)",
                        items=_model_items)
    segmentation: EnumProperty(name="Background", description="How the subject is separated from the background",
                               items=_segmentation_items)
    resolution: _int("resolution", "Resolution", "Geometry grid: cells along the longer side of the subject")
    thickness: _float("thickness", "Thickness", "Depth of the shape: 1 makes a disc a sphere", subtype="FACTOR")
    texture_size: _int("textureSize", "Texture size", "Edge of the square colour texture, in pixels", step=512)
    height: _float("height", "Height", "Height of the model", unit="LENGTH")
    max_triangles: _int("maxTriangles", "Max triangles", "Triangle budget of the mesh")
    lods: StringProperty(name="LODs", description="LOD ratios, decreasing, e.g. 1, 0.5, 0.25 (empty: one level)")
    collider: EnumProperty(name="Collider", items=_collider_items(), default=_option("collider")["default"])

    def apply_defaults(self, defaults: dict) -> None:
        """Takes the daemon's defaults (`welcome.defaults`)."""
        self.model = defaults["model"] if defaults["model"] in [i[0] for i in _model_items(self, None)] else _option("model")["default"]
        if defaults["segmentation"] in [item[0] for item in _segmentation_items(self, None)]:
            self.segmentation = defaults["segmentation"]
        self.resolution = defaults["resolution"]
        self.thickness = defaults["thickness"]
        self.texture_size = defaults["textureSize"]
        self.height = defaults["height"]
        self.max_triangles = defaults["maxTriangles"]
        self.lods = ", ".join(f"{ratio:g}" for ratio in defaults["lods"])
        self.collider = defaults["collider"]

    def sides(self) -> list:
        """(view, path) of each side picked besides the front, in the protocol's order."""
        return [(view, getattr(self, view)) for view in views.extra_views() if getattr(self, view).strip()]

    def sheet(self) -> str:
        """The sheet's views left to right as the panel shows them (checked by `views.parse_sheet`)."""
        return self.sheet_views if self.sheet_layout == CUSTOM_SHEET else self.sheet_layout

    def sheet_problem(self) -> str:
        """Why the sheet's views cannot be sent, or "" (the panel shows it under the field)."""
        try:
            views.parse_sheet(self.sheet())
        except OrfeasError as error:
            return error.message
        return ""

    def options(self) -> dict:
        """`generate.options` as shown in the panel; the daemon checks them and names a bad one."""
        lods = [float(part) for part in self.lods.replace(";", ",").split(",") if part.strip()]
        return {
            "model": self.model,
            "segmentation": self.segmentation,
            "resolution": self.resolution,
            "thickness": round(self.thickness, 6),
            "textureSize": self.texture_size,
            "height": round(self.height, 6),
            "maxTriangles": self.max_triangles,
            "lods": lods,
            "collider": self.collider,
        }


CLASSES = (OrfeasSettings,)


def register_properties():
    bpy.types.Scene.orfeas = PointerProperty(type=OrfeasSettings)


def unregister_properties():
    del bpy.types.Scene.orfeas
