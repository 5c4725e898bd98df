"""The font size at which the HTML export prints on one landscape page.

The page is plain HTML and CSS (no script: it must load and run nothing), so the browser
cannot be asked to shrink it to the paper. Instead the text's size in print is worked out
here, from an estimate of how many lines each block takes at a given size: the largest size
from `LARGEST` down to `SMALLEST` at which the grid's rows fit the height of a landscape page
that is both A4 and Letter (the narrower and the shorter of the two). Past the smallest, the
page prints at that size over more than one sheet. The estimate errs on the generous side
(wide characters, a line more per block) so that the page fits rather than spills.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from canvas_tui.model import Canvas
from canvas_tui.template import Template

LARGEST, SMALLEST, STEP = 10.0, 5.0, 0.5  # points
PAGE_WIDTH, PAGE_HEIGHT = 259.4, 190.0  # mm: landscape A4 and Letter less 10 mm margins
MM_PER_POINT = 25.4 / 72
CHAR_WIDTH = 0.56  # em: an average character of a sans font, and then some
LINE_HEIGHT = 1.3  # as the print style sets it
BLOCK_PADDING = 1.0  # rem, top and bottom together, and as much again across
ITEM_GAP = 0.2  # rem
SMALL = 0.86  # tags, notes and guidance


def print_font_size(canvas: Canvas, template: Template, *, guide: bool = False) -> float:
    """The print font size in points (a multiple of `STEP`)."""
    size = LARGEST
    while size > SMALLEST and not _fits(canvas, template, guide, size):
        size -= STEP
    return size


def _fits(canvas: Canvas, template: Template, guide: bool, size: float) -> bool:
    em = size * MM_PER_POINT  # mm
    # The title above the grid, the legend and template below it (two lines, smaller).
    room = PAGE_HEIGHT - em * (1.6 * LINE_HEIGHT + 0.5) - em * (0.8 * LINE_HEIGHT * 3 + 0.4)
    row_need = [0.0] * template.rows
    for spec in template.blocks:
        width = PAGE_WIDTH * spec.place.columns / template.columns - em * BLOCK_PADDING
        lines = 1.0 + _lines([spec.label + " (000 · ?00 ~00 ✓00 ✗00)"], width, em)
        if guide or not canvas.blocks[spec.index]:
            lines += _lines([spec.question], width, em * SMALL) * SMALL
            if guide:
                lines += _lines(spec.prompts, width - 2 * em, em * SMALL) * SMALL
        gaps = 0.0
        for item in canvas.blocks[spec.index]:
            words = " ".join([item.text, *(f"#{tag}" for tag in item.tags)])
            lines += _lines([words], width - 1.4 * em, em)
            if item.note:
                lines += _lines(item.note.split("\n"), width - 2 * em, em * SMALL) * SMALL
            gaps += ITEM_GAP
        height = lines * LINE_HEIGHT * em + (gaps + BLOCK_PADDING) * em
        share = height / spec.place.rows
        for row in range(spec.place.row, spec.place.bottom):
            row_need[row] = max(row_need[row], share)
    return sum(row_need) <= room


def _lines(texts: Iterable[str], width: float, em: float) -> float:
    per_line = max(1, int(width / (CHAR_WIDTH * em)))
    return float(sum(max(1, math.ceil(len(text) / per_line)) for text in texts))
