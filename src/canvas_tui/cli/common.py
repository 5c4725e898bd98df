"""What the command line's modules share: a command's context, its errors, its output, and
how to tell a canvas file from other TOML (for `merge` and `textconv`)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from canvas_tui.errors import CanvasError
from canvas_tui.store.config import Config

if TYPE_CHECKING:
    from canvas_tui.prepaint.terminal import EarlyTerminal
    from canvas_tui.store import CanvasStore, Loaded

PROG = "canvas-tui"


class CliError(CanvasError):
    """An error to report as one line on stderr, exit status 1."""


class Context:
    """A command's arguments, the config in use and (made when first asked for) the store."""

    def __init__(
        self,
        args: argparse.Namespace,
        config: Config,
        _store: CanvasStore | None = None,
        # An editor start's terminal, raw since the process began (see `canvas_tui.prepaint`).
        early: EarlyTerminal | None = None,
    ) -> None:
        self.args = args
        self.config = config
        self._store = _store
        self.early = early

    def __repr__(self) -> str:
        return f"Context(args={self.args!r}, config={self.config!r})"

    @property
    def store(self) -> CanvasStore:
        if self._store is None:
            from canvas_tui.store import CanvasStore, resolve_data_dir
            from canvas_tui.store.templatecache import built_in_templates
            from canvas_tui.template import load_templates

            data_dir = resolve_data_dir(getattr(self.args, "data_dir", None))
            # Compiled, when the data dir's cache has them; a read-only session writes none.
            read_only = (
                getattr(self.args, "read_only", False)
                or getattr(self.args, "command", None) == "view"
            )
            built_in_templates(data_dir, write=not read_only)
            templates = load_templates(self.config.templates_folder)
            self._store = CanvasStore(data_dir, templates)
        return self._store


Handler = Callable[[Context], int]
AddCommand = Callable[[str, str], argparse.ArgumentParser]


def terminal_columns(fallback: int = 80) -> int:
    """The terminal's width by `shutil.get_terminal_size`'s rule ($COLUMNS, else stdout's
    terminal, else `fallback`), without importing `shutil` (and with it bz2, lzma and zlib)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        stdout = sys.__stdout__
        return os.get_terminal_size(stdout.fileno()).columns or fallback  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return fallback


class HelpFormatter(argparse.HelpFormatter):
    """argparse's own, with the width it would find (`terminal_columns`, less 2): argparse
    makes one for every argument added, and imports `shutil` for the width."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def fail(message: str, status: int = 1) -> int:
    """Say what went wrong in one line on stderr; returns the exit status."""
    from canvas_tui.safetext import visible

    # One line, and nothing a terminal would act on: messages may quote a file's text.
    print(f"{PROG}: error: {visible(message)}", file=sys.stderr)
    return status


def os_message(error: OSError) -> str:
    """An operating system error as a person reads it: "Permission denied: /path"."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def warn(message: str) -> None:
    from canvas_tui.safetext import visible

    print(f"{PROG}: warning: {visible(message)}", file=sys.stderr)


def json_option(parser: argparse.ArgumentParser) -> None:
    """`--json`, for a command whose output scripts may read."""
    parser.add_argument("--json", action="store_true", help="print JSON (for scripts)")


def print_json(data: object) -> None:
    """JSON on stdout; characters that could act on a terminal are written as \\uXXXX."""
    import json  # here, not at the top: most commands print no JSON

    from canvas_tui.safetext import escape_unsafe

    print(escape_unsafe(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def color_wanted() -> bool:
    """Styles on a terminal, unless NO_COLOR (no-color.org) or a dumb terminal says not."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def load_canvas(context: Context, ref: str, *, allow_new: bool = False) -> Loaded:
    """The canvas `ref` names (a name or a path); an error if it does not exist (unless
    `allow_new`: then a new, empty canvas whose file is made at the first save)."""
    loaded = context.store.open(ref)
    if not loaded.exists and not allow_new:
        raise CliError(f"no canvas {ref!r} (see '{PROG} list')")
    return loaded


def is_canvas_text(text: str) -> bool:
    """Whether `text` looks like a canvas file (other TOML files may share its folder)."""
    return _blocks_table().search(text) is not None


@cache
def _blocks_table() -> re.Pattern[str]:
    """A canvas file's [blocks] table (written as a table, or as dotted keys); compiled when
    first needed, as every command imports this module and only `merge` and `textconv` ask."""
    return re.compile(r"^[ \t]*(\[[ \t]*blocks[ \t]*\]|blocks[ \t]*[.=])", re.MULTILINE)
