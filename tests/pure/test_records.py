"""`Record`, the hand-written frozen values (items, canvases, templates, loaded files): they
behave as the frozen dataclasses they replaced."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from canvas_tui.model import Canvas, Item
from canvas_tui.records import replace
from canvas_tui.template import Place


def test_equality_hash_and_repr_are_a_dataclass_s() -> None:
    item = Item("A", "testing", ("b2b",), "why")
    assert item == Item("A", "testing", ("b2b",), "why")
    assert item != Item("A", "testing", ("b2b",), "why not")
    assert hash(item) == hash(Item("A", "testing", ("b2b",), "why"))
    assert repr(item) == "Item(text='A', status='testing', tags=('b2b',), note='why', extra=())"
    assert item != ("A", "testing", ("b2b",), "why", ())  # only the same class compares equal
    assert Place(0, 0) == Place(0, 0, 1, 1)
    assert len({Place(0, 0), Place(0, 0, 1, 1), Place(1, 0)}) == 2


def test_unhashed_fields_count_for_equality_not_for_the_hash() -> None:
    one, other = Item("A", extra=(("x", 1),)), Item("A", extra=(("x", 2),))
    assert one != other
    assert hash(one) == hash(other)


def test_records_are_frozen() -> None:
    item = Item("A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.text = "B"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del item.text
    with pytest.raises(AttributeError):
        item.colour = "red"  # type: ignore[attr-defined]


def test_replace_here_and_in_dataclasses() -> None:
    canvas = Canvas("Acme", ((Item("A"),),), "lean")
    assert replace(canvas, title="Other") == Canvas("Other", ((Item("A"),),), "lean")
    assert dataclasses.replace(canvas, title="Other") == Canvas("Other", ((Item("A"),),), "lean")
    assert dataclasses.is_dataclass(canvas)
    assert [field.name for field in dataclasses.fields(canvas)] == ["title", "blocks", "template"]
    with pytest.raises(TypeError):
        replace(canvas, colour="red")


def test_copies_and_pickles() -> None:
    canvas = Canvas("Acme", ((Item("A", "testing", ("x",), "n"),), ()), "lean")
    assert pickle.loads(pickle.dumps(canvas)) == canvas
    assert copy.deepcopy(canvas) == canvas
    assert copy.copy(canvas) == canvas
