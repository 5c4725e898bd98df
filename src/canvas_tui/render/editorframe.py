"""The editor's first screen as rows of text runs with style roles, from values alone.

The editor draws its title bar, canvas, status line and key bar from the same functions
(`titles`, `save_state`, `bar_keys`, and `render/blockrows.py` for the canvas), so the
pre-paint at start-up, which paints this frame before Textual is even imported, shows what the
editor's first frame will show. Roles of the bars: "titlebar", "titlebar-title",
"titlebar-dim", "status", "status-save", "keybar", "keybar-key", "keybar-disabled",
"keybar-pad"; the canvas's roles are prefixed "canvas:" (see `render/blockrows.py`).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from canvas_tui.actions import Keymap, key_label
from canvas_tui.model import Canvas
from canvas_tui.render.blocklayout import BlockLayout
from canvas_tui.render.blockrows import (
    Box,
    Run,
    block_box,
    block_row,
    canvas_row,
    strip_runs,
    text_width,
)
from canvas_tui.render.grid import WIDE
from canvas_tui.render.layout import block_counts_of
from canvas_tui.safetext import visible
from canvas_tui.template import DEFAULT_TEMPLATE, Template

PALETTE_HINT = " ^p palette "
BarKey = tuple[str, str, str, bool]  # (key as shown, label, action, enabled)


def titles(canvas_title: str, name: str, template: Template, read_only: bool) -> tuple[str, str]:
    """The title bar's title and subtitle: "Acme — acme · Lean Canvas · read-only"."""
    title = visible(canvas_title) or name
    flags = " · read-only" if read_only else ""
    if template.id != DEFAULT_TEMPLATE or not template.installed:
        flags = f" · {template.title}{flags}"
    return title, f"{name}{flags}"


def save_state(*, read_only: bool, reason: str, exists: bool) -> tuple[str, str]:
    """The status line's first words and their style, before anything is saved."""
    if read_only:
        return f"read-only{f' ({reason})' if reason else ''}: the file is never written", "bold"
    if not exists:
        return "new canvas: saved at the first change", "dim"
    return "all changes saved", "dim"


def bar_keys(keymap: Keymap, read_only: bool) -> list[BarKey]:
    """The key bar's keys when no field is open."""
    return [
        (key_label(action.keys[0]), action.bar, action.method, not (read_only and action.edits))
        for action in keymap.actions
        if action.bar and action.keys
    ]


def title_row(title: str, sub_title: str, width: int) -> list[Run]:
    """The title bar, centred; cut with "…" where it does not fit."""
    runs = [(title, "titlebar-title"), (" — ", "titlebar-dim"), (sub_title, "titlebar-dim")]
    used = sum(cell_len(text) for text, _ in runs)
    if used > width:
        return ellipsized(runs, width)
    left = (width - used) // 2
    return [(" " * left, "titlebar"), *runs, (" " * (width - used - left), "titlebar")]


def status_row(save: tuple[str, str], width: int) -> list[Run]:
    """The status line: the save state between one cell of padding each side, cut with "…"
    where it does not fit."""
    runs = ellipsized([(save[0], "status-save")], width - 2)
    used = sum(cell_len(text) for text, _ in runs)
    return [(" ", "status"), *runs, (" " * (width - 1 - used), "status")]


def key_row(keys: list[BarKey], width: int) -> list[Run]:
    """The key bar: each key and its label, the palette's key at the right; cut at `width`."""
    runs: list[Run] = []
    position = 0
    for key, label, _, enabled in keys:
        chunk_key, chunk_label = f" {key} ", f"{label} "
        runs.append((chunk_key, "keybar-key" if enabled else "keybar-disabled"))
        runs.append((chunk_label, "keybar" if enabled else "keybar-disabled"))
        position += len(chunk_key) + len(chunk_label)
    room = width - position - len(PALETTE_HINT)
    if room > 0:
        runs += [(" " * room, "keybar"), (" ^p", "keybar-key"), (" palette ", "keybar")]
    return crop(ellipsized(runs, width), width, "keybar-pad")  # the widget's, not the text's


def ellipsized(runs: list[Run], width: int) -> list[Run]:
    """`runs` as Textual draws a line too long for `width` cells with `text-overflow:
    ellipsis` (`Content.truncate`): cut to `width - 1` cells (a wide character cut in half
    becomes a space), then "…" in the role of the character it stands in for. Runs that
    fit are returned as they are."""
    plain = "".join(text for text, _ in runs)
    if cell_len(plain) <= width or width < 1:
        return runs
    cut = set_cell_size(plain, width - 1) + "…"
    out: list[Run] = []
    start = 0
    for text, role in runs:
        piece = cut[start : start + len(text)]
        if piece:
            out.append((piece, role))
        start += len(text)
    return out


def crop(runs: list[Run], width: int, pad: str) -> list[Run]:
    """`runs` cut or padded to `width` cells."""
    out: list[Run] = []
    used = 0
    for text, role in runs:
        size = cell_len(text)
        if used + size > width:
            while text and used + cell_len(text) > width:
                text = text[:-1]
            size = cell_len(text)
        if text:
            out.append((text, role))
            used += size
        if used >= width:
            break
    if used < width:
        out.append((" " * (width - used), pad))
    return out


def canvas_rows(template: Template, canvas: Canvas, width: int, height: int) -> list[list[Run]]:
    """The canvas widget's rows at its first draw: every cursor on the first item of its
    block, block 1 current, nothing scrolled, zoomed or filtered. Roles are blockrows'."""
    count = len(template.blocks)
    boxes: list[tuple[int, Box]] = []
    for block in range(count):
        box = block_box(template, block, width, height, current=0, zoomed=False)
        if box is not None:
            boxes.append((block, box))
    layouts: dict[int, BlockLayout] = {}

    def layout(block: int, box: Box) -> BlockLayout:
        if block not in layouts:
            layouts[block] = BlockLayout(
                template.blocks[block], canvas.blocks[block], text_width(box), None
            )
        return layouts[block]

    def line(block: int, box: Box, row: int) -> list[Run]:
        items = canvas.blocks[block]
        return block_row(
            template,
            block,
            box,
            row,
            items=items,
            layout=lambda: layout(block, box),
            count=lambda: f" ({block_counts_of(items)}) ",
            top=0,
            cursor=0,
            matches=frozenset(),
            current=block == 0,
        )

    rows = []
    for y in range(height):
        if y == 0 and len(boxes) == 1 and width < WIDE:
            runs = strip_runs(template, 0, width)
        else:
            runs = canvas_row(y, width, boxes, line, lambda cells: (" " * cells, ""))
        rows.append(crop(runs, width, ""))
    return rows


def editor_frame(
    template: Template,
    canvas: Canvas,
    *,
    heading: tuple[str, str],
    save: tuple[str, str],
    keys: list[BarKey],
    width: int,
    height: int,
) -> list[list[Run]] | None:
    """The editor's whole first screen, row by row; None when it cannot be foretold here
    (a screen too small)."""
    if width < 20 or height < 8:
        return None
    top = title_row(*heading, width)
    status = status_row(save, width)
    canvas_part = [
        [(text, f"canvas:{role}") for text, role in row]
        for row in canvas_rows(template, canvas, width, height - 3)
    ]
    return [top, *canvas_part, status, key_row(keys, width)]
