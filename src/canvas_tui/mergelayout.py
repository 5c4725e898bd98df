"""A canvas file read for a merge of its text (`mergetext`): its items under every block key
it has (known to its template or not), and its lines, split into what lies outside the
items and, for each block, the lines around each item.

The lines outside the items become a *skeleton*: the file's lines with each block's array
replaced by one token line, and the title line by another, so that a line merge of the
skeletons merges everything outside the items (comments, unknown keys and tables, key
order) and leaves the items to the item merge. Inside a block, each item line carries the
comment and blank lines above it (`ItemLine.lead`) and what follows its comma
(`ItemLine.tail`, a comment), so they move and merge with the item.

Line endings are read as LF (`SideFile.eol` says which the file used). Pure: text in,
values out.
"""

from __future__ import annotations

import re
import tomllib

from canvas_tui.canvasfile import BOM, SCHEMA, CanvasFileError, item_value, parse, toml_string
from canvas_tui.canvasfile.fast import read_canonical
from canvas_tui.canvasfile.read import block_items
from canvas_tui.model import Item
from canvas_tui.template import DEFAULT_TEMPLATE, Templates

TITLE_TOKEN = "\0title"
SCHEMA_TOKEN = "\0schema"
BLOCK_TOKEN = "\0block\0"  # + the block's key

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_KEY = r'(?P<key>[A-Za-z0-9_-]+|"[^"\\\n]*")'
_BLOCKS_HEADER = re.compile(r"[ \t]*\[[ \t]*blocks[ \t]*\][ \t]*(?:#.*)?\Z")
_TABLE_HEADER = re.compile(r"[ \t]*\[")
_OPENING = re.compile(rf"[ \t]*{_KEY}[ \t]*=[ \t]*\[[ \t]*(?:#.*)?\Z")
_ONE_LINE = re.compile(rf"[ \t]*{_KEY}[ \t]*=[ \t]*\[.*\][ \t]*(?P<comment>#.*)?\Z")
_CLOSING = re.compile(r"[ \t]*\][ \t]*(?:#.*)?\Z")
_TITLE = re.compile(r"title[ \t]*=")
_SCHEMA = re.compile(r"schema[ \t]*=[ \t]*[0-9]+[ \t]*(?:#.*)?\Z")
_INDENT = re.compile(r"[ \t]*")
_BLOCKS_TABLE = re.compile(r"^[ \t]*(\[[ \t]*blocks[ \t]*\]|blocks[ \t]*[.=])", re.MULTILINE)
_DOTTED_BLOCKS = re.compile(r"^[ \t]*(\[[ \t]*blocks[ \t]*\.|blocks[ \t]*[.=])", re.MULTILINE)
_ARRAY_NAMES = re.compile(r'^[ \t]*([A-Za-z0-9_-]+|"[^"\\\n]*")[ \t]*=[ \t]*\[', re.MULTILINE)


class NotMergeable(Exception):
    """A version the merge of texts cannot take; the message says which and why."""


class ItemLine:
    """An item's line in a block: the lines above it (comments, blank lines), its
    indentation, its value as written, and what follows its comma (spaces and a comment)."""

    __slots__ = ("indent", "lead", "tail", "value")

    def __init__(self, lead: list[str], indent: str, value: str, tail: str) -> None:
        self.lead = lead
        self.indent = indent
        self.value = value
        self.tail = tail

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ItemLine):
            return NotImplemented
        return (self.lead, self.indent, self.value, self.tail) == (
            other.lead,
            other.indent,
            other.value,
            other.tail,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"ItemLine({self.lead!r}, {self.indent!r}, {self.value!r}, {self.tail!r})"


class BlockLines:
    """A block's array as written: its first and last lines, its items' lines, and the lines
    after the last item. `raw` is the array's lines exactly as in the file."""

    __slots__ = ("close", "header", "items", "raw", "trail")

    def __init__(
        self,
        header: str,
        close: str,
        items: list[ItemLine],
        trail: list[str],
        raw: list[str] | None = None,
    ) -> None:
        self.header = header
        self.close = close
        self.items = items
        self.trail = trail
        self.raw = [] if raw is None else raw

    def same_lines(self, other: BlockLines) -> bool:
        return (
            self.header == other.header
            and self.close == other.close
            and self.trail == other.trail
            and self.items == other.items
        )


class SideFile:
    """One version of a canvas file, read for a merge."""

    __slots__ = (
        "blocks",
        "eol",
        "final_newline",
        "keys",
        "layout",
        "schema",
        "schema_line",
        "skeleton",
        "template",
        "title",
        "title_line",
    )

    def __init__(
        self,
        blocks: dict[str, tuple[Item, ...]],  # every block key in the file, in its order
        title: str,
        template: str,
        schema: int,
        eol: str = "\n",
        final_newline: bool = True,
        skeleton: list[str] | None = None,
        layout: dict[str, BlockLines] | None = None,
        title_line: str | None = None,
        schema_line: str | None = None,
        keys: tuple[str, ...] | None = None,  # in canonical form (`canvasfile.dump`): its keys
    ) -> None:
        self.blocks = blocks
        self.title = title
        self.template = template
        self.schema = schema
        self.eol = eol
        self.final_newline = final_newline
        self.skeleton = [] if skeleton is None else skeleton
        self.layout = {} if layout is None else layout
        self.title_line = title_line
        self.schema_line = schema_line
        self.keys = keys


def empty_side() -> SideFile:
    """The version git gives when both sides added the file: nothing."""
    return SideFile({}, "", DEFAULT_TEMPLATE, 1)


def read_side(text: str, templates: Templates, which: str, *, lines: bool = True) -> SideFile:
    """`text` read as a canvas for a merge (`lines`: with its layout, else `read_lines` adds
    it later). Raises `NotMergeable` naming the version (`which`) and the reason."""
    text, eol = normalized(text)
    side = _read_items(text, templates, which)
    side.eol = eol
    side.final_newline = text.endswith("\n")
    if lines:
        read_lines(side, text, which)
    return side


def normalized(text: str) -> tuple[str, str]:
    """`text` without its BOM and with LF line ends, and the line end it mostly used."""
    if text.startswith(BOM):
        text = text[1:]
    crlf = text.count("\r\n")
    eol = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
    return text.replace("\r\n", "\n"), eol


def _read_items(text: str, templates: Templates, which: str) -> SideFile:
    canonical = read_canonical(text, templates)
    if canonical is not None:
        keys = canonical.template.keys
        blocks = dict(zip(keys, canonical.canvas.blocks, strict=True))
        canvas = canonical.canvas
        side = SideFile(blocks, canvas.title, canvas.template, canonical.schema)
        side.keys = keys
        return side
    if not _BLOCKS_TABLE.search(text):
        raise NotMergeable(f"{which} is not a canvas (it has no [blocks] table)")
    try:
        parsed = parse(text, templates)  # its checks, and its messages (line and column)
    except CanvasFileError as error:
        raise NotMergeable(f"{which} is not a canvas ({error})") from None
    if parsed.schema > SCHEMA:
        raise NotMergeable(f"{which} was written by a newer canvas-tui (schema {parsed.schema})")
    canvas = parsed.canvas
    known = dict(zip(parsed.template.keys, canvas.blocks, strict=True))
    arrays = {_key_of(name) for name in _ARRAY_NAMES.findall(text)}
    if arrays <= known.keys() and not _DOTTED_BLOCKS.search(text):
        # no other array anywhere: the file's blocks are the template's (parsed once)
        present = {key: items for key, items in known.items() if key in arrays or items}
        return SideFile(present, canvas.title, canvas.template, parsed.schema)
    blocks = tomllib.loads(text)["blocks"]  # parsed above: the keys the template does not know
    items: dict[str, tuple[Item, ...]] = {}
    try:
        for key, value in blocks.items():
            items[key] = known[key] if key in known else block_items(key, value)
    except CanvasFileError as error:
        raise NotMergeable(f"{which} is not a canvas ({error})") from None
    return SideFile(items, canvas.title, canvas.template, parsed.schema)


def read_lines(side: SideFile, text: str, which: str) -> None:
    """Fill in `side`'s skeleton and block layouts from its lines (`text`, BOM and CR
    removed, as `read_side` leaves it: `normalized`)."""
    lines = text.split("\n")
    if side.final_newline:
        lines.pop()
    skeleton: list[str] = []
    in_blocks = False
    top_level = True
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _TABLE_HEADER.match(line):
            top_level = False
            in_blocks = _BLOCKS_HEADER.match(line) is not None
            skeleton.append(line)
            continue
        if top_level and _TITLE.match(line) and side.title_line is None and _is_title(line, side):
            side.title_line = line
            skeleton.append(TITLE_TOKEN)
            continue
        if top_level and side.schema_line is None and _SCHEMA.match(line):
            side.schema_line = line
            skeleton.append(SCHEMA_TOKEN)
            continue
        match = _OPENING.match(line) if in_blocks else None
        if match is not None:
            key = _key_of(match["key"])
            end = index
            while end < len(lines) and not _CLOSING.match(lines[end]):
                end += 1
            if end == len(lines) or key not in side.blocks or key in side.layout:
                raise NotMergeable(f"{which}: the array of blocks.{key} could not be followed")
            if side.keys is not None:  # canonical: item lines only, each `    VALUE,`
                body = [ItemLine([], "    ", row[4:-1], "") for row in lines[index:end]]
                side.layout[key] = BlockLines(line, lines[end], body, [])
            else:
                side.layout[key] = _block_lines(
                    line, lines[index:end], lines[end], side.blocks[key], which, key
                )
            side.layout[key].raw = lines[index - 1 : end + 1]
            skeleton.append(BLOCK_TOKEN + key)
            index = end + 1
            continue
        match = _ONE_LINE.match(line) if in_blocks else None
        if match is not None and _key_of(match["key"]) in side.blocks:
            key = _key_of(match["key"])
            if key in side.layout:
                raise NotMergeable(f"{which}: blocks.{key} is written twice")
            items = [ItemLine([], "    ", item_value(item), "") for item in side.blocks[key]]
            comment = match["comment"]
            close = "]" if comment is None else f"]  {comment}"
            side.layout[key] = BlockLines(f"{match['key']} = [", close, items, [], [line])
            skeleton.append(BLOCK_TOKEN + key)
            continue
        skeleton.append(line)
    missing = [key for key, items in side.blocks.items() if items and key not in side.layout]
    if missing:
        raise NotMergeable(
            f"{which}: blocks.{missing[0]} is not written as an array in the [blocks] table"
        )
    side.skeleton = skeleton


def _is_title(line: str, side: SideFile) -> bool:
    """Whether `line` alone holds the whole title (not the start of a multi-line string)."""
    try:
        return tomllib.loads(line) == {"title": side.title}
    except tomllib.TOMLDecodeError:
        return False


def _key_of(written: str) -> str:
    return written[1:-1] if written.startswith('"') else written


def key_text(key: str) -> str:
    """A block key as written before `=`."""
    return key if _BARE_KEY.match(key) else toml_string(key)


def _block_lines(
    header: str, body: list[str], close: str, items: tuple[Item, ...], which: str, key: str
) -> BlockLines:
    """A multi-line array's lines split into its items' lines and the lines around them."""
    item_lines: list[ItemLine] = []
    lead: list[str] = []
    for line in body:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            lead.append(line)
            continue
        indent = _INDENT.match(line)
        assert indent is not None
        value, tail = _split_comment(line[indent.end() :])
        value = value.rstrip()
        value = value.removesuffix(",").rstrip()
        item_lines.append(ItemLine(lead, indent.group(), value, tail))
        lead = []
    comments = lead or any(line.lead or line.tail for line in item_lines)
    if len(item_lines) != len(items) and not comments:
        # several items on a line, or one over several: one per line (nothing else is lost)
        spaces = item_lines[0].indent if item_lines else "    "
        one_each = [ItemLine([], spaces, item_value(item), "") for item in items]
        return BlockLines(header, close, one_each, [])
    if len(item_lines) != len(items):
        raise NotMergeable(
            f"{which}: blocks.{key} is not written one item per line"
            f" ({len(items)} items on {len(item_lines)} lines)"
        )
    return BlockLines(header, close, item_lines, lead)


def _split_comment(text: str) -> tuple[str, str]:
    """`text` (an item's line without its indentation) split before its comment: the value
    with its comma, and the spaces and comment after it ("" if none)."""
    if "#" not in text:
        return text, ""
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            before = text[:index].rstrip()
            return before, text[len(before) :]
        index += 1
    return text, ""
