"""Canvas exports that need no terminal: Markdown, JSON, TOML and a printable HTML page.

Every export follows the canvas's template and carries each item's status, tags and note.
Markdown is the file format's own (`canvas_tui.canvasfile.markdown`, which also reads it back
to the same canvas); it is re-exported here beside the others.
"""

from __future__ import annotations

from canvas_tui.canvasfile import dump, schema_of
from canvas_tui.canvasfile.markdown import markdown_item, markdown_text, to_markdown
from canvas_tui.model import STATUS_GLYPHS, STATUSES, Canvas, Item
from canvas_tui.render.htmlfit import print_font_size
from canvas_tui.render.layout import block_counts
from canvas_tui.render.wrap import NOTE_MARK
from canvas_tui.safetext import escape_unsafe, visible
from canvas_tui.template import Template

__all__ = [
    "html_item",
    "markdown_item",
    "markdown_text",
    "to_html",
    "to_json",
    "to_markdown",
    "to_toml",
]


def to_json(canvas: Canvas, template: Template) -> str:
    data = {
        "schema": schema_of(canvas),
        "title": canvas.title,
        "template": canvas.template,
        "blocks": {
            spec.key: [item.as_data() for item in canvas.blocks[spec.index]]
            for spec in template.blocks
        },
    }
    import json  # here and below: each format imports only what it needs

    return escape_unsafe(json.dumps(data, ensure_ascii=False, indent=2, default=str)) + "\n"


def to_toml(canvas: Canvas, template: Template) -> str:
    return dump(canvas, template.keys)


_HTML_STYLE = """
:root { color-scheme: light; --ink: #1d2330; --muted: #667085; --line: #c9ced6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       margin: 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 16px; }
.canvas { display: grid; grid-template-columns: repeat(%(columns)d, 1fr);
          grid-template-rows: repeat(%(rows)d, auto); gap: 0; border: 2px solid var(--ink); }
.block { border: 1px solid var(--line); padding: 10px 12px; min-height: 120px;
         break-inside: avoid; }
.block h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; margin: 0 0 6px; }
.block h2 .count { color: var(--muted); font-weight: normal; }
.block ul { margin: 0; padding-left: 18px; }
.block li { margin: 2px 0; overflow-wrap: anywhere; }
.status { font-weight: bold; margin-right: 4px; }
.status-assumption { color: #9a6700; } .status-testing { color: #0969da; }
.status-validated { color: #1a7f37; } .status-invalidated { color: #cf222e; }
.tag { color: var(--muted); font-size: 12px; margin-left: 4px; }
.note { color: var(--muted); font-size: 12px; margin: 2px 0 4px; white-space: pre-wrap;
        border-left: 2px solid var(--line); padding-left: 6px; }
.guide { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
.guide ul { padding-left: 16px; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 11px; margin-top: 10px; }
.legend { margin: 0 0 4px; }
.legend span { margin-right: 12px; white-space: nowrap; }
@media print {
  @page { size: landscape; margin: 10mm; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  html { font-size: %(print_size)spt; }
  body { margin: 0; font-size: 1rem; line-height: 1.3; }
  h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
  .block { min-height: 0; padding: .35rem .5rem; break-inside: auto; }
  .block h2 { font-size: 1rem; margin: 0 0 .25rem; }
  .block li { margin: .1rem 0; }
  .tag, .note, .guide { font-size: .86rem; }
  footer { font-size: .8rem; margin-top: .4rem; }
}
"""


def _html(text: str) -> str:
    import html

    return html.escape(visible(text))


def html_item(item: Item) -> str:
    parts = ["<li>"]
    if item.status is not None:
        parts.append(
            f'<span class="status status-{item.status}" title="{item.status}">'
            f"{STATUS_GLYPHS[item.status]}</span>"
        )
    parts.append(_html(item.text))
    parts.extend(f'<span class="tag">#{_html(tag)}</span>' for tag in item.tags)
    if item.note:  # its line breaks stay line breaks: the page shows it with pre-wrap
        note = "\n".join(_html(line) for line in item.note.split("\n"))
        parts.append(f'<div class="note" title="note">{NOTE_MARK} {note}</div>')
    parts.append("</li>")
    return "".join(parts)


def _legend() -> str:
    entries = [
        f'<span><span class="status status-{status}">{STATUS_GLYPHS[status]}</span>{status}</span>'
        for status in STATUSES
    ]
    entries.append(f"<span>{NOTE_MARK} note</span>")
    return f'<p class="legend">{"".join(entries)}</p>'


def to_html(canvas: Canvas, template: Template, *, guide: bool = False) -> str:
    """One self-contained page: the blocks in the template's layout, readable when printed."""
    title = _html(canvas.title) or "Untitled canvas"
    blocks = []
    for spec in template.blocks:
        place = spec.place
        items = canvas.blocks[spec.index]
        area = (
            f"grid-row: {place.row + 1} / span {place.rows};"
            f" grid-column: {place.column + 1} / span {place.columns};"
        )
        counts = block_counts(canvas, spec.index)
        parts = [
            f'<section class="block" id="{_html(spec.key)}" style="{area}">',
            f'<h2>{_html(spec.label)} <span class="count">({_html(counts)})</span></h2>',
        ]
        if (guide or not items) and spec.question:
            parts.append(f'<div class="guide"><p>{_html(spec.question)}</p>')
            if guide:
                parts.append("<ul>")
                parts.extend(f"<li>{_html(prompt)}</li>" for prompt in spec.prompts)
                parts.append("</ul>")
            parts.append("</div>")
        if items:
            parts.append("<ul>")
            parts.extend(html_item(item) for item in items)
            parts.append("</ul>")
        else:
            parts.append('<p class="empty">(empty)</p>')
        parts.append("</section>")
        blocks.append("\n".join(parts))
    style = _HTML_STYLE % {
        "columns": template.columns,
        "rows": template.rows,
        "print_size": print_font_size(canvas, template, guide=guide),
    }
    body = "\n".join(blocks)
    footer = f"{_legend()}{_html(template.title)} · {canvas.item_count} items · canvas-tui"
    if template.attribution:
        footer += f"<br>{_html(template.attribution)}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{style}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        f'<main class="canvas">\n{body}\n</main>\n'
        f"<footer>{footer}</footer>\n"
        "</body>\n</html>\n"
    )
