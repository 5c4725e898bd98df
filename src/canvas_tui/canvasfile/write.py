"""Writing a canvas file: `dump` (the canonical form), `rewrite` (a hand-edited file kept
as written but for what changed, through tomlkit) and the TOML encoding of strings, values
and items they share with other modules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import NamedTuple

from canvas_tui.canvasfile.parsed import BOM, PLAIN_SCHEMA, CanvasFileError, schema_of
from canvas_tui.model import Canvas, Item
from canvas_tui.safetext import UNSAFE
from canvas_tui.template import DEFAULT_TEMPLATE

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"
# Quotes and backslashes, and every character that must not reach a terminal raw (C0, DEL,
# C1, bidi and invisible formatting characters): a file stays safe to `cat`.
_NEEDS_ESCAPE = re.compile('["\\\\]|' + UNSAFE.pattern)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, every unsafe character escaped."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def _string(text: str) -> str:
    # Most items need no escaping: one regex search decides.
    return toml_string(text) if _NEEDS_ESCAPE.search(text) else f'"{text}"'


def toml_value(value: object) -> str:
    """Any TOML value (as tomllib reads it) written inline."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    from datetime import date, datetime, time  # here: only a hand-written file has dates

    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    raise TypeError(f"not a TOML value: {value!r}")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


def item_value(item: Item) -> str:
    """An item as it is written in a block's array: a string, or an inline table."""
    if item.plain:
        return _string(item.text)
    if not item.extra:  # what `toml_value` writes for the table below, without the dict
        table = f"{{ text = {_string(item.text)}"
        if item.status is not None:
            table += f", status = {_string(item.status)}"
        if item.tags:
            table += f", tags = [{', '.join(map(_string, item.tags))}]"
        if item.note:
            table += f", note = {_string(item.note)}"
        return table + " }"
    fields: list[tuple[str, object]] = [("text", item.text)]
    if item.status is not None:
        fields.append(("status", item.status))
    if item.tags:
        fields.append(("tags", list(item.tags)))
    if item.note:
        fields.append(("note", item.note))
    return toml_value(dict([*fields, *item.extra]))


def _array_lines(key: str, items: tuple[Item, ...]) -> list[str]:
    key = _key(key)  # a stand-in template's keys come from the file: any string
    if not items:
        return [f"{key} = []"]
    return [f"{key} = [", *(f"    {item_value(item)}," for item in items), "]"]


def _head(canvas: Canvas) -> str:
    lines = [f"schema = {schema_of(canvas)}", f"title = {_string(canvas.title)}"]
    if canvas.template != DEFAULT_TEMPLATE:
        lines.append(f"template = {_string(canvas.template)}")
    return "\n".join([*lines, "", "[blocks]", ""])


def _block(key: str, items: tuple[Item, ...]) -> str:
    return "\n".join(_array_lines(key, items)) + "\n"


def dump(canvas: Canvas, keys: tuple[str, ...]) -> str:
    """The canonical text of a canvas whose template has block keys `keys`: every key in
    order, one item per line."""
    blocks = zip(keys, canvas.blocks, strict=True)
    return _head(canvas) + "".join(_block(key, items) for key, items in blocks)


class Update(NamedTuple):
    """`dump(canvas)` made from `dump(base)` by writing again only the blocks that changed,
    and what checks it at the cost of those blocks: `probe` (the new head, the changed blocks,
    every other block empty) must read back as `expected`."""

    text: str
    probe: str
    expected: Canvas


def update_canonical(text: str, base: Canvas, canvas: Canvas, keys: tuple[str, ...]) -> Update:
    """`text`, known to be `dump(base, keys)`, once `base` becomes `canvas`.

    An edit changes one or two blocks of nine: the others' text is taken over as it is, so
    the autosave of a big canvas costs what its changed blocks cost (and holds the GIL, which
    the keys need, that much shorter).
    """
    head = _head(canvas)
    chunks, probe = [], [head]
    blocks: list[tuple[Item, ...]] = []
    position = text.index("\n[blocks]\n") + len("\n[blocks]\n")
    for key, old, new in zip(keys, base.blocks, canvas.blocks, strict=True):
        empty = f"{_key(key)} = []\n"
        # The block's text ends at its first line "]": item lines are indented.
        end = position + len(empty) if not old else text.index("\n]\n", position) + 3
        if old is new or old == new:  # the same tuple, or equal items: compared at C speed
            chunks.append(text[position:end])
            probe.append(empty)
            blocks.append(())
        else:
            chunks.append(_block(key, new))
            probe.append(chunks[-1])
            blocks.append(new)
        position = end
    expected = Canvas(canvas.title, tuple(blocks), canvas.template)
    return Update(head + "".join(chunks), "".join(probe), expected)


def rewrite(text: str, base: Canvas, canvas: Canvas, keys: tuple[str, ...]) -> tuple[str, bool]:
    """The text of the file once `base` (what `text` holds) becomes `canvas`, and whether that
    text is in canonical form (so that the next save can use `update_canonical`).

    Keeps everything the user wrote that did not change: a hand-edited file stays as it was
    written except for the changed title or blocks (a leading BOM is dropped).
    """
    plain = text[1:] if text.startswith(BOM) else text
    if not plain.strip() or plain == dump(base, keys):
        return dump(canvas, keys), True
    # Only hand-edited files pay for the style-preserving parser.
    from tomlkit.exceptions import TOMLKitError

    try:
        return _rewrite_in_place(plain, base, canvas, keys), False
    except (TOMLKitError, RecursionError) as error:
        # tomllib read the file, but tomlkit cannot rewrite it (it refuses keys and values
        # nested over 100 levels deep): refuse rather than drop what the user wrote.
        raise CanvasFileError(
            f"cannot update the file without losing part of it: {error}"
        ) from None


def _rewrite_in_place(plain: str, base: Canvas, canvas: Canvas, keys: tuple[str, ...]) -> str:
    """The tomlkit round trip of `rewrite`: only the changed title and blocks are replaced."""
    import tomlkit

    document = tomlkit.parse(plain)
    if canvas.title != base.title:
        # A basic string, as `dump` writes it (tomlkit 0.15.3 would keep the old value's
        # quotes, and a literal string cannot hold every title).
        document["title"] = tomlkit.string(canvas.title, literal=False)
    schema = schema_of(canvas)
    if document.get("schema", PLAIN_SCHEMA) != schema and (
        "schema" in document or schema != PLAIN_SCHEMA
    ):
        document["schema"] = schema
    blocks = document.get("blocks")
    if blocks is None:
        blocks = tomlkit.table()
        document["blocks"] = blocks
    for key, old, new in zip(keys, base.blocks, canvas.blocks, strict=True):
        if old != new or key not in blocks:
            array = tomlkit.array()
            array.extend(_tomlkit_item(item) for item in new)
            array.multiline(bool(new))
            blocks[key] = array
    result: str = document.as_string()
    return result


def _tomlkit_item(item: Item) -> object:
    if item.plain:
        return item.text
    import tomlkit

    table = tomlkit.inline_table()
    table.update(tomlkit.parse(f"x = {item_value(item)}")["x"])
    return table
