"""What reading a Markdown canvas works with and returns: the parsed document, its
headings, what was skipped and the canvas read. Pure values."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from canvas_tui.model import Canvas

if TYPE_CHECKING:
    from markdown_it.token import Token

UNTITLED = "_(untitled)_"  # the export's title of a canvas with no title
EMPTY = "_(empty)_"  # the export's line for a block with no items


class Skipped(NamedTuple):
    """Something in a document that is not imported: its line (1-based), a glimpse of it,
    and why."""

    line: int
    text: str
    reason: str


class Heading(NamedTuple):
    token: int  # the index of its `heading_open` token
    line: int  # 1-based
    level: int
    text: str  # as plain text
    raw: str  # as written


class MarkdownDocument(NamedTuple):
    """A document parsed once: its tokens, and its headings (which name the template)."""

    tokens: list[Token]
    headings: list[Heading]
    front_title: str  # `title:` of its front matter, if any
    lines: list[str]  # the source, for the blank lines a quote's last line may be followed by
    label_names: list[str]  # table header cells and bold labels, which may name blocks too


class ImportedMarkdown(NamedTuple):
    canvas: Canvas  # its title is "" when the text has none
    titled: bool  # the text gave the canvas a title
    named_a_block: bool  # at least one heading or table header named a block
    skipped_sections: tuple[Skipped, ...]  # headings whose sections were skipped
    skipped: tuple[Skipped, ...]  # everything not imported, in document order
