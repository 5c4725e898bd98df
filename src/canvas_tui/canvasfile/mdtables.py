"""Tables in a Markdown canvas, as rows of cells, each cell as pieces of text: a Markdown
table's cells split at `<br>` and bullets; an HTML `<table>` (as issue templates draw a
canvas) split where the HTML breaks a line (`<br>`, `<p>`, `<li>`, `<div>`):

    <table><tr>
      <td rowspan="2"><b>Problem</b><p>Swaps get lost</p><p>Managers must approve</p></td>
      …

And `canvas_cells`: which block each piece of a table that draws a whole canvas belongs to.
Pure: tokens or text in, text out (the standard library's HTML parser).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from canvas_tui.canvasfile.inline import marked_text
from canvas_tui.template.names import match_block

if TYPE_CHECKING:
    from markdown_it.token import Token

    from canvas_tui.template.spec import BlockSpec, Template

_BREAKS = {"br", "p", "li", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
_BULLET = re.compile(r"[ \t]*(?:[-*+•·▪‣◦]|\d{1,2}[.)])[ \t]+")
_SKIPPED = {"script", "style"}
_INLINE_BULLET = re.compile(r"[ \t]+[•·▪‣◦][ \t]+")

Row = list[list[str]]


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.piece: list[str] = []
        self.in_cell = False
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            self.rows[-1].append([])
            self.in_cell, self.piece = True, []
        elif tag in _BREAKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("td", "th"):
            self.flush()
            self.in_cell = False
        elif tag in _BREAKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_cell and not self.skipping:
            self.piece.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.piece).split())
        self.piece = []
        if self.in_cell and self.rows and self.rows[-1]:
            text = _BULLET.sub("", text, count=1).strip()
            if text:
                self.rows[-1][-1].append(text)


def table_rows(html: str) -> list[Row]:
    """The rows of the tables in `html`, each cell as its pieces of text."""
    parser = _Cells()
    parser.feed(html)
    parser.close()
    return [row for row in parser.rows if row]


def markdown_rows(tokens: list[Token], start: int, end: int) -> list[Row]:
    """The rows of the Markdown table from token `start` to `end` (the header first)."""
    rows: list[Row] = []
    for token in tokens[start:end]:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            pieces = []
            for part in marked_text(token.children):
                for piece in _INLINE_BULLET.split(part.strip().plain):
                    piece = _BULLET.sub("", piece, count=1).strip()
                    if piece:
                        pieces.append(piece)
            rows[-1].append(pieces)
    return rows


def canvas_cells(
    rows: list[Row], template: Template
) -> Iterator[tuple[int, BlockSpec | None, str]]:
    """A canvas drawn as a table: a cell whose first piece names a block makes its column
    that block's (until another does); the rest of its pieces are that block's items. Each
    item as (row number, its block or None, its text)."""
    columns: list[BlockSpec | None] = []
    for number, row in enumerate(rows):
        for column, pieces in enumerate(row):
            while len(columns) <= column:
                columns.append(None)
            if pieces and (spec := match_block(pieces[0], template)) is not None:
                columns[column] = spec
                pieces = pieces[1:]
            for piece in pieces:
                yield number, columns[column], piece
