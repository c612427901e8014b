"""A small RFC 6455 WebSocket client on the standard library (Blender ships no WebSocket package): the opening
handshake, masked frames out, fragmented and control frames in, ping/pong and the closing handshake. One reader
and one writer at a time; the connection module gives each its own thread."""
from __future__ import annotations

import base64
import hashlib
import os
import socket
import struct
import threading

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA

CLOSE_NORMAL = 1000
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_NO_STATUS = 1005
CLOSE_ABNORMAL = 1006
CLOSE_INVALID_DATA = 1007
CLOSE_TOO_BIG = 1009


class HandshakeError(Exception):
    """The server did not switch protocols; `status` is its HTTP status (0 when it sent no valid response)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class ConnectionClosed(Exception):
    """The connection ended: by a close frame (its code and reason), or abnormally (1006)."""

    def __init__(self, code: int, reason: str = ""):
        super().__init__(f"WebSocket closed ({code}{': ' + reason if reason else ''})")
        self.code = code
        self.reason = reason


class WebSocket:
    """One client connection. `receive()` returns whole text or binary messages and answers pings itself."""

    def __init__(self, sock: socket.socket, max_message: int):
        self._sock = sock
        self._max_message = max_message
        self._send_lock = threading.Lock()
        self._buffer = bytearray()
        self._close_sent = False
        self.close_code: int | None = None

    @classmethod
    def connect(cls, host: str, port: int, path: str, headers: dict | None = None,
                timeout: float = 10.0, max_message: int = 64 * 1024 * 1024, open_socket=None) -> WebSocket:
        """Opens a TCP connection (or takes the one `open_socket()` returns, such as a checked TLS connection)
        and performs the opening handshake; raises HandshakeError or OSError."""
        sock = open_socket() if open_socket is not None else socket.create_connection((host, port), timeout=timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            key = base64.b64encode(os.urandom(16))
            lines = [
                f"GET {path} HTTP/1.1",
                f"Host: {f'[{host}]' if ':' in host else host}:{port}",
                "Upgrade: websocket",
                "Connection: Upgrade",
                f"Sec-WebSocket-Key: {key.decode()}",
                "Sec-WebSocket-Version: 13",
            ]
            lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            ws = cls(sock, max_message)
            status, response = ws._read_response()
            if status != 101:
                raise HandshakeError(status, f"The server answered the WebSocket upgrade with HTTP {status}.")
            accept = base64.b64encode(hashlib.sha1(key + _GUID).digest()).decode()
            if response.get("sec-websocket-accept") != accept or response.get("upgrade", "").lower() != "websocket":
                raise HandshakeError(status, "The server's WebSocket handshake is not valid.")
            sock.settimeout(None)
            return ws
        except BaseException:
            sock.close()
            raise

    def set_timeout(self, seconds: float | None) -> None:
        """How long `receive()` waits for bytes before raising `socket.timeout`."""
        self._sock.settimeout(seconds)

    def send_text(self, text: str) -> None:
        self._send(OP_TEXT, text.encode("utf-8"))

    def send_binary(self, data: bytes) -> None:
        self._send(OP_BINARY, bytes(data))

    def ping(self, data: bytes = b"") -> None:
        self._send(OP_PING, data)

    def close(self, code: int = CLOSE_NORMAL, reason: str = "") -> None:
        """Starts (or answers) the closing handshake; the reader then sees ConnectionClosed."""
        if self._close_sent:
            return
        self._close_sent = True
        try:
            self._send(OP_CLOSE, struct.pack("!H", code) + reason.encode("utf-8")[:120])
        except OSError:
            pass

    def abort(self) -> None:
        """Drops the TCP connection at once (a reader blocked in `receive()` wakes with ConnectionClosed)."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    def receive(self) -> tuple[int, bytes | str]:
        """The next message as (OP_TEXT, str) or (OP_BINARY, bytes); raises ConnectionClosed at the end."""
        opcode, parts, size = None, [], 0
        while True:
            fin, op, payload = self._read_frame()
            if op >= 0x8:
                self._control(op, payload)
                continue
            if op == OP_CONTINUATION:
                if opcode is None:
                    self._fail(CLOSE_PROTOCOL_ERROR, "continuation frame without a message")
            elif opcode is not None:
                self._fail(CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one")
            elif op in (OP_TEXT, OP_BINARY):
                opcode = op
            else:
                self._fail(CLOSE_PROTOCOL_ERROR, f"unknown opcode {op}")
            size += len(payload)
            if size > self._max_message:
                self._fail(CLOSE_TOO_BIG, "message too large")
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                if opcode == OP_BINARY:
                    return OP_BINARY, data
                try:
                    return OP_TEXT, data.decode("utf-8")
                except UnicodeDecodeError:
                    self._fail(CLOSE_INVALID_DATA, "text message is not UTF-8")

    def _control(self, op: int, payload: bytes) -> None:
        if op == OP_PING:
            try:
                self._send(OP_PONG, payload)
            except OSError:
                pass
        elif op == OP_CLOSE:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else CLOSE_NO_STATUS
            reason = payload[2:].decode("utf-8", "replace")
            self.close_code = code
            self.close(code if code not in (CLOSE_NO_STATUS, CLOSE_ABNORMAL) else CLOSE_NORMAL)
            self.abort()
            raise ConnectionClosed(code, reason)
        elif op != OP_PONG:
            self._fail(CLOSE_PROTOCOL_ERROR, f"unknown control opcode {op}")

    def _fail(self, code: int, reason: str) -> None:
        self.close(code, reason)
        self.abort()
        self.close_code = code
        raise ConnectionClosed(code, reason)

    def _send(self, opcode: int, payload: bytes) -> None:
        # Client frames are always masked (RFC 6455 § 5.3); the key is fresh per frame.
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
        elif length < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
        mask = os.urandom(4)
        with self._send_lock:
            self._sock.sendall(header + mask + _mask(payload, mask))

    def _read_frame(self) -> tuple[bool, int, bytes]:
        b0, b1 = self._read(2)
        fin, opcode = bool(b0 & 0x80), b0 & 0x0F
        if b0 & 0x70:
            self._fail(CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension")
        if b1 & 0x80:
            self._fail(CLOSE_PROTOCOL_ERROR, "server frames must not be masked")
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8))[0]
        if opcode >= 0x8 and (length > 125 or not fin):
            self._fail(CLOSE_PROTOCOL_ERROR, "control frames are short and unfragmented")
        if length > self._max_message:
            self._fail(CLOSE_TOO_BIG, "frame too large")
        return fin, opcode, self._read(length)

    def _read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            try:
                chunk = self._sock.recv(max(65536, n - len(self._buffer)))
            except socket.timeout:
                raise
            except OSError:
                chunk = b""
            if not chunk:
                self.close_code = self.close_code or CLOSE_ABNORMAL
                raise ConnectionClosed(CLOSE_ABNORMAL, "the connection was lost")
            self._buffer += chunk
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data

    def _read_response(self) -> tuple[int, dict]:
        # The HTTP response ends at the first blank line; frames may follow in the same read and stay buffered.
        while b"\r\n\r\n" not in self._buffer:
            if len(self._buffer) > 16384:
                raise HandshakeError(0, "The server's handshake response is too long.")
            chunk = self._sock.recv(4096)
            if not chunk:
                raise HandshakeError(0, "The server closed the connection during the WebSocket handshake.")
            self._buffer += chunk
        end = self._buffer.index(b"\r\n\r\n")
        head = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
        del self._buffer[:end + 4]
        parts = head[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise HandshakeError(0, "The server did not answer with HTTP.")
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(parts[1]), headers


def _mask(payload: bytes, mask: bytes) -> bytes:
    # XOR with the repeated 4-byte key, done on one big integer: fast enough for multi-megabyte images.
    if not payload:
        return b""
    n = len(payload)
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")
