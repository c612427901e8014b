"""Errors of the Orfeas client: one exception carrying a protocol code (PROTOCOL.md § Errors) and a sentence a
person can act on. Codes the client adds for what happens on its side: E_CONNECTION, E_TIMEOUT, E_DOWNLOAD."""
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


def refusal(code: int) -> OrfeasError | None:
    """The coded error for a close code that refuses the client, or None for an ordinary close."""
    if code not in CLOSE_REFUSALS:
        return None
    error_code, message = CLOSE_REFUSALS[code]
    return OrfeasError(error_code, message)
