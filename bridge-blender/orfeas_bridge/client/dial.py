"""Opening the WebSocket, before the hello: to the local daemon found through daemon.json (plain, or TLS pinned to
the fingerprint daemon.json names when it serves HTTPS), or to a team server over TLS. Each failure becomes an
OrfeasError worded for where the add-on was trying to go; connection.py says hello and serves the link."""
from __future__ import annotations

import ssl

from . import discovery
from .errors import OrfeasError, refusal
from .server import Server
from .tls import TlsSocket
from .websocket import HandshakeError, WebSocket

TIMEOUT_S = 5.0


def open_local(home_override: str) -> tuple[WebSocket, int]:
    """The daemon of this home (never a network look-up to find it); returns the socket and its port."""
    home = discovery.orfeas_home(home_override)
    found = discovery.find_daemon(home)
    secure = Server("127.0.0.1", found.port, found.token, found.fingerprint256) if found.scheme == "https" else None
    try:
        ws = WebSocket.connect("127.0.0.1", found.port, "/v1/ws", {"Authorization": f"Bearer {found.token}"},
                               timeout=TIMEOUT_S, open_socket=(lambda: TlsSocket.connect(secure, TIMEOUT_S)) if secure else None)
    except HandshakeError as error:
        refused = refusal({401: 4001, 403: 4003}.get(error.status, 0))
        raise refused or OrfeasError("E_CONNECTION", f"The daemon on port {found.port} refused the connection: {error}")
    except OSError as error:
        raise OrfeasError("E_CONNECTION", f"The Orfeas daemon in {home} (port {found.port}) does not answer: "
                                          f"{error.strerror or error}. {discovery.START_HINT}")
    return ws, found.port


def open_server(server: Server) -> WebSocket:
    """The team server, its certificate checked before the upgrade request is written (the token follows in the
    hello)."""
    try:
        return WebSocket.connect(server.host, server.port, "/v1/ws", {}, timeout=TIMEOUT_S,
                                 open_socket=lambda: TlsSocket.connect(server, TIMEOUT_S))
    except HandshakeError as error:
        refused = refusal({401: 4001, 403: 4003}.get(error.status, 0), server=True)
        raise refused or OrfeasError("E_CONNECTION", f"The server at {server.url} refused the connection: {error}")
    except ssl.SSLError as error:
        raise OrfeasError("E_CONNECTION", f"The Orfeas server at {server.url} does not answer over TLS "
                                          f"({error.reason or error}). Check the address and that the server was started "
                                          "with --tls-self-signed (or --tls-cert); for the daemon on this computer, leave "
                                          "Server empty.")
    except OSError as error:
        raise OrfeasError("E_CONNECTION", f"The Orfeas server at {server.url} does not answer: {error.strerror or error}. "
                                          "Check the address, that the server is running, and that this computer reaches it.")
