"""The WebSocket client against a scripted server on a local socket (a stand-in for one module's unit test; the
real daemon is in test_client.py): handshake checks, masking, lengths, fragments, ping/pong, close codes and
the protocol errors a client must refuse."""
from __future__ import annotations

import base64
import hashlib
import os
import socket
import struct
import threading
import unittest

from orfeas_bridge.client.websocket import ConnectionClosed, HandshakeError, WebSocket

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(opcode: int, payload: bytes, fin: bool = True, masked: bool = False) -> bytes:
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    mask_bit = 0x80 if masked else 0
    if n < 126:
        head += bytes([mask_bit | n])
    elif n < 65536:
        head += bytes([mask_bit | 126]) + struct.pack("!H", n)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", n)
    if masked:
        key = b"\x01\x02\x03\x04"
        return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return head + payload


class Server:
    """Accepts one connection, answers the upgrade (or not), runs `script(conn, read_frame)` and records it."""

    def __init__(self, script, status: int = 101, accept_ok: bool = True):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.request = b""
        self.received: list = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._serve, args=(script, status, accept_ok), daemon=True)
        self.thread.start()

    def _serve(self, script, status, accept_ok):
        conn, _ = self.listener.accept()
        try:
            while b"\r\n\r\n" not in self.request:
                self.request += conn.recv(4096)
            key = next(line.split(b":", 1)[1].strip() for line in self.request.split(b"\r\n")
                       if line.lower().startswith(b"sec-websocket-key"))
            accept = base64.b64encode(hashlib.sha1(key + GUID).digest()) if accept_ok else b"bm9wZQ=="
            if status != 101:
                conn.sendall(f"HTTP/1.1 {status} No\r\nContent-Length: 0\r\n\r\n".encode())
                return
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
            script(conn, lambda: self._read_frame(conn))
        except BaseException as error:  # surfaced by the test through `error`
            self.error = error
        finally:
            conn.close()
            self.listener.close()

    def _read_frame(self, conn):
        def read(n):
            data = b""
            while len(data) < n:
                chunk = conn.recv(n - len(data))
                if not chunk:
                    raise EOFError
                data += chunk
            return data
        b0, b1 = read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", read(8))[0]
        key = read(4) if b1 & 0x80 else None
        data = read(n)
        if key:
            data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
        record = (b0 & 0x0F, data, bool(b1 & 0x80))
        self.received.append(record)
        return record

    def join(self):
        self.thread.join(5)


def open_client(server: Server, **headers) -> WebSocket:
    return WebSocket.connect("127.0.0.1", server.port, "/v1/ws", headers, timeout=5)


class Handshake(unittest.TestCase):
    def test_sends_the_upgrade_with_host_key_and_headers(self):
        server = Server(lambda conn, read: None)
        ws = open_client(server, Authorization="Bearer abc")
        ws.abort()
        server.join()
        request = server.request.decode()
        self.assertTrue(request.startswith("GET /v1/ws HTTP/1.1\r\n"))
        self.assertIn(f"Host: 127.0.0.1:{server.port}\r\n", request)
        self.assertIn("Authorization: Bearer abc\r\n", request)
        self.assertIn("Sec-WebSocket-Version: 13\r\n", request)
        self.assertNotIn("Origin", request)

    def test_a_refused_upgrade_gives_its_status(self):
        server = Server(lambda conn, read: None, status=401)
        with self.assertRaises(HandshakeError) as caught:
            open_client(server)
        self.assertEqual(caught.exception.status, 401)

    def test_a_wrong_accept_key_is_refused(self):
        server = Server(lambda conn, read: None, accept_ok=False)
        with self.assertRaises(HandshakeError):
            open_client(server)


class Frames(unittest.TestCase):
    def run_server(self, script):
        server = Server(script)
        ws = open_client(server)
        self.addCleanup(ws.abort)
        return server, ws

    def test_client_frames_are_masked_in_every_length_form(self):
        texts = ["x" * 5, "y" * 300, "z" * 70000]
        server, ws = self.run_server(lambda conn, read: [read() for _ in texts])
        for text in texts:
            ws.send_text(text)
        ws.send_binary(b"")
        server.join()
        self.assertEqual([(op, data.decode(), masked) for op, data, masked in server.received],
                         [(1, text, True) for text in texts])

    def test_fragments_and_pings_in_between(self):
        def script(conn, read):
            conn.sendall(frame(1, "héllo ".encode()[:3], fin=False) + frame(9, b"are you there")
                         + frame(0, "héllo ".encode()[3:], fin=False) + frame(0, b"world"))
            conn.sendall(frame(2, bytes(range(256)) * 300))
            read()  # the pong
        server, ws = self.run_server(script)
        self.assertEqual(ws.receive(), (1, "héllo world"))
        self.assertEqual(ws.receive(), (2, bytes(range(256)) * 300))
        server.join()
        self.assertEqual(server.received, [(0xA, b"are you there", True)])

    def test_a_close_frame_gives_its_code_and_is_answered(self):
        server, ws = self.run_server(lambda conn, read: (conn.sendall(frame(8, struct.pack("!H", 4002) + b"protocol")), read()))
        with self.assertRaises(ConnectionClosed) as caught:
            ws.receive()
        self.assertEqual((caught.exception.code, caught.exception.reason), (4002, "protocol"))
        server.join()
        self.assertEqual(server.received[0][0], 8)
        self.assertEqual(struct.unpack("!H", server.received[0][1][:2])[0], 4002)

    def test_a_dropped_connection_is_1006(self):
        _, ws = self.run_server(lambda conn, read: conn.sendall(frame(1, b"partial")[:4]))
        with self.assertRaises(ConnectionClosed) as caught:
            ws.receive()
        self.assertEqual(caught.exception.code, 1006)

    def test_protocol_violations_close_with_their_codes(self):
        cases = [
            (frame(1, b"masked", masked=True), 1002),
            (bytes([0x80 | 0x40 | 1, 1]) + b"x", 1002),  # a reserved bit
            (frame(0, b"lonely continuation"), 1002),
            (frame(9, b"x" * 126), 1002),  # a control frame over 125 bytes
            (frame(3, b"unknown opcode"), 1002),
            (frame(1, b"\xff\xfe not utf-8"), 1007),
        ]
        for data, code in cases:
            with self.subTest(code=code, data=data[:8]):
                server, ws = self.run_server(lambda conn, read, data=data: (conn.sendall(data), read()))
                with self.assertRaises(ConnectionClosed) as caught:
                    ws.receive()
                self.assertEqual(caught.exception.code, code)
                server.join()
                self.assertEqual(server.received[0][0], 8, "the client sends a close frame first")
                self.assertEqual(struct.unpack("!H", server.received[0][1][:2])[0], code)

    def test_a_message_over_the_limit_is_refused(self):
        server = Server(lambda conn, read: (conn.sendall(frame(2, os.urandom(2048))), read()))
        ws = WebSocket.connect("127.0.0.1", server.port, "/", timeout=5, max_message=1024)
        self.addCleanup(ws.abort)
        with self.assertRaises(ConnectionClosed) as caught:
            ws.receive()
        self.assertEqual(caught.exception.code, 1009)


if __name__ == "__main__":
    unittest.main()
