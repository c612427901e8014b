"""The team server token, kept in a file of its own that only its owner may read (0600), not in the add-on
preferences: Blender writes preferences in plain text into userpref.blend, which people copy between machines
and share. The Blender side picks the file (in Blender's user config folder); this module reads and writes it.
Windows does not apply the 0600 mode: there the file is private because Blender's config folder lies under the
user's profile (%APPDATA%), whose access list admits its owner (and administrators) only."""
from __future__ import annotations

import os


def read_token(path: str) -> str:
    """The token in the file, or "" when there is none (or it cannot be read)."""
    try:
        with open(path, encoding="utf-8") as file:
            return file.read().strip()
    except (OSError, UnicodeDecodeError):
        return ""


def write_token(path: str, token: str) -> None:
    """Replaces the file with `token`, readable and writable by its owner only; an empty token removes it. The
    new file is made 0600 before the token is written into it, and swapped in whole. Raises OSError."""
    token = token.strip()
    if not token:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.part"
    try:
        os.remove(temporary)  # one left by a crash may carry other permissions; O_EXCL below refuses it
    except FileNotFoundError:
        pass
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(token + "\n")
        os.replace(temporary, path)
    except BaseException:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise
