"""What goes to a team server over HTTPS beside the WebSocket: pictures up, models down. A server cannot read this
computer's files (it refuses paths with E_PATH), so a `generate` request carries the front picture inline in
its binary frame and uploads the other views first (POST /v1/uploads); models come down from GET
/v1/assets/<id>/<file>, sha256 checked. Every connection goes through `tls.https_connection`: the same pin."""
from __future__ import annotations

import hashlib
import http.client
import json
import mimetypes
import os
import urllib.parse

from .errors import OrfeasError
from .server import Server
from .tls import https_connection

_CHUNK = 256 * 1024


def pictures_by_value(message: dict, server: Server) -> tuple[dict, bytes | None]:
    """A `generate` request naming pictures on this computer, made into one a server takes: the front (or the
    sheet) inline, the payload of the binary frame; each other view uploaded, by its upload id. Returns the
    message and the payload (None when the front is not a path). Blocks on the network: call it off the UI."""
    wire = dict(message)
    payload = None
    if "path" in wire["image"]:
        payload = read_picture(wire["image"]["path"])
        wire["image"] = {"inline": True}
    if any("path" in view["image"] for view in wire.get("views", ())):
        connection = https_connection(server)
        try:
            wire["views"] = [{"view": view["view"], "image": _uploaded(connection, server, view["image"])}
                             for view in wire["views"]]
        finally:
            connection.close()
    return wire, payload


def _uploaded(connection: http.client.HTTPConnection, server: Server, image: dict) -> dict:
    if "path" not in image:
        return image
    return {"upload": upload(server, image["path"], connection)}


def read_picture(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise OrfeasError("E_NOT_FOUND", f"{path} cannot be read: {error.strerror or error}.")


def upload(server: Server, path: str, connection: http.client.HTTPConnection | None = None) -> str:
    """Sends one picture file to the server; returns its upload id (`u_…`), good for one job within the hour."""
    data = read_picture(path)
    # The daemon reads the bytes to tell the format; the header only has to say it is an image.
    kind = mimetypes.guess_type(path)[0] or ""
    own = connection is None
    connection = connection or https_connection(server)
    try:
        response = _send(connection, server, "POST", "/v1/uploads", data,
                         {"Content-Type": kind if kind.startswith("image/") else "image/png"})
        body = response.read()
        if response.status != 201:
            raise _refusal(response.status, body, f"The upload of {os.path.basename(path)}")
        return str(json.loads(body)["uploadId"])
    except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
        raise _unreachable(server, f"upload {os.path.basename(path)}", error)
    finally:
        if own:
            connection.close()


def download(server: Server, asset_id: str, file: str, dest: str | None) -> str | bytes:
    """Fetches one file of an asset into `dest` (written whole or not at all; the sha256 the server names in its
    ETag checked), or returns its bytes when `dest` is None."""
    connection = https_connection(server)
    route = f"/v1/assets/{urllib.parse.quote(asset_id, safe='')}/{urllib.parse.quote(file, safe='')}"
    temporary = f"{dest}.part" if dest is not None else None
    try:
        response = _send(connection, server, "GET", route)
        if response.status != 200:
            raise _refusal(response.status, response.read(), f"The download of {file}")
        expected = (response.getheader("ETag") or "").strip().strip('"')
        digest, parts = hashlib.sha256(), []
        out = _create(temporary) if temporary is not None else None
        try:
            while True:
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                digest.update(chunk)
                if out is not None:
                    _write(out, chunk, temporary)
                else:
                    parts.append(chunk)
        finally:
            if out is not None:
                out.close()
    except (OSError, http.client.HTTPException) as error:
        _discard(temporary)
        raise _unreachable(server, f"download {file}", error)
    except OrfeasError:
        _discard(temporary)
        raise
    finally:
        connection.close()
    if expected and digest.hexdigest() != expected:
        _discard(temporary)
        raise OrfeasError("E_DOWNLOAD", f"{file} arrived damaged (checksum mismatch); try again.")
    if dest is None:
        return b"".join(parts)
    try:
        os.replace(temporary, dest)
    except OSError as error:
        raise OrfeasError("E_DOWNLOAD", f"Cannot write {dest}: {error.strerror or error}.")
    return dest


def _send(connection, server: Server, method: str, route: str, body: bytes | None = None,
          headers: dict | None = None) -> http.client.HTTPResponse:
    connection.request(method, route, body=body, headers={
        "Host": server.authority, "Authorization": f"Bearer {server.token}", **(headers or {})})
    return connection.getresponse()


def _create(path: str):
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return open(path, "wb")
    except OSError as error:
        raise OrfeasError("E_DOWNLOAD", f"Cannot write {path}: {error.strerror or error}.")


def _write(out, chunk: bytes, path: str) -> None:
    try:
        out.write(chunk)
    except OSError as error:
        raise OrfeasError("E_DOWNLOAD", f"Cannot write {path}: {error.strerror or error}.")


def _discard(path: str | None) -> None:
    if path is None:
        return
    try:
        os.remove(path)
    except OSError:
        pass


def _refusal(status: int, body: bytes, what: str) -> OrfeasError:
    """The daemon's coded error from a refused request, or a sentence with the status when it sent none."""
    try:
        error = json.loads(body)
        return OrfeasError(str(error["code"]), str(error["message"]), error.get("details"))
    except (ValueError, KeyError, TypeError):
        return OrfeasError("E_CONNECTION", f"{what} was refused with HTTP {status}.")


def _unreachable(server: Server, what: str, error: Exception) -> OrfeasError:
    if isinstance(error, OrfeasError):
        return error
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return OrfeasError("E_CONNECTION", f"Could not {what} at {server.url}: {reason}.")
