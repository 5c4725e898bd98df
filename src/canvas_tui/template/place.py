"""Where a block sits on its template's grid (`Place`), and the four arrow-key directions.

Its own module because both the template types (`spec`) and the neighbour finder
(`neighbours`) build on it, and `spec` imports `neighbours`: here, below both, no cycle forms.
"""

from __future__ import annotations

from typing import Literal

from canvas_tui.records import Record

Direction = Literal["left", "right", "up", "down"]
DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")


class Place(Record):
    """Where a block sits on its template's grid, in grid cells."""

    __slots__ = ("column", "columns", "row", "rows")
    _fields = ("row", "column", "rows", "columns")

    row: int
    column: int
    rows: int
    columns: int

    def __init__(self, row: int, column: int, rows: int = 1, columns: int = 1) -> None:
        object.__setattr__(self, "row", row)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "columns", columns)

    @property
    def bottom(self) -> int:
        return self.row + self.rows

    @property
    def right(self) -> int:
        return self.column + self.columns

    def overlaps(self, other: Place) -> bool:
        return (
            self.row < other.bottom
            and other.row < self.bottom
            and self.column < other.right
            and other.column < self.right
        )
