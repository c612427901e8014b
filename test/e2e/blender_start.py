"""Runs inside headless Blender (`blender -b --factory-startup --python blender_start.py -- <args.json>`): installs
the add-on zip, enables it, lets it find no daemon in its home (ORFEAS_HOME), then draws the panel and asks the
Start daemon operator's poll. With `"mode": "start"` it starts the daemon with the button's operator and drives the
add-on's timer until the add-on is connected to it; with `"mode": "missing"` it tries the operator, which must
refuse. Prints one JSON report between markers; Blender then exits, leaving a started daemon running."""
import json
import os
import sys
import traceback

import bpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blender_harness import draw_panel, drive  # noqa: E402

ARGS = json.loads(open(sys.argv[sys.argv.index("--") + 1], encoding="utf-8").read())
BEGIN, END = "@@ORFEAS-START-REPORT-BEGIN@@", "@@ORFEAS-START-REPORT-END@@"
report = {"steps": []}


def step(name, **values):
    report["steps"].append(name)
    report[name] = values
    print(f"@@ORFEAS-STEP@@ {name} {json.dumps(values)}", flush=True)


def main():
    bpy.ops.preferences.addon_install(filepath=ARGS["zip"], overwrite=True)
    bpy.ops.preferences.addon_enable(module="orfeas_bridge")
    from orfeas_bridge.blender import runtime
    from orfeas_bridge.client import orfeas_home, read_discovery
    rt = runtime.RUNTIME

    home = orfeas_home()
    rt.configure()
    drive(lambda: rt.connection.state == "offline", 30, "the offline state")
    command, problem = rt.daemon_command()
    step("offline", home=home, message=rt.connection.message, panel=draw_panel(),
         poll=bpy.ops.orfeas.start_daemon.poll(), command=command.argv if command else None, problem=problem)

    if ARGS["mode"] == "missing":
        try:
            bpy.ops.orfeas.start_daemon()
            refused = None
        except RuntimeError as error:
            refused = str(error)
        step("refused", error=refused, starting=rt.starting is not None,
             files=sorted(os.listdir(home)) if os.path.isdir(home) else [])
        return

    result = bpy.ops.orfeas.start_daemon()
    pid = rt.starting.pid
    starting_panel = draw_panel()
    drive(lambda: rt.connection.connected, 120, "the connection to the started daemon")
    found = read_discovery(home)
    step("started", result=sorted(result), pid=pid, startingPanel=starting_panel, connectedPanel=draw_panel(),
         message=rt.connection.message, notice=rt.notice, port=rt.connection.port,
         discovery={"pid": found.pid, "port": found.port} if found else None,
         session={"daemon": os.getsid(pid), "blender": os.getsid(0)}, blenderPid=os.getpid(),
         pollWhenConnected=bpy.ops.orfeas.start_daemon.poll(),
         log=os.path.isfile(os.path.join(home, "daemon-start.log")))


try:
    main()
except Exception:
    report["error"] = traceback.format_exc()
print(BEGIN + json.dumps(report) + END, flush=True)
