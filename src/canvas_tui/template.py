"""Canvas templates as data: which blocks a canvas has, what each asks, and where it sits.

A template is a TOML file (see `templates/tech-bmc.toml`, the default, and `templates/lean.toml`).
The shipped ones live in this package; a user's live in a `templates/` folder beside their
config file. Everything else (the editor, `show`, exports, the browser) reads a canvas's blocks
from its `Template`, never from a hand-written table. Neighbours for the arrow keys are derived
from the places on the grid, so a new template needs no code.

Pure: reading template files is the only I/O here; nothing above this layer is imported.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from canvas_tui.errors import CanvasError

Direction = Literal["left", "right", "up", "down"]
DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")

DEFAULT_TEMPLATE = "tech-bmc"
MAX_BLOCKS = 9  # digits 1..9 jump to the blocks
BUILT_IN = "built-in"
TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}\Z")
BLOCK_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")


class TemplateError(CanvasError, ValueError):
    """A template file that cannot be used, or a template that is not installed; the
    message says which and why (and the command line reports it as one line)."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a block sits on its template's grid, in grid cells."""

    row: int
    column: int
    rows: int = 1
    columns: int = 1

    @property
    def bottom(self) -> int:
        return self.row + self.rows

    @property
    def right(self) -> int:
        return self.column + self.columns

    def overlaps(self, other: Place) -> bool:
        return (
            self.row < other.bottom
            and other.row < self.bottom
            and self.column < other.right
            and other.column < self.right
        )


@dataclass(frozen=True, slots=True)
class BlockSpec:
    """One block of a template: its number, key, titles, guidance and place."""

    number: int  # 1..9: the digit that jumps to it, and its place in the file
    key: str  # the TOML key in canvas files
    title: str
    short: str  # a label of two or three characters, for the narrow strip
    question: str  # guidance: the block's question
    prompts: tuple[str, ...]  # guidance: prompts to think about
    place: Place

    @property
    def index(self) -> int:
        return self.number - 1

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


Neighbours = tuple[int | None, int | None, int | None, int | None]  # left, right, up, down


@dataclass(frozen=True, slots=True)
class Template:
    """A canvas type: its blocks, their places on a grid and their neighbours."""

    id: str
    title: str
    blocks: tuple[BlockSpec, ...]
    rows: int  # the grid
    columns: int
    row_heights: tuple[int, ...]  # the relative height of each grid row on screen
    neighbours: tuple[Neighbours, ...]  # per block, as block indexes (None: the edge)
    attribution: str = ""
    source: str = BUILT_IN  # "built-in", or the file it was read from
    installed: bool = True  # False: a stand-in for a template this machine does not have

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


# -- neighbours from places ----------------------------------------------------------------


def derive_neighbours(places: list[Place]) -> list[Neighbours]:
    """For each place, the nearest other place to its left, right, top and bottom.

    A candidate lies wholly on that side. Places that share part of the edge's span come
    first (the one sharing most, then the one whose middle is nearest, then the top or left
    one); failing those, the nearest place on that side by the distance of the middles.

    Nearest-first alone can leave a block that is nobody's nearest (a block in the middle of
    four corner blocks), so the arrows could never reach it: `_connect` then repairs the
    table so that every block can be reached from every other.
    """
    table = [
        [_nearest(places, index, direction) for direction in DIRECTIONS]
        for index in range(len(places))
    ]
    _connect(places, table)
    return [(left, right, up, down) for left, right, up, down in table]


def _connect(places: list[Place], table: list[list[int | None]]) -> None:
    """Make the arrows reach every block from every other, changing as little as possible.

    Blocks are walked in number order; while the table is not strongly connected, block i
    gets an arrow to block i + 1 (and the last to the first) unless it has one: in a
    direction where that block lies (any two places that do not overlap lie on some side of
    each other), the one it lies furthest along. Each step only changes block i's own arrows,
    so once every block has been walked the blocks form a cycle. A table that is connected
    already (every shipped template) is left as it is.
    """
    count = len(places)
    for index in range(count):
        if _strongly_connected(table):
            return
        target = (index + 1) % count
        if target == index or target in table[index]:
            continue
        me, other = places[index], places[target]
        sides = [d for d in DIRECTIONS if _beyond(me, other, d)]
        side = max(sides, key=lambda d: _gap(me, other, d))
        table[index][DIRECTIONS.index(side)] = target


def _strongly_connected(table: list[list[int | None]]) -> bool:
    def reached(edges: list[list[int]]) -> int:
        seen, todo = {0}, [0]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return len(seen)

    forward: list[list[int]] = [[n for n in row if n is not None] for row in table]
    backward: list[list[int]] = [[] for _ in table]
    for index, row in enumerate(forward):
        for nxt in row:
            backward[nxt].append(index)
    return reached(forward) == len(table) == reached(backward)


def _gap(me: Place, other: Place, direction: Direction) -> int:
    """How far `other` lies beyond `me` in `direction`, in grid cells."""
    if direction == "right":
        return other.column - me.right
    if direction == "left":
        return me.column - other.right
    if direction == "down":
        return other.row - me.bottom
    return me.row - other.bottom


def _nearest(places: list[Place], index: int, direction: Direction) -> int | None:
    me = places[index]
    across = direction in ("left", "right")
    best: tuple[tuple[float, ...], int] | None = None
    for other_index, other in enumerate(places):
        if other_index == index or not _beyond(me, other, direction):
            continue
        if across:
            gap = other.column - me.right if direction == "right" else me.column - other.right
            shared = min(me.bottom, other.bottom) - max(me.row, other.row)
            offset = abs((other.row + other.bottom) - (me.row + me.bottom)) / 2
            order = (other.row, other.column)
        else:
            gap = other.row - me.bottom if direction == "down" else me.row - other.bottom
            shared = min(me.right, other.right) - max(me.column, other.column)
            offset = abs((other.column + other.right) - (me.column + me.right)) / 2
            order = (other.column, other.row)
        if shared > 0:
            key: tuple[float, ...] = (0, gap, -shared, offset, *order)
        else:
            distance = _middle_distance(me, other)
            key = (1, distance, *order)
        if best is None or key < best[0]:
            best = (key, other_index)
    return None if best is None else best[1]


def _beyond(me: Place, other: Place, direction: Direction) -> bool:
    if direction == "right":
        return other.column >= me.right
    if direction == "left":
        return other.right <= me.column
    if direction == "down":
        return other.row >= me.bottom
    return other.bottom <= me.row


def _middle_distance(a: Place, b: Place) -> float:
    dx = (a.column + a.right - b.column - b.right) / 2
    dy = (a.row + a.bottom - b.row - b.bottom) / 2
    return float(dx * dx + dy * dy)


# -- reading template files ----------------------------------------------------------------

_TOP_FIELDS = {"id", "title", "attribution", "grid", "blocks"}
_GRID_FIELDS = {"rows", "columns", "row_heights"}
_BLOCK_FIELDS = {"key", "title", "short", "question", "prompts", "place"}
_PLACE_FIELDS = {"row", "column", "rows", "columns"}


def parse_template(text: str, source: str = BUILT_IN) -> Template:
    """A template from the text of its TOML file; raises `TemplateError` saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"invalid TOML: {error}") from None
    _only(data, _TOP_FIELDS, "the template")
    template_id = _string(data, "id", "the template")
    if not TEMPLATE_ID.match(template_id):
        raise TemplateError(
            f"id {template_id!r} must be lowercase letters, digits, '.', '_' or '-'"
        )
    title = _string(data, "title", "the template")
    attribution = _string(data, "attribution", "the template", required=False)
    grid = data.get("grid")
    if not isinstance(grid, dict):
        raise TemplateError("'grid' must be a table such as { rows = 3, columns = 10 }")
    _only(grid, _GRID_FIELDS, "grid")
    rows, columns = _count(grid, "rows", "grid"), _count(grid, "columns", "grid")
    heights = grid.get("row_heights")
    if heights is not None and (
        not isinstance(heights, list)
        or len(heights) != rows
        or not all(isinstance(h, int) and not isinstance(h, bool) and h > 0 for h in heights)
    ):
        raise TemplateError(f"grid.row_heights must be {rows} positive integers")
    raw_blocks = data.get("blocks")
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise TemplateError("a template needs at least one [[blocks]] table")
    if len(raw_blocks) > MAX_BLOCKS:
        raise TemplateError(f"{len(raw_blocks)} blocks: a template has 1 to {MAX_BLOCKS}")
    blocks = [_block(raw, number, rows, columns) for number, raw in enumerate(raw_blocks, 1)]
    _check_distinct(blocks)
    return make_template(
        template_id,
        title,
        blocks,
        rows=rows,
        columns=columns,
        row_heights=heights,
        attribution=attribution,
        source=source,
    )


def _block(raw: object, number: int, rows: int, columns: int) -> BlockSpec:
    where = f"block {number}"
    if not isinstance(raw, dict):
        raise TemplateError(f"{where} must be a table")
    _only(raw, _BLOCK_FIELDS, where)
    key = _string(raw, "key", where)
    if not BLOCK_KEY.match(key):
        raise TemplateError(f"{where}: key {key!r} must be lowercase letters, digits and '_'")
    title = _string(raw, "title", where)
    short = _string(raw, "short", where, required=False) or _short_label(title)
    if len(short) > 3:
        raise TemplateError(f"{where}: short label {short!r} is longer than 3 characters")
    question = _string(raw, "question", where, required=False)
    prompts = raw.get("prompts", [])
    if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
        raise TemplateError(f"{where}: 'prompts' must be an array of strings")
    place_data = raw.get("place")
    if not isinstance(place_data, dict):
        raise TemplateError(f"{where}: 'place' must be a table such as {{ row = 0, column = 0 }}")
    _only(place_data, _PLACE_FIELDS, f"{where}.place")
    place = Place(
        _count(place_data, "row", f"{where}.place", minimum=0),
        _count(place_data, "column", f"{where}.place", minimum=0),
        _count(place_data, "rows", f"{where}.place", default=1),
        _count(place_data, "columns", f"{where}.place", default=1),
    )
    if place.bottom > rows or place.right > columns:
        raise TemplateError(
            f"{where} ({title}): its place reaches outside the {rows}x{columns} grid"
        )
    return BlockSpec(number, key, title, short, question, tuple(prompts), place)


def _check_distinct(blocks: list[BlockSpec]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for block in blocks:
        for label, value in (("key", block.key), ("short label", block.short.casefold())):
            other = seen.setdefault((label, value), block.number)
            if other != block.number:
                raise TemplateError(
                    f"blocks {other} and {block.number} have the same {label} {value!r}"
                )
        for earlier in blocks[: block.index]:
            if block.place.overlaps(earlier.place):
                raise TemplateError(
                    f"block {block.number} ({block.title}) overlaps block {earlier.number}"
                    f" ({earlier.title})"
                )


def _only(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise TemplateError(f"{where}: unknown field {unknown[0]!r}")


def _string(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise TemplateError(f"{where}: '{key}' must be a non-empty string")
    return value


def _count(
    data: Mapping[str, Any], key: str, where: str, *, minimum: int = 1, default: int | None = None
) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise TemplateError(f"{where}: '{key}' must be an integer of at least {minimum}")
    return value


def _short_label(title: str) -> str:
    words = [word for word in re.split(r"\W+", title) if word]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return title[:2].upper()


# -- the installed templates ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BrokenTemplate:
    """A template file that could not be used, and why."""

    source: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


class Templates:
    """The templates a session can use: the shipped ones, then the user's (which win)."""

    def __init__(
        self, templates: Iterable[Template], broken: Iterable[BrokenTemplate] = ()
    ) -> None:
        self._by_id = {template.id: template for template in templates}
        self.broken = tuple(broken)

    def __contains__(self, template_id: object) -> bool:
        return template_id in self._by_id

    def __iter__(self) -> Iterator[Template]:
        """The default template first, then by id."""
        return iter(sorted(self._by_id.values(), key=lambda t: (t.id != DEFAULT_TEMPLATE, t.id)))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, template_id: str) -> Template | None:
        return self._by_id.get(template_id)

    @property
    def default(self) -> Template:
        return self._by_id.get(DEFAULT_TEMPLATE) or built_in_templates().default

    def for_canvas(self, template_id: str, keys: Iterable[str] = ()) -> Template:
        """The template a canvas names, or a stand-in with `keys` as its blocks if it is
        not installed (such a canvas is shown read-only)."""
        found = self._by_id.get(template_id)
        return found if found is not None else stand_in(template_id, keys)


def stand_in(template_id: str, keys: Iterable[str]) -> Template:
    """A template for a canvas whose template is missing: its own keys, one under another."""
    unique = list(dict.fromkeys(keys))[:MAX_BLOCKS] or ["items"]
    blocks = [
        BlockSpec(number, key, key, str(number), "", (), Place(number - 1, 0))
        for number, key in enumerate(unique, 1)
    ]
    return make_template(
        template_id,
        f"{template_id} (not installed)",
        blocks,
        rows=len(blocks),
        columns=1,
        source="missing",
        installed=False,
    )


@cache
def built_in_templates() -> Templates:
    """The templates shipped in this package (read once per process)."""
    folder = Path(__file__).parent / "templates"
    if folder.is_dir():  # an installed package or a source tree: plain files
        texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.toml"))]
    else:  # imported from a zip file: only importlib.resources can read it (4 ms to import)
        from importlib import resources

        entries = (resources.files("canvas_tui") / "templates").iterdir()
        texts = [
            entry.read_text(encoding="utf-8")
            for entry in sorted(entries, key=lambda entry: entry.name)
            if entry.name.endswith(".toml")
        ]
    return Templates(parse_template(text) for text in texts)


def load_templates(user_folder: Path | None) -> Templates:
    """The shipped templates plus the user's `*.toml` in `user_folder` (if it exists).

    A broken user template is reported in `Templates.broken` and left out; it never stops
    the others from loading.
    """
    shipped = built_in_templates()
    if user_folder is None:
        return shipped
    try:
        files = sorted(path for path in user_folder.glob("*.toml") if not path.name.startswith("."))
    except OSError:
        return shipped
    if not files:
        return shipped
    templates = list(shipped)
    broken: list[BrokenTemplate] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            template = parse_template(text, source=str(path))
        except (OSError, UnicodeDecodeError) as error:
            broken.append(BrokenTemplate(str(path), f"cannot be read: {error}"))
            continue
        except TemplateError as error:
            broken.append(BrokenTemplate(str(path), str(error)))
            continue
        templates = [t for t in templates if t.id != template.id] + [template]
    return Templates(templates, broken)


def default_template() -> Template:
    """The Tech Business Model Canvas, as shipped."""
    return built_in_templates().default
