"""Reading template files: `parse_template` turns the text of a TOML template into a
`Template`, checking every field strictly (unknown fields, types, ids, places on the grid,
overlaps and duplicates) and raising `TemplateError` that says what is wrong.

Pure: it takes text, so reading the file is the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from canvas_tui.template.place import Place
from canvas_tui.template.spec import (
    BUILT_IN,
    MAX_BLOCKS,
    BlockSpec,
    Template,
    TemplateError,
    make_template,
)

TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}\Z")
BLOCK_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")

_TOP_FIELDS = {"id", "title", "attribution", "grid", "blocks"}
_GRID_FIELDS = {"rows", "columns", "row_heights"}
_BLOCK_FIELDS = {"key", "title", "short", "question", "prompts", "place", "aliases"}
_PLACE_FIELDS = {"row", "column", "rows", "columns"}


def parse_template(text: str, source: str = BUILT_IN) -> Template:
    """A template from the text of its TOML file; raises `TemplateError` saying what is wrong."""
    import tomllib  # here, not at the top: a start that finds its templates compiled skips it

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
    _check_aliases(blocks)
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
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(
        isinstance(alias, str) and alias.strip() for alias in aliases
    ):
        raise TemplateError(f"{where}: 'aliases' must be an array of non-empty strings")
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
    return BlockSpec(number, key, title, short, question, tuple(prompts), place, tuple(aliases))


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


def _check_aliases(blocks: list[BlockSpec]) -> None:
    """An alias names one block: not another block's title, key, short label or alias."""
    from canvas_tui.template.names import block_names, normalise  # (with its regexes: lazily)

    named: dict[str, int] = {}
    for block in blocks:
        for name in block_names(block)[:3]:
            named.setdefault(normalise(name), block.number)
    for block in blocks:
        for alias in block.aliases:
            other = named.setdefault(normalise(alias), block.number)
            if other != block.number:
                raise TemplateError(
                    f"block {block.number} ({block.title}): alias {alias!r} names block {other}"
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
