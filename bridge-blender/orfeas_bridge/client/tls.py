"""TLS to a daemon that serves HTTPS and WSS (a team server, or a local daemon started with TLS), on the standard
library's ssl module. With a pinned fingerprint, the certificate's SHA-256 is compared once the handshake ends and
before a single byte of the request is written; without one, the certificate must verify against this computer's
certificate authorities and name the host. `TlsSocket` carries the WebSocket (a reader and a writer thread);
`https_connection` carries uploads and downloads."""
from __future__ import annotations

import hashlib
import http.client
import socket
import ssl
import threading

from .errors import OrfeasError
from .server import Server

_CHUNK = 256 * 1024


def fingerprint_of(der: bytes) -> str:
    """The SHA-256 of a DER certificate in colon hex, upper case, as the daemon prints it."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def client_context(server: Server) -> ssl.SSLContext:
    """A pin needs no CA (a self-signed certificate has none) and is stricter than a host name check."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if server.fingerprint:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def check_certificate(der: bytes | None, server: Server) -> None:
    """Refuses a certificate that is not the pinned one (OrfeasError E_CERTIFICATE, naming both fingerprints)."""
    if not server.fingerprint:
        return
    presented = fingerprint_of(der) if der else "none"
    if presented != server.fingerprint:
        raise OrfeasError("E_CERTIFICATE", f"The server at {server.url} presented a certificate with SHA-256 fingerprint "
                                           f"{presented}, not the pinned {server.fingerprint}, so nothing was sent to it. "
                                           "If the server's certificate was replaced, check the new fingerprint with "
                                           "whoever runs it (`orfeas status` there) and update the add-on preferences.")


def refused_verification(server: Server, error: ssl.SSLCertVerificationError) -> OrfeasError:
    reason = getattr(error, "verify_message", "") or str(error)
    return OrfeasError("E_CERTIFICATE", f"The certificate of {server.url} does not verify against this computer's "
                                        f"certificate authorities ({reason}). For a server with a self-signed "
                                        "certificate, paste the SHA-256 fingerprint it prints at start into the add-on "
                                        "preferences.")


class TlsSocket:
    """A TLS connection over a plain socket through memory BIOs, with the socket methods the WebSocket uses.

    The reader thread blocks in `recv` while the writer thread sends: an `ssl.SSLSocket` would then be entered by
    two threads at once, which OpenSSL does not allow. Here the SSL object is only touched under one lock, and
    the network is waited on outside it."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, server: Server):
        self._sock = sock
        self._incoming, self._outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_hostname=server.host)
        self._lock = threading.Lock()       # the SSL object and both BIOs
        self._send_lock = threading.Lock()  # taken first: what leaves the outgoing BIO goes on the wire in order

    @classmethod
    def connect(cls, server: Server, timeout: float) -> TlsSocket:
        """TCP, the TLS handshake, and the certificate check; raises OrfeasError E_CERTIFICATE or OSError."""
        sock = socket.create_connection((server.host, server.port), timeout=timeout)
        try:
            channel = cls(sock, client_context(server), server)
            try:
                channel._handshake()
            except ssl.SSLCertVerificationError as error:
                raise refused_verification(server, error) from None
            check_certificate(channel._tls.getpeercert(binary_form=True), server)
            return channel
        except BaseException:
            sock.close()
            raise

    def _handshake(self) -> None:
        while True:
            try:
                with self._lock:
                    self._tls.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                data = self._sock.recv(65536)
                if not data:
                    raise ConnectionResetError("the server closed the connection during the TLS handshake")
                with self._lock:
                    self._incoming.write(data)

    def _flush(self) -> None:
        with self._send_lock:
            with self._lock:
                data = self._outgoing.read()
            if data:
                self._sock.sendall(data)

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        with self._send_lock:
            for start in range(0, max(len(view), 1), _CHUNK):
                with self._lock:
                    piece = view[start:start + _CHUNK]
                    while piece:
                        piece = piece[self._tls.write(piece):]
                    out = self._outgoing.read()
                self._sock.sendall(out)

    def recv(self, size: int) -> bytes:
        """Up to `size` decrypted bytes; b"" at the end of the connection. Raises socket.timeout as a socket does."""
        while True:
            with self._lock:
                try:
                    data = self._tls.read(min(size, _CHUNK))  # read() allocates the size it is given
                except ssl.SSLWantReadError:
                    data = None
                except ssl.SSLZeroReturnError:
                    data = b""
            if self._outgoing.pending:
                self._flush()  # what reading produced (a key update answer) goes out too
            if data is not None:
                return data
            raw = self._sock.recv(65536)
            if not raw:
                return b""
            with self._lock:
                self._incoming.write(raw)

    def settimeout(self, seconds: float | None) -> None:
        self._sock.settimeout(seconds)

    def setsockopt(self, *args) -> None:
        self._sock.setsockopt(*args)

    def shutdown(self, how: int) -> None:
        self._sock.shutdown(how)

    def close(self) -> None:
        self._sock.close()


class _PinnedHttps(http.client.HTTPConnection):
    """http.client over a checked TLS socket: `connect()` refuses the wrong certificate before any request."""

    def __init__(self, server: Server, timeout: float):
        super().__init__(server.host, server.port, timeout=timeout)
        self._server = server

    def connect(self) -> None:
        raw = socket.create_connection((self._server.host, self._server.port), timeout=self.timeout)
        try:
            sock = client_context(self._server).wrap_socket(raw, server_hostname=self._server.host)
        except ssl.SSLCertVerificationError as error:
            raw.close()
            raise refused_verification(self._server, error) from None
        except BaseException:
            raw.close()
            raise
        try:
            check_certificate(sock.getpeercert(binary_form=True), self._server)
        except OrfeasError:
            sock.close()
            raise
        self.sock = sock


def https_connection(server: Server, timeout: float = 30.0) -> http.client.HTTPConnection:
    """An HTTP connection to the server that opens (on the first request) only to the certificate pinned or
    verified; one thread at a time, as http.client is."""
    return _PinnedHttps(server, timeout)
