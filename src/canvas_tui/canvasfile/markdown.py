"""Canvas Markdown, both ways: `to_markdown` writes a canvas; `read_markdown` reads the
Markdown people write (canvas-tui's export reads back to the same canvas).

The export looks like this:

    # Acme Robotics

    ## 4. Value Proposition

    - ✓ Saves 3 hours a week #pricing #b2b
      > 12 interviews.
    - A plain item

Item text is literal: Markdown syntax in it is escaped (`\\#`, `\\*`, a leading `1.`), white
space at its ends is written as `&#32;` (or its own character reference), and a note is
quoted under its item. Reading uses markdown-it-py (CommonMark, with tables and front
matter) and reads a document as a person would; `canvas_tui.canvasfile.mdreader` has the
rules. Pure: text in, text or model values out.
"""

from __future__ import annotations

import re

from canvas_tui.canvasfile.mdtypes import (
    EMPTY,
    UNTITLED,
    Heading,
    ImportedMarkdown,
    MarkdownDocument,
    Skipped,
)
from canvas_tui.model import STATUS_GLYPHS, Canvas, Item
from canvas_tui.safetext import visible
from canvas_tui.template.spec import DEFAULT_TEMPLATE, Template

__all__ = [
    "EMPTY",
    "UNTITLED",
    "Heading",
    "ImportedMarkdown",
    "MarkdownDocument",
    "Skipped",
    "markdown_item",
    "markdown_text",
    "named_template",
    "parse_document",
    "read_markdown",
    "to_markdown",
]
SPACE = "&#32;"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_BLOCK_START = re.compile(r"^(\s*)([+\-=])")  # a list or rule at the start
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")  # "1." or "1)" would start a list
_GLYPH_START = re.compile("^([" + "".join(STATUS_GLYPHS.values()) + "])")
_SPECIAL_START = frozenset("+-=" + "".join(STATUS_GLYPHS.values()))
_TEMPLATE_LINE = re.compile(r"Template: .*\(`([^`]+)`\)[ \t]*\Z")
_STATUS_OF_GLYPH = {glyph: status for status, glyph in STATUS_GLYPHS.items()}
_TRAILING_TAG = re.compile(r"(?:^| )#([a-z0-9][a-z0-9-]*)\Z")
# What `markdown_text` writes: a backslash before ASCII punctuation, character references.
_ESCAPE = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});"
)


# -- writing -------------------------------------------------------------------------------


def markdown_text(text: str) -> str:
    """Untrusted text as literal Markdown: controls made visible, syntax characters escaped,
    white space at either end kept as character references (a parser strips it)."""
    text = visible(text)
    if (
        text
        and _MARKDOWN_SPECIAL.search(text) is None
        and text[0] not in _SPECIAL_START
        and not text[0].isdigit()
        and not text[0].isspace()
        and not text[-1].isspace()
    ):
        return text  # nothing to escape (most text): a quick way out
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _BLOCK_START.sub(r"\1\\\2", text)
    text = _ORDERED_START.sub(r"\1\\\2", text)
    text = _GLYPH_START.sub(lambda match: f"&#{ord(match.group(1))};", text)
    stripped = text.strip()
    if stripped != text:
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(lead) + len(stripped) :] if stripped else ""
        text = _references(lead) + stripped + _references(trail)
    return text


def _references(spaces: str) -> str:
    return "".join(SPACE if char == " " else f"&#{ord(char)};" for char in spaces)


def markdown_item(item: Item) -> list[str]:
    """An item as a Markdown list item: `- ✓ text #tag`, its note quoted below."""
    parts = []
    if item.status is not None:
        parts.append(STATUS_GLYPHS[item.status])
    if item.text:
        parts.append(markdown_text(item.text))
    parts.extend(f"#{tag}" for tag in item.tags)
    lines = [f"- {' '.join(parts)}".rstrip(" ")]
    if item.note:
        lines.extend(f"  > {markdown_text(line)}".rstrip(" ") for line in item.note.split("\n"))
    return lines


def to_markdown(canvas: Canvas, template: Template, *, guide: bool = False) -> str:
    lines = [f"# {markdown_text(canvas.title) or UNTITLED}", ""]
    if canvas.template != DEFAULT_TEMPLATE:
        lines += [f"Template: {markdown_text(template.title)} (`{visible(template.id)}`)", ""]
    for spec in template.blocks:
        items = canvas.blocks[spec.index]
        lines.append(f"## {spec.number}. {markdown_text(spec.title)}")
        lines.append("")
        if guide:
            lines.append(f"> {markdown_text(spec.question)}")
            lines.append(">")
            lines.extend(f"> - {markdown_text(prompt)}" for prompt in spec.prompts)
            lines.append("")
        if items:
            for item in items:
                lines.extend(markdown_item(item))
        else:
            lines.append(EMPTY)
        lines.append("")
    if guide and template.attribution:
        lines += [f"_{markdown_text(template.attribution)}_", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- reading -------------------------------------------------------------------------------


def parse_document(text: str) -> MarkdownDocument:
    """Markdown text parsed with markdown-it-py (CommonMark, tables, strikethrough, front
    matter)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    from canvas_tui.canvasfile.inline import leading_label, marked_text, plain_text
    from canvas_tui.canvasfile.mdtables import table_rows

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    parser.disable("text_join")  # keep escapes apart: `\\#x` is text, `#x` a tag
    # A link's address is kept as written (`x (url)`): not percent-encoded, not checked
    # (which, for thousands of links, is also much of the parse).
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    parser.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    text = text.removeprefix("\ufeff")
    tokens = parser.parse(text)
    headings = []
    front_title = ""
    label_names = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            inline = tokens[index + 1]
            plain = plain_text(inline.children)
            level = int(token.tag[1:])
            headings.append(Heading(index, token.map[0] + 1, level, plain, inline.content))
        elif token.type == "inline" and tokens[index - 1].type == "th_open":
            label_names.append(marked_text(token.children)[0].strip().plain)
        elif token.type == "html_block" and "<table" in token.content.lower():
            label_names += [row[0] for rows in table_rows(token.content) for row in rows if row]
        elif (
            token.type == "inline"
            and token.content.startswith(("**", "__"))
            and (label := leading_label(token.children or []))
        ):
            label_names.append(label[0])
        elif token.type == "front_matter":
            found = re.search(r"^title:[ \t]*(.+?)[ \t]*$", token.content, re.MULTILINE)
            if found is not None:
                front_title = found.group(1).strip("'\"")
    lines = re.split(r"\r\n|\r|\n", text)
    return MarkdownDocument(tokens, headings, front_title, lines, label_names)


def named_template(document: MarkdownDocument) -> str | None:
    """The template id the export names on its `Template: Lean Canvas (`lean`)` line, which
    comes before the first block heading (after the title)."""
    for token in document.tokens:
        if token.type == "heading_open" and token.tag != "h1":
            return None
        if token.type == "inline" and token.level == 1:
            match = _TEMPLATE_LINE.match(token.content)
            if match is not None:
                return match.group(1)
    return None


# -- reading canvas-tui's own export quickly -----------------------------------------------


def export_template(text: str) -> str | None:
    """The template id on the export's `Template:` line (its third), if it has one."""
    lines = text.split("\n", 3)
    found = _TEMPLATE_LINE.match(lines[2]) if len(lines) > 3 else None
    return found.group(1) if found is not None else None


def read_export(text: str, template: Template) -> ImportedMarkdown | None:
    """The canvas whose export (without guidance) is exactly `text`, or None.

    A shortcut, not a second reader: it takes the export's lines apart by their fixed form,
    and the result counts only if exporting it gives `text` back, in which case the reader
    (whose round trip is exact) would have read the same canvas. For thousands of items it
    is several times faster than parsing the Markdown."""
    lines = text.split("\n")
    if not lines[0].startswith("# "):
        return None
    blocks: list[list[list[str]]] = [[] for _ in template.blocks]
    block: list[list[str]] | None = None
    for line in lines[1:]:
        if line.startswith(("- ", "-")) and line[:2] in ("- ", "-"):
            if block is None:
                return None
            block.append([line[2:]])
        elif line.startswith("  >"):
            if not block:
                return None
            block[-1].append(line[4:] if line.startswith("  > ") else line[3:])
        elif line.startswith("## "):
            number = line[3:].split(".", 1)[0]
            if not (number.isascii() and number.isdigit()) or not 0 < int(number) <= len(blocks):
                return None
            block = blocks[int(number) - 1]
    title = lines[0][2:]
    canvas = Canvas(
        "" if title == UNTITLED else _unescape(title),
        tuple(tuple(_export_item(written) for written in items) for items in blocks),
        template.id,
    )
    if to_markdown(canvas, template) != text:
        return None
    return ImportedMarkdown(canvas, True, True, (), ())


def _export_item(written: list[str]) -> Item:
    """An item from its line as the export writes it (after `- `) and its note lines."""
    content = written[0]
    status = None
    if content[:1] in _STATUS_OF_GLYPH and content[1:2] in ("", " "):
        status = _STATUS_OF_GLYPH[content[0]]
        content = content[2:]
    tags: list[str] = []
    while (match := _TRAILING_TAG.search(content)) is not None:
        tags.insert(0, match.group(1))
        content = content[: match.start()]
    note = "\n".join(_unescape(line) for line in written[1:])
    return Item(_unescape(content), status, tuple(tags), note)


def _unescape(text: str) -> str:
    if "\\" not in text and "&" not in text:
        return text
    return _ESCAPE.sub(_unescape_one, text)


def _unescape_one(match: re.Match[str]) -> str:
    escaped = match.group(1)
    if escaped is not None:
        return escaped
    reference = match.group(2)
    if reference.startswith("#"):
        digits = reference[1:]
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
        if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return "\ufffd"
        return chr(code)
    import html  # (reading only)

    return html.unescape(match.group())


def read_markdown(document: MarkdownDocument, template: Template) -> ImportedMarkdown:
    """A canvas of `template` from a parsed document, read as a person reads it (the rules
    are in `canvas_tui.canvasfile.mdreader`)."""
    from canvas_tui.canvasfile.mdreader import Reader  # (reading only: `export` never needs it)

    return Reader(document, template, exported=is_export(document, template)).read()


def is_export(document: MarkdownDocument, template: Template) -> bool:
    """Whether every heading that names a block is written as the export writes it."""
    from canvas_tui.template.names import match_block

    written = [
        heading.raw == f"{spec.number}. {markdown_text(spec.title)}"
        for heading in document.headings
        if heading.level == 2 and (spec := match_block(heading.text, template)) is not None
    ]
    return bool(written) and all(written)
