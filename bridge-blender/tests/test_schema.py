"""The validator's Python pitfalls (bool, integral floats, `$`, code points) and schema.py's answers beyond the
vectors: results, daemon sentences, generate options, and unknown keywords refused."""
from __future__ import annotations

import unittest

from orfeas_bridge.client import schema
from orfeas_bridge.client.validator import SchemaError, check_schema, validate

JOB_ID = "j_0123456789abcdefghij"


def fields(schema_, value) -> list:
    return [".".join(map(str, issue.path)) for issue in validate(schema_, value)]


class Validator(unittest.TestCase):
    def test_true_is_not_a_number(self):
        self.assertTrue(validate({"type": "number"}, True))
        self.assertTrue(validate({"type": "integer"}, False))
        self.assertFalse(validate({"type": "boolean"}, True))
        self.assertTrue(validate({"const": True}, 1))

    def test_integral_float_is_an_integer(self):
        self.assertEqual(validate({"type": "integer", "minimum": 32}, 256.0), [])
        self.assertTrue(validate({"type": "integer"}, 256.5))

    def test_non_finite_numbers_are_refused(self):
        for value in (float("nan"), float("inf"), -float("inf"), 10**400):
            self.assertTrue(validate({"type": "number"}, value), value)

    def test_dollar_does_not_match_before_a_trailing_newline(self):
        id_schema = {"type": "string", "pattern": "^j_[a-z0-9]{20}$"}
        self.assertEqual(validate(id_schema, JOB_ID), [])
        self.assertTrue(validate(id_schema, JOB_ID + "\n"))

    def test_lengths_count_code_points_like_zod(self):
        self.assertEqual(validate({"type": "string", "maxLength": 2}, "\U0001F600\U0001F600"), [])
        self.assertTrue(validate({"type": "string", "maxLength": 2}, "\U0001F600ab"))

    def test_unknown_keyword_raises(self):
        with self.assertRaises(SchemaError):
            validate({"type": "string", "format": "email"}, "a@b")
        with self.assertRaises(SchemaError):
            check_schema({"type": "object", "properties": {"a": {"if": {}}}})
        with self.assertRaises(SchemaError):
            check_schema({"type": "string", "pattern": "^\\d+$"})

    def test_union_reports_the_one_softly_failing_option(self):
        image = schema.load()["client"]["generate"]["properties"]["image"]
        self.assertEqual(fields(image, {"path": ""}), ["path"])
        self.assertEqual(fields(image, {"path": 5}), [""])
        self.assertEqual(fields(image, {"path": "a", "upload": "u_0123456789abcdefghij"}), [""])

    def test_tuple_length_is_checked_before_items(self):
        vector = {"type": "array", "prefixItems": [{"type": "number"}] * 3, "items": False, "minItems": 3, "maxItems": 3}
        self.assertEqual(fields(vector, [1, "a"]), [""])
        self.assertEqual(fields(vector, [1, "a", 3]), ["1"])


class Messages(unittest.TestCase):
    def test_parse_result(self):
        result = schema.parse_client_message('{"type":"cancel","id":"7","jobId":"J_0123456789abcdefghij"}')
        self.assertEqual((result.ok, result.code, result.field, result.re), (False, "E_BAD_MESSAGE", "jobId", "7"))
        self.assertEqual(result.message_text, 'Invalid field "jobId" in cancel: a job id such as j_0123456789abcdefghij.')
        ok = schema.parse_client_message({"type": "cancel", "id": "7", "jobId": JOB_ID})
        self.assertEqual((ok.ok, ok.message["jobId"], ok.code, ok.field, ok.re), (True, JOB_ID, None, None, None))

    def test_strict_json(self):
        for text in ('{"type":"ping","id":"7","x":Infinity}', '\ufeff{"type":"ping","id":"7"}'):
            result = schema.parse_client_message(text)
            self.assertEqual((result.code, result.field, result.re), ("E_BAD_MESSAGE", None, None), text)

    def test_re_is_measured_in_utf16_units(self):
        result = schema.parse_client_message({"type": "nope", "id": "\U0001F600" * 33})
        self.assertEqual((result.code, result.re), ("E_UNKNOWN_TYPE", None))

    def test_push_names_asset_id(self):
        result = schema.parse_client_message({"type": "push", "id": "7", "target": "blender"})
        self.assertEqual(result.field, "assetId")
        self.assertEqual(result.message_text, 'Invalid field "assetId" in push: give exactly one of assetId and sceneId.')

    def test_daemon_sentences(self):
        self.assertIsNone(schema.check_daemon_message({"type": "pong", "re": "7", "extra": 1}))
        self.assertIn('"re"', schema.check_daemon_message({"type": "pong"}))
        self.assertIn("Unknown", schema.check_daemon_message({"type": "pang", "re": "7"}))
        self.assertIn('"type"', schema.check_daemon_message({"re": "7"}))
        self.assertIn("object", schema.check_daemon_message([]))

    def test_generate_options_and_types(self):
        options = schema.generate_options()
        self.assertEqual(options["resolution"], {"default": 256, "type": "integer", "minimum": 32, "maximum": 1024})
        self.assertEqual(options["collider"]["enum"], ["none", "hull", "mesh"])
        options["resolution"]["default"] = 1
        self.assertEqual(schema.generate_options()["resolution"]["default"], 256)
        self.assertIn("generate", schema.CLIENT_TYPES)
        self.assertIn("job.progress", schema.DAEMON_TYPES)
        self.assertEqual((schema.PROTOCOL_VERSION, schema.MAX_HEADER_BYTES), (1, 65536))


if __name__ == "__main__":
    unittest.main()
