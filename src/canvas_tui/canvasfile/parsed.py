"""What reading a canvas file returns and raises, and the schema numbers: shared by reading
and writing."""

from __future__ import annotations

from canvas_tui.errors import CanvasError
from canvas_tui.model import Canvas
from canvas_tui.records import Record
from canvas_tui.template import Template

PLAIN_SCHEMA = 1  # items are strings
SCHEMA = 2  # items may be tables: the newest this version reads and writes
BOM = "\ufeff"


class CanvasFileError(CanvasError):
    """A canvas file that cannot be read; the message says where and why."""


class Parsed(Record):
    """A canvas file read: the canvas, its schema and its template."""

    __slots__ = ("canvas", "schema", "template")
    _fields = ("canvas", "schema", "template")

    canvas: Canvas
    schema: int
    template: Template  # the canvas's template, or a stand-in when it is not installed

    def __init__(self, canvas: Canvas, schema: int, template: Template) -> None:
        object.__setattr__(self, "canvas", canvas)
        object.__setattr__(self, "schema", schema)
        object.__setattr__(self, "template", template)


def schema_of(canvas: Canvas) -> int:
    """The schema a canvas is written with: 1 unless some item is more than a string."""
    plain = all(item.plain for items in canvas.blocks for item in items)
    return PLAIN_SCHEMA if plain else SCHEMA
