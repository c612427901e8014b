"""Bench inside headless Blender: with the add-on enabled and connected, per run (1) the client's download of a
finished job's GLB, (2) the add-on's whole import of that job (download, glTF import, collection, placement)
driven through its timer, and (3) Blender's own glTF import of the same local file, the reference. Prints JSON."""
import json
import os
import sys
import time

import bpy

ARGS = json.loads(open(sys.argv[sys.argv.index("--") + 1], encoding="utf-8").read())


def clear():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for mesh in list(bpy.data.meshes):
        bpy.data.meshes.remove(mesh)
    for image in list(bpy.data.images):
        bpy.data.images.remove(image)


bpy.ops.preferences.addon_install(filepath=ARGS["zip"], overwrite=True)
bpy.ops.preferences.addon_enable(module="orfeas_bridge")
from orfeas_bridge.blender import importer, runtime  # noqa: E402

prefs = bpy.context.preferences.addons["orfeas_bridge"].preferences
prefs.home, prefs.downloads = ARGS["home"], ARGS["downloads"]
bpy.ops.orfeas.connect()
rt = runtime.RUNTIME
deadline = time.monotonic() + 30
while not rt.connection.connected and time.monotonic() < deadline:
    runtime.pump()
    time.sleep(0.02)
rt.book.add(ARGS["jobId"], "bench")
rt.book.apply(ARGS["done"])
view = rt.book.get(ARGS["jobId"])
result = {"downloadMs": [], "bridgeImportMs": [], "blenderImportMs": [], "bytes": 0}
local = os.path.join(ARGS["downloads"], "reference.glb")
for run in range(ARGS["runs"]):
    started = time.perf_counter()
    path = rt.connection.download(view.asset_id, view.glb(), local).result(60)
    result["downloadMs"].append((time.perf_counter() - started) * 1000)
    result["bytes"] = os.path.getsize(path)

    clear()
    count = len(rt.imported)
    started = time.perf_counter()
    rt.import_job(view.job_id)
    while len(rt.imported) == count:
        runtime.pump()
        if rt.notice_error:
            raise SystemExit(rt.notice)
    result["bridgeImportMs"].append((time.perf_counter() - started) * 1000)

    clear()
    importer.ensure_numpy_bool()
    started = time.perf_counter()
    bpy.ops.import_scene.gltf(filepath=local)
    result["blenderImportMs"].append((time.perf_counter() - started) * 1000)
print("@@ORFEAS-BENCH@@" + json.dumps(result), flush=True)
bpy.ops.preferences.addon_disable(module="orfeas_bridge")
