"""Runs in Blender with its window (under Xvfb), where the event loop, timers, modal operators and undo are real:
the add-on's own timer does the work, Generate is invoked as the panel's button invokes it, and the import is
then undone and redone as one step. A checker timer records what it sees and prints one JSON report."""
import json
import sys
import time
import traceback

import bpy

ARGS = json.loads(open(sys.argv[sys.argv.index("--") + 1], encoding="utf-8").read())
BEGIN, END = "@@ORFEAS-GUI-REPORT-BEGIN@@", "@@ORFEAS-GUI-REPORT-END@@"
report = {"steps": [], "gaps": []}
state = {"step": "connect", "since": time.monotonic(), "last": time.monotonic()}


def view3d():
    window = bpy.context.window_manager.windows[0]
    area = next(a for a in window.screen.areas if a.type == "VIEW_3D")
    region = next(r for r in area.regions if r.type == "WINDOW")
    return {"window": window, "area": area, "region": region}


def finish():
    gaps = report.pop("gaps")
    report["longestTickGapMs"] = round(max(gaps) * 1000) if gaps else None
    report["ticksWhileGenerating"] = len(gaps)
    print(BEGIN + json.dumps(report) + END, flush=True)
    bpy.ops.wm.quit_blender()


def check():
    """One step per tick; the add-on's own timer runs between ticks, as it does for a user."""
    from orfeas_bridge.blender import runtime
    rt = runtime.RUNTIME
    now = time.monotonic()
    if state["step"] == "generating":
        report["gaps"].append(now - state["last"])
    state["last"] = now
    try:
        if now - state["since"] > 240:
            raise AssertionError(f"step {state['step']} took too long; notice: {rt.notice}")
        step = state["step"]
        if step == "connect" and rt.connection is not None and rt.connection.connected:
            bpy.context.scene.cursor.location = (0.5, -1.0, 0.25)
            bpy.context.scene.orfeas.image = ARGS["picture"]
            bpy.context.scene.orfeas.name = "ball"
            bpy.context.scene.orfeas.texture_size = 4096  # a job of a few seconds, for the timers to run through
            with bpy.context.temp_override(**view3d()):
                result = bpy.ops.orfeas.generate("INVOKE_DEFAULT")
            report["invoked"] = sorted(result)
            advance("generating")
        elif step == "generating" and "ball" in rt.imported:
            obj = bpy.data.objects["ball"]
            report["imported"] = {"location": list(obj.location), "active": bpy.context.view_layer.objects.active == obj,
                                  "objects": sorted(o.name for o in bpy.data.objects), "job": rt.book.views()[0].state}
            with bpy.context.temp_override(**view3d()):
                bpy.ops.ed.undo()
            advance("undone")
        elif step == "undone":
            report["afterUndo"] = {"objects": sorted(o.name for o in bpy.data.objects),
                                   "orfeasCollection": "Orfeas" in bpy.data.collections}
            with bpy.context.temp_override(**view3d()):
                bpy.ops.ed.redo()
            advance("redone")
        elif step == "redone":
            obj = bpy.data.objects.get("ball")
            report["afterRedo"] = {"objects": sorted(o.name for o in bpy.data.objects),
                                   "location": list(obj.location) if obj else None}
            finish()
            return None
    except Exception:
        report["error"] = traceback.format_exc()
        finish()
        return None
    return 0.05


def advance(step):
    report["steps"].append(step)
    state["step"], state["since"] = step, time.monotonic()


try:
    bpy.ops.preferences.addon_install(filepath=ARGS["zip"], overwrite=True)
    bpy.ops.preferences.addon_enable(module="orfeas_bridge")
    bpy.context.preferences.addons["orfeas_bridge"].preferences.home = ARGS["home"]
    report["before"] = sorted(o.name for o in bpy.data.objects)
    bpy.app.timers.register(check, first_interval=0.5)
except Exception:
    report["error"] = traceback.format_exc()
    finish()
