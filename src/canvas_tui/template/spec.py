"""What a template is: `Template` and its `BlockSpec`s, `make_template`, `TemplateError`, and
the constants every template follows (`DEFAULT_TEMPLATE`, `MAX_BLOCKS`, `BUILT_IN`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from canvas_tui.errors import CanvasError
from canvas_tui.records import Record
from canvas_tui.template.neighbours import Neighbours, derive_neighbours
from canvas_tui.template.place import DIRECTIONS, Direction, Place

DEFAULT_TEMPLATE = "tech-bmc"
MAX_BLOCKS = 9  # digits 1..9 jump to the blocks
BUILT_IN = "built-in"


class TemplateError(CanvasError, ValueError):
    """A template file that cannot be used, or a template that is not installed; the
    message says which and why (and the command line reports it as one line)."""


class BlockSpec(Record):
    """One block of a template: its number, key, titles, guidance, place and other names."""

    __slots__ = ("aliases", "key", "number", "place", "prompts", "question", "short", "title")
    _fields = ("number", "key", "title", "short", "question", "prompts", "place", "aliases")

    number: int  # 1..9: the digit that jumps to it, and its place in the file
    key: str  # the TOML key in canvas files
    title: str
    short: str  # a label of two or three characters, for the narrow strip
    question: str  # guidance: the block's question
    prompts: tuple[str, ...]  # guidance: prompts to think about
    place: Place
    # Other names people give the block (plurals, the original canvas's names, other
    # languages): `import` reads a heading or JSON key by any of them.
    aliases: tuple[str, ...]

    def __init__(
        self,
        number: int,
        key: str,
        title: str,
        short: str,
        question: str,
        prompts: tuple[str, ...],
        place: Place,
        aliases: tuple[str, ...] = (),
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "number", number)
        setattr_(self, "key", key)
        setattr_(self, "title", title)
        setattr_(self, "short", short)
        setattr_(self, "question", question)
        setattr_(self, "prompts", prompts)
        setattr_(self, "place", place)
        setattr_(self, "aliases", aliases)

    @property
    def index(self) -> int:
        return self.number - 1

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


class Template(Record):
    """A canvas type: its blocks, their places on a grid and their neighbours."""

    __slots__ = (
        "attribution",
        "blocks",
        "columns",
        "id",
        "installed",
        "neighbours",
        "row_heights",
        "rows",
        "source",
        "title",
    )
    _fields = (
        "id",
        "title",
        "blocks",
        "rows",
        "columns",
        "row_heights",
        "neighbours",
        "attribution",
        "source",
        "installed",
    )

    id: str
    title: str
    blocks: tuple[BlockSpec, ...]
    rows: int  # the grid
    columns: int
    row_heights: tuple[int, ...]  # the relative height of each grid row on screen
    neighbours: tuple[Neighbours, ...]  # per block, as block indexes (None: the edge)
    attribution: str
    source: str  # "built-in", or the file it was read from
    installed: bool  # False: a stand-in for a template this machine does not have

    def __init__(
        self,
        id: str,
        title: str,
        blocks: tuple[BlockSpec, ...],
        rows: int,
        columns: int,
        row_heights: tuple[int, ...],
        neighbours: tuple[Neighbours, ...],
        attribution: str = "",
        source: str = BUILT_IN,
        installed: bool = True,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "id", id)
        setattr_(self, "title", title)
        setattr_(self, "blocks", blocks)
        setattr_(self, "rows", rows)
        setattr_(self, "columns", columns)
        setattr_(self, "row_heights", row_heights)
        setattr_(self, "neighbours", neighbours)
        setattr_(self, "attribution", attribution)
        setattr_(self, "source", source)
        setattr_(self, "installed", installed)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(block.key for block in self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)

    def neighbour(self, block: int, direction: Direction) -> int | None:
        """The index of the block next to `block` (an index) in `direction`, if any."""
        return self.neighbours[block][DIRECTIONS.index(direction)]

    def find_block(self, ref: str) -> BlockSpec | None:
        """A block by number (1-based), key or short label, case-insensitive."""
        wanted = ref.strip().casefold()
        if wanted.isdigit():
            number = int(wanted)
            return self.blocks[number - 1] if 1 <= number <= len(self.blocks) else None
        for block in self.blocks:
            if wanted in (block.key.casefold(), block.short.casefold()):
                return block
        return None


def template_data(template: Template) -> tuple[Any, ...]:
    """`template` as tuples, strings, numbers and None only (what `marshal` writes, for the
    compiled cache of the shipped templates); `template_from_data` makes it back."""
    blocks = tuple(
        (
            block.number,
            block.key,
            block.title,
            block.short,
            block.question,
            block.prompts,
            (block.place.row, block.place.column, block.place.rows, block.place.columns),
            block.aliases,
        )
        for block in template.blocks
    )
    return (
        template.id,
        template.title,
        blocks,
        template.rows,
        template.columns,
        template.row_heights,
        template.neighbours,
        template.attribution,
        template.source,
        template.installed,
    )


def template_from_data(data: tuple[Any, ...]) -> Template:
    """The template `template_data` gave `data` for (unchecked: only for data it made)."""
    (template_id, title, blocks, rows, columns, heights, neighbours) = data[:7]
    attribution, source, installed = data[7:]
    specs = tuple(
        BlockSpec(number, key, block_title, short, question, prompts, Place(*place), aliases)
        for number, key, block_title, short, question, prompts, place, aliases in blocks
    )
    return Template(
        template_id,
        title,
        specs,
        rows,
        columns,
        heights,
        neighbours,
        attribution,
        source,
        installed,
    )


def make_template(
    id: str,
    title: str,
    blocks: Iterable[BlockSpec],
    *,
    rows: int,
    columns: int,
    row_heights: Iterable[int] | None = None,
    attribution: str = "",
    source: str = BUILT_IN,
    installed: bool = True,
) -> Template:
    """A template with its neighbours worked out from the places of its blocks."""
    specs = tuple(blocks)
    places = [block.place for block in specs]
    return Template(
        id=id,
        title=title,
        blocks=specs,
        rows=rows,
        columns=columns,
        row_heights=tuple(row_heights) if row_heights is not None else (1,) * rows,
        neighbours=tuple(derive_neighbours(places)),
        attribution=attribution,
        source=source,
        installed=installed,
    )
