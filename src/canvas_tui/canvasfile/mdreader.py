"""Reading a Markdown canvas as a person reads it (the rules behind `read_markdown`).

- A heading names a block by any of its names (`canvas_tui.template.names`). A heading that
  names no block, deeper than the block's heading, is a group label: the items after it are
  tagged with it. One at the block's level or above ends the block; its section is skipped
  (and reported). Before the first block, such headings make the title.
- A top-level list item is one item; its nested list, further paragraphs and quoted lines
  are its note. A block written as paragraphs has one item per paragraph (beside a list,
  paragraphs are commentary, and skipped). Lists inside a quote are lists. Table rows are
  items. A table whose header cells name blocks is a whole canvas: each block gets its
  column's cells, split at `<br>` and bullets. A bold label on its own line (`**For
  Parents:**`) tags the list after it. HTML comments, code and task boxes are not content.
- The export's own marks are known: `_(empty)_`, the guidance quoted under a heading, the
  template's attribution, and an empty item (kept only in an export, where it is one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canvas_tui.canvasfile.inline import (
    Marked,
    bold_label,
    emphasised,
    item_of,
    leading_label,
    marked_text,
    placeholder,
    plain_text,
    slug,
)
from canvas_tui.canvasfile.mdtables import Row, canvas_cells, markdown_rows, table_rows
from canvas_tui.canvasfile.mdtitle import choose_title
from canvas_tui.canvasfile.mdtypes import (
    EMPTY,
    Heading,
    ImportedMarkdown,
    MarkdownDocument,
    Skipped,
)
from canvas_tui.model import Canvas, Item
from canvas_tui.records import replace
from canvas_tui.template.names import match_block, normalise

if TYPE_CHECKING:
    from markdown_it.token import Token

    from canvas_tui.template.spec import BlockSpec, Template

_GLIMPSE = 60
_NO_LEVEL = 7  # the level of a block begun by a bold label: any heading ends it


def _glimpse(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= _GLIMPSE else line[: _GLIMPSE - 1] + "…"


class _TitlePart:
    __slots__ = ("content", "heading")

    def __init__(self, heading: Heading) -> None:
        self.heading = heading
        self.content = False  # a list or table under it: a section, not a subtitle


class Reader:
    """One pass over a document's tokens."""

    def __init__(self, document: MarkdownDocument, template: Template, *, exported: bool) -> None:
        self.tokens = document.tokens
        self.document = document
        self.template = template
        self.close = _closing(self.tokens)
        self.blocks: list[list[Item]] = [[] for _ in template.blocks]
        self.block: int | None = None
        self.block_level = 0
        self.group: tuple[str, ...] = ()  # the tag of a group-label heading
        self.label: tuple[str, ...] = ()  # the tag of a bold label, for the next list
        self.started = False  # a block heading was seen
        self.named = False
        self.items: list[Item] = []  # of the section being read
        self.paragraphs: list[tuple[Item, Skipped]] = []
        self.listed = False  # the section has a list or table
        self.quoting = 0  # inside a quote: its paragraphs are commentary, its lists items
        self.skipped: list[Skipped] = []
        self.sections: list[Skipped] = []
        self.title_parts: list[_TitlePart] = []
        self.canvas_heading = False  # mdCanvas: `# Canvas`, then the canvas's name
        self.mdcanvas_name = ""
        self.headings = {heading.token: heading for heading in document.headings}
        self.first_heading = document.headings[0].token if document.headings else -1
        headings = document.headings
        names = [(h, match_block(h.text, template)) for h in headings]
        block_levels = [h.level for h, spec in names[1:] if spec is not None]
        # `# Title` above `## Block` headings is the title even if it names a block.
        self.forced_title = bool(
            headings and headings[0].level == 1 and block_levels and min(block_levels) > 1
        )
        self.exported = exported  # the text is canvas-tui's export

    # -- the walk --------------------------------------------------------------------------

    def read(self) -> ImportedMarkdown:
        self.walk(0, len(self.tokens))
        self.end_section()
        headings = [(part.heading, part.content) for part in self.title_parts]
        title, titled, before = choose_title(
            headings, self.forced_title, self.mdcanvas_name, self.document.front_title
        )
        self.sections += before
        blocks = tuple(tuple(items) for items in self.blocks)
        canvas = Canvas(title, blocks, self.template.id)
        skipped = sorted(self.skipped + self.sections, key=lambda skip: skip.line)
        sections = tuple(sorted(self.sections, key=lambda skip: skip.line))
        return ImportedMarkdown(canvas, titled, self.named, sections, tuple(skipped))

    def walk(self, start: int, end: int) -> None:
        """The block tokens from `start` to `end`, at one level."""
        tokens = self.tokens
        index = start
        while index < end:
            token = tokens[index]
            kind = token.type
            line = token.map[0] + 1 if token.map else 0
            if kind == "heading_open":
                self.heading(self.headings[index])
            elif kind == "paragraph_open":
                self.paragraph(index, line)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.items_of_list(index)
            elif kind == "blockquote_open":
                self.quote(index, line)
            elif kind == "table_open":
                self.table(index, line)
            elif kind == "html_block":
                self.html(token.content, line)
            elif kind in ("fence", "code_block"):
                self.skip(line, token.content, "a code block")
            index = self.close.get(index, index) + 1

    def skip(self, line: int, text: str, reason: str) -> None:
        self.skipped.append(Skipped(line, _glimpse(text), reason))

    def outside(self, line: int, text: str, *, listed: bool = True) -> None:
        """Content under no block (`listed`: a list or table, which makes the heading above
        it a section of its own rather than the canvas's title or subtitle)."""
        if self.started:
            self.skip(line, text, "under a heading that names no block")
        else:
            self.skip(line, text, "before the first block")
            if self.title_parts and listed:
                self.title_parts[-1].content = True

    # -- headings --------------------------------------------------------------------------

    def heading(self, heading: Heading) -> None:
        self.end_section()
        self.label = ()
        if heading.token == self.first_heading and self.forced_title:
            self.title_parts.append(_TitlePart(heading))
            return
        spec = match_block(heading.text, self.template)
        if spec is not None:
            self.block, self.block_level, self.group = spec.index, heading.level, ()
            self.started = self.named = True
            self.canvas_heading = False
        elif self.block is not None and heading.level > self.block_level:
            tag = slug(heading.text)
            self.group = (tag,) if tag else ()
        elif not self.started:
            self.canvas_heading = normalise(heading.text) == "canvas"
            if not self.canvas_heading:
                self.title_parts.append(_TitlePart(heading))
        else:
            self.block = None
            marks = "#" * heading.level
            self.sections.append(Skipped(heading.line, f"{marks} {heading.raw}", "names no block"))

    def end_section(self) -> None:
        if self.block is not None:
            self.blocks[self.block].extend(self.items)
            if self.listed:
                self.skipped.extend(skip for _, skip in self.paragraphs)
            else:
                self.blocks[self.block].extend(item for item, _ in self.paragraphs)
        self.items, self.paragraphs, self.listed = [], [], False

    # -- block content ---------------------------------------------------------------------

    def paragraph(self, index: int, line: int) -> None:
        inline = self.tokens[index + 1]
        if inline.content == EMPTY:
            return
        text = plain_text(inline.children)
        label = bold_label(inline.children)
        if label is not None and (spec := match_block(label, self.template)) is not None:
            self.end_section()  # `**Key Partners:**` on its own line: a block's heading
            self.block, self.block_level, self.group = spec.index, _NO_LEVEL, ()
            self.started = self.named = True
            return
        leading = leading_label(inline.children or [])
        if leading is not None and (spec := match_block(leading[0], self.template)) is not None:
            self.begin_labelled(spec, leading[1])  # `**Key Partners:** Stripe, AWS`
            return
        if self.block is None:
            if self.canvas_heading and not self.mdcanvas_name:
                self.mdcanvas_name = text
            else:
                self.outside(line, inline.content, listed=False)
            return
        if text == self.template.attribution:
            self.skip(line, inline.content, "the template's attribution")
            return
        following = self.tokens[self.close[index] + 1 : self.close[index] + 2]
        if label is not None and following and following[0].type.endswith("list_open"):
            tag = slug(label)
            self.label = (tag,) if tag else ()
            return
        lines = [part.strip() for part in marked_text(inline.children)]
        joined = Marked(
            " ".join(part.plain for part in lines), " ".join(part.marked for part in lines)
        )
        if self.quoting:
            self.skip(line, inline.content, "a quoted paragraph (commentary)")
            return
        if emphasised(inline.children):
            self.skip(line, inline.content, "an italic paragraph (guidance)")
            return
        item = self.tagged(item_of(joined))
        skip = Skipped(line, _glimpse(inline.content), "a paragraph beside the block's list")
        self.paragraphs.append((item, skip))

    def tagged(self, item: Item) -> Item:
        extra = tuple(tag for tag in (*self.group, *self.label) if tag not in item.tags)
        return replace(item, tags=item.tags + extra) if extra else item

    def items_of_list(self, index: int) -> None:
        tokens = self.tokens
        level = tokens[index].level + 1
        child = index + 1
        end = self.close[index]
        while child < end:
            token = tokens[child]
            if token.type == "list_item_open" and token.level == level:
                line = token.map[0] + 1 if token.map else 0
                if self.labelled_block(child):
                    child = self.close[child] + 1
                    continue
                item = self.list_item(child)
                if self.block is None:
                    self.outside(line, item.text)
                elif not self.exported and placeholder(item):
                    self.skip(line, item.text, "an empty list item")
                elif not self.exported and self.empty_field(child, item):
                    self.skip(line, item.text, "a field left empty")
                else:
                    self.items.append(self.tagged(item))
                child = self.close[child]
            child += 1
        if self.block is not None:
            self.listed = True
        self.label = ()

    def empty_field(self, index: int, item: Item) -> bool:
        """A list item that is only a bold label with nothing after it (`- **Date:**`): a
        field of a template, left empty."""
        children = self.children(index)
        if item.note or len(children) != 1 or self.tokens[children[0]].type != "paragraph_open":
            return False
        label = leading_label(self.tokens[children[0] + 1].children or [])
        return label is not None and not plain_text(label[1]).strip(" :：")

    def begin_labelled(self, spec: BlockSpec, rest: list[Token]) -> None:
        """A block begun by its bold name; what follows the name on its line is an item."""
        self.end_section()
        self.block, self.block_level, self.group = spec.index, _NO_LEVEL, ()
        self.started = self.named = self.listed = True
        lines = marked_text(rest)
        text = Marked(" ".join(p.plain for p in lines), " ".join(p.marked for p in lines)).strip()
        item = item_of(text[1:] if text.marked.startswith((":", "：")) else text)
        if not placeholder(item):
            self.items.append(item)

    def labelled_block(self, index: int) -> bool:
        """A list item that begins with a bold block name (`- **Key Partners:** Stripe`) is
        that block: the rest of its line and its nested list are the block's items."""
        children = self.children(index)
        if not children or self.tokens[children[0]].type != "paragraph_open":
            return False
        label = leading_label(self.tokens[children[0] + 1].children or [])
        if label is None:
            return False
        spec = match_block(label[0], self.template)
        if spec is None:
            return False
        self.begin_labelled(spec, label[1])
        for child in children[1:]:
            if self.tokens[child].type in ("bullet_list_open", "ordered_list_open"):
                for nested in self.children(child):
                    found = self.list_item(nested)
                    if not placeholder(found):
                        self.items.append(found)
        return True

    def list_item(self, index: int) -> Item:
        """One list item: its first paragraph is the item, what follows it is its note."""
        tokens = self.tokens
        children = list(self.children(index))
        text = Marked("", "")
        if children and tokens[children[0]].type == "paragraph_open":
            lines = marked_text(tokens[children[0] + 1].children)
            text = Marked(
                " ".join(part.strip().plain for part in lines),
                " ".join(part.strip().marked for part in lines),
            )
            children = children[1:]
        note = [self.note_of(child) for child in children]
        return item_of(text, "\n".join(part for part in note if part is not None))

    def children(self, index: int) -> list[int]:
        """The indexes of the block tokens directly inside the one at `index`."""
        found = []
        child = index + 1
        end = self.close[index]
        while child < end:
            found.append(child)
            child = self.close.get(child, child) + 1
        return found

    def note_of(self, index: int, depth: int = 0) -> str | None:
        """A block inside a list item, as note text."""
        token = self.tokens[index]
        kind = token.type
        if kind == "paragraph_open":
            return "\n".join(part.strip().plain for part in marked_text(
                self.tokens[index + 1].children, breaks="\n"))  # fmt: skip
        if kind == "blockquote_open":
            return self.quoted(index)
        if kind in ("bullet_list_open", "ordered_list_open"):
            lines = []
            for child in self.children(index):
                item = self.list_item(child)
                lines.append("  " * depth + item.text)
                if item.note:
                    lines.extend("  " * (depth + 1) + line for line in item.note.split("\n"))
            return "\n".join(lines)
        if kind in ("fence", "code_block"):
            return token.content.rstrip("\n")
        return None

    def quoted(self, index: int) -> str:
        """A quote as note text, its blank quoted lines kept (the export's notes)."""
        token = self.tokens[index]
        assert token.map is not None
        cursor, end = token.map
        end = min(end, len(self.document.lines))
        while end > cursor and not self.document.lines[end - 1].strip():
            end -= 1  # blank lines after the quote are not quoted
        lines: list[str] = []
        for child in self.children(index):
            start_end = self.tokens[child].map
            text = self.note_of(child)
            if text is None or start_end is None:
                continue
            lines.extend([""] * (start_end[0] - cursor))
            lines.extend(text.split("\n"))
            cursor = start_end[1]
        lines.extend([""] * (end - cursor))
        return "\n".join(lines)

    def quote(self, index: int, line: int) -> None:
        if self.block is None:
            self.outside(line, "> …", listed=False)
            return
        spec = self.template.blocks[self.block]
        said = [self.note_of(child) or "" for child in self.children(index)]
        guide = [text for text in (spec.question, "\n".join(spec.prompts)) if text]
        if said == guide:
            self.skip(line, spec.question, "the template's guidance")
            return
        self.quoting += 1
        self.walk(index + 1, self.close[index])
        self.quoting -= 1

    # -- tables ----------------------------------------------------------------------------

    def table(self, index: int, line: int) -> None:
        rows = markdown_rows(self.tokens, index, self.close[index])
        if not rows:
            return
        header = rows[0]
        named = {
            spec.index
            for cell in header
            if cell and (spec := match_block(cell[0], self.template)) is not None
        }
        if len(named) >= 2:
            self.canvas_table(rows, line)
        elif self.block is None:
            self.outside(line, " | ".join(" ".join(cell) for cell in header))
        else:
            self.listed = True
            titles = [" ".join(cell) for cell in header]
            for row in rows[1:]:
                cells = [" ".join(cell) for cell in row]
                filled = [(n, text) for n, text in enumerate(cells) if text]
                if not filled:
                    continue
                _, text = filled[0]
                note = [
                    f"{titles[n]}: {value}" if n < len(titles) and titles[n] else value
                    for n, value in filled[1:]
                ]
                self.items.append(self.tagged(Item(text, note="\n".join(note))))

    def html(self, html: str, line: int) -> None:
        """An HTML block: a comment, a canvas drawn as a `<table>`, or other HTML (skipped)."""
        if html.lstrip().startswith("<!--"):
            self.skip(line, html, "an HTML comment")
            return
        if "<table" in html.lower():
            rows = table_rows(html)
            named = {
                spec.index
                for row in rows
                for cell in row
                if cell and (spec := match_block(cell[0], self.template)) is not None
            }
            if len(named) >= 2:
                self.canvas_table(rows, line)
                return
        self.skip(line, html, "HTML")

    def canvas_table(self, rows: list[Row], line: int) -> None:
        """A canvas drawn as a table (`canvas_cells`)."""
        self.named = True
        for number, spec, piece in canvas_cells(rows, self.template):
            if spec is None:
                self.skip(line + number, piece, "in a column that names no block")
            else:
                self.blocks[spec.index].append(item_of(Marked(piece, piece)))


def _closing(tokens: list[Token]) -> dict[int, int]:
    """For each opening token, the index of its closing token."""
    close: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(index)
        elif token.nesting == -1 and stack:
            close[stack.pop()] = index
    return close
