"""The `canvas-tui` command line.

Each module of this package adds its commands (`register`) and runs them; this one builds the
parser, reads the config and reports errors as one line. Plain commands never import Textual,
so they start in a fraction of the editor's time; the editor is imported only when needed.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from canvas_tui import __version__
from canvas_tui.cli import canvases, history, importing, serve, shell
from canvas_tui.cli.common import PROG, Context, Handler, fail, os_message, warn
from canvas_tui.errors import CanvasError
from canvas_tui.store.config import config_path, read_config

COMMAND_MODULES = (canvases, shell, importing, history, serve)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    common = argparse.ArgumentParser(add_help=False)
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
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    handlers: dict[str, Handler] = {}
    for module in COMMAND_MODULES:
        handlers.update(module.register(add))
    return parser, handlers


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
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    parser, handlers = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(_with_implicit_open(words, list(handlers)))
    config = read_config(config_path(getattr(args, "config", None)))
    context = Context(args, config)
    command = args.command or "browse"
    if command not in ("browse", "open", "view", "serve"):  # the app shows them itself
        for problem in config.problems:
            warn(problem)
    try:
        if command == "browse":
            return canvases.run_editor(context, None, read_only=args.read_only)
        return handlers[command](context)
    except CanvasError as error:
        return fail(str(error))
    except OSError as error:
        return fail(os_message(error))
    except KeyboardInterrupt:
        return 130
