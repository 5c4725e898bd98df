"""The canvas file format (schema 1): strict parsing and writing that keeps the user's style.

Reading uses the standard library's `tomllib`, which is fast and strict (duplicate keys, bad
syntax) and reports line and column. Writing has two paths:
- a file in the canonical form this module writes is rewritten by `dump`, which is fast even
  for thousands of items;
- a file someone edited by hand goes through tomlkit, so their comments, unknown keys and
  formatting survive, and only the blocks and title that changed are rewritten.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from canvas_tui.model import Canvas
from canvas_tui.safetext import UNSAFE
from canvas_tui.store.errors import StoreError
from canvas_tui.template import BLOCK_KEYS

SCHEMA = 1
BOM = "\ufeff"


class CanvasFileError(StoreError):
    """A canvas file that cannot be read; the message says where and why.

    A `StoreError`: whatever reports a store operation that cannot be done reports this too
    (renaming or duplicating a canvas whose file is broken).
    """


@dataclass(frozen=True, slots=True)
class Parsed:
    canvas: Canvas
    schema: int

    @property
    def newer_schema(self) -> bool:
        return self.schema > SCHEMA


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 with an optional BOM, and no NUL characters."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_column_bytes(data, error.start)
        raise CanvasFileError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at line {line}, column {column})"
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line, column = _line_column(text, nul)
        raise CanvasFileError(f"contains a NUL character at line {line}, column {column}")
    return text


def parse(text: str) -> Parsed:
    """Parse and validate the text of a canvas file."""
    if text.startswith(BOM):
        text = text[1:]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CanvasFileError(f"invalid TOML: {_with_position(str(error), text)}") from None
    except RecursionError:
        raise CanvasFileError("invalid TOML: values are nested too deeply") from None
    return Parsed(_canvas_from(data), _schema_of(data))


_AT_END = "(at end of document)"


def _with_position(message: str, text: str) -> str:
    """tomllib says "at end of document" for a truncated file: add its line and column."""
    if not message.endswith(_AT_END):
        return message
    line, column = _line_column(text, len(text))
    return f"{message[: -len(_AT_END)]}(at end of document, line {line}, column {column})"


def _schema_of(data: dict[str, Any]) -> int:
    schema = data.get("schema", SCHEMA)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise CanvasFileError(f"'schema' must be a positive integer, found {_describe(schema)}")
    return schema


def _canvas_from(data: dict[str, Any]) -> Canvas:
    title = data.get("title", "")
    if not isinstance(title, str):
        raise CanvasFileError(f"'title' must be a string, found {_describe(title)}")
    blocks = data.get("blocks", {})
    if not isinstance(blocks, dict):
        raise CanvasFileError(f"'blocks' must be a table, found {_describe(blocks)}")
    items: list[tuple[str, ...]] = []
    for key in BLOCK_KEYS:
        value = blocks.get(key, [])
        if not isinstance(value, list):
            raise CanvasFileError(
                f"blocks.{key} must be an array of strings, found {_describe(value)}"
            )
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise CanvasFileError(
                    f"blocks.{key}[{index}] (item {index + 1} of {key}) must be a string,"
                    f" found {_describe(item)}"
                )
        items.append(tuple(value))
    return Canvas(title, tuple(items))


def _describe(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), f"a {type(value).__name__}")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _line_column_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


# -- writing -------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"
# Quotes and backslashes, and every character that must not reach a terminal raw (C0, DEL,
# C1, bidi and invisible formatting characters): a file stays safe to `cat`.
_NEEDS_ESCAPE = re.compile('["\\\\]|' + UNSAFE.pattern)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, every unsafe character escaped."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def _string(text: str) -> str:
    # Most items need no escaping: one regex search decides.
    return toml_string(text) if _NEEDS_ESCAPE.search(text) else f'"{text}"'


def _array_lines(key: str, items: tuple[str, ...]) -> list[str]:
    if not items:
        return [f"{key} = []"]
    return [f"{key} = [", *(f"    {_string(item)}," for item in items), "]"]


def dump(canvas: Canvas) -> str:
    """The canonical text of a canvas: all nine keys in canvas order, one item per line."""
    lines = [f"schema = {SCHEMA}", f"title = {_string(canvas.title)}", "", "[blocks]"]
    for key, items in zip(BLOCK_KEYS, canvas.blocks, strict=True):
        lines.extend(_array_lines(key, items))
    return "\n".join(lines) + "\n"


def update(text: str, base: Canvas, canvas: Canvas, *, canonical: bool = False) -> str:
    """The text of the file once `base` (what `text` holds) becomes `canvas`.

    Keeps everything the user wrote that did not change: a hand-edited file stays as it was
    written except for the changed title or blocks (a leading BOM is dropped).
    """
    return rewrite(text, base, canvas, canonical=canonical)[0]


def rewrite(
    text: str, base: Canvas, canvas: Canvas, *, canonical: bool = False
) -> tuple[str, bool]:
    """`update`, and whether the result is in canonical form (so the next save can skip
    checking). `canonical` says that `text` is known to be `dump(base)`."""
    plain = text[1:] if text.startswith(BOM) else text
    if canonical or not plain.strip() or plain == dump(base):
        return dump(canvas), True
    # Only hand-edited files pay for the style-preserving parser.
    from tomlkit.exceptions import TOMLKitError

    try:
        return _rewrite_in_place(plain, base, canvas), False
    except (TOMLKitError, RecursionError) as error:
        # tomllib read the file, but tomlkit cannot rewrite it (it refuses keys and values
        # nested over 100 levels deep): refuse rather than drop what the user wrote.
        raise CanvasFileError(
            f"cannot update the file without losing part of it: {error}"
        ) from None


def _rewrite_in_place(plain: str, base: Canvas, canvas: Canvas) -> str:
    """The tomlkit round trip of `rewrite`: only the changed title and blocks are replaced."""
    import tomlkit

    document = tomlkit.parse(plain)
    if canvas.title != base.title:
        document["title"] = canvas.title
    blocks = document.get("blocks")
    if blocks is None:
        blocks = tomlkit.table()
        document["blocks"] = blocks
    for key, old, new in zip(BLOCK_KEYS, base.blocks, canvas.blocks, strict=True):
        if old != new or key not in blocks:
            array = tomlkit.array()
            array.extend(new)
            array.multiline(bool(new))
            blocks[key] = array
    result: str = document.as_string()
    return result
