"""What reading a canvas file returns and raises, and the schema numbers: shared by reading
and writing."""

from __future__ import annotations

from dataclasses import dataclass

from canvas_tui.errors import CanvasError
from canvas_tui.model import Canvas
from canvas_tui.template import Template

PLAIN_SCHEMA = 1  # items are strings
SCHEMA = 2  # items may be tables: the newest this version reads and writes
BOM = "\ufeff"


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
