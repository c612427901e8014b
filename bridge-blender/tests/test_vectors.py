"""The language-neutral protocol vectors (test/protocol-vectors/, format in its README) through the add-on's
schema.py and frames.py, checked as test/protocol/vectors.test.ts checks them against the daemon's zod schemas."""
from __future__ import annotations

import json
import os
import unittest

from orfeas_bridge.client import schema
from orfeas_bridge.client.frames import FrameError, decode_frame

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "test", "protocol-vectors"))


def load_vectors(folder: str) -> list:
    """(name, vector) for every vector of a folder, sorted by file name; an empty folder fails the run."""
    directory = os.path.join(VECTORS_DIR, folder)
    names = sorted(name for name in os.listdir(directory) if name.endswith(".json"))
    if not names:
        raise AssertionError(f"no vectors in {directory}")
    vectors = []
    for name in names:
        with open(os.path.join(directory, name), encoding="utf-8") as file:
            vectors.append((name[: -len(".json")], schema.loads_strict(file.read())))
    return vectors


def client_text(vector: dict) -> str:
    """The text frame a client vector stands for: `raw` verbatim, else `json` written as JSON.stringify would."""
    if "raw" in vector:
        return vector["raw"]
    return json.dumps(vector["json"], separators=(",", ":"), ensure_ascii=False)


def json_equal(a, b) -> bool:
    """Equality of JSON values, where true is not 1 (Python's == says it is)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    return a == b


class ClientVectors(unittest.TestCase):
    def test_valid(self):
        for name, vector in load_vectors("client/valid"):
            with self.subTest(name):
                self.assertTrue(vector["expect"]["valid"])
                result = schema.parse_client_message(client_text(vector))
                self.assertTrue(result.ok, f"{vector['description']}: {result.message_text}")
                self.assertEqual(result.message["type"], vector["expect"]["type"])

    def test_invalid(self):
        for name, vector in load_vectors("client/invalid"):
            with self.subTest(name):
                expected = vector["expect"]
                self.assertFalse(expected["valid"], "a vector in client/invalid must expect valid: false")
                result = schema.parse_client_message(client_text(vector))
                self.assertFalse(result.ok, f"accepted: {vector['description']}")
                self.assertEqual(result.code, expected["code"])
                self.assertEqual(result.field, expected.get("field"), result.message_text)
                self.assertEqual(result.re, expected.get("re"))
                self.assertTrue(result.message_text)

    def test_cover_every_type(self):
        valid_types = {vector["expect"]["type"] for _, vector in load_vectors("client/valid")}
        self.assertEqual(sorted(valid_types), sorted(schema.CLIENT_TYPES))
        invalid_types = set()
        for _, vector in load_vectors("client/invalid"):
            kind = vector.get("json").get("type") if isinstance(vector.get("json"), dict) else None
            if isinstance(kind, str) and kind in schema.CLIENT_TYPES:
                invalid_types.add(kind)
        self.assertEqual(sorted(invalid_types), sorted(schema.CLIENT_TYPES))


class DaemonVectors(unittest.TestCase):
    def test_verdicts(self):
        for folder, verdict in (("daemon/valid", True), ("daemon/invalid", False)):
            for name, vector in load_vectors(folder):
                with self.subTest(f"{folder}/{name}"):
                    self.assertIs(vector["expect"]["valid"], verdict, "a vector must sit in the folder its verdict names")
                    problem = schema.check_daemon_message(vector["json"])
                    self.assertIs(problem is None, verdict, f"{vector['description']}: {problem}")
                    if problem is not None:
                        self.assertIsInstance(problem, str)

    def test_cover_every_type(self):
        types = {vector["json"]["type"] for _, vector in load_vectors("daemon/valid")}
        self.assertEqual(sorted(types), sorted(schema.DAEMON_TYPES))


class FrameVectors(unittest.TestCase):
    def test_frames(self):
        vectors = load_vectors("frames")
        self.assertTrue(any(v["expect"]["valid"] for _, v in vectors) and any(not v["expect"]["valid"] for _, v in vectors))
        for name, vector in vectors:
            with self.subTest(name):
                self.assertRegex(vector["hex"], r"\A(?:[0-9a-f]{2})*\Z")
                data = bytes.fromhex(vector["hex"])
                expected = vector["expect"]
                if expected["valid"]:
                    header, payload = decode_frame(data)
                    self.assertTrue(json_equal(header, expected["header"]), f"{header!r} != {expected['header']!r}")
                    self.assertEqual(payload.hex(), expected["payloadHex"])
                else:
                    with self.assertRaises(FrameError) as caught:
                        decode_frame(data)
                    self.assertEqual(caught.exception.code, expected["code"])
                    self.assertTrue(str(caught.exception))


if __name__ == "__main__":
    unittest.main()
