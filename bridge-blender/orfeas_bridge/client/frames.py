"""Binary frames of protocol v1 as daemon/src/protocol/frames.ts writes and splits them: [uint32 big-endian header
length][UTF-8 JSON header][payload]. The header is then an ordinary message for schema.py to check."""
from __future__ import annotations

import json
import struct

from . import schema


class FrameError(ValueError):
    """A malformed binary frame; `code` is the protocol error the daemon answers it with."""

    code = "E_BAD_MESSAGE"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def encode_frame(header: dict, payload: bytes) -> bytes:
    """One binary frame: `header` as compact JSON (JSON.stringify's form), then `payload`."""
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate has no UTF-8 form; JSON.stringify writes it as an escape, and so does ensure_ascii.
        data = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("ascii")
    limit = schema.MAX_HEADER_BYTES
    if len(data) > limit:
        # frames.ts leaves this to the receiver; refusing here names the cause instead of a daemon error later.
        raise FrameError(f"The frame header is {len(data)} bytes; the protocol allows at most {limit}.")
    return struct.pack(">I", len(data)) + data + bytes(payload)


def decode_frame(data: bytes) -> tuple:
    """(header, payload) of one binary frame; raises FrameError with a sentence when it is malformed."""
    data = bytes(data)
    if len(data) < 4:
        raise FrameError("A binary frame must start with a 4-byte header length.")
    (length,) = struct.unpack_from(">I", data)
    limit = schema.MAX_HEADER_BYTES
    if length == 0 or length > limit or 4 + length > len(data):
        raise FrameError(f"The binary frame's header length ({length}) does not fit the frame "
                         f"({len(data)} bytes, header at most {limit}).")
    try:
        # Node's Buffer.toString replaces bad UTF-8 rather than failing, and so does errors="replace".
        header = schema.loads_strict(data[4:4 + length].decode("utf-8", errors="replace"))
    except ValueError:
        raise FrameError("The binary frame's header is not valid JSON.") from None
    return header, data[4 + length:]
