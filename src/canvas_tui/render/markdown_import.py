"""Read a canvas from Markdown: what `export --format markdown` writes, and ordinary notes.

The export looks like this, and reads back to the same canvas (status, tags and notes too):

    # Acme Robotics

    ## 4. Value Proposition

    - ✓ Saves 3 hours a week #pricing #b2b
      > 12 interviews.
      > See notes.
    - A plain item

    ## 5. Customer Relationships

    _(empty)_

Ordinary Markdown works too: the first `#` heading is the title; every other heading names a
block by its title, key, short label or number (case-insensitive, so `## Problem`, `## kp` and
`## 3` all do); list items (`-`, `*`, `+`, `1.`) under it are the block's items. A status glyph
(`? ~ ✓ ✗`) followed by a space starts an item, `#tags` end it, and lines quoted below it
(`> …`) are its note. Other paragraphs, quotes right under a heading (the export's guidance),
code blocks and rules are skipped. A heading that names no block is an error that names it.

Item text is literal: backslash escapes (`\\#`) and character references (`&#32;`, `&amp;`)
are decoded, nothing else is interpreted. Control characters are not part of the round trip:
the export shows them as visible placeholders, which read back as those placeholders.

Pure: this module reads text and returns model values; it does no I/O.
"""

from __future__ import annotations

import html.entities
import re
from typing import NamedTuple

from canvas_tui.errors import CanvasError
from canvas_tui.model import STATUS_GLYPHS, Canvas, Item
from canvas_tui.template import BlockSpec, Template

UNTITLED = "_(untitled)_"  # what the export writes for a canvas with no title

_STATUS_OF_GLYPH = {glyph: status for status, glyph in STATUS_GLYPHS.items()}
_HEADING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)(.*)\Z")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+\Z")
_BULLET = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?\Z")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\Z")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"([ \t]*)>(.*)\Z")
_TASK_BOX = re.compile(r"\[[ xX]\](?:[ \t]+|\Z)")
_TRAILING_TAG = re.compile(r"(?:^|[ \t]+)#([a-z0-9][a-z0-9-]*)[ \t]*\Z")
_TEMPLATE_LINE = re.compile(r"Template: .*\(`([^`]+)`\)[ \t]*\Z")
_NUMBERED_HEADING = re.compile(r"(\d+)[.)]?[ \t]+(.+)\Z")
# CommonMark: a backslash before ASCII punctuation, and entity or numeric character references.
_ESCAPE = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});"
)


class MarkdownImportError(CanvasError):
    """Markdown that cannot become a canvas; the message names the lines at fault."""


class ImportedMarkdown(NamedTuple):
    """A canvas read from Markdown, and whether the text gave it a title."""

    canvas: Canvas  # its title is "" when the text has no `# title` line
    titled: bool


def unescape_markdown(text: str) -> str:
    """Markdown inline text to the plain text it stands for: backslash escapes and character
    references decoded (the inverse of the export's escaping); everything else is literal."""
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
        # CommonMark: NUL, surrogates and numbers beyond Unicode become U+FFFD.
        if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return "\ufffd"
        return chr(code)
    named = html.entities.html5.get(reference + ";")
    return named if named is not None else match.group()


def named_template(text: str) -> str | None:
    """The template id the export names on its `Template: Lean Canvas (`lean`)` line, if any.

    The line comes before the first block heading; a document without it uses the default
    template (or the one the caller chooses)."""
    for line in text.split("\n"):
        line = line.rstrip("\r")
        heading = _HEADING.match(line)
        if heading is not None and len(heading.group(1)) > 1:
            return None
        match = _TEMPLATE_LINE.match(line)
        if match is not None:
            return match.group(1)
    return None


def find_heading_block(heading: str, template: Template) -> BlockSpec | None:
    """The block a heading names: its title, key, short label or number, case-insensitive;
    or a number followed by a title, as in `4. Value Proposition` (the title decides)."""
    wanted = heading.strip(" \t")
    found = _block_named(wanted, template)
    if found is not None:
        return found
    numbered = _NUMBERED_HEADING.match(wanted)
    if numbered is not None:
        return _block_named(numbered.group(2), template)
    return None


def _block_named(name: str, template: Template) -> BlockSpec | None:
    found = template.find_block(name)
    if found is not None:
        return found
    wanted = name.strip(" \t").casefold()
    return next((block for block in template.blocks if block.title.casefold() == wanted), None)


class _Draft:
    """An item being read: its raw (still escaped) content lines and its note lines."""

    # Plain classes, not dataclasses: `import` is a plain command, which starts fast.
    __slots__ = ("blank_after", "content", "note")

    def __init__(self, content: str) -> None:
        self.content = [content]
        self.note: list[str] | None = None
        self.blank_after = False  # a blank line came after what was read so far

    def item(self) -> Item:
        return parse_item_line(" ".join(self.content), self.note)


def parse_item_line(content: str, note: list[str] | None = None) -> Item:
    """One list item's content (after `- `), as the export writes it: an optional status
    glyph, the escaped text, then `#tags`; `note` is its quoted lines, still escaped."""
    content = content.strip(" \t")
    status = None
    if content and content[0] in _STATUS_OF_GLYPH and content[1:2] in ("", " ", "\t"):
        status = _STATUS_OF_GLYPH[content[0]]
        content = content[1:].lstrip(" \t")
    tags: list[str] = []
    while (match := _TRAILING_TAG.search(content)) is not None:
        tags.insert(0, match.group(1))
        content = content[: match.start()]
    text = unescape_markdown(content.strip(" \t"))
    note_text = "" if note is None else "\n".join(unescape_markdown(line) for line in note)
    return Item(text, status, tuple(tags), note_text)


class _Reader:
    """The state of reading a document line by line."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.blocks: list[list[_Draft]] = [[] for _ in template.blocks]
        self.title: str | None = None
        self.block: int | None = None  # the index of the block under the last heading
        self.in_unknown_block = False
        self.named_a_block = False
        self.item: _Draft | None = None
        self.unknown: list[str] = []  # headings that name no block
        self.strays: list[int] = []  # lines of items under no block heading

    def heading(self, number: int, level: int, content: str) -> None:
        self.item = None
        content = _CLOSING_HASHES.sub("", content.strip(" \t")).strip(" \t")
        if level == 1 and self.title is None and self.block is None and not self.in_unknown_block:
            self.title = "" if content == UNTITLED else unescape_markdown(content)
            return
        spec = find_heading_block(unescape_markdown(content), self.template)
        if spec is None:
            self.unknown.append(f"line {number}: {'#' * level + ' ' + content!r}")  # repr: safe
            self.block, self.in_unknown_block = None, True
        else:
            self.block, self.in_unknown_block = spec.index, False
            self.named_a_block = True

    def bullet(self, number: int, content: str) -> None:
        content = _TASK_BOX.sub("", content.strip(" \t"), count=1)
        if self.block is None:
            self.item = None
            if not self.in_unknown_block:
                self.strays.append(number)
            return
        self.item = _Draft(content)
        self.blocks[self.block].append(self.item)

    def quote(self, indented: bool, body: str) -> bool:
        """A `>` line: part of the note of the item above it; False if it is not."""
        item = self.item
        if item is None or (item.blank_after and not indented):
            return False
        if body.startswith((" ", "\t")):
            body = body[1:]
        body = body.rstrip(" \t")
        if item.note is None:
            item.note = []
        elif item.blank_after:
            item.note.append("")  # a paragraph break inside the note
        item.note.append(body)
        item.blank_after = False
        return True

    def other(self, indented: bool, line: str) -> None:
        """A line that is neither heading, list item nor quote: the continuation of the item
        above (a wrapped line), or a paragraph, which is skipped."""
        item = self.item
        if item is None or (item.blank_after and not indented):
            self.item = None
            return
        text = line.strip(" \t")
        if item.note is not None:
            if item.blank_after:
                item.note.append("")
            item.note.append(text)
        else:
            item.content.append(text)
        item.blank_after = False


def parse_markdown(text: str, template: Template) -> ImportedMarkdown:
    """A canvas of `template` from Markdown; raises `MarkdownImportError` for headings that
    name no block, list items under no block heading, and text with no block heading at all
    (not a canvas: most likely not Markdown either)."""
    reader = _Reader(template)
    fence: str | None = None
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        line = raw.rstrip("\r")
        if fence is not None:
            if line.strip(" \t").startswith(fence):
                fence = None
            continue
        if not line.strip(" \t"):
            if reader.item is not None:
                reader.item.blank_after = True
            continue
        if (opening := _FENCE.match(line)) is not None:
            fence, reader.item = opening.group(1), None
            continue
        if (heading := _HEADING.match(line)) is not None:
            reader.heading(number, len(heading.group(1)), heading.group(2))
            continue
        if _THEMATIC_BREAK.match(line):
            reader.item = None
            continue
        if (bullet := _BULLET.match(line)) is not None:
            reader.bullet(number, bullet.group(2) or "")
            continue
        quote = _QUOTE.match(line)
        if quote is not None and reader.quote(bool(quote.group(1)), quote.group(2)):
            continue
        reader.other(line[:1] in (" ", "\t"), line)
    problems = []
    if reader.unknown:
        names = "; ".join(reader.unknown)
        problems.append(
            f"headings that name no block of {template.id}: {names}"
            " (name a block by title, key, short label or number)"
        )
    if not reader.unknown and not reader.named_a_block:
        problems.append("no heading names a block (write one `## Title` heading per block)")
    if reader.strays:
        lines = ", ".join(map(str, reader.strays[:5])) + (", …" if len(reader.strays) > 5 else "")
        problems.append(f"list items under no block heading (line {lines})")
    if problems:
        raise MarkdownImportError("; ".join(problems))
    blocks = tuple(tuple(draft.item() for draft in drafts) for drafts in reader.blocks)
    canvas = Canvas(reader.title or "", blocks, template.id)
    return ImportedMarkdown(canvas, reader.title is not None)
