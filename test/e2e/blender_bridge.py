"""Runs inside headless Blender (`blender -b --factory-startup --python blender_bridge.py -- <args.json>`):
installs the add-on zip, enables it, first points it at a home with no daemon (a clear message, no hang), then at
the test's daemon, generates from a picture and drives the add-on's timer until the model is imported; then
announces it is ready and waits for a model and a scene pushed from another client; then generates a box from
several views, from its front alone and from a sheet; then, in the preferences, the team server (a TLS daemon):
refused with a wrong pin, connected with the right one, generated from. Prints one JSON report between markers."""
import json
import os
import stat
import sys
import time
import traceback

import bpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blender_harness import draw_panel, drive  # noqa: E402

ARGS = json.loads(open(sys.argv[sys.argv.index("--") + 1], encoding="utf-8").read())
BEGIN, END = "@@ORFEAS-BRIDGE-REPORT-BEGIN@@", "@@ORFEAS-BRIDGE-REPORT-END@@"
report = {"steps": []}


def step(name, **values):
    report["steps"].append(name)
    report[name] = values
    print(f"@@ORFEAS-STEP@@ {name} {json.dumps(values)}", flush=True)


def describe(obj):
    world = [obj.matrix_world @ v.co for v in obj.data.vertices]
    zs = [v.z for v in world]
    extent = [max(v[axis] for v in world) - min(v[axis] for v in world) for axis in range(3)]
    images = [node.image for slot in obj.material_slots if slot.material and slot.material.node_tree
              for node in slot.material.node_tree.nodes if node.type == "TEX_IMAGE" and node.image]
    return {
        "name": obj.name, "type": obj.type, "vertices": len(obj.data.vertices), "height": max(zs) - min(zs), "extent": extent,
        "bottom": min(zs), "location": list(obj.matrix_world.translation), "parent": obj.parent.name if obj.parent else None,
        "collections": [c.name for c in obj.users_collection], "selected": obj.select_get(),
        "active": bpy.context.view_layer.objects.active == obj, "packedImages": [bool(i.packed_file) for i in images],
    }


def generate(what):
    """Generate as the button does, then the add-on's timer until the model is imported; what the job and model were."""
    from orfeas_bridge.blender import runtime
    before = set(bpy.data.objects[:])
    count = len(runtime.RUNTIME.imported)
    bpy.ops.orfeas.generate()
    job = runtime.RUNTIME.book.views()[0]
    drive(lambda: len(runtime.RUNTIME.imported) > count or job.state in ("failed", "cancelled"), 240, what)
    if job.state != "done":
        raise AssertionError(f"{what}: the job ended {job.state}: {job.error} [{job.error_code}]")
    obj = next(obj for obj in bpy.data.objects if obj not in before and obj.type == "MESH")
    return {"jobId": job.job_id, "name": job.name, "stats": job.stats, "object": describe(obj)}


def several_views(settings):
    """A box from its front, right and top pictures; from its front alone; from a sheet; and a sheet named wrong."""
    box = ARGS["box"]
    settings.texture_size = 1024
    settings.name = ""
    settings.source = "VIEWS"
    settings.image, settings.right, settings.top = box["front"], box["right"], box["top"]
    settings.show_views = True
    panel = draw_panel()
    bpy.context.scene.cursor.location = (3.0, 0.0, 0.0)
    multi = generate("the box from three views")
    done_panel = draw_panel()

    settings.right = settings.top = ""
    settings.name = "box_front_only"
    single = generate("the box from its front")

    settings.source = "SHEET"
    settings.sheet_layout = "CUSTOM"
    settings.sheet_views = "front, side"
    sheet_panel = draw_panel()
    try:
        bpy.ops.orfeas.generate()
        bad_sheet = None
    except RuntimeError as error:
        bad_sheet = str(error)
    settings.sheet_layout = "front,right"
    settings.image = box["sheet"]
    settings.name = ""
    sheet = generate("the box from a sheet")
    step("views", panel=panel, sheetPanel=sheet_panel, badSheet=bad_sheet, donePanel=done_panel, multi=multi,
         single=single, sheet=sheet)


def triplane(settings):
    """The triplane stand-in installed in the daemon's home: offered in the panel's Model list, picked, generated."""
    from orfeas_bridge.blender import properties
    offered = [item[0] for item in properties._model_items(settings, bpy.context)]
    settings.source = "VIEWS"
    settings.image = ARGS["triplanePicture"]
    settings.right = settings.top = settings.back = settings.left = ""
    settings.name = "egg"
    settings.model = ARGS["triplaneModel"]
    bpy.context.scene.cursor.location = (-3.0, 0.0, 0.0)
    generated = generate("the triplane model")
    step("triplane", offered=offered, model=settings.model, generated=generated)


def remote(settings):
    """A generation server added as a backend of the daemon: offered in the Model list like a model, and used."""
    from orfeas_bridge.blender import properties
    offered = [item[0] for item in properties._model_items(settings, bpy.context)]
    settings.image = ARGS["remotePicture"]
    settings.name = "server_box"
    settings.model = ARGS["remoteModel"]
    bpy.context.scene.cursor.location = (-5.0, 0.0, 0.0)
    generated = generate("the server's model")
    step("remote", offered=offered, model=settings.model, generated=generated)


def team(prefs, settings):
    """The team server in the preferences: the token goes to its own file (0600), never into userpref.blend; a
    wrong pin is refused in words; with the right one Connect reaches the server without a daemon.json, Generate
    sends the picture itself (the server refuses paths) and the model comes down over HTTPS."""
    from orfeas_bridge.blender import preferences, runtime
    from orfeas_bridge.client import schema
    server = ARGS["team"]
    prefs.home = ARGS["emptyHome"]  # no daemon.json there: a server link that looked for one would fail
    prefs.server_token = server["token"]
    prefs.server_fingerprint = ":".join(["AB"] * 32)
    prefs.server_url = server["url"]
    drive(lambda: runtime.RUNTIME.connection.state == "refused", 30, "the wrong pin's refusal")
    wrong_pin = {"message": runtime.RUNTIME.connection.message, "panel": draw_panel()}

    prefs.server_fingerprint = server["fingerprint"].lower().replace(":", "")  # as someone might paste it
    bpy.ops.orfeas.connect()
    drive(lambda: runtime.RUNTIME.connection.connected, 30, "the team server")
    connected = runtime.RUNTIME.connection.message
    path = preferences.token_path()
    with open(path, encoding="utf-8") as file:
        token_file = {"mode": oct(stat.S_IMODE(os.stat(path).st_mode)), "holdsToken": file.read().strip() == server["token"],
                      "folder": os.path.dirname(path) == bpy.utils.user_resource("CONFIG")}
    bpy.ops.wm.save_userpref()
    with open(os.path.join(bpy.utils.user_resource("CONFIG"), "userpref.blend"), "rb") as file:
        saved = file.read()
    userpref = {"url": server["url"].encode() in saved, "token": server["token"].encode() in saved}

    settings.source = "VIEWS"
    settings.image = server["picture"]
    settings.right = settings.top = settings.back = settings.left = ""
    settings.name = "team_ball"
    settings.model = schema.generate_options()["model"]["default"]  # the server has no generation backend
    bpy.context.scene.cursor.location = (0.0, 4.0, 0.0)
    generated = generate("the team server's model")
    step("team", wrongPin=wrong_pin, connected=connected, tokenFile=token_file, userpref=userpref,
         tokenShown=prefs.server_token == server["token"], generated=generated)
    prefs.server_url = ""


def main():
    bpy.ops.preferences.addon_install(filepath=ARGS["zip"], overwrite=True)
    bpy.ops.preferences.addon_enable(module="orfeas_bridge")
    import orfeas_bridge
    from orfeas_bridge.blender import runtime
    prefs = bpy.context.preferences.addons["orfeas_bridge"].preferences
    step("enabled", version=orfeas_bridge.VERSION, panel=hasattr(bpy.types, "VIEW3D_PT_orfeas"))

    # No daemon behind this home: Connect must say so at once.
    prefs.home = ARGS["emptyHome"]
    started = time.monotonic()
    try:
        bpy.ops.orfeas.connect()
        connect_error = None
    except RuntimeError as error:
        connect_error = str(error)
    drive(lambda: runtime.RUNTIME.connection.state == "offline", 10, "the offline state")
    try:
        bpy.context.scene.orfeas.image = ARGS["picture"]
        bpy.ops.orfeas.generate()
        generate_error = None
    except RuntimeError as error:
        generate_error = str(error)
    step("noDaemon", connectError=connect_error, generateError=generate_error, seconds=time.monotonic() - started,
         panelMessage=runtime.RUNTIME.connection.message, panel=draw_panel())

    # The test's daemon, receiving from editors.
    prefs.home = ARGS["home"]
    prefs.receive = True
    bpy.ops.orfeas.connect()
    drive(lambda: runtime.RUNTIME.connection.connected, 30, "the connection")
    settings = bpy.context.scene.orfeas
    step("connected", message=runtime.RUNTIME.connection.message, resolution=settings.resolution,
         defaults=runtime.RUNTIME.connection.welcome["defaults"]["resolution"], roles=list(runtime.RUNTIME.connection.roles))

    bpy.context.scene.cursor.location = (1.0, 2.0, 0.5)
    settings.image = ARGS["picture"]
    settings.name = "ball"
    settings.texture_size = 4096  # a job of a few seconds, so the panel is seen while it runs
    bpy.ops.orfeas.generate()
    job = runtime.RUNTIME.book.views()[0]
    panels = []

    def look():
        if job.state == "running" and job.stage and not panels:
            panels.append(draw_panel())
    drive(lambda: "ball" in runtime.RUNTIME.imported or job.state in ("failed", "cancelled"), 240, "the generated model", look)
    running_panel = panels[0] if panels else []
    if job.state != "done":
        raise AssertionError(f"the job ended {job.state}: {job.error}")
    obj = bpy.data.objects["ball"]
    orfeas = bpy.data.collections["Orfeas"]
    step("generated", jobId=job.job_id, stats=job.stats, object=describe(obj), cursor=list(bpy.context.scene.cursor.location),
         collection=[o.name for o in orfeas.objects], empties=[o.name for o in bpy.data.objects if o.type == "EMPTY"],
         runningPanel=running_panel, donePanel=draw_panel())

    bpy.context.scene.cursor.location = (-2.0, 0.0, 0.0)
    count = len(runtime.RUNTIME.imported)
    print("@@ORFEAS-READY-FOR-PUSH@@", flush=True)
    drive(lambda: len(runtime.RUNTIME.imported) > count, 240, "the pushed model")
    pushed = bpy.data.objects[runtime.RUNTIME.imported[-1]]
    step("pushed", object=describe(pushed), notice=runtime.RUNTIME.notice, collection=[o.name for o in orfeas.objects])

    # A whole scene pushed: every object where the document puts it, repeated models as linked duplicates.
    before = set(bpy.data.objects[:])
    count = len(runtime.RUNTIME.imported)
    print("@@ORFEAS-READY-FOR-SCENE@@", flush=True)
    drive(lambda: len(runtime.RUNTIME.imported) > count, 240, "the pushed scene")
    arrived = [obj for obj in bpy.data.objects if obj not in before]
    step("scene", notice=runtime.RUNTIME.notice, objects=[{
        "name": obj.name, "parent": obj.parent.name if obj.parent else None, "location": list(obj.matrix_world.translation),
        "mesh": obj.data.name if obj.data else None, "vertices": len(obj.data.vertices) if obj.type == "MESH" else 0,
        "collections": [c.name for c in obj.users_collection],
    } for obj in arrived])
    several_views(settings)
    triplane(settings)
    remote(settings)
    team(prefs, settings)
    bpy.ops.preferences.addon_disable(module="orfeas_bridge")
    step("disabled", connection=runtime.RUNTIME.connection is None)


try:
    main()
except Exception:
    report["error"] = traceback.format_exc()
print(BEGIN + json.dumps(report) + END, flush=True)
