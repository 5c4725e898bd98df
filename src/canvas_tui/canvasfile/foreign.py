"""Canvases in other tools' JSON: any object whose keys, or whose members' `title`/`name`
fields, name blocks, each holding a list of strings or of objects with a text-like field
(directly, or under `content`/`items`).

    {"keyPartners": ["Stripe"], "value_propositions": {"items": [{"text": "Fast"}]}}
    {"sections": [{"title": "Key Partners", "content": ["Stripe"]}]}

The object that names the most blocks is the canvas; the title is the nearest `title` or
`name` on the way to it that names no block. Pure: JSON values in, a canvas out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from canvas_tui.model import Canvas, Item
from canvas_tui.template.names import match_block, named_blocks
from canvas_tui.template.spec import Template

NAME_FIELDS = ("title", "name", "key", "id", "label", "section", "block", "heading", "type")
# The item's text: the first of these an object has (a short name before a long body).
TEXT_FIELDS = ("text", "title", "name", "label", "content", "value", "description", "body")
# Its note: the first of these beside the text.
NOTE_FIELDS = ("note", "notes", "content", "description", "details", "body", "comment")
HOLDERS = ("items", "content", "entries", "cards", "notes", "values", "list", "points", "data")
TITLE_FIELDS = ("title", "name", "projectName", "project_name", "project", "canvasName")
ABOUT_FIELDS = ("context", "meta", "metadata", "info", "about", "canvas", "project")
_BULLET = re.compile(r"\A[ \t]*(?:[-*+•·]|\d{1,2}[.)])[ \t]+")
_MAX_DEPTH = 8

Pairs = list[tuple[str, object]]  # (a name, what it holds)


class ForeignCanvas(NamedTuple):
    canvas: Canvas  # its title is "" when the JSON has none
    titled: bool
    skipped: tuple[str, ...]  # names beside the blocks that name no block
    named: int  # how many blocks the JSON names


class _Container(NamedTuple):
    pairs: Pairs
    path: tuple[object, ...]  # the values on the way to it, outermost first
    field: str  # for a list of objects: the field that names their block


def _containers(value: object, path: tuple[object, ...] = ()) -> Iterator[_Container]:
    """Every object, and every list of objects named by one of their fields."""
    if len(path) > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        yield _Container([(str(key), inner) for key, inner in value.items()], path, "")
        for inner in value.values():
            yield from _containers(inner, (*path, value))
    elif isinstance(value, list):
        objects = [inner for inner in value if isinstance(inner, dict)]
        for field in NAME_FIELDS:
            named: Pairs = [
                (name, inner)
                for inner in objects
                if isinstance(name := inner.get(field), str) and name.strip()
            ]
            if named:
                yield _Container(named, path, field)
        for inner in value:
            yield from _containers(inner, (*path, value))


def names_in(data: object) -> list[list[str]]:
    """The names of each candidate container (for recognising the template)."""
    return [[name for name, _ in container.pairs] for container in _containers(data)]


def read_foreign(data: object, template: Template) -> ForeignCanvas | None:
    """A canvas of `template` from another tool's JSON; None if nothing in it names a block."""
    best: tuple[int, _Container] | None = None
    for container in _containers(data):
        count = named_blocks((name for name, _ in container.pairs), template)
        if count and (best is None or count > best[0]):
            best = (count, container)
    if best is None:
        return None
    named, (pairs, path, field) = best
    blocks: list[list[Item]] = [[] for _ in template.blocks]
    skipped = []
    for name, held in pairs:
        spec = match_block(name, template)
        if spec is None:
            if name not in TITLE_FIELDS and name not in NAME_FIELDS:
                skipped.append(name)
            continue
        if field and isinstance(held, dict):  # one of a list of named objects
            held = {key: value for key, value in held.items() if key != field}
        blocks[spec.index].extend(_items(held, depth=0))
    title = _title(path, pairs, template)
    canvas = Canvas(title or "", tuple(tuple(items) for items in blocks), template.id)
    return ForeignCanvas(canvas, title is not None, tuple(skipped), named)


def _items(held: object, depth: int) -> Iterable[Item]:
    """The items a block's value holds."""
    if isinstance(held, str):
        for line in held.splitlines():
            text = _BULLET.sub("", line).strip()
            if text:
                yield Item(text)
    elif isinstance(held, list):
        for inner in held:
            if isinstance(inner, str):
                if inner.strip():
                    yield Item(inner.strip())
            elif isinstance(inner, dict) and (item := _item(inner)) is not None:
                yield item
            elif isinstance(inner, list) and depth < 2:
                yield from _items(inner, depth + 1)
    elif isinstance(held, dict) and depth < 2:
        for field in HOLDERS:
            if isinstance(held.get(field), (str, list, dict)):
                yield from _items(held[field], depth + 1)
                return
        if depth == 0 and (item := _item(held)) is not None:  # a note that names its block
            yield item


def _item(data: dict[str, object]) -> Item | None:
    """An object in a block's list: its first text-like field is the item."""
    for field in TEXT_FIELDS:
        text = data.get(field)
        if isinstance(text, str) and text.strip():
            note = next(
                (
                    value.strip()
                    for key in NOTE_FIELDS
                    if key != field and isinstance(value := data.get(key), str) and value.strip()
                ),
                "",
            )
            return Item(" ".join(text.split()), note=note)
    return None


def _title(path: tuple[object, ...], pairs: Pairs, template: Template) -> str | None:
    """The nearest title or name on the way to the canvas that names no block."""
    places: list[object] = []
    for place in [dict(pairs), *reversed(path)]:
        places.append(place)
        if isinstance(place, dict):  # and what it says about itself: {"context": {"title"…}}
            places += [place[field] for field in ABOUT_FIELDS if isinstance(place.get(field), dict)]
    for place in places:
        if not isinstance(place, dict):
            continue
        for field in TITLE_FIELDS:
            value = place.get(field)
            if isinstance(value, str) and value.strip() and match_block(value, template) is None:
                return " ".join(value.split())
    return None
