"""The canvas file format: strict parsing, and writing that keeps the user's style. No I/O.

```toml
schema = 1                 # 2 once an item carries a status, tags or a note
title = "Acme Robotics"
template = "lean"          # absent: the default template, tech-bmc

[blocks]
problem = [
    "Plain items are strings",
    { text = "Others are inline tables", status = "testing", tags = ["b2b"], note = "Why." },
]
```

Reading has two paths: text in the form `dump` writes (every saved file, so nearly every
file read) is read line by line with `json` for its strings, about five times faster than
`tomllib` for thousands of items; anything else goes to the standard library's `tomllib`,
which is strict (duplicate keys, bad syntax) and reports line and column. The fast path only
accepts text that `tomllib` reads the same way (see `_read_canonical`). Writing has two paths:
- a file in the canonical form this module writes is rewritten by `dump`, which is fast even
  for thousands of items;
- a file someone edited by hand goes through tomlkit, so their comments, unknown keys and
  formatting survive, and only the blocks and title that changed are rewritten.
Both `store` (files on disk) and `render` (the TOML export) use this module.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any

from canvas_tui.errors import CanvasError
from canvas_tui.model import STATUSES, TAG_PATTERN, Canvas, Item, is_tag
from canvas_tui.safetext import UNSAFE
from canvas_tui.template import DEFAULT_TEMPLATE, Template, Templates

PLAIN_SCHEMA = 1  # items are strings
SCHEMA = 2  # items may be tables: the newest this version reads and writes
BOM = "\ufeff"
ITEM_FIELDS = ("text", "status", "tags", "note")


class CanvasFileError(CanvasError):
    """A canvas file that cannot be read; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """A canvas file read: the canvas, its schema and its template."""

    canvas: Canvas
    schema: int
    template: Template  # the canvas's template, or a stand-in when it is not installed


def schema_of(canvas: Canvas) -> int:
    """The schema a canvas is written with: 1 unless some item is more than a string."""
    plain = all(item.plain for items in canvas.blocks for item in items)
    return PLAIN_SCHEMA if plain else SCHEMA


# -- reading -------------------------------------------------------------------------------


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


def parse(text: str, templates: Templates) -> Parsed:
    """Parse and validate the text of a canvas file."""
    if text.startswith(BOM):
        text = text[1:]
    fast = _read_canonical(text, templates)
    if fast is not None:
        return fast
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CanvasFileError(f"invalid TOML: {_with_position(str(error), text)}") from None
    except RecursionError:
        raise CanvasFileError("invalid TOML: values are nested too deeply") from None
    schema = _schema_of(data)
    title = data.get("title", "")
    if not isinstance(title, str):
        raise CanvasFileError(f"'title' must be a string, found {_describe(title)}")
    template_id = data.get("template", DEFAULT_TEMPLATE)
    if not isinstance(template_id, str) or not template_id:
        raise CanvasFileError(f"'template' must be a template id, found {_describe(template_id)}")
    blocks = data.get("blocks", {})
    if not isinstance(blocks, dict):
        raise CanvasFileError(f"'blocks' must be a table, found {_describe(blocks)}")
    template = templates.for_canvas(template_id, blocks.keys())
    items = tuple(_block_items(key, blocks.get(key, [])) for key in template.keys)
    return Parsed(Canvas(title, items, template_id), schema, template)


# -- the fast path: text in the form `dump` writes ------------------------------------------
#
# Only text in a strict subset of TOML is read here; anything else returns None and goes to
# tomllib, so errors and strictness are tomllib's. The subset is the shape `dump` writes:
#
#     schema = N                 (a decimal integer, no sign, no leading zero)
#     title = STRING
#     template = STRING          (optional)
#     <empty line>
#     [blocks]
#     key = []                   or   key = [  / one ITEM, per line, indented 4 / ]
#     ... the keys of the canvas's (installed) template, each once, in order, and nothing after
#
# where ITEM is a STRING or `{ text = STRING[, status = "<a status>"][, tags = ["<tag>", ...]]
# [, note = STRING] }`. A STRING is a basic string whose escapes are only \" \\ \b \f \n \r \t
# and \uXXXX outside the surrogates, and which holds no raw control character (C0 or DEL):
# TOML and JSON read such a string as the same text, so `json.loads` decodes it. Statuses and
# tags are matched literally (the valid ones only), so what is read here needs no checking.
# Every line is a line of a valid TOML document with one meaning: this path returns exactly
# what `tomllib` plus the checks below would (an item table without status, tags or note is
# a plain item either way). Canonical files (all of `dump`'s output) are in the subset.

_CHARS = r'[^"\\\x00-\x1f\x7f]*'  # a run of characters that need no escape
_ESCAPE = r"\\(?:[\"\\bfnrt]|u(?![dD][89abAB])[0-9a-fA-F]{4})"
_STRING = f'"{_CHARS}(?:{_ESCAPE}{_CHARS})*"'
_HEAD = re.compile(
    rf"schema = ([1-9][0-9]{{0,8}})\ntitle = ({_STRING})\n(?:template = ({_STRING})\n)?\n"
    r"\[blocks\]\n"
)
_TAG_STRING = '"' + TAG_PATTERN + '"'
_TABLE = (
    rf"\{{ text = ({_STRING})"
    rf"(?:, status = \"({'|'.join(STATUSES)})\")?"
    rf"(?:, tags = \[({_TAG_STRING}(?:, {_TAG_STRING})*)\])?"
    rf"(?:, note = ({_STRING}))? \}}"
)
_PLAIN_BODY = re.compile(rf"(?:    {_STRING},\n)*")


@cache
def _item_line() -> re.Pattern[str]:
    """A whole line of an array of items (compiled when first needed: half a millisecond).

    A match starts at the start of a line and ends at its end: a STRING holds no line break.
    """
    return re.compile(rf"^    (?:({_STRING})|{_TABLE}),\n", re.MULTILINE)


def _read_canonical(text: str, templates: Templates) -> Parsed | None:
    """`text` read without tomllib if it is in the subset above, else None."""
    head = _HEAD.match(text)
    if head is None:
        return None
    schema, title_string, template_string = head.groups()
    template_id = DEFAULT_TEMPLATE if template_string is None else _decode(template_string)
    template = templates.get(template_id) if template_id else None
    if template is None:  # a stand-in's keys come from the file: tomllib reads them
        return None
    position = head.end()
    blocks: list[tuple[Item, ...]] = []
    for key in template.keys:
        if text.startswith(f"{key} = []\n", position):
            blocks.append(())
            position += len(key) + 6
            continue
        opening = f"{key} = [\n"
        if not text.startswith(opening, position):
            return None
        start = position + len(opening)
        end = text.find("\n]\n", start - 1) + 1  # the array's closing line
        if end == 0:
            return None
        items = _read_items(text[start:end])
        if items is None:
            return None
        blocks.append(items)
        position = end + 2
    if position != len(text):
        return None
    return Parsed(Canvas(_decode(title_string), tuple(blocks), template_id), int(schema), template)


def _read_items(body: str) -> tuple[Item, ...] | None:
    """The items of an array's lines (each `    ITEM,\\n`), if they are in the subset."""
    if not body:
        return ()
    if "\n    {" not in body and not body.startswith("    {"):  # no tables: the common case
        if not _PLAIN_BODY.fullmatch(body):
            return None
        if "\\" not in body:  # no escapes: each line holds its text between the quotes
            return tuple(map(Item, body[5:-3].split('",\n    "')))
        import json  # here, not at the top: most files need no JSON, and commands start faster

        # The lines are a JSON array's elements once the last comma goes.
        return tuple(map(Item, json.loads(f"[{body[:-2]}]")))
    lines = _item_line().findall(body)
    if len(lines) != body.count("\n"):  # each match is one whole line: then all are items
        return None
    strings = _decode_all([s for line in lines for s in (line[0], line[1], line[4]) if s])
    items: list[Item] = []
    next_string = iter(strings).__next__
    for plain, _text, status, tags, note in lines:
        if plain:
            items.append(Item(next_string()))
            continue
        text = next_string()
        items.append(
            Item(
                text,
                status or None,
                tuple(tags[1:-1].split('", "')) if tags else (),
                next_string() if note else "",
            )
        )
    return tuple(items)


def _decode(string: str) -> str:
    """The text of a STRING of the subset above."""
    return _decode_all([string])[0]


def _decode_all(strings: list[str]) -> list[str]:
    """The texts of STRINGs of the subset above."""
    joined = ",".join(strings)
    if "\\" not in joined:  # no escapes: each text is between the quotes
        return [string[1:-1] for string in strings]
    import json

    decoded: list[str] = json.loads(f"[{joined}]")
    return decoded


_AT_END = "(at end of document)"


def _with_position(message: str, text: str) -> str:
    """tomllib says "at end of document" for a truncated file: add its line and column."""
    if not message.endswith(_AT_END):
        return message
    line, column = _line_column(text, len(text))
    return f"{message[: -len(_AT_END)]}(at end of document, line {line}, column {column})"


def _schema_of(data: dict[str, Any]) -> int:
    schema = data.get("schema", PLAIN_SCHEMA)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise CanvasFileError(f"'schema' must be a positive integer, found {_describe(schema)}")
    return schema


def _block_items(key: str, value: object) -> tuple[Item, ...]:
    if not isinstance(value, list):
        raise CanvasFileError(f"blocks.{key} must be an array of items, found {_describe(value)}")
    if all(type(item) is str for item in value):  # the common case, made fast
        return tuple(map(Item, value))
    return tuple(_item(key, index, item) for index, item in enumerate(value))


def _item(key: str, index: int, value: object) -> Item:
    if isinstance(value, str):
        return Item(value)
    where = f"blocks.{key}[{index}] (item {index + 1} of {key})"
    if not isinstance(value, dict):
        raise CanvasFileError(f"{where} must be a string or a table, found {_describe(value)}")
    text = value.get("text")
    if not isinstance(text, str):
        found = "nothing" if text is None else _describe(text)
        raise CanvasFileError(f"{where} needs a 'text' string, found {found}")
    status = value.get("status")
    if status is not None and status not in STATUSES:
        raise CanvasFileError(
            f"{where} has an unknown status {status!r} (one of: {', '.join(STATUSES)})"
        )
    tags = value.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise CanvasFileError(f"{where}: 'tags' must be an array of strings")
    bad = [tag for tag in tags if not is_tag(tag)]
    if bad:
        raise CanvasFileError(
            f"{where} has a bad tag {bad[0]!r} (lowercase letters, digits and '-')"
        )
    note = value.get("note", "")
    if not isinstance(note, str):
        raise CanvasFileError(f"{where}: 'note' must be a string, found {_describe(note)}")
    extra = tuple((k, v) for k, v in value.items() if k not in ITEM_FIELDS)
    return Item(text, status, tuple(tags), note, extra)


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
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
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


def dump(canvas: Canvas, keys: tuple[str, ...]) -> str:
    """The canonical text of a canvas whose template has block keys `keys`: every key in
    order, one item per line."""
    lines = [f"schema = {schema_of(canvas)}", f"title = {_string(canvas.title)}"]
    if canvas.template != DEFAULT_TEMPLATE:
        lines.append(f"template = {_string(canvas.template)}")
    lines += ["", "[blocks]"]
    for key, items in zip(keys, canvas.blocks, strict=True):
        lines.extend(_array_lines(key, items))
    return "\n".join(lines) + "\n"


def rewrite(
    text: str, base: Canvas, canvas: Canvas, keys: tuple[str, ...], *, canonical: bool = False
) -> tuple[str, bool]:
    """The text of the file once `base` (what `text` holds) becomes `canvas`, and whether that
    text is in canonical form (so the next save can skip checking).

    Keeps everything the user wrote that did not change: a hand-edited file stays as it was
    written except for the changed title or blocks (a leading BOM is dropped). `canonical`
    says that `text` is known to be `dump(base)`.
    """
    plain = text[1:] if text.startswith(BOM) else text
    if canonical or not plain.strip() or plain == dump(base, keys):
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
        document["title"] = canvas.title
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
