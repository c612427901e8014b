"""Several pictures of one object in a `generate` request: the front plus named sides (`views`), or one turnaround
sheet with its views named left to right (`sheet`). The view names come from protocol_v1.json; the rules the
schema cannot say (each side once, a sheet holds the front, not both) are checked here as the daemon checks
them, so the panel can name the mistake before anything is sent. Pure Python, tested without Blender."""
from __future__ import annotations

import os
import re

from . import schema
from .errors import OrfeasError

# Layouts turnaround sheets commonly come in, left to right; the panel offers them before a text field.
SHEET_LAYOUTS = (
    ("front", "right", "back"),
    ("front", "right"),
    ("front", "left", "back", "right"),
    ("front", "right", "back", "top"),
)

# A model made from `cat_front.png` (or `cat_sheet.png`) is a cat, not a cat_front.
_NAME_SUFFIX = re.compile(r"[ ._-]+(front|sheet|turnaround)$", re.IGNORECASE)


def view_names() -> tuple:
    """Every view a picture can show, front first (`generate.sheet`'s items)."""
    return tuple(_generate()["sheet"]["items"]["enum"])


def extra_views() -> tuple:
    """The sides given beside the front picture (`generate.views[].view`)."""
    return tuple(_generate()["views"]["items"]["properties"]["view"]["enum"])


def _generate() -> dict:
    return schema.load()["client"]["generate"]["properties"]


def parse_sheet(sheet) -> list:
    """A sheet's views left to right, from a list or a text such as `front, right, back` (commas or spaces, any
    case). Raises OrfeasError E_BAD_MESSAGE (field `sheet`) saying what to change."""
    words = re.split(r"[\s,;]+", sheet.strip()) if isinstance(sheet, str) else list(sheet)
    names = [str(word).strip().lower() for word in words if str(word).strip()]
    known = view_names()
    example = ",".join(SHEET_LAYOUTS[0])
    if not names:
        raise _bad(f"Name the sheet's views left to right, e.g. {example}.", "sheet")
    for i, name in enumerate(names):
        if name not in known:
            raise _bad(f'The sheet names "{name}", which is not a view: use {_words(known)}.', f"sheet.{i}")
        if name in names[:i]:
            raise _bad(f"The sheet names the {name} view twice. Name each view once, left to right.", f"sheet.{i}")
    if "front" not in names:
        raise _bad(f"The sheet's views ({', '.join(names)}) do not include the front. Name the views left to right, "
                   f"e.g. {example}.", "sheet")
    if len(names) < 2:
        raise _bad(f"A sheet holds at least two views side by side, e.g. {example}. For one picture, use the front "
                   "picture instead.", "sheet")
    return names


def generate_request(image, views=(), sheet=None, options: dict | None = None, name: str | None = None) -> dict:
    """The `generate` message for a front picture and more sides, or for a sheet.

    `image` and each view's picture are a file path (made absolute; it must exist) or a protocol image source
    such as `{"upload": id}`. `views` is a mapping or a list of (view, picture) pairs; a side given twice, an
    unknown side, or views together with a sheet are refused (OrfeasError, E_BAD_MESSAGE, `details["field"]` as
    the daemon names it). `name` defaults to the picture's file name without a `_front` or `_sheet` suffix."""
    pairs = list(views.items()) if isinstance(views, dict) else list(views or ())
    if sheet is not None and pairs:
        raise _bad("Give either a sheet (one picture holding several views) or separate view pictures, not both.", "sheet")
    if isinstance(image, str) and not image.strip():
        what = "the sheet picture" if sheet is not None else "a picture of the object's front"
        raise _bad(f"Pick {what} first.", "image")
    request = {"type": "generate", "image": _source(image, "sheet" if sheet is not None else "front")}
    if pairs:
        request["views"] = _views(pairs)
    if sheet is not None:
        request["sheet"] = parse_sheet(sheet)
    if options:
        request["options"] = options
    request["name"] = name.strip() if name and name.strip() else default_name(image)
    return request


def _views(pairs: list) -> list:
    known = extra_views()
    seen: set = set()
    result = []
    for i, (view, picture) in enumerate(pairs):
        if view not in known:
            raise _bad(f'"{view}" is not a side Orfeas knows: use {_words(known)} (the front is the main picture).',
                       f"views.{i}.view")
        if view in seen:
            raise _bad(f"The {view} view is given twice (views.{i}). Give each side once.", f"views.{i}.view")
        seen.add(view)
        result.append({"view": view, "image": _source(picture, view)})
    return result


def _source(picture, view: str) -> dict:
    if isinstance(picture, dict):
        return dict(picture)
    path = os.path.abspath(picture)
    if not os.path.isfile(path):
        what = "" if view in ("front", "sheet") else f"The {view} view: "
        raise OrfeasError("E_NOT_FOUND", f"{what}{path} does not exist.", {"view": view})
    return {"path": path}


def default_name(image) -> str:
    """`cat` for `/pictures/cat_front.png`; `model` when the picture is an upload."""
    if not isinstance(image, str):
        return "model"
    stem = os.path.splitext(os.path.basename(image))[0]
    return _NAME_SUFFIX.sub("", stem) or stem or "model"


def describe_agreement(stats: dict | None) -> str:
    """`views agree: front 98%, right 95%, top 61%` from `job.done.stats.views`; empty for a one-view model."""
    agreement = (stats or {}).get("views") or {}
    parts = [f"{view} {round(agreement[view] * 100)}%" for view in view_names() if isinstance(agreement.get(view), (int, float))]
    return f"views agree: {', '.join(parts)}" if parts else ""


def _words(names) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def _bad(message: str, field: str) -> OrfeasError:
    return OrfeasError("E_BAD_MESSAGE", message, {"field": field})
