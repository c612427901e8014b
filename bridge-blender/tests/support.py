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
    """`orfeas daemon --port 0 --home <home>`; found through daemon.json, as the add-on finds it."""

    def __init__(self, home: str):
        if not os.path.isfile(CLI):
            raise RuntimeError(f"{CLI} is missing: run `npm run build` in {ROOT} first.")
        self.home = home
        self.log = open(os.path.join(home, "test-daemon-output.txt"), "ab")
        self.process = subprocess.Popen([NODE, CLI, "daemon", "--port", "0", "--home", home],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with open(os.path.join(home, "daemon.json"), encoding="utf-8") as file:
                    found = json.load(file)
                if found["pid"] == self.process.pid:
                    self.port, self.token = found["port"], found["token"]
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


def temp_dir(prefix: str) -> str:
    return tempfile.mkdtemp(prefix=prefix)


def remove(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


def write_disc_png(path: str, size: int, colour=(200, 60, 40)) -> str:
    """An RGBA picture: an opaque disc on a transparent background (the subject the pipeline finds)."""
    r2 = (size * 0.4) ** 2
    rows = []
    for y in range(size):
        dy = y - size / 2 + 0.5
        half = int(max(0.0, r2 - dy * dy) ** 0.5)
        left = size // 2 - half
        inside = bytes((*colour, 255)) * (2 * half)
        rows.append(b"\x00" + b"\x00\x00\x00\x00" * left + inside + b"\x00\x00\x00\x00" * (size - left - 2 * half))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as file:
        file.write(png)
    return path


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
