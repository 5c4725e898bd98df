"""Markdown inline content as the plain text a reader sees, for `import`.

`**x**` -> x, `` `x` `` -> x, `[x](url)` -> `x (url)`, `![alt](src)` -> alt, entities and
backslash escapes decoded, HTML tags and comments dropped; `<br>` ends a line. An item's
status glyph and `#tags` are read from what was written, not escaped: `&#10003; x` and
`\\#x` stay text (that is how the export writes text that looks like a glyph or a tag).

Pure: tokens of markdown-it-py in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from canvas_tui.model import STATUS_GLYPHS, Item

if TYPE_CHECKING:
    from markdown_it.token import Token


LITERAL = (
    "\x00"  # in a `Marked` string: a character that was escaped (markdown-it makes NUL U+FFFD)
)
_STATUS_OF_GLYPH = {glyph: status for status, glyph in STATUS_GLYPHS.items()}
_TRAILING_TAG = re.compile(r"(?:^|[ \t]+)#([a-z0-9][a-z0-9-]*)[ \t]*\Z")
_TASK_BOX = re.compile(r"\[[ xX]\](?:[ \t]+|\Z)")
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>\Z", re.IGNORECASE)
_BLANK = re.compile(r"[.…\-–—_\s]*\Z")


class Marked:
    """Plain text, and beside it the same text with every escaped character as `LITERAL`:
    syntax (a glyph, a `#tag`, a task box) is looked for in `marked`, text cut from `plain`."""

    __slots__ = ("marked", "plain")

    def __init__(self, plain: str, marked: str) -> None:
        self.plain = plain
        self.marked = marked

    def __getitem__(self, index: slice) -> Marked:
        return Marked(self.plain[index], self.marked[index])

    def strip(self) -> Marked:
        """Without the spaces and tabs at either end that were not escaped."""
        start, end = 0, len(self.marked)
        while start < end and self.marked[start] in " \t":
            start += 1
        while end > start and self.marked[end - 1] in " \t":
            end -= 1
        return self[start:end]


def marked_text(children: Sequence[Token] | None, *, breaks: str = " ") -> list[Marked]:
    """Inline tokens as plain text, split into lines at `<br>`; a soft or hard line break
    becomes `breaks`."""
    lines: list[Marked] = []
    plain: list[str] = []
    marked: list[str] = []
    link: list[str] = []  # the href of each open link, and where its text starts
    starts: list[int] = []
    for token in children or ():
        kind = token.type
        if kind == "text":
            plain.append(token.content)
            marked.append(token.content)
        elif kind in ("text_special", "code_inline"):
            plain.append(token.content)
            marked.append(LITERAL * len(token.content))
        elif kind in ("softbreak", "hardbreak"):
            plain.append(breaks)
            marked.append(breaks)
        elif kind == "image":
            plain.append(token.content)
            marked.append(LITERAL * len(token.content))
        elif kind == "link_open":
            link.append(str(token.attrs.get("href", "")))
            starts.append(len("".join(plain)))
        elif kind == "link_close" and link:
            href, start = link.pop(), starts.pop()
            shown = "".join(plain)[start:]
            if href and href not in (shown, f"mailto:{shown}") and token.markup != "autolink":
                plain.append(f" ({href})")
                marked.append(LITERAL * (len(href) + 3))
        elif kind == "html_inline" and _LINE_BREAK_TAG.match(token.content):
            lines.append(Marked("".join(plain), "".join(marked)))
            plain, marked = [], []
        # Emphasis, strikethrough and other HTML leave no text.
    lines.append(Marked("".join(plain), "".join(marked)))
    return lines


def plain_text(children: Sequence[Token] | None) -> str:
    """Inline tokens as one line of plain text, without spaces at its ends."""
    return " ".join(line.strip().plain for line in marked_text(children) if line.strip().plain)


def item_of(text: Marked, note: str = "") -> Item:
    """An item from a list item's text as the export writes it: an optional status glyph,
    the text, then `#tags`; a task box (`[ ]`, `[x]`) at its start is dropped."""
    text = text.strip()
    box = _TASK_BOX.match(text.marked)
    if box is not None:
        text = text[box.end() :]
    status = None
    glyph = text.marked[:1]
    if glyph in _STATUS_OF_GLYPH and text.marked[1:2] in ("", " ", "\t"):
        status = _STATUS_OF_GLYPH[glyph]
        text = text[1:].strip()
    tags: list[str] = []
    while (match := _TRAILING_TAG.search(text.marked)) is not None:
        tags.insert(0, match.group(1))
        text = text[: match.start()]
    return Item(text.strip().plain, status, tuple(tags), note)


def slug(label: str) -> str:
    from anyascii import anyascii

    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(label).lower()).strip("-")
    return slug[:40].rstrip("-")


def leading_label(children: list[Token]) -> tuple[str, list[Token]] | None:
    """A bold label that begins an inline (`**Key Partners:** …`): its text without the
    colon, and the tokens after it."""
    tokens = [token for token in children if token.type != "text" or token.content]
    if not tokens or tokens[0].type != "strong_open":
        return None
    end = next((n for n, token in enumerate(tokens) if token.type == "strong_close"), None)
    if end is None:
        return None
    return plain_text(tokens[1:end]).rstrip(":：").strip(), tokens[end + 1 :]


def placeholder(item: Item) -> bool:
    """An item with nothing in it but dots or dashes (`...`, `-`): a blank to fill in."""
    return not item.note and not item.tags and _BLANK.match(item.text) is not None


def emphasised(children: list[Token] | None) -> bool:
    """A paragraph that is all in italics (`*Who are your customers?*`): guidance."""
    tokens = [
        token
        for token in children or ()
        if not (token.type == "text" and not token.content.strip())
    ]
    return (
        len(tokens) >= 3
        and tokens[0].type == "em_open"
        and tokens[-1].type == "em_close"
        and all(token.type != "em_close" for token in tokens[1:-1])
    )


def bold_label(children: list[Token] | None) -> str | None:
    """The text of a paragraph that is only a bold label (`**For Parents:**`), else None."""
    kinds = [token for token in children or () if not (token.type == "text" and not token.content)]
    if len(kinds) < 3 or kinds[0].type != "strong_open":
        return None
    closing = next((n for n, token in enumerate(kinds) if token.type == "strong_close"), None)
    if closing is None:
        return None
    after = "".join(token.content for token in kinds[closing + 1 :] if token.type == "text")
    if len(kinds) > closing + 1 and (after.strip() not in ("", ":") or any(
        token.type != "text" for token in kinds[closing + 1 :])):  # fmt: skip
        return None
    label = plain_text(kinds[1:closing]).rstrip(":：").strip()
    return label or None
