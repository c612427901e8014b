"""The add-on's client against a real daemon process: handshake, generate with progress, download, cancel, coded
errors, several views and turnaround sheets, a push between two clients, reconnecting after the daemon restarts,
and no daemon at all."""
from __future__ import annotations

import hashlib
import json
import os
import time
import unittest

from orfeas_bridge.client import CONNECTED, OFFLINE, REFUSED, Connection, JobBook, OrfeasError, generate_request
from orfeas_bridge.client import schema

from support import Daemon, next_event, remove, temp_dir, write_box_sheet, write_box_views, write_disc_png

STAGES = ["decode", "segment", "shape", "mesh", "texture", "optimize", "export"]


def connect(home: str, name: str = "blender", roles: tuple = ()) -> Connection:
    connection = Connection(name, "0.1.0-test", roles, home)
    connection.start()
    if not connection.wait_connected(20):
        connection.stop()
        raise AssertionError(f"not connected: {connection.state}: {connection.message}")
    return connection


def final(event: dict, job_id: str) -> bool:
    return event.get("jobId") == job_id and event["type"] in ("job.done", "job.failed", "job.cancelled")


def glb_extent(data: bytes) -> list:
    """Width, height and depth (glTF x, y, z) of a GLB's first mesh, from its POSITION accessor's bounds."""
    document = json.loads(data[20:20 + int.from_bytes(data[12:16], "little")])
    accessor = document["accessors"][document["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]
    return [high - low for low, high in zip(accessor["min"], accessor["max"])]


# A box whose three edges differ, 1 m tall as models are by default: each view shows two of them.
BOX = (0.4, 1.0, 0.8)
QUICK = {"resolution": 96, "textureSize": 512}


class WithDaemon(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = temp_dir("orfeas-py-home-")
        cls.pictures = temp_dir("orfeas-py-pictures-")
        cls.daemon = Daemon(cls.home)
        cls.picture = write_disc_png(os.path.join(cls.pictures, "disc.png"), 96)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        remove(cls.home)
        remove(cls.pictures)

    def setUp(self):
        self.connection = connect(self.home)
        self.addCleanup(self.connection.stop)

    def test_handshake_gives_the_daemons_defaults_and_limits(self):
        welcome = self.connection.welcome
        self.assertIsNone(schema.check_daemon_message(welcome))
        self.assertEqual(welcome["protocol"], 1)
        self.assertEqual(self.connection.port, self.daemon.port)
        self.assertEqual(welcome["defaults"]["resolution"], schema.generate_options()["resolution"]["default"])
        self.assertIn("builtin:inflate", [model["id"] for model in welcome["models"]])
        self.assertEqual(self.connection.request({"type": "ping"}).result(10)["type"], "pong")

    def test_stopped_and_started_again_it_works(self):
        self.connection.stop()
        self.assertEqual(self.connection.state, "idle")
        with self.assertRaises(OrfeasError):
            self.connection.request({"type": "ping"}).result(0)
        self.connection.start()
        self.assertTrue(self.connection.wait_connected(20), self.connection.message)
        self.assertEqual(self.connection.request({"type": "ping"}).result(10)["type"], "pong")

    def test_generate_reports_progress_and_the_model_downloads_intact(self):
        book = JobBook()
        reply = self.connection.request({"type": "generate", "image": {"path": self.picture},
                                         "options": {"resolution": 64, "textureSize": 512}, "name": "disc"}).result(10)
        self.assertEqual(reply["type"], "accepted")
        job_id = reply["jobId"]
        book.add(job_id, "disc")
        seen: list = []
        done = next_event(self.connection, lambda e: final(e, job_id), seen=seen)
        for event in seen:
            book.apply(event)
        self.assertEqual(done["type"], "job.done", done)
        # At most ten progress events a second per job, and a small job may end before a second one is due:
        # the protocol promises order, not a report of every stage.
        progress = [e for e in seen if e["type"] == "job.progress" and e["jobId"] == job_id]
        stages = [e["stage"] for e in progress]
        self.assertGreaterEqual(len(stages), 1, "progress is reported")
        self.assertEqual(stages, sorted(stages, key=STAGES.index), "stages arrive in pipeline order")
        overall = [e["progress"] for e in progress]
        self.assertEqual(overall, sorted(overall), "overall progress never goes back")
        view = book.get(job_id)
        self.assertEqual((view.state, view.glb(), view.progress), ("done", "disc.glb", 1.0))

        glb = next(file for file in done["files"] if file["format"] == "glb")
        dest = os.path.join(self.pictures, "downloads", "disc.glb")
        self.assertEqual(self.connection.download(done["assetId"], glb["name"], dest).result(30), dest)
        with open(dest, "rb") as file:
            data = file.read()
        self.assertEqual(data[:4], b"glTF")
        self.assertEqual((len(data), hashlib.sha256(data).hexdigest()), (glb["bytes"], glb["sha256"]))
        self.assertFalse(os.path.exists(dest + ".part"))
        vertices = json.loads(data[20:20 + int.from_bytes(data[12:16], "little")])["accessors"][0]["count"]
        self.assertEqual(vertices, done["stats"]["vertices"])

    def test_cancel_ends_a_running_job(self):
        big = write_disc_png(os.path.join(self.pictures, "big.png"), 1500)
        reply = self.connection.request({"type": "generate", "image": {"path": big},
                                         "options": {"resolution": 1024, "textureSize": 4096}}).result(10)
        job_id = reply["jobId"]
        next_event(self.connection, lambda e: e.get("jobId") == job_id and e["type"] == "job.progress")
        self.assertEqual(self.connection.request({"type": "cancel", "jobId": job_id}).result(10)["type"], "ok")
        self.assertEqual(next_event(self.connection, lambda e: final(e, job_id))["type"], "job.cancelled")

    def test_daemon_errors_arrive_coded_and_the_connection_stays(self):
        with self.assertRaises(OrfeasError) as caught:
            self.connection.request({"type": "generate", "image": {"path": os.path.join(self.pictures, "none.png")}}).result(10)
        self.assertEqual(caught.exception.code, "E_NOT_FOUND")
        self.assertIn("none.png", caught.exception.message)
        with self.assertRaises(OrfeasError) as caught:
            self.connection.download("0" * 64, "x.glb", os.path.join(self.pictures, "x.glb")).result(10)
        self.assertEqual(caught.exception.code, "E_NOT_FOUND")
        self.assertEqual(self.connection.request({"type": "ping"}).result(10)["type"], "pong")

    def test_a_bad_request_is_refused_before_it_is_sent(self):
        pending = self.connection.request({"type": "generate", "image": {"path": self.picture}, "options": {"resolution": 5}})
        self.assertTrue(pending.done())
        with self.assertRaises(OrfeasError) as caught:
            pending.result(0)
        self.assertEqual((caught.exception.code, caught.exception.details["field"]), ("E_BAD_MESSAGE", "options.resolution"))

    def test_three_views_of_a_box_give_a_model_of_its_proportions(self):
        views = write_box_views(self.pictures, BOX)
        request = generate_request(views["front"], views=[("right", views["right"]), ("top", views["top"])], options=QUICK)
        self.assertEqual(request["name"], "box")
        reply = self.connection.request(request).result(10)
        done = next_event(self.connection, lambda e: final(e, reply["jobId"]), timeout=120)
        self.assertEqual(done["type"], "job.done", done)
        self.assertIsNone(schema.check_daemon_message(done))
        agreement = done["stats"]["views"]
        self.assertEqual(sorted(agreement), ["front", "right", "top"])
        self.assertTrue(all(0 <= value <= 1 for value in agreement.values()), agreement)

        glb = next(file for file in done["files"] if file["format"] == "glb")
        self.assertEqual(glb["name"], "box.glb")
        dest = os.path.join(self.pictures, "downloads", "box.glb")
        self.connection.download(done["assetId"], glb["name"], dest).result(30)
        with open(dest, "rb") as file:
            data = file.read()
        self.assertEqual((len(data), hashlib.sha256(data).hexdigest()), (glb["bytes"], glb["sha256"]))
        # The side view gives the depth the front alone cannot: the model is as deep as the box, within 20%.
        width, height, depth = glb_extent(data)
        self.assertAlmostEqual(height, 1.0, delta=0.01)
        self.assertAlmostEqual(width, BOX[0], delta=0.2 * BOX[0])
        self.assertAlmostEqual(depth, BOX[2], delta=0.2 * BOX[2])

    def test_a_sheet_generates_and_one_that_does_not_split_fails_with_its_code(self):
        sheet = write_box_sheet(os.path.join(self.pictures, "box_sheet.png"), BOX, ["front", "right"])
        reply = self.connection.request(generate_request(sheet, sheet="front, right", options=QUICK)).result(10)
        done = next_event(self.connection, lambda e: final(e, reply["jobId"]), timeout=120)
        self.assertEqual(done["type"], "job.done", done)
        self.assertEqual(sorted(done["stats"]["views"]), ["front", "right"])
        # One disc named as three views: the daemon cannot split it and says so.
        reply = self.connection.request(generate_request(self.picture, sheet="front,right,back", options=QUICK)).result(10)
        failed = next_event(self.connection, lambda e: final(e, reply["jobId"]), timeout=120)
        self.assertEqual((failed["type"], failed["code"]), ("job.failed", "E_SHEET"))
        self.assertIn("3 views", failed["message"])

    def test_the_daemon_refuses_a_side_twice_as_the_client_does(self):
        right = write_box_views(self.pictures, BOX)["right"]
        twice = {"type": "generate", "image": {"path": self.picture},
                 "views": [{"view": "right", "image": {"path": right}}, {"view": "right", "image": {"path": right}}]}
        with self.assertRaises(OrfeasError) as daemon:
            self.connection.request(twice).result(10)
        with self.assertRaises(OrfeasError) as client:
            generate_request(self.picture, views=[("right", right), ("right", right)])
        self.assertEqual((daemon.exception.code, daemon.exception.details.get("field")), ("E_BAD_MESSAGE", "views.1.view"))
        self.assertEqual((client.exception.code, client.exception.details["field"]), ("E_BAD_MESSAGE", "views.1.view"))

    def test_a_push_reaches_the_import_target_only(self):
        receiver = connect(self.home, "blender", ("import-target",))
        self.addCleanup(receiver.stop)
        reply = self.connection.request({"type": "generate", "image": {"path": self.picture}, "options": {"resolution": 48}}).result(10)
        done = next_event(self.connection, lambda e: final(e, reply["jobId"]))
        sender = connect(self.home, "vscode")
        self.addCleanup(sender.stop)
        ok = sender.request({"type": "push", "target": "blender", "assetId": done["assetId"], "placement": {"atCursor": True}}).result(10)
        self.assertEqual(ok["delivered"], 1)
        received = next_event(receiver, lambda e: e["type"] == "import")
        self.assertEqual((received["assetId"], received["from"], received["placement"]), (done["assetId"], "vscode", {"atCursor": True}))
        self.assertEqual([f["sha256"] for f in received["files"]], [f["sha256"] for f in done["files"]])
        unity = sender.request({"type": "push", "target": "unity", "assetId": done["assetId"]}).result(10)
        self.assertEqual(unity["delivered"], 0)


class Reconnect(unittest.TestCase):
    def setUp(self):
        self.home = temp_dir("orfeas-py-restart-")
        self.pictures = temp_dir("orfeas-py-pictures-")
        self.addCleanup(remove, self.home)
        self.addCleanup(remove, self.pictures)

    def test_reconnects_after_the_daemon_restarts_and_the_followed_job_finishes(self):
        first = Daemon(self.home)
        connection = connect(self.home)
        self.addCleanup(connection.stop)
        picture = write_disc_png(os.path.join(self.pictures, "slow.png"), 1200)
        job_id = connection.request({"type": "generate", "image": {"path": picture},
                                     "options": {"resolution": 768, "textureSize": 4096}}).result(10)["jobId"]
        connection.follow(job_id)
        next_event(connection, lambda e: e.get("jobId") == job_id and e["type"] == "job.progress")
        first.kill()  # a crash mid-job: the next daemon picks the job up again
        lost = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == OFFLINE, timeout=10)
        self.assertIn("reconnecting", lost["message"])
        with self.assertRaises(OrfeasError) as caught:
            connection.request({"type": "ping"}).result(1)
        self.assertEqual(caught.exception.code, "E_CONNECTION")

        second = Daemon(self.home)
        self.addCleanup(second.stop)
        self.assertTrue(connection.wait_connected(40), connection.message)
        self.assertEqual(connection.port, second.port)
        done = next_event(connection, lambda e: final(e, job_id), timeout=240)
        self.assertEqual(done["type"], "job.done", done)
        self.assertEqual(connection.request({"type": "ping"}).result(10)["type"], "pong")

    def test_a_stopping_daemon_says_so(self):
        daemon = Daemon(self.home)
        connection = connect(self.home)
        self.addCleanup(connection.stop)
        daemon.stop()
        lost = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == OFFLINE, timeout=10)
        self.assertIn("shutting down", lost["message"])


class NoDaemon(unittest.TestCase):
    def test_no_daemon_gives_a_clear_message_at_once(self):
        home = temp_dir("orfeas-py-empty-")
        self.addCleanup(remove, home)
        connection = Connection("blender", "0.1.0-test", (), home)
        started = time.monotonic()
        connection.start()
        self.addCleanup(connection.stop)
        event = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == OFFLINE, timeout=5)
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn("not running", event["message"])
        self.assertIn(home, event["message"])
        with self.assertRaises(OrfeasError) as caught:
            connection.request({"type": "ping"}).result(0)
        self.assertEqual(caught.exception.code, "E_CONNECTION")
        self.assertIn("not running", caught.exception.message)

    def test_a_stale_discovery_file_is_not_a_running_daemon(self):
        home = temp_dir("orfeas-py-stale-")
        self.addCleanup(remove, home)
        daemon = Daemon(home)
        daemon.kill()
        connection = Connection("blender", "0.1.0-test", (), home)
        connection.start()
        self.addCleanup(connection.stop)
        event = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == OFFLINE, timeout=5)
        self.assertIn(f"pid {daemon.process.pid}, has stopped", event["message"])

    def test_a_wrong_token_is_refused_with_its_code(self):
        home = temp_dir("orfeas-py-token-")
        self.addCleanup(remove, home)
        daemon = Daemon(home)
        self.addCleanup(daemon.stop)
        path = os.path.join(home, "daemon.json")
        with open(path, encoding="utf-8") as file:
            found = json.load(file)
        found["token"] = "not-the-token"
        with open(path, "w", encoding="utf-8") as file:
            json.dump(found, file)
        connection = Connection("blender", "0.1.0-test", (), home)
        connection.start()
        self.addCleanup(connection.stop)
        event = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == REFUSED, timeout=5)
        self.assertIn("refused the token", event["message"])


if __name__ == "__main__":
    unittest.main()
