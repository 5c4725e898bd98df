"""Canvas names: validation, slugs from titles, and collision-free choices."""

from __future__ import annotations

import re
from collections.abc import Callable

from canvas_tui.errors import CanvasError

NAME_PATTERN = r"[a-z0-9][a-z0-9._-]{0,63}"
_NAME = re.compile(NAME_PATTERN + r"\Z")
MAX_NAME = 64

# Device names that Windows refuses as file names, whatever the extension: a canvas synced to
# a Windows machine under such a name could not be opened there.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


class InvalidNameError(CanvasError, ValueError):
    """A canvas name that is not allowed, or would leave the data dir."""


def is_valid_name(name: str) -> bool:
    stem = name.split(".", 1)[0]
    return bool(_NAME.match(name)) and stem not in _RESERVED and ".." not in name


def check_name(name: str) -> str:
    """Return `name` if it is a valid canvas name, else raise with a helpful message."""
    if not is_valid_name(name):
        hint = slugify(name)
        raise InvalidNameError(
            f"{name!r} is not a valid canvas name (lowercase letters, digits, '.', '_' and '-',"
            f" at most {MAX_NAME} characters); try {hint!r}"
        )
    return name


def slugify(title: str) -> str:
    """A canvas name from a title: "Acme Robotics!" -> "acme-robotics".

    Any script is transliterated ("Überraschung GmbH" -> "uberraschung-gmbh", "日本語の計画" ->
    "ribenyunojihua"), so titles in other scripts get names a person can tell apart.
    """
    from anyascii import anyascii  # imported here: only naming a canvas needs it

    ascii_text = anyascii(title)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:MAX_NAME].rstrip("-")
    if not slug:
        return "canvas"
    if slug.split(".", 1)[0] in _RESERVED:
        slug = f"{slug}-canvas"
    return slug


def unique_name(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`, … : the first that `taken` says is free."""
    if not taken(base):
        return base
    for counter in range(2, 10_000):
        suffix = f"-{counter}"
        candidate = base[: MAX_NAME - len(suffix)].rstrip("-") + suffix
        if not taken(candidate):
            return candidate
    raise InvalidNameError(f"no free name near {base!r}")
