"""What the panel knows about jobs: one view per job, updated from job events, and the words for its progress.
Pure Python, so the rules are tested without Blender."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

ACTIVE_STATES = ("queued", "running")
# Events that end a job. The daemon sends one per job and subscription; a repeat is ignored all the same.
FINAL_EVENTS = frozenset({"job.done", "job.failed", "job.cancelled"})


@dataclass
class JobView:
    job_id: str
    name: str
    state: str = "queued"
    stage: str = ""
    progress: float = 0.0
    eta_ms: float = 0.0
    position: int | None = None
    asset_id: str | None = None
    files: list = field(default_factory=list)
    stats: dict | None = None
    error_code: str | None = None
    error: str | None = None
    ended: bool = False  # a final event (or a finished listing) has been applied

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    def glb(self) -> str | None:
        """The name of the job's GLB file, once done."""
        return next((file["name"] for file in self.files if file.get("format") == "glb"), None)

    def describe(self) -> str:
        """One line for the panel: `texture · 46% · about 3 s left`, `queued (2 ahead)`, `done`, the error."""
        if self.state == "running" and self.stage:
            return describe_progress(self.stage, self.progress, self.eta_ms)
        if self.state == "queued":
            return f"queued ({self.position} ahead)" if self.position else "queued"
        if self.state == "failed":
            return self.error or "failed"
        return self.state


def describe_progress(stage: str, progress: float, eta_ms: float) -> str:
    """`texture · 46% · about 3 s left` (the same words as the VS Code extension)."""
    percent = _round(min(1.0, max(0.0, progress)) * 100)
    eta = f" · {describe_eta(eta_ms)}" if eta_ms > 0 and percent < 100 else ""
    return f"{stage} · {percent}%{eta}"


def describe_eta(eta_ms: float) -> str:
    if eta_ms < 1000:
        return "less than a second left"
    if eta_ms < 60_000:
        return f"about {_round(eta_ms / 1000)} s left"
    return f"about {_round(eta_ms / 60_000)} min left"


def _round(value: float) -> int:
    # Halves up, as JavaScript's Math.round (Python's round() goes to even: 2.5 would give 2, not 3).
    return math.floor(value + 0.5)


class JobBook:
    """The jobs of this session and the recent ones the daemon listed, newest first, at most `keep` finished."""

    def __init__(self, keep: int = 10):
        self.keep = keep
        self._jobs: dict[str, JobView] = {}

    def add(self, job_id: str, name: str) -> JobView:
        view = self._jobs.pop(job_id, None) or JobView(job_id, name)
        self._jobs = {job_id: view, **self._jobs}
        self._trim()
        return view

    def get(self, job_id: str) -> JobView | None:
        return self._jobs.get(job_id)

    def load(self, jobs: list) -> None:
        """Adds finished jobs from a `jobs` reply (newest first), below the ones already known."""
        for job in jobs:
            if job["jobId"] in self._jobs or job.get("kind") != "generate":
                continue
            view = JobView(job["jobId"], job["name"], job["state"], asset_id=job.get("assetId"),
                           files=list(job.get("files") or []), stats=job.get("stats"))
            if job.get("error"):
                view.error_code, view.error = job["error"]["code"], job["error"]["message"]
            view.ended = not view.active
            self._jobs[view.job_id] = view
        self._trim()

    def apply(self, event: dict) -> JobView | None:
        """Updates the job an event is about; returns its view, or None for a job this book does not track and for
        a second final event of a job (nothing must be imported or reported twice)."""
        view = self._jobs.get(event.get("jobId", ""))
        if view is None:
            return None
        kind = event["type"]
        if kind in FINAL_EVENTS:
            if view.ended:
                return None
            view.ended = True
        if kind == "job.state":
            view.state, view.position = event["state"], event.get("position")
        elif kind == "job.progress":
            view.state, view.stage = "running", event["stage"]
            view.progress, view.eta_ms = max(view.progress, event["progress"]), event["etaMs"]
        elif kind == "job.done":
            view.state, view.progress, view.eta_ms = "done", 1.0, 0.0
            view.asset_id, view.files, view.stats = event.get("assetId"), list(event["files"]), event.get("stats")
        elif kind == "job.failed":
            view.state, view.error_code, view.error = "failed", event["code"], event["message"]
        elif kind == "job.cancelled":
            view.state = "cancelled"
        return view

    def views(self) -> list[JobView]:
        return list(self._jobs.values())

    def active(self) -> list[JobView]:
        return [view for view in self._jobs.values() if view.active]

    def _trim(self) -> None:
        finished = [job_id for job_id, view in self._jobs.items() if not view.active]
        for job_id in finished[self.keep:]:
            del self._jobs[job_id]
