"""Hostile text and broken files that the pure and the app tests both throw at canvas-tui."""

from __future__ import annotations

from pathlib import Path

from canvas_tui.model import Canvas, Item
from helpers import file_state


def assert_one_line_error(code: int, out: str, err: str) -> str:
    assert code == 1, (code, out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("canvas-tui: error: "), err
    assert "Traceback" not in err
    assert not raw_controls(err), f"raw controls on stderr: {raw_controls(err)}"
    return lines[0]


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def raw_controls(text: str) -> list[str]:
    """Characters a terminal acts on rather than shows: C0 (but LF), DEL, C1, bidi controls."""
    return sorted(
        {
            f"U+{ord(char):04X}"
            for char in text
            if (ord(char) < 0x20 and char != "\n") or 0x7F <= ord(char) <= 0x9F or char in BIDI
        }
    )


def tree(folder: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every path under `folder` with the bytes and mtime of each file."""
    return {
        str(path.relative_to(folder)): file_state(path) if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


def make_canvas(title: str, *blocks: list[str | Item]) -> Canvas:
    lists = [list(items) for items in blocks] + [[] for _ in range(9 - len(blocks))]
    return Canvas.from_lists(title, lists)


BROKEN: list[tuple[str, bytes, str]] = [
    (
        "deep-arrays-2000",
        b"a = " + b"[" * 2000 + b"]" * 2000 + b"\n",
        r"invalid TOML: .*(nested too deeply|line \d+, column \d+)",
    ),
    (
        "deep-arrays-in-a-block",
        b"[blocks]\nchannels = " + b"[" * 2000 + b"]" * 2000 + b"\n",
        r"invalid TOML: .*(nested too deeply|line \d+, column \d+)",
    ),
    ("esc-in-title", b'title = "a\x1b]2;pwned\x07b"\n', r"Illegal character.*line 1, column 11"),
    ("bel-in-item", b'[blocks]\nchannels = ["x\x07y"]\n', r"Illegal character.*line 2, column 15"),
    ("csi-in-item", b'[blocks]\nchannels = ["\x1b[2J"]\n', r"Illegal character.*line 2, column 14"),
    ("del-in-title", b'title = "a\x7fb"\n', r"Illegal character.*line 1, column 11"),
    ("vt-in-title", b'title = "a\x0bb"\n', r"Illegal character.*line 1, column 11"),
    ("cr-in-title", b'title = "a\rb"\n', r"line 1, column 11"),
    ("title-table", b"[title]\nx = 1\n", r"'title' must be a string, found a table"),
    ("title-inline-table", b"title = {a = 1}\n", r"'title' must be a string, found a table"),
    ("title-bool", b"title = false\n", r"'title' must be a string, found a boolean"),
    ("title-date", b"title = 1979-05-27\n", r"'title' must be a string, found a date"),
    ("blocks-array", b'blocks = ["a"]\n', r"'blocks' must be a table, found an array"),
    ("blocks-array-of-tables", b"[[blocks]]\nx = 1\n", r"'blocks' must be a table"),
    ("blocks-string", b'blocks = "all"\n', r"'blocks' must be a table, found a string"),
    ("block-inline-table", b'[blocks]\nchannels = {a = "b"}\n', r"blocks\.channels must be an"),
    ("block-bool", b"[blocks]\nchannels = true\n", r"blocks\.channels must be an array"),
    ("item-float", b"[blocks]\nchannels = [1.5]\n", r"blocks\.channels\[0\].*found a float"),
    ("schema-string", b'schema = "1"\n', r"'schema' must be a positive integer, found a string"),
    ("schema-bool", b"schema = true\n", r"'schema' must be a positive integer, found a boolean"),
    ("schema-float", b"schema = 1.0\n", r"'schema' must be a positive integer, found a float"),
    ("schema-array", b"schema = [1]\n", r"'schema' must be a positive integer, found an array"),
    ("schema-table", b"[schema]\nv = 1\n", r"'schema' must be a positive integer, found a table"),
    ("schema-date", b"schema = 2024-01-01\n", r"'schema' must be a positive integer"),
]


MARKUP = ["[@click=app.quit]x[/]", "[link=https://evil]y[/link]", "[/", "[bold]"]


SEQUENCES = {
    "osc-title": "\x1b]2;pwned\x07",
    "osc-52-clipboard": "\x1b]52;c;aGk=\x07",
    "csi-clear": "\x1b[2J",
    "c1-csi": "\x9b2J",
    "rlo": "\u202e",
    "lri": "\u2066",
}


EVIL_TITLE = "T" + "".join(SEQUENCES.values()) + "end"


EVIL_ITEMS = [f"a{sequence}b" for sequence in SEQUENCES.values()]


EVIL_FILE = "e\x1b]2;pwned\x07\u202ex"
