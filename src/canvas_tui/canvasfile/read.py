"""Reading a canvas file: bytes to text (`decode`), and text to a checked canvas (`parse`).

Text in canonical form goes to the fast reader (`fast`); anything else to the standard
library's `tomllib`, which is strict, and then through the checks here, whose errors say
where (line and column, or the block and item) and why.
"""

from __future__ import annotations

import re
from typing import Any

from canvas_tui.canvasfile.fast import read_canonical
from canvas_tui.canvasfile.parsed import BOM, PLAIN_SCHEMA, CanvasFileError, Parsed
from canvas_tui.model import STATUSES, Canvas, Item, is_tag
from canvas_tui.template import DEFAULT_TEMPLATE, Templates

ITEM_FIELDS = ("text", "status", "tags", "note")


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
    fast = read_canonical(text, templates)
    if fast is not None:
        return fast
    import tomllib  # here: a file in canonical form (nearly every file) never needs it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        marker = conflict_marker_line(text)
        if marker is not None:
            raise CanvasFileError(
                f"this file has git conflict markers (<<<<<<< at line {marker}): a merge left"
                " both versions in it; edit it to keep the lines you want and delete the"
                " marker lines, or take one side with 'git checkout --ours FILE' (or"
                " --theirs), then 'git add FILE'"
            ) from None
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
    items = tuple(block_items(key, blocks.get(key, [])) for key in template.keys)
    return Parsed(Canvas(title, items, template_id), schema, template)


def unknown_blocks(text: str, keys: tuple[str, ...]) -> dict[str, int]:
    """The block keys of a canvas file that `keys` (its template's) do not name, with how many
    items each holds: kept in the file by every save and merge, shown by no block."""
    import tomllib

    try:
        blocks = tomllib.loads(text).get("blocks", {})
    except (tomllib.TOMLDecodeError, RecursionError):
        return {}
    if not isinstance(blocks, dict):
        return {}
    return {
        key: len(value) if isinstance(value, list) else 1
        for key, value in blocks.items()
        if key not in keys
    }


_CONFLICT_MARKER = re.compile(r"^<{7}(?: |$)", re.MULTILINE)


def conflict_marker_line(text: str) -> int | None:
    """The line number of the first `<<<<<<<` conflict marker git's line merge left in `text`,
    if there is one and a `>>>>>>>` after it."""
    found = _CONFLICT_MARKER.search(text)
    if found is None or not re.search(r"^>{7}(?: |$)", text[found.end() :], re.MULTILINE):
        return None
    return text.count("\n", 0, found.start()) + 1


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


def block_items(key: str, value: object) -> tuple[Item, ...]:
    """The checked items of the array `value` found under `blocks.<key>`."""
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
