"""encode_frame against decode_frame and against the layout frames.ts writes (the vectors cover decoding)."""
from __future__ import annotations

import unittest

from orfeas_bridge.client.frames import FrameError, decode_frame, encode_frame


class Frames(unittest.TestCase):
    def test_round_trip_counts_utf8_bytes(self):
        frame = encode_frame({"type": "generate", "id": "é"}, b"\x01\x02\x03\xfa")
        header = '{"type":"generate","id":"é"}'.encode("utf-8")
        self.assertEqual(frame, len(header).to_bytes(4, "big") + header + b"\x01\x02\x03\xfa")
        self.assertEqual(decode_frame(frame), ({"type": "generate", "id": "é"}, b"\x01\x02\x03\xfa"))

    def test_lone_surrogate_is_escaped(self):
        header, _ = decode_frame(encode_frame({"name": "a\ud800"}, b""))
        self.assertEqual(header, {"name": "a\ud800"})

    def test_refusals_carry_the_protocol_code(self):
        for data in (b"\x00\x00\x01", b"\x00\x00\x00\x00\x01", b"\x00\x00\x00\x09{", b"\x00\x00\x00\x03{{{"):
            with self.assertRaises(FrameError) as caught:
                decode_frame(data)
            self.assertEqual(caught.exception.code, "E_BAD_MESSAGE")
            self.assertIsInstance(caught.exception, ValueError)
        with self.assertRaises(FrameError):
            encode_frame({"name": "x" * 70000}, b"")
        with self.assertRaises(ValueError):
            encode_frame({"x": float("nan")}, b"")


if __name__ == "__main__":
    unittest.main()
