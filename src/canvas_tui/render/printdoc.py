"""A canvas as the data of a printed page (for `export --format pdf|png|svg`).

The typesetter (`render/typeset.py` with `render/print.typ`) never sees canvas text as
markup: this module turns a canvas into plain JSON-ready values, and the Typst template reads
them with `json(...)` and places each string as text. What this module does to the text:

- control characters and bidi overrides become visible placeholders (`safetext.visible`), as
  on a terminal, so a printout shows what the file holds instead of acting on it;
- an item longer than `PIECE` characters is set as several pieces, one under another, so
  that each fits a block (the pieces read on as one item: only the first has a glyph);
- a run of more than `LONG_RUN` characters without a space gets a break opportunity
  (U+200B) every `BREAK_EVERY` characters, so a long word or URL wraps inside its block
  instead of running over the next one (the stored text is never changed).
"""

from __future__ import annotations

import re
from typing import Any

from canvas_tui.model import STATUS_GLYPHS, STATUSES, Canvas, Item
from canvas_tui.render.wrap import NOTE_MARK
from canvas_tui.safetext import visible
from canvas_tui.template import BlockSpec, Template

# Paper sizes, landscape, in millimetres: the name on the command line → (width, height).
PAPERS: dict[str, tuple[float, float]] = {
    "a4": (297.0, 210.0),
    "letter": (279.4, 215.9),
    "a3": (420.0, 297.0),
}
DEFAULT_PAPER = "a4"
UNTITLED = "Untitled canvas"
LEGEND: tuple[tuple[str, str], ...] = (
    *((STATUS_GLYPHS[status], status) for status in STATUSES),
    (NOTE_MARK, "has a note"),
)
ZERO_WIDTH_SPACE = "\u200b"
LONG_RUN = 24
PIECE = 480  # characters: a longer item is set in pieces, each fitting even a small block
BREAK_EVERY = 8
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")


def breakable(text: str) -> str:
    """`text` made safe to set: controls visible, long runs given break opportunities."""
    return _LONG_RUN.sub(_break_run, visible(text))


def _break_run(match: re.Match[str]) -> str:
    run = match.group()
    return ZERO_WIDTH_SPACE.join(run[i : i + BREAK_EVERY] for i in range(0, len(run), BREAK_EVERY))


def print_document(
    canvas: Canvas,
    template: Template,
    *,
    date: str,
    paper: str = DEFAULT_PAPER,
    notes: bool = False,
    guide: bool = False,
) -> dict[str, Any]:
    """Everything the printed canvas shows, as plain values for the Typst template.

    `notes`: items with a note carry its number, and the notes follow the canvas;
    otherwise an item with a note shows the note mark only. `guide`: each block's question.
    """
    width, height = PAPERS[paper]
    numbered: list[dict[str, Any]] = []
    blocks = []
    for spec in template.blocks:
        items = []
        for item in canvas.blocks[spec.index]:
            number = 0
            if notes and item.note:
                numbered.append(_note(len(numbered) + 1, spec, item))
                number = len(numbered)
            items.extend(_item(item, number))
        blocks.append(_block(spec, items, guide))
    return {
        "paper": {"width": width, "height": height},
        "title": breakable(canvas.title) or UNTITLED,
        "name": visible(canvas.title) or UNTITLED,  # for the file's metadata: no breaks
        "template": breakable(template.title),
        "attribution": breakable(template.attribution),
        "date": date,
        "items": canvas.item_count,
        "grid": {
            "rows": template.rows,
            "columns": template.columns,
            "row_heights": list(template.row_heights),
        },
        "blocks": blocks,
        "notes": numbered,
        "show_notes": notes,
        "guide": guide,
        "legend": [{"glyph": glyph, "status": name} for glyph, name in LEGEND],
        "note_mark": NOTE_MARK,
    }


def _block(spec: BlockSpec, items: list[dict[str, Any]], guide: bool) -> dict[str, Any]:
    place = spec.place
    return {
        "number": spec.number,
        "title": breakable(spec.title),
        "question": breakable(spec.question) if guide else "",
        "row": place.row,
        "column": place.column,
        "rows": place.rows,
        "columns": place.columns,
        "count": counts(items),
        "items": items,
    }


def counts(items: list[dict[str, Any]]) -> str:
    """ "5 · ✓2 ~1": how many items a block has, and how many of each status."""
    statuses = [item["status"] for item in items if not item["more"]]
    parts = [
        f"{STATUS_GLYPHS[status]}{statuses.count(status)}"
        for status in STATUSES
        if status in statuses
    ]
    # No-break spaces: the counts wrap as one piece after the block's title.
    count = str(sum(not item["more"] for item in items))
    return "\u00a0".join([count, "·", *parts]) if parts else count


def pieces(text: str) -> list[str]:
    """`text` in pieces of at most `PIECE` characters, cut after a space where there is one
    near the end: a piece always fits a block, where a very long item might not."""
    parts = []
    while len(text) > PIECE:
        cut = text.rfind(" ", PIECE - PIECE // 8, PIECE) + 1 or PIECE
        parts.append(text[:cut])
        text = text[cut:]
    return [*parts, text]


def _item(item: Item, note_number: int) -> list[dict[str, Any]]:
    """An item as the typesetter takes it: one entry, or one per piece of a very long one
    (the status on the first, the tags and the note mark on the last, `more` on the rest)."""
    texts = pieces(item.text)
    last = len(texts) - 1
    return [
        {
            "text": breakable(text),
            "more": index > 0,
            "status": item.status or "",
            "glyph": STATUS_GLYPHS.get(item.status or "", "") if index == 0 else "",
            "tags": [breakable(f"#{tag}") for tag in item.tags] if index == last else [],
            "note": note_number if index == last else 0,  # 0: no numbered note
            "has_note": bool(item.note) and index == last,
        }
        for index, text in enumerate(texts)
    ]


def _note(number: int, spec: BlockSpec, item: Item) -> dict[str, Any]:
    return {
        "number": number,
        "block": breakable(spec.label),
        "item": breakable(item.text),
        "lines": [breakable(line) for line in item.note.split("\n")],
    }
