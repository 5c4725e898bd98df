"""Where a block sits on its template's grid (`Place`), and the four arrow-key directions.

Its own module because both the template types (`spec`) and the neighbour finder
(`neighbours`) build on it, and `spec` imports `neighbours`: here, below both, no cycle forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["left", "right", "up", "down"]
DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a block sits on its template's grid, in grid cells."""

    row: int
    column: int
    rows: int = 1
    columns: int = 1

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
