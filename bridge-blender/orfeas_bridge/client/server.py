"""A team server as the add-on's preferences name it (README § Remote editors): its address, the user's token
and the certificate fingerprint to pin, checked and put in one form before anything connects. `tls.py` opens
the connection; `transfer.py` moves pictures and models over HTTPS."""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

from .errors import OrfeasError

DEFAULT_PORT = 7878  # the daemon's own default (`orfeas daemon --port`)
EXAMPLE = "https://gpu-box:7878"

_HEX = re.compile(r"^[0-9A-F]{64}$")


@dataclass(frozen=True)
class Server:
    """Where a TLS daemon listens and how to prove who is asking. `fingerprint` is the SHA-256 of its certificate
    in colon hex, upper case; empty, the certificate must verify against this computer's certificate
    authorities. The token stays out of `repr`, so it never reaches a log line."""
    host: str
    port: int
    token: str = field(default="", repr=False)
    fingerprint: str = ""

    @property
    def authority(self) -> str:
        """`host:port` as the Host header carries it (an IPv6 address in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"https://{self.authority}"


def parse_server(url: str, token: str, fingerprint: str = "") -> Server | None:
    """The server the preferences name, or None when the address is empty (the daemon on this computer).

    `url` is `https://host:port` (`wss://…/v1/ws` and a bare `host:port` are taken too; the port defaults to
    7878). Raises OrfeasError E_SETTINGS saying what to change: a plain http:// or ws:// address, a path, a
    missing token, a fingerprint that is not 32 bytes of hex."""
    text = url.strip()
    if not text:
        return None
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urllib.parse.urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _settings(f"\"{url.strip()}\" is not a server address. Write it as {EXAMPLE}.")
    if parts.scheme.lower() not in ("https", "wss"):
        raise _settings(f"A server is reached over TLS: write its address as https://… (e.g. {EXAMPLE}). "
                        "For the daemon on this computer, leave Server empty.")
    if not host:
        raise _settings(f"\"{url.strip()}\" names no host. Write the server's address as {EXAMPLE}.")
    if parts.path.rstrip("/") not in ("", "/v1/ws") or parts.query or parts.fragment or parts.username:
        raise _settings(f"Give the server's address without a path, e.g. {EXAMPLE}.")
    if not token.strip():
        raise _settings("Paste your user token for the server under Token: whoever runs it makes one with "
                        "`orfeas users add NAME`.")
    return Server(host, port or DEFAULT_PORT, token.strip(), normalize_fingerprint(fingerprint))


def normalize_fingerprint(text: str) -> str:
    """`AB:CD:…` (32 bytes, upper case) from the forms people paste: with or without colons or spaces, any case,
    or OpenSSL's `sha256 Fingerprint=AB:CD:…`. Empty stays empty. Raises OrfeasError E_SETTINGS otherwise."""
    value = text.strip().rpartition("=")[2]
    digits = re.sub(r"[\s:]", "", value).upper()
    if not digits:
        return ""
    if not _HEX.match(digits):
        raise _settings("The fingerprint must be the certificate's SHA-256 as the server prints it at start "
                        "(32 pairs of hex digits, AB:CD:…), or empty to check the certificate against this "
                        "computer's certificate authorities.")
    return ":".join(digits[i:i + 2] for i in range(0, 64, 2))


def _settings(message: str) -> OrfeasError:
    return OrfeasError("E_SETTINGS", message)
