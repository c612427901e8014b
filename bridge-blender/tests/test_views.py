"""Multi-view requests as the panel builds them, without a daemon: the front with named sides, a turnaround sheet
with its views named left to right, the mistakes refused before sending (a side twice, an unknown side, a sheet
without the front, views and a sheet together), the default name, and the words for the views' agreement."""
from __future__ import annotations

import os
import unittest

from orfeas_bridge.client import OrfeasError, schema
from orfeas_bridge.client.views import (SHEET_LAYOUTS, default_name, describe_agreement, extra_views, generate_request,
                                        parse_sheet, view_names)

from support import remove, temp_dir, write_disc_png


class Pictures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = temp_dir("orfeas-py-views-")
        cls.paths = {name: write_disc_png(os.path.join(cls.folder, f"crate_{name}.png"), 8) for name in view_names()}

    @classmethod
    def tearDownClass(cls):
        remove(cls.folder)

    def refused(self, code: str, field: str | None, **request) -> str:
        with self.assertRaises(OrfeasError) as caught:
            generate_request(**request)
        self.assertEqual((caught.exception.code, caught.exception.details.get("field")), (code, field))
        return caught.exception.message

    def assert_valid(self, request: dict) -> None:
        # As the connection sends it: with a request id.
        checked = schema.parse_client_message(dict(request, id="b1"))
        self.assertTrue(checked.ok, checked.message_text)


class Views(Pictures):
    def test_the_front_and_named_sides_make_one_request_the_schema_accepts(self):
        p = self.paths
        request = generate_request(p["front"], views=[("right", p["right"]), ("top", p["top"])], options={"resolution": 64})
        self.assertEqual(request, {
            "type": "generate", "image": {"path": p["front"]},
            "views": [{"view": "right", "image": {"path": p["right"]}}, {"view": "top", "image": {"path": p["top"]}}],
            "options": {"resolution": 64}, "name": "crate",
        })
        self.assert_valid(request)

    def test_a_mapping_works_as_pairs_do_and_uploads_pass_through(self):
        upload = {"upload": "u_0123456789abcdefghij"}
        request = generate_request(upload, views={"back": self.paths["back"], "left": upload}, name="  Crate  ")
        self.assertEqual(request["image"], upload)
        self.assertEqual([(v["view"], v["image"]) for v in request["views"]], [("back", {"path": self.paths["back"]}), ("left", upload)])
        self.assertEqual(request["name"], "Crate")
        self.assertNotIn("options", request)
        self.assert_valid(request)

    def test_paths_are_made_absolute(self):
        here = os.getcwd()
        os.chdir(self.folder)
        self.addCleanup(os.chdir, here)
        request = generate_request("crate_front.png", views=[("back", "crate_back.png")])
        self.assertEqual((request["image"]["path"], request["views"][0]["image"]["path"]), (self.paths["front"], self.paths["back"]))

    def test_one_front_picture_is_the_plain_request(self):
        request = generate_request(self.paths["front"])
        self.assertEqual(sorted(request), ["image", "name", "type"])
        self.assert_valid(request)

    def test_a_side_given_twice_is_refused_before_sending(self):
        p = self.paths
        message = self.refused("E_BAD_MESSAGE", "views.2.view", image=p["front"],
                               views=[("right", p["right"]), ("top", p["top"]), ("right", p["left"])])
        self.assertEqual(message, "The right view is given twice (views.2). Give each side once.")
        # The schema alone lets the duplicate through: only this check (and the daemon's) catches it.
        self.assert_valid({"type": "generate", "image": {"path": p["front"]},
                           "views": [{"view": "right", "image": {"path": p["right"]}}] * 2})

    def test_unknown_sides_and_the_front_as_a_side_are_refused(self):
        for i, side in ((0, "front"), (0, "side"), (0, "Right")):
            message = self.refused("E_BAD_MESSAGE", f"views.{i}.view", image=self.paths["front"], views=[(side, self.paths["back"])])
            self.assertIn("back, left, right or top", message)

    def test_a_missing_picture_is_named_by_its_view(self):
        missing = os.path.join(self.folder, "nowhere.png")
        message = self.refused("E_NOT_FOUND", None, image=self.paths["front"], views=[("left", missing)])
        self.assertEqual(message, f"The left view: {missing} does not exist.")
        self.assertEqual(self.refused("E_NOT_FOUND", None, image=missing), f"{missing} does not exist.")
        self.assertIn("front", self.refused("E_BAD_MESSAGE", "image", image=" "))

    def test_the_view_names_are_the_schemas(self):
        self.assertEqual(view_names(), ("front", "back", "left", "right", "top"))
        self.assertEqual(extra_views(), ("back", "left", "right", "top"))


class Sheet(Pictures):
    def test_a_sheet_names_its_views_left_to_right(self):
        sheet = os.path.join(self.folder, "robot_sheet.png")
        write_disc_png(sheet, 8)
        request = generate_request(sheet, sheet="Front, right;BACK  top")
        self.assertEqual(request, {"type": "generate", "image": {"path": sheet}, "sheet": ["front", "right", "back", "top"], "name": "robot"})
        self.assert_valid(request)
        self.assertEqual(generate_request(sheet, sheet=("right", "front"))["sheet"], ["right", "front"], "the front need not come first")

    def test_every_offered_layout_is_valid(self):
        for layout in SHEET_LAYOUTS:
            self.assertEqual(parse_sheet(",".join(layout)), list(layout))
            self.assert_valid(generate_request(self.paths["front"], sheet=layout))
        self.assertEqual(len(set(SHEET_LAYOUTS)), len(SHEET_LAYOUTS))

    def test_a_bad_sheet_says_what_to_change(self):
        cases = {
            "": ("sheet", "Name the sheet's views left to right, e.g. front,right,back."),
            "front, side": ("sheet.1", 'The sheet names "side", which is not a view: use front, back, left, right or top.'),
            "front right front": ("sheet.2", "The sheet names the front view twice. Name each view once, left to right."),
            "right, back": ("sheet", "The sheet's views (right, back) do not include the front. Name the views left to right, e.g. front,right,back."),
            "front": ("sheet", "A sheet holds at least two views side by side, e.g. front,right,back. For one picture, use the front picture instead."),
        }
        for text, (field, sentence) in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(OrfeasError) as caught:
                    parse_sheet(text)
                self.assertEqual((caught.exception.code, caught.exception.details["field"], caught.exception.message),
                                 ("E_BAD_MESSAGE", field, sentence))
                self.refused("E_BAD_MESSAGE", field, image=self.paths["front"], sheet=text)

    def test_a_sheet_and_separate_views_together_are_refused(self):
        message = self.refused("E_BAD_MESSAGE", "sheet", image=self.paths["front"], views=[("back", self.paths["back"])], sheet="front,back")
        self.assertIn("not both", message)
        self.assertIn("sheet", self.refused("E_BAD_MESSAGE", "image", image="", sheet="front,back"))


class Words(unittest.TestCase):
    def test_the_name_drops_a_front_or_sheet_suffix(self):
        for path, name in (("/p/cat_front.png", "cat"), ("/p/cat-Front.PNG", "cat"), ("/p/cat front.jpg", "cat"),
                           ("/p/robot_sheet.png", "robot"), ("/p/frontier.png", "frontier"), ("/p/front.png", "front"),
                           ("/p/_front.png", "_front"), ({"upload": "u_0123456789abcdefghij"}, "model")):
            self.assertEqual(default_name(path), name, path)

    def test_agreement_in_words(self):
        stats = {"vertices": 3, "views": {"top": 0.614, "front": 0.98, "right": 0.951}}
        self.assertEqual(describe_agreement(stats), "views agree: front 98%, right 95%, top 61%")
        self.assertEqual(describe_agreement({"vertices": 3}), "")
        self.assertEqual(describe_agreement(None), "")


if __name__ == "__main__":
    unittest.main()
