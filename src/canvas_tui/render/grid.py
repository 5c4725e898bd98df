"""Where a template's blocks go on a screen of a given size: the one home of the layout
arithmetic that the editor and `show` share."""

from __future__ import annotations

from canvas_tui.template import Place, Template

WIDE = 100  # below this many columns, five blocks side by side are unreadable: one at a time


def column_edges(template: Template, width: int) -> list[int]:
    """The x of each grid column's left edge (and of the right edge after the last one)."""
    columns = template.columns
    return [round(column * width / columns) for column in range(columns + 1)]


def row_edges(template: Template, height: int) -> list[int]:
    """The y of each grid row's top edge (and of the bottom edge), by the rows' weights."""
    total = sum(template.row_heights)
    edges, acc = [0], 0
    for weight in template.row_heights:
        acc += weight
        edges.append(round(acc * height / total))
    return edges


def place_box(place: Place, xs: list[int], ys: list[int]) -> tuple[int, int, int, int]:
    """(x, y, width, height) of `place` on a grid with these edges."""
    x0, x1 = xs[place.column], xs[place.right]
    y0, y1 = ys[place.row], ys[place.bottom]
    return x0, y0, x1 - x0, y1 - y0


def fit_rows(template: Template, needs: list[int]) -> list[int]:
    """Heights of the grid rows (in lines, borders excluded) so that block `i`'s content of
    `needs[i]` lines fits in the rows it spans; a block spanning rows gains the borders
    between them as lines."""
    heights = [0] * template.rows
    for block in sorted(template.blocks, key=lambda spec: spec.place.rows):
        place = block.place
        have = sum(heights[place.row : place.bottom]) + place.rows - 1
        short = needs[block.index] - have
        if short > 0:
            heights[place.bottom - 1] += short
    return heights
