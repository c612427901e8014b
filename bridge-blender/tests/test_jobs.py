"""Job views as the panel shows them: events applied in order, the progress words VS Code also uses, recent
jobs from `job.list`, and how many finished jobs are kept."""
from __future__ import annotations

import unittest

from orfeas_bridge.client.jobs import JobBook, describe_progress

A, B = "j_aaaaaaaaaaaaaaaaaaaa", "j_bbbbbbbbbbbbbbbbbbbb"
ASSET = "a" * 64


def progress(job_id, stage, value, eta):
    return {"type": "job.progress", "jobId": job_id, "stage": stage, "stageIndex": 0, "stageCount": 7,
            "progress": value, "stageProgress": 0.5, "etaMs": eta}


class Words(unittest.TestCase):
    def test_progress_words(self):
        self.assertEqual(describe_progress("texture", 0.456, 3200), "texture · 46% · about 3 s left")
        self.assertEqual(describe_progress("mesh", 0.1, 400), "mesh · 10% · less than a second left")
        self.assertEqual(describe_progress("shape", 0.2, 150_000), "shape · 20% · about 3 min left")
        self.assertEqual(describe_progress("mesh", 0.125, 2500), "mesh · 13% · about 3 s left", "halves round up, as in JS")
        self.assertEqual(describe_progress("export", 1.0, 10), "export · 100%")
        self.assertEqual(describe_progress("decode", -1, 0), "decode · 0%")


class Book(unittest.TestCase):
    def test_events_move_a_job_to_done(self):
        book = JobBook()
        book.add(A, "cat")
        self.assertEqual(book.apply({"type": "job.state", "jobId": A, "state": "queued", "position": 2}).describe(), "queued (2 ahead)")
        self.assertEqual(book.apply(progress(A, "texture", 0.5, 2000)).describe(), "texture · 50% · about 2 s left")
        view = book.apply(progress(A, "mesh", 0.4, 3000))
        self.assertEqual(view.progress, 0.5, "the bar never goes back")
        files = [{"name": "cat.glb", "format": "glb", "bytes": 1, "sha256": "0" * 64, "url": "/x"}]
        view = book.apply({"type": "job.done", "jobId": A, "assetId": ASSET, "files": files, "stats": {"vertices": 3}})
        self.assertEqual((view.state, view.glb(), view.asset_id, view.active), ("done", "cat.glb", ASSET, False))
        self.assertIsNone(book.apply({"type": "job.done", "jobId": B, "files": []}), "unknown jobs are not tracked")

    def test_a_repeated_final_event_is_ignored(self):
        book = JobBook()
        book.add(A, "cat")
        files = [{"name": "cat.glb", "format": "glb", "bytes": 1, "sha256": "0" * 64, "url": "/x"}]
        book.apply({"type": "job.state", "jobId": A, "state": "done"})
        self.assertIsNotNone(book.apply({"type": "job.done", "jobId": A, "assetId": ASSET, "files": files}),
                             "a done state before the event does not count as the event")
        self.assertIsNone(book.apply({"type": "job.done", "jobId": A, "assetId": ASSET, "files": []}))
        self.assertIsNone(book.apply({"type": "job.failed", "jobId": A, "code": "E_X", "message": "x", "stage": "decode"}))
        self.assertEqual((book.get(A).state, book.get(A).glb()), ("done", "cat.glb"))
        book.load([{"jobId": B, "kind": "generate", "name": "dog", "state": "done", "assetId": ASSET, "files": files}])
        self.assertIsNone(book.apply({"type": "job.done", "jobId": B, "assetId": ASSET, "files": files}),
                          "a job listed as finished has had its result")

    def test_failed_and_cancelled(self):
        book = JobBook()
        book.add(A, "cat")
        book.add(B, "dog")
        book.apply({"type": "job.failed", "jobId": A, "code": "E_IMAGE_NO_SUBJECT", "message": "No subject.", "stage": "segment"})
        book.apply({"type": "job.cancelled", "jobId": B})
        self.assertEqual([(v.name, v.state, v.describe()) for v in book.views()],
                         [("dog", "cancelled", "cancelled"), ("cat", "failed", "No subject.")])
        self.assertEqual(book.active(), [])

    def test_recent_jobs_load_below_and_the_oldest_finished_go(self):
        book = JobBook(keep=3)
        book.add(A, "running")
        listed = [{"jobId": f"j_{i:020d}", "kind": "generate", "name": f"old{i}", "state": "done", "assetId": ASSET,
                   "files": []} for i in range(5)]
        book.load(listed + [{"jobId": "j_" + "p" * 20, "kind": "pull", "name": "model", "state": "done"}])
        self.assertEqual([v.name for v in book.views()], ["running", "old0", "old1", "old2"])
        book.add(B, "new")
        self.assertEqual([v.name for v in book.views()], ["new", "running", "old0", "old1", "old2"])


if __name__ == "__main__":
    unittest.main()
