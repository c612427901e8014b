"""Errors of the Orfeas client: one exception carrying a protocol code (PROTOCOL.md § Errors) and a sentence a
person can act on. Codes the client adds for what happens on its side: E_CONNECTION, E_TIMEOUT, E_DOWNLOAD,
E_SETTINGS (a server address, token or fingerprint that cannot be used), E_CERTIFICATE (a server certificate
that is not the pinned one, or does not verify) and E_DAEMON_START (no `orfeas` command to start the daemon with,
or the one found could not run or stopped at once)."""
from __future__ import annotations


class OrfeasError(Exception):
    """A coded failure: a daemon `error` reply, a refused connection, or a broken download."""

    def __init__(self, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}

    def __str__(self) -> str:
        return self.message


# What a close code means when the daemon ends the connection without an `error` reply (PROTOCOL.md § Errors).
CLOSE_REFUSALS = {
    4001: ("E_AUTH", "The daemon refused the token from daemon.json. Restart the daemon, or check the Orfeas home folder in the add-on preferences."),
    4002: ("E_PROTOCOL", "The daemon speaks another protocol version. Update the Orfeas add-on or the daemon so both match."),
    4003: ("E_ORIGIN", "The daemon refused this connection (Host/Origin check)."),
    4008: ("E_RATE_LIMIT", "The daemon closed the connection: a message was too large or came too fast."),
}


# A team server's user token is the person's own, not daemon.json's.
SERVER_REFUSALS = {
    4001: ("E_AUTH", "The server refused the user token (wrong, revoked, or a worker's). Check the Token in the "
                     "add-on preferences; whoever runs the server makes one with `orfeas users add NAME`."),
    4003: ("E_ORIGIN", "The server refused this connection (Host check): use the server's name or address as it "
                       "knows it (its --server-name, or one of its addresses)."),
}


def refusal(code: int, server: bool = False) -> OrfeasError | None:
    """The coded error for a close code that refuses the client, or None for an ordinary close; `server` words it
    for a team server reached with a user token."""
    if code not in CLOSE_REFUSALS:
        return None
    error_code, message = (SERVER_REFUSALS if server and code in SERVER_REFUSALS else CLOSE_REFUSALS)[code]
    return OrfeasError(error_code, message)
