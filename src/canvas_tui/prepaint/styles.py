"""The pre-paint's colours, and the guard that checks each pre-paint against Textual's frame.

A frame (`render/editorframe.py`) names a role for every run of text; this module turns roles
into SGR codes. The codes are learnt from the app's own first frame: after each pre-painted
start, the frame Textual drew is read back (the bytes its driver wrote), compared cell by cell
with what was painted, and each role's codes are kept in `<data dir>/cache/prepaint.json`,
under a key of canvas-tui's version, the theme and the colour-related environment. The first
start with a key paints plain (no colours); Textual recolours it at once. Text that differs
turns the pre-paint off for later starts with that key, and says why in `prepaint.log`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from canvas_tui import __version__
from canvas_tui.render.blockrows import Run

CACHE_FILE = "prepaint.json"
LOG_FILE = "prepaint.log"
ENVIRONMENT = ("TERM", "COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "TERM_PROGRAM")
# A first start paints with these: readable, and nothing a theme must agree with.
PLAIN = {
    "titlebar-title": "1",
    "titlebar-dim": "2",
    "status-save": "2",
    "keybar-key": "1",
    "keybar-disabled": "2",
    "canvas:title-current": "1",
    "canvas:cursor": "7",
}
_SGR = re.compile(r"[0-9;:]*")
_TOKEN = re.compile(
    r"\x1b\[(?P<row>\d+);(?P<column>\d+)H"
    r"|\x1b\[(?P<sgr>[0-9;:]*)m"
    r"|\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -~]"
    r"|(?P<text>[^\x00-\x1f\x1b\x7f]+)"
    r"|[\x00-\x1f\x7f]"
)

Cells = list[list[tuple[str, str]]]  # rows of (character, SGR codes or role)


def cache_key(theme: str | None, environ: Mapping[str, str] = os.environ) -> str:
    parts = [__version__, theme or ""] + [f"{name}={environ.get(name, '')}" for name in ENVIRONMENT]
    return "|".join(parts)


class StyleCache:
    """What the pre-paint learnt about this key: the codes of each role, or that it is off."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.styles: dict[str, str] | None = None  # None: nothing learnt yet
        self.off: str | None = None  # why the pre-paint is off for this key

    @classmethod
    def read(cls, folder: Path, key: str) -> StyleCache:
        cache = cls(folder, key)
        try:
            data = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache
        if not isinstance(data, dict) or data.get("key") != key:
            return cache
        off = data.get("off")
        if isinstance(off, str):
            cache.off = off
        styles = data.get("styles")
        if isinstance(styles, dict) and all(
            isinstance(role, str) and isinstance(codes, str) and _SGR.fullmatch(codes)
            for role, codes in styles.items()
        ):
            cache.styles = dict(styles)
        return cache

    def codes(self, role: str) -> str:
        if self.styles is None:
            return PLAIN.get(role, "")
        return self.styles.get(role, PLAIN.get(role, ""))

    def write(self) -> None:
        data = {"key": self.key, "styles": self.styles, "off": self.off}
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            temp = self.folder / f".{CACHE_FILE}.{os.getpid()}"
            temp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            temp.replace(self.folder / CACHE_FILE)

    def log(self, message: str) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            with (self.folder / LOG_FILE).open("a", encoding="utf-8") as log:
                log.write(f"{stamp} pid {os.getpid()}: {message}\n")


def encode(rows: Sequence[Sequence[Run]], cache: StyleCache) -> str:
    """The frame as a terminal draws it: each row from its first column, each run in its
    codes, as Textual writes a segment."""
    out: list[str] = []
    for y, row in enumerate(rows):
        out.append(f"\x1b[{y + 1};1H")
        for text, role in row:
            codes = cache.codes(role)
            out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
    return "".join(out)


def role_cells(rows: Sequence[Sequence[Run]]) -> Cells:
    return [[(char, role) for text, role in row for char in text] for row in rows]


def read_frame(output: str, height: int) -> Cells | None:
    """The characters and SGR codes of a full frame as Textual writes it (every row moved
    to, then written as styled segments); None if `output` is not one."""
    rows: dict[int, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    codes = ""
    for match in _TOKEN.finditer(output):
        if match["row"] is not None:
            # Textual starts each row at its first column; a move elsewhere (the cursor's,
            # at the end) writes nothing.
            row = int(match["row"]) - 1
            current = rows.setdefault(row, []) if match["column"] == "1" else None
        elif match["sgr"] is not None:
            codes = "" if match["sgr"] in ("", "0") else match["sgr"]
        elif match["text"] is not None and current is not None:
            current.extend((char, codes) for char in match["text"])
    if sorted(rows) != list(range(height)):
        return None
    return [rows[y] for y in range(height)]


class Comparison:
    """Textual's first frame against the painted one."""

    def __init__(self, painted: Cells, drawn: Cells) -> None:
        self.difference: str | None = None  # the first row whose text differs
        self.learnt: dict[str, str] = {}  # each role's codes, as drawn
        self.mixed: str | None = None  # a role drawn in two ways, if any
        for y, (mine, theirs) in enumerate(zip(painted, drawn, strict=True)):
            text_mine = "".join(char for char, _ in mine)
            text_theirs = "".join(char for char, _ in theirs)
            if text_mine != text_theirs:
                self.difference = f"row {y + 1} painted {text_mine!r}, drawn {text_theirs!r}"
                return
            for x, ((_, role), (_, codes)) in enumerate(zip(mine, theirs, strict=True)):
                known = self.learnt.setdefault(role, codes)
                if known != codes and self.mixed is None:
                    self.mixed = f"{role!r} drawn as {known!r} and {codes!r} (row {y + 1}, {x + 1})"
