"""The `canvas-tui` command line.

Each module of this package adds its commands (`register`) and runs them; this one builds the
parser, reads the config and reports errors as one line. Plain commands never import Textual,
so they start in a fraction of the editor's time; the editor is imported only when needed, and
only the module of the command asked for is imported and given to the parser.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, cast

from canvas_tui import __version__
from canvas_tui.cli.common import PROG, Context, Handler, HelpFormatter, fail, os_message, warn
from canvas_tui.errors import CanvasError
from canvas_tui.store.config import config_path, read_config

if TYPE_CHECKING:
    from canvas_tui.prepaint.terminal import EarlyTerminal

# Each command and the module of this package that adds and runs it. `--help` lists the
# commands in this order, module after module: a module's commands stay together here.
COMMANDS = {
    **dict.fromkeys(
        ("open", "view", "new", "list", "show", "export", "templates", "keys", "path"), "canvases"
    ),
    **dict.fromkeys(("add", "rm", "mv", "set", "retitle"), "shell"),
    "import": "importing",
    **dict.fromkeys(("diff", "merge"), "diffmerge"),
    **dict.fromkeys(("git-setup", "log", "textconv"), "gitcmds"),
    "serve": "serve",
}


def build_parser(command: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    """The parser and the handlers of `command`'s module (None: of every command, for help
    and for what is not a command)."""
    common = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where canvases live (default: $CANVAS_TUI_DATA_DIR, else the user data folder)",
    )
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="the config file (default: $CANVAS_TUI_CONFIG, else the user config folder's)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        parents=[common],
        formatter_class=HelpFormatter,
        description="A keyboard-first terminal workspace for business model canvases.",
        epilog=(
            f"With no command, {PROG} opens the canvas browser; {PROG} NAME|PATH opens a canvas"
            " in the editor."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--read-only", action="store_true", help="open canvases read-only (never written)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        if command in COMMANDS and name != command:
            # Another command of the module: its parser is never used (making each one cost
            # a plain command's start about a millisecond).
            return cast(argparse.ArgumentParser, _Unused())
        return commands.add_parser(
            name,
            parents=[common],
            help=help_text,
            description=help_text,
            formatter_class=HelpFormatter,
        )

    handlers: dict[str, Handler] = {}
    names = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for name in names:
        module = import_module(f"canvas_tui.cli.{name}")
        handlers.update(module.register(add))
    return parser, handlers


class _Unused:
    """The parser of a command that was not asked for: whatever is added to it is dropped."""

    def __getattr__(self, name: str) -> Callable[..., _Unused]:
        return self._drop

    def _drop(self, *args: object, **kwargs: object) -> _Unused:
        return self


def _command_of(argv: list[str]) -> str | None:
    """The command word in `argv`, if any (before `--`, skipping options and their values)."""
    skip_next = False
    for word in argv:
        if skip_next:
            skip_next = False
        elif word in ("--data-dir", "--config"):
            skip_next = True
        elif word in ("-h", "--help", "--"):
            return None
        elif not word.startswith("-"):
            return word
    return None


def _with_implicit_open(argv: list[str], commands: Sequence[str]) -> list[str]:
    """`canvas-tui NAME` means `canvas-tui open NAME`: insert `open` before a bare name."""
    skip_next = False
    for index, word in enumerate(argv):
        if skip_next:
            skip_next = False
        elif word in ("--data-dir", "--config"):
            skip_next = True
        elif word == "--":
            return [*argv[:index], "open", *argv[index + 1 :]] if index + 1 < len(argv) else argv
        elif word.startswith("-"):
            continue
        elif word in commands:
            return argv
        else:
            return [*argv[:index], "open", *argv[index:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up allocates much and frees little: the collector would run a hundred times for
    # nothing. The app turns it back on after its first screen (`CanvasApp`), and so does
    # the end of every command.
    gc.disable()
    words = _with_implicit_open(list(sys.argv[1:] if argv is None else argv), list(COMMANDS))
    command_word = _command_of(words)
    try:
        status = _main(argv, words, command_word)
    finally:
        gc.enable()
    if argv is None and command_word in COMMANDS and command_word not in _NO_QUICK_EXIT:
        _quick_exit(status)
    return status


# Commands that end the process the usual way: the editor and the web server.
_NO_QUICK_EXIT = ("open", "view", "serve")


def _quick_exit(status: int) -> None:
    """End a plain command's process now, skipping the interpreter's teardown (freeing every
    object and module: a good part of a plain command's time). Only once everything is done:
    no other thread runs, nothing waits for the exit (a profiler, coverage, an `atexit`
    handler) and what was printed is flushed; else it returns, and the process ends the
    usual way."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    if sys.getprofile() is not None or sys.gettrace() is not None or atexit._ncallbacks():
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe, a closed stream: as usual
        return
    os._exit(status)


def _main(argv: Sequence[str] | None, words: list[str], command_word: str | None) -> int:
    early = None
    if argv is None and _starts_the_app(words, command_word):
        # The app in a terminal (an editor or the canvas browser): raw mode before anything
        # slow, so keys typed from now on wait for the app, uncooked and in order.
        from canvas_tui.prepaint.terminal import EarlyTerminal

        early = EarlyTerminal.begin()
    try:
        return _run(words, command_word, early)
    finally:
        if early is not None:
            early.restore()


def _starts_the_app(words: list[str], command_word: str | None) -> bool:
    """Whether these words start the app: `open`, `view`, or no command (the canvas browser,
    unless the words ask for help or the version)."""
    if command_word is not None:
        return command_word in ("open", "view")
    return not {"-h", "--help", "--version"} & set(words)


def _run(words: list[str], command_word: str | None, early: EarlyTerminal | None) -> int:
    parser, handlers = build_parser(command_word)
    args = parser.parse_args(words)
    config = read_config(config_path(getattr(args, "config", None)))
    context = Context(args, config, early=early)
    command = args.command or "browse"
    if command not in ("browse", "open", "view", "serve"):  # the app shows them itself
        for problem in config.problems:
            warn(problem)
    try:
        if command == "browse":
            from canvas_tui.cli.canvases import run_editor

            return run_editor(context, None, read_only=args.read_only)
        return handlers[command](context)
    except CanvasError as error:
        _restore(early)  # the terminal as it was, then the message
        return fail(str(error))
    except OSError as error:
        _restore(early)
        return fail(os_message(error))
    except KeyboardInterrupt:
        return 130


def _restore(early: EarlyTerminal | None) -> None:
    if early is not None:
        early.restore()
