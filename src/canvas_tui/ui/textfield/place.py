"""Where the editor's text field goes: over an item (all of its wrapped lines, or where a new
one goes), over the title bar, or over the status line (a search). Each is worked out from
the screen as it is laid out now, so it is asked again at every new layout."""

from __future__ import annotations

from textual.geometry import Region, Size

from canvas_tui.model import Item, Pos
from canvas_tui.render.wrap import item_lines
from canvas_tui.ui.canvasview import CanvasView

# Where the field goes now: its first line, the area an item's field may grow in (None: it
# stays one line), and how many lines it must cover.
Place = tuple[Region, Region | None, int]


def title_place(screen: Size) -> Place:
    """Over the title bar (the screen's first line)."""
    return Region(0, 0, screen.width, 1), None, 0


def search_place(screen: Size) -> Place:
    """Over the status line (above the key bar)."""
    return Region(0, screen.height - 2, screen.width, 1), None, 0


def item_place(
    view: CanvasView, pos: Pos, items: tuple[Item, ...], *, new: bool
) -> tuple[Region, Region, int]:
    """Where the field for the item at `pos` goes (or for a new one there): its first line,
    the area it may grow in (its block, in screen cells), and how many lines it must cover
    (the item's own: nothing stale stays in sight)."""
    region = view.block_region(pos.block) or Region(0, 0, view.size.width, 3)
    inner = region.shrink((1, 1, 1, 1))
    inner = Region(inner.x, inner.y, max(1, inner.width), max(1, inner.height))
    width = view.text_width(region)  # as the items are drawn
    top = inner.bottom - 1  # a new item after items out of sight: the block's last line
    here = view.item_rows(pos.block, pos.item) if not new or pos.item == 0 else None
    before = view.item_rows(pos.block, pos.item - 1) if new and pos.item > 0 else None
    if here is not None:
        top = here[0]
    elif before is not None:
        top = before[0] + len(item_lines(items[pos.item - 1], width))
    elif new and pos.item == 0:
        top = inner.y
    top = min(max(top, inner.y), inner.bottom - 1)
    area = inner.translate(view.region.offset)
    if not new and pos.item < len(items):
        cover = len(item_lines(items[pos.item], width))
    elif not items:  # the block's guidance is drawn there: the field hides all of it
        cover = view.layout_of(pos.block, width).total
    else:
        cover = 0
    return Region(area.x, view.region.y + top, area.width, 1), area, cover
