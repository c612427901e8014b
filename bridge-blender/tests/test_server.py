"""The client against a real team server (`orfeas daemon --tls-self-signed` with a user made by `orfeas users add`):
with the right pin it connects without looking for a local daemon, sends pictures as bytes (the server refuses
paths), generates and downloads the model over HTTPS; a wrong pin is refused with both fingerprints before one
byte is written; without a pin the certificate must verify; a wrong token gets the server's reason; a local
daemon that serves TLS is pinned through daemon.json. Then the settings and the token file, without a daemon."""
from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
import unittest
from unittest import mock

from orfeas_bridge.client import REFUSED, Connection, OrfeasError, Server, generate_request, parse_server
from orfeas_bridge.client import normalize_fingerprint, schema, tls, transfer
from orfeas_bridge.client.token_file import read_token, write_token
from orfeas_bridge.client.websocket import WebSocket

from support import Daemon, add_user, next_event, remove, temp_dir, write_box_views, write_disc_png

WRONG_PIN = ":".join(["AB"] * 32)
QUICK = {"resolution": 64, "textureSize": 512}


def final(event: dict, job_id: str) -> bool:
    return event.get("jobId") == job_id and event["type"] in ("job.done", "job.failed", "job.cancelled")


def open_link(server: Server, home: str) -> Connection:
    connection = Connection("blender", "0.1.0-test", (), home, server=server)
    connection.start()
    return connection


class Wire:
    """Records what the client writes on TLS connections (every byte after the handshake) and the text messages it
    sends on WebSockets, while the patches are active."""

    def __init__(self, case: unittest.TestCase):
        self.bytes: list = []
        self.texts: list = []
        send, text = tls.TlsSocket.sendall, WebSocket.send_text

        def sendall(channel, data):
            self.bytes.append(bytes(data))
            return send(channel, data)

        def send_text(ws, data):
            self.texts.append(data)
            return text(ws, data)
        for target, name, spy in ((tls.TlsSocket, "sendall", sendall), (WebSocket, "send_text", send_text)):
            patcher = mock.patch.object(target, name, spy)
            patcher.start()
            case.addCleanup(patcher.stop)


class TeamServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = temp_dir("orfeas-py-server-")
        cls.pictures = temp_dir("orfeas-py-pictures-")
        # No daemon.json here: a client in server mode that looked for a local daemon would fail.
        cls.nowhere = temp_dir("orfeas-py-nowhere-")
        cls.token = add_user(cls.home, "ana")
        cls.daemon = Daemon(cls.home, ("--tls-self-signed",))
        cls.server = Server("127.0.0.1", cls.daemon.port, cls.token, cls.daemon.fingerprint)
        cls.picture = write_disc_png(os.path.join(cls.pictures, "disc.png"), 96)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        for folder in (cls.home, cls.pictures, cls.nowhere):
            remove(folder)

    def connect(self, server: Server) -> Connection:
        connection = open_link(server, self.nowhere)
        self.addCleanup(connection.stop)
        self.assertTrue(connection.wait_connected(20), f"{connection.state}: {connection.message}")
        return connection

    def test_the_daemon_prints_a_pin_in_the_form_the_client_compares(self):
        self.assertRegex(self.daemon.fingerprint, r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$")
        self.assertEqual(normalize_fingerprint(self.daemon.fingerprint.lower().replace(":", "")), self.daemon.fingerprint)

    def test_with_the_right_pin_it_generates_from_several_views_and_downloads_over_https(self):
        wire = Wire(self)
        connection = self.connect(self.server)
        self.assertRegex(connection.message, rf"^Connected to Orfeas \S+ at https://127\.0\.0\.1:{self.daemon.port} ")
        # The upgrade goes out first, then the hello with the user's token, all after the pin was checked.
        self.assertTrue(wire.bytes[0].startswith(b"GET /v1/ws HTTP/1.1\r\n"), wire.bytes[0][:40])
        self.assertEqual(schema.loads_strict(wire.texts[0])["type"], "hello")
        self.assertEqual(schema.loads_strict(wire.texts[0])["token"], self.token)
        # A user of the server cannot name files on it: a path is refused, so the add-on must send bytes.
        with self.assertRaises(OrfeasError) as caught:
            connection.request({"type": "generate", "image": {"path": self.picture}}).result(10)
        self.assertEqual(caught.exception.code, "E_PATH")

        box = write_box_views(self.pictures, (0.4, 1.0, 0.8))
        request = generate_request(box["front"], views=[("right", box["right"]), ("top", box["top"])], options=QUICK)
        uploads = mock.patch.object(transfer, "upload", wraps=transfer.upload)
        with uploads as uploaded:
            reply = connection.generate(request).result(60)
        self.assertEqual(reply["type"], "accepted")
        self.assertEqual([call.args[1] for call in uploaded.call_args_list], [box["right"], box["top"]])
        done = next_event(connection, lambda e: final(e, reply["jobId"]), timeout=180)
        self.assertEqual(done["type"], "job.done", done)
        self.assertEqual(sorted(done["stats"]["views"]), ["front", "right", "top"])

        glb = next(file for file in done["files"] if file["format"] == "glb")
        dest = os.path.join(self.pictures, "downloads", glb["name"])
        with mock.patch.object(transfer, "download", wraps=transfer.download) as https:
            self.assertEqual(connection.download(done["assetId"], glb["name"], dest).result(60), dest)
        self.assertEqual(https.call_args.args[0], self.server)
        with open(dest, "rb") as file:
            data = file.read()
        self.assertEqual(data[:4], b"glTF")
        self.assertEqual((len(data), hashlib.sha256(data).hexdigest()), (glb["bytes"], glb["sha256"]))
        self.assertFalse(os.path.exists(dest + ".part"))
        # The same download with another pin is refused before the request.
        with self.assertRaises(OrfeasError) as caught:
            transfer.download(Server("127.0.0.1", self.daemon.port, self.token, WRONG_PIN), done["assetId"], glb["name"], dest + ".2")
        self.assertEqual(caught.exception.code, "E_CERTIFICATE")
        self.assertFalse(os.path.exists(dest + ".2") or os.path.exists(dest + ".2.part"))

    def test_the_tls_link_carries_requests_from_several_threads_while_it_reads(self):
        # The writer thread and the reader share one TLS connection; every ping must come back as its own pong.
        connection = self.connect(self.server)
        results: list = []

        def ping(count: int) -> None:
            pendings = [connection.request({"type": "ping"}) for _ in range(count)]
            results.extend(pending.result(30)["type"] for pending in pendings)
        threads = [threading.Thread(target=ping, args=(40,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(results, ["pong"] * 120)
        self.assertTrue(connection.connected)

    def test_a_wrong_pin_is_refused_in_words_before_anything_is_sent(self):
        wire = Wire(self)
        uploads = os.path.join(self.home, "uploads")
        before = sorted(os.listdir(uploads))
        pinned = Server("127.0.0.1", self.daemon.port, self.token, WRONG_PIN)
        connection = open_link(pinned, self.nowhere)
        self.addCleanup(connection.stop)
        refused = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == REFUSED, timeout=20)
        message = refused["message"]
        self.assertIn(f"presented a certificate with SHA-256 fingerprint {self.daemon.fingerprint}, not the pinned {WRONG_PIN}", message)
        self.assertIn("nothing was sent", message)
        self.assertIn(f"https://127.0.0.1:{self.daemon.port}", message)
        with self.assertRaises(OrfeasError) as caught:
            connection.request({"type": "ping"}).result(0)
        self.assertEqual(caught.exception.code, "E_CONNECTION")
        # An upload to the same server with the same pin: refused the same way, and nothing arrives there.
        with self.assertRaises(OrfeasError) as caught:
            transfer.upload(pinned, self.picture)
        self.assertEqual(caught.exception.code, "E_CERTIFICATE")
        self.assertIn(WRONG_PIN, caught.exception.message)
        connection.stop()
        self.assertEqual((wire.bytes, wire.texts), ([], []), "no upgrade, no hello, no upload went out")
        self.assertEqual(sorted(os.listdir(uploads)), before)

    def test_without_a_pin_the_certificate_must_verify_against_the_trusted_authorities(self):
        unpinned = Server("127.0.0.1", self.daemon.port, self.token)
        connection = open_link(unpinned, self.nowhere)
        self.addCleanup(connection.stop)
        refused = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == REFUSED, timeout=20)
        self.assertIn("does not verify against this computer's certificate authorities", refused["message"])
        self.assertIn("fingerprint", refused["message"])
        connection.stop()
        # Trusted (its certificate file as the authority, as `curl --cacert` would), it verifies, host name included.
        with mock.patch.dict(os.environ, {"SSL_CERT_FILE": os.path.join(self.home, "tls", "cert.pem")}):
            trusted = self.connect(unpinned)
            self.assertEqual(trusted.request({"type": "ping"}).result(10)["type"], "pong")

    def test_a_wrong_token_gets_the_servers_reason(self):
        connection = open_link(Server("127.0.0.1", self.daemon.port, "ofu_not-a-token", self.daemon.fingerprint), self.nowhere)
        self.addCleanup(connection.stop)
        refused = next_event(connection, lambda e: e["type"] == "connection" and e["state"] == REFUSED, timeout=20)
        self.assertIn("The server refused the user token", refused["message"])
        self.assertIn("orfeas users add NAME", refused["message"])

    def test_a_local_daemon_serving_tls_is_pinned_through_daemon_json(self):
        connection = Connection("blender", "0.1.0-test", (), self.home)
        connection.start()
        self.addCleanup(connection.stop)
        self.assertTrue(connection.wait_connected(20), connection.message)
        self.assertRegex(connection.message, rf"^Connected to Orfeas \S+ on port {self.daemon.port} ")
        # The discovery token is a local client's: paths are its to name.
        with self.assertRaises(OrfeasError) as caught:
            connection.request({"type": "generate", "image": {"path": os.path.join(self.pictures, "none.png")}}).result(10)
        self.assertEqual(caught.exception.code, "E_NOT_FOUND")


class Settings(unittest.TestCase):
    def test_a_server_address_takes_the_usual_forms(self):
        pin = "99:d5:f2:5e:97:de:84:26:a0:3a:87:e0:28:eb:1a:cf:1f:3d:43:b2:84:67:cd:df:73:2e:f0:65:9e:f1:1e:fc"
        server = parse_server(" https://gpu-box:7979 ", " ofu_x ", pin)
        self.assertEqual(server, Server("gpu-box", 7979, "ofu_x", pin.upper()))
        self.assertEqual(server.url, "https://gpu-box:7979")
        self.assertNotIn("ofu_x", repr(server))
        self.assertEqual(parse_server("gpu-box", "t").port, 7878)
        self.assertEqual(parse_server("wss://10.0.0.2:9000/v1/ws", "t").authority, "10.0.0.2:9000")
        self.assertEqual(parse_server("https://[::1]:7878/", "t").url, "https://[::1]:7878")
        self.assertIsNone(parse_server("  ", "t"))

    def test_a_server_address_that_cannot_be_used_says_what_to_write(self):
        for url, token, pin, words in [
            ("http://gpu-box:7878", "t", "", "over TLS"),
            ("ws://gpu-box:7878", "t", "", "over TLS"),
            ("https://gpu-box:7878/orfeas", "t", "", "without a path"),
            ("https://gpu-box:99999", "t", "", "not a server address"),
            ("https://gpu-box:7878", " ", "", "orfeas users add NAME"),
            ("https://gpu-box:7878", "t", "AB:CD", "32 pairs of hex digits"),
        ]:
            with self.assertRaises(OrfeasError, msg=url) as caught:
                parse_server(url, token, pin)
            self.assertEqual(caught.exception.code, "E_SETTINGS")
            self.assertIn(words, caught.exception.message)

    def test_fingerprints_are_compared_in_one_form(self):
        digest = hashlib.sha256(b"certificate").hexdigest().upper()
        colon = ":".join(re.findall("..", digest))
        self.assertEqual(tls.fingerprint_of(b"certificate"), colon)
        self.assertEqual(normalize_fingerprint(f"sha256 Fingerprint={colon}"), colon)
        self.assertEqual(normalize_fingerprint(digest.lower()), colon)
        self.assertEqual(normalize_fingerprint(""), "")

    def test_the_token_file_is_its_owners_only(self):
        folder = temp_dir("orfeas-py-config-")
        self.addCleanup(remove, folder)
        path = os.path.join(folder, "config", "orfeas-server-token")
        self.assertEqual(read_token(path), "")
        write_token(path, " ofu_secret \n")
        self.assertEqual(read_token(path), "ofu_secret")
        if os.name == "posix":
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        write_token(path, "ofu_other")
        self.assertEqual(read_token(path), "ofu_other")
        self.assertEqual(os.listdir(os.path.dirname(path)), ["orfeas-server-token"])
        write_token(path, "")
        self.assertFalse(os.path.exists(path))


if __name__ == "__main__":
    unittest.main()
