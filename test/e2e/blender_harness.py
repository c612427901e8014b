"""What the headless Blender scripts (blender_bridge.py, blender_start.py) share: driving the add-on's timer as
Blender's event loop would, and drawing its panel into a stand-in layout checked against Blender's own RNA."""
import time

import bpy


def drive(until, timeout, what, each=None):
    """Calls the add-on's timer as Blender's event loop would (timers do not run in background mode)."""
    from orfeas_bridge.blender import runtime
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runtime.pump()
        if each is not None:
            each()
        if until():
            return
        time.sleep(0.05)
    connection = runtime.RUNTIME.connection
    raise AssertionError(f"timed out after {timeout} s waiting for {what}; notice: {runtime.RUNTIME.notice}; "
                         f"connection: {connection.state if connection else None}: {connection.message if connection else ''}")


class PanelLayout:
    """Stands in for the UI layout (there is none in background mode) and checks every call against Blender's own
    RNA: property names, icon names, operator ids and their properties. Records the text a user would see."""

    ICONS = set(bpy.types.UILayout.bl_rna.functions["label"].parameters["icon"].enum_items.keys())
    PROP_OPTIONS = set(bpy.types.UILayout.bl_rna.functions["prop"].parameters.keys())

    def __init__(self, lines):
        self.lines = lines
        self.enabled, self.scale_y = True, 1.0

    def _icon(self, icon):
        if icon not in self.ICONS:
            raise AssertionError(f"the panel uses an icon Blender does not have: {icon}")

    def box(self, align=False):
        return PanelLayout(self.lines)

    row = column = box

    def label(self, text="", icon="NONE"):
        self._icon(icon)
        self.lines.append(text)

    def prop(self, data, name, text=None, **options):
        if name not in data.bl_rna.properties:
            raise AssertionError(f"the panel draws a property {type(data).__name__} lacks: {name}")
        if set(options) - self.PROP_OPTIONS:
            raise AssertionError(f"the panel passes layout.prop options Blender does not have: {set(options) - self.PROP_OPTIONS}")
        self._icon(options.get("icon", "NONE"))
        self.lines.append(text if text is not None else data.bl_rna.properties[name].name)

    def progress(self, factor=0.0, type="BAR", text=""):
        if bpy.app.version < (4, 0, 0):
            raise AssertionError("layout.progress does not exist before Blender 4.0")
        self.lines.append(text)

    def operator(self, idname, text=None, icon="NONE"):
        self._icon(icon)
        module, name = idname.split(".")
        properties = getattr(getattr(bpy.ops, module), name).get_rna_type().properties
        self.lines.append(text if text is not None else getattr(getattr(bpy.ops, module), name).get_rna_type().name)

        class Properties:
            def __setattr__(self, key, value):
                if key not in properties:
                    raise AssertionError(f"{idname} has no property {key}")
        return Properties()


def draw_panel():
    lines = []
    panel = bpy.types.VIEW3D_PT_orfeas
    panel.draw(type("Panel", (), {"layout": PanelLayout(lines)})(), bpy.context)
    return lines
