"""Canvas exports that need no terminal: Markdown, JSON, TOML and a printable HTML page."""

from __future__ import annotations

import html
import json
import re

from canvas_tui.model import Canvas
from canvas_tui.safetext import escape_unsafe, visible
from canvas_tui.store.fileformat import SCHEMA, dump
from canvas_tui.template import BLOCKS, GRID_COLUMNS

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^(\s*)([#+\-=])")  # a heading, list or rule at the start
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")  # "1." or "1)" would start a list


def markdown_text(text: str) -> str:
    """Untrusted text as literal Markdown: controls made visible, syntax characters escaped."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))
    text = _BLOCK_START.sub(r"\1\\\2", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def to_markdown(canvas: Canvas, *, guide: bool = False) -> str:
    lines = [f"# {markdown_text(canvas.title) or 'Untitled canvas'}", ""]
    for spec in BLOCKS:
        items = canvas.blocks[spec.index]
        lines.append(f"## {spec.number}. {spec.title}")
        lines.append("")
        if guide:
            lines.append(f"> {spec.question}")
            lines.append(">")
            lines.extend(f"> - {prompt}" for prompt in spec.prompts)
            lines.append("")
        if items:
            lines.extend(f"- {markdown_text(item)}" for item in items)
        else:
            lines.append("_(empty)_")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(canvas: Canvas) -> str:
    data = {
        "schema": SCHEMA,
        "title": canvas.title,
        "blocks": {spec.key: list(canvas.blocks[spec.index]) for spec in BLOCKS},
    }
    return escape_unsafe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def to_toml(canvas: Canvas) -> str:
    return dump(canvas)


_HTML_STYLE = """
:root { color-scheme: light; --ink: #1d2330; --muted: #667085; --line: #c9ced6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       margin: 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 16px; }
.canvas { display: grid; grid-template-columns: repeat(%(columns)d, 1fr);
          grid-template-rows: auto auto auto; gap: 0; border: 2px solid var(--ink); }
.block { border: 1px solid var(--line); padding: 10px 12px; min-height: 120px;
         break-inside: avoid; }
.block h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; margin: 0 0 6px; }
.block h2 .count { color: var(--muted); font-weight: normal; }
.block ul { margin: 0; padding-left: 18px; }
.block li { margin: 2px 0; overflow-wrap: anywhere; }
.guide { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
.guide ul { padding-left: 16px; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 11px; margin-top: 10px; }
@media print {
  body { margin: 0; font-size: 10pt; }
  @page { size: A4 landscape; margin: 12mm; }
  .block { min-height: 0; }
}
"""


def to_html(canvas: Canvas, *, guide: bool = False) -> str:
    """One self-contained page: the nine blocks in the classic layout, readable when printed."""
    title = html.escape(visible(canvas.title) or "Untitled canvas")
    blocks = []
    for spec in BLOCKS:
        place = spec.place
        items = canvas.blocks[spec.index]
        area = (
            f"grid-row: {place.row + 1} / span {place.row_span};"
            f" grid-column: {place.column + 1} / span {place.column_span};"
        )
        parts = [
            f'<section class="block" id="{spec.key}" style="{area}">',
            f"<h2>{spec.number} {html.escape(spec.title)}"
            f' <span class="count">({len(items)})</span></h2>',
        ]
        if guide or not items:
            parts.append(f'<div class="guide"><p>{html.escape(spec.question)}</p>')
            if guide:
                parts.append("<ul>")
                parts.extend(f"<li>{html.escape(prompt)}</li>" for prompt in spec.prompts)
                parts.append("</ul>")
            parts.append("</div>")
        if items:
            parts.append("<ul>")
            parts.extend(f"<li>{html.escape(visible(item))}</li>" for item in items)
            parts.append("</ul>")
        else:
            parts.append('<p class="empty">(empty)</p>')
        parts.append("</section>")
        blocks.append("\n".join(parts))
    style = _HTML_STYLE % {"columns": GRID_COLUMNS}
    body = "\n".join(blocks)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{style}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        f'<main class="canvas">\n{body}\n</main>\n'
        f"<footer>Tech Business Model Canvas · {canvas.item_count} items · canvas-tui</footer>\n"
        "</body>\n</html>\n"
    )
