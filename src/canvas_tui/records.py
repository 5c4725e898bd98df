"""`Record`: the base of the immutable values every command reads (canvases, items, templates,
loaded files), written by hand instead of with `@dataclass(frozen=True, slots=True)`.

A plain command is over in a few tens of milliseconds, and `dataclasses` cost a good part of
that: importing it (it imports `inspect`, and with it `ast`, `dis` and `tokenize`) and then
generating and compiling the methods of each class at every start. A record gives what those
dataclasses gave: its fields (`_fields`, in the order of `__init__`), equality over them and a
hash over those not in `_unhashed` (a dataclass's `field(hash=False)`), a repr, no
assignment (`dataclasses.FrozenInstanceError`, as before), copying and pickling, and
`dataclasses.replace`, `fields` and `asdict` (their field table is made when first asked for).
Each subclass writes its `__slots__`, `_fields` and `__init__` (which sets its fields with
`object.__setattr__`, as a frozen dataclass's does).

Pure: no I/O, and nothing of canvas-tui imported.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform

R = TypeVar("R", bound="Record")


class _DataclassFields:
    """A record class's `__dataclass_fields__`, made when first asked for (by
    `dataclasses.replace`, `fields`, `asdict` or `is_dataclass`): the fields of a dataclass
    twin with the same field names."""

    def __get__(self, instance: object, owner: type[Record]) -> dict[str, Any]:
        import dataclasses

        twin = dataclasses.make_dataclass(owner.__name__, [(name, Any) for name in owner._fields])
        fields: dict[str, Any] = twin.__dataclass_fields__  # type: ignore[attr-defined]
        owner.__dataclass_fields__ = fields
        return fields


# For type checkers: a record's fields are frozen, as a frozen dataclass's (at run time the
# decorator only marks the class).
@dataclass_transform(frozen_default=True)
class Record:
    """An immutable value with named fields; see the module's docstring."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _unhashed: ClassVar[tuple[str, ...]] = ()
    _values: ClassVar[attrgetter[Any]]
    _hashed: ClassVar[attrgetter[Any]]
    __dataclass_fields__: ClassVar[Any] = _DataclassFields()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # attrgetter of two or more names returns a tuple of their values (made in C); of
        # one, its value: either is what is compared and hashed.
        cls._values = attrgetter(*cls._fields)
        cls._hashed = attrgetter(*(name for name in cls._fields if name not in cls._unhashed))
        setattr(cls, "__match_args__", cls._fields)  # noqa: B010 (mypy: Record has none)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._values(self) == self._values(other))

    def __hash__(self) -> int:
        return hash(self._hashed(self))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({values})"

    if not TYPE_CHECKING:  # (to mypy, a class with a __setattr__ takes any attribute)

        def __setattr__(self, name: str, value: object) -> None:
            raise _frozen(name)

        def __delattr__(self, name: str) -> None:
            raise _frozen(name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, name) for name in self._fields))


def replace(record: R, **changes: Any) -> R:
    """`record` with the fields in `changes` changed (what `dataclasses.replace` does)."""
    values = {name: getattr(record, name) for name in record._fields}
    values.update(changes)
    return type(record)(**values)


def _frozen(name: str) -> AttributeError:
    import dataclasses  # only on this error path: the error a frozen dataclass raises

    return dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
