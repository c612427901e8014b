"""What the client tests share: a real daemon process (the project's built `dist/orfeas.cjs`) with its own home,
pictures written with zlib, and waiting for events."""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.path.join(ROOT, "dist", "orfeas.cjs")
NODE = os.environ.get("ORFEAS_NODE", "node")


class Daemon:
    """`orfeas daemon --port 0 --home <home> [args]`; found through daemon.json, as the add-on finds it. With
    `--tls-self-signed` among the args, `fingerprint` is its certificate's (empty otherwise)."""

    def __init__(self, home: str, args: tuple = ()):
        if not os.path.isfile(CLI):
            raise RuntimeError(f"{CLI} is missing: run `npm run build` in {ROOT} first.")
        self.home = home
        self.log = open(os.path.join(home, "test-daemon-output.txt"), "ab")
        self.process = subprocess.Popen([NODE, CLI, "daemon", "--port", "0", "--home", home, *args],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with open(os.path.join(home, "daemon.json"), encoding="utf-8") as file:
                    found = json.load(file)
                if found["pid"] == self.process.pid:
                    self.port, self.token = found["port"], found["token"]
                    self.fingerprint = found.get("fingerprint256", "")
                    return
            except (OSError, ValueError, KeyError):
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.process.kill()
        raise RuntimeError(f"the daemon did not start; see {self.log.name}")

    def stop(self) -> None:
        """SIGTERM: the daemon closes sessions with 1001 and removes daemon.json."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)
        self.log.close()

    def kill(self) -> None:
        """SIGKILL: a crash; daemon.json stays behind, naming a dead pid."""
        self.process.kill()
        self.process.wait(30)
        self.log.close()


def add_user(home: str, name: str) -> str:
    """`orfeas users add NAME`: the user token it prints (once)."""
    run = subprocess.run([NODE, CLI, "users", "add", name, "--home", home], capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        raise RuntimeError(f"orfeas users add {name} failed: {run.stderr}")
    return run.stdout.strip()


def temp_dir(prefix: str) -> str:
    return tempfile.mkdtemp(prefix=prefix)


def remove(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


def write_png(path: str, width: int, height: int, row) -> str:
    """An RGBA PNG; `row(y)` gives one row's pixels as 4 × width bytes."""
    raw = b"".join(b"\x00" + row(y) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as file:
        file.write(png)
    return path


CLEAR = b"\x00\x00\x00\x00"


def write_disc_png(path: str, size: int, colour=(200, 60, 40)) -> str:
    """An RGBA picture: an opaque disc on a transparent background (the subject the pipeline finds)."""
    r2 = (size * 0.4) ** 2

    def row(y: int) -> bytes:
        dy = y - size / 2 + 0.5
        half = int(max(0.0, r2 - dy * dy) ** 0.5)
        left = size // 2 - half
        return CLEAR * left + bytes((*colour, 255)) * (2 * half) + CLEAR * (size - left - 2 * half)
    return write_png(path, size, size, row)


# Which box edges each view shows across and down, the box standing with its front toward +Z (protocol/views.ts):
# the right view sees the depth across, the top view sees the depth down the picture.
BOX_VIEW_AXES = {"front": (0, 1), "back": (0, 1), "left": (2, 1), "right": (2, 1), "top": (0, 2)}
BOX_COLOURS = {"front": (200, 60, 40), "back": (40, 60, 200), "left": (60, 160, 60), "right": (200, 180, 40), "top": (150, 60, 170)}


def write_box_views(folder: str, size: tuple, pixels_per_unit: int = 160, margin: int = 12, stem: str = "box") -> dict:
    """Orthographic pictures of a box `size` = (width, height, depth) from each side: an opaque rectangle of the
    box's extents on a transparent background, each side its own colour, shaded across so the texture has
    detail. Returns {view: path}, the files named `<stem>_<view>.png`."""
    paths = {}
    for view, (across, down) in BOX_VIEW_AXES.items():
        w, h = round(size[across] * pixels_per_unit), round(size[down] * pixels_per_unit)
        r, g, b = BOX_COLOURS[view]
        inside = b"".join(bytes((r, g, min(255, b + 80 * x // w), 255)) for x in range(w))
        line = CLEAR * margin + inside + CLEAR * margin
        blank = CLEAR * (w + 2 * margin)
        paths[view] = write_png(os.path.join(folder, f"{stem}_{view}.png"), w + 2 * margin, h + 2 * margin,
                                lambda y, h=h, line=line, blank=blank: line if margin <= y < margin + h else blank)
    return paths


def write_box_sheet(path: str, size: tuple, views: list, pixels_per_unit: int = 160, gap: int = 40) -> str:
    """A turnaround sheet of the same box: its `views` side by side, left to right, standing on one baseline with
    `gap` pixels of transparent background between them (and around them)."""
    figures = []
    for view in views:
        across, down = BOX_VIEW_AXES[view]
        r, g, b = BOX_COLOURS[view]
        w, h = round(size[across] * pixels_per_unit), round(size[down] * pixels_per_unit)
        figures.append((w, h, b"".join(bytes((r, g, min(255, b + 80 * x // w), 255)) for x in range(w))))
    height = max(h for _, h, _ in figures) + 2 * gap
    width = sum(w for w, _, _ in figures) + gap * (len(figures) + 1)

    def row(y: int) -> bytes:
        line = CLEAR * gap
        for w, h, inside in figures:
            line += (inside if height - gap - h <= y < height - gap else CLEAR * w) + CLEAR * gap
        return line
    return write_png(path, width, height, row)


def next_event(connection, predicate, timeout: float = 60.0, seen: list | None = None) -> dict:
    """The first event from the connection's queue that matches; earlier ones go to `seen`."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no matching event within {timeout} s; state {connection.state}: {connection.message}")
        try:
            event = connection.events.get(timeout=min(left, 0.5))
        except queue.Empty:
            continue
        if seen is not None:
            seen.append(event)
        if predicate(event):
            return event
