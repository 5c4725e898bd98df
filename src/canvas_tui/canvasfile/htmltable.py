"""A canvas drawn as an HTML `<table>` inside Markdown (as issue templates often do):

    <table><tr>
      <td rowspan="2"><b>Problem</b><p>Swaps get lost</p><p>Managers must approve</p></td>
      …

Its cells, each as pieces of text split where the HTML breaks a line (`<br>`, `<p>`, `<li>`,
`<div>`), for the Markdown reader's canvas-as-a-table rule. Pure: the standard library's
HTML parser, text in and text out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAKS = {"br", "p", "li", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
_BULLET = re.compile(r"[ \t]*(?:[-*+•·▪‣◦]|\d{1,2}[.)])[ \t]+")
_SKIPPED = {"script", "style"}

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
