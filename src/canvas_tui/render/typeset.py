"""The printed canvas typeset by Typst, in-process, as PDF, PNG or SVG.

Typst (the `typst` package: the typesetter and its fonts in one wheel, no browser) is the
optional extra `canvas-tui[print]`; without it, `PrintUnavailable` says how to install it.
The layout is `print.typ`, fed the values of `printdoc.print_document` as JSON: canvas text is
never part of the Typst source. Nothing is fetched from the network (the template imports no
package); fonts are Typst's own and the system's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from canvas_tui.errors import CanvasError
from canvas_tui.render.printdoc import ZERO_WIDTH_SPACE

PRINT_EXTRA_HINT = "pip install 'canvas-tui[print]'"
Format = Literal["pdf", "png", "svg"]
FORMATS: tuple[Format, ...] = ("pdf", "png", "svg")
PPI = 150  # PNG: A4 landscape is 1754 x 1240 pixels; 6 pt text is 12 pixels high
TEMPLATE = Path(__file__).with_name("print.typ")


class PrintUnavailable(CanvasError):
    """Typst is not installed: the message says how to install it."""


class PrintFailed(CanvasError):
    """Typst could not typeset the canvas (a bug: the message carries Typst's)."""


def typeset(document: dict[str, Any], format: str) -> list[bytes]:
    """`document` as a PDF (one file, in the list's only entry), or as PNG or SVG (a file per
    page)."""
    if format not in FORMATS:
        raise ValueError(f"unknown print format: {format!r}")
    try:
        import typst
    except ImportError:
        raise PrintUnavailable(
            f"{format} export needs Typst, which is not installed: {PRINT_EXTRA_HINT}"
        ) from None
    data = json.dumps(document, ensure_ascii=False)
    try:
        # Warnings name the fonts of the list that this system lacks: not worth a word.
        output, _warnings = typst.compile_with_warnings(
            TEMPLATE.read_bytes(),
            format=format,
            ppi=PPI if format == "png" else None,
            sys_inputs={"data": data},
        )
    except typst.TypstError as error:
        message = getattr(error, "message", None) or str(error)
        raise PrintFailed(f"cannot typeset the canvas: {message}") from None
    if output is None:  # only when written to a file, which is not asked for here
        raise PrintFailed("cannot typeset the canvas: Typst returned nothing")
    # One page: bytes; PNG or SVG of several pages: a list (the stubs know only the first).
    pages: bytes | list[bytes] = output
    files = [pages] if isinstance(pages, bytes) else list(pages)
    if format == "svg":
        files = [with_text(svg, document) for svg in files]
    return files


def with_text(svg: bytes, document: dict[str, Any]) -> bytes:
    """`svg` with the canvas's words in its `<title>` and `<desc>`: Typst draws glyphs as
    shapes, so without them an SVG could not be searched, indexed or read aloud."""
    lines = [document["title"]]
    for block in document["blocks"]:
        lines.append(f"{block['number']} {block['title']}")
        for item in block["items"]:
            words = " ".join(word for word in [item["glyph"], item["text"], *item["tags"]] if word)
            if item["more"]:  # the next piece of a long item
                lines[-1] += words
            else:
                lines.append(f"- {words}")
    text = "\n".join(lines).replace(ZERO_WIDTH_SPACE, "")  # break opportunities: not words
    title = f"<title>{escape(document['name'])}</title>"
    desc = f"<desc>{escape(text)}</desc>"
    end = svg.index(b">", svg.index(b"<svg")) + 1
    return svg[:end] + (title + desc).encode() + svg[end:]
