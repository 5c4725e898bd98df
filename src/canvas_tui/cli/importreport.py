"""What `canvas-tui import` tells the user: which template it chose, what it skipped, what
`--dry-run` would import, and the error when nothing names a block (over short lines, with
the nearest block name for each heading). Plain text; no Textual."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from canvas_tui.cli.common import PROG, CliError, print_json
from canvas_tui.model import Canvas
from canvas_tui.safetext import visible
from canvas_tui.template.names import nearest
from canvas_tui.template.spec import Template

WIDTH = 88  # the longest line a message wraps to
MAX_SHOWN = 12  # headings or skipped lines listed before "and N more"


class Skip(NamedTuple):
    line: int  # 0: no line (a JSON key)
    text: str
    reason: str


class NothingNamed(CliError):
    """Nothing in the file names a block: several short lines, the first the error."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0])
        self.lines = lines

    def report(self) -> int:
        print(f"{PROG}: error: {visible(self.lines[0])}", file=sys.stderr)
        for line in self.lines[1:]:
            print(f"  {visible(line)}", file=sys.stderr)
        return 1


def nothing_named(what: str, names: Sequence[str], templates: Iterable[Template]) -> NothingNamed:
    """The error for a file where nothing names a block: what was looked for, the nearest
    block name to each name found, and the block names of each installed template."""
    templates = list(templates)
    lines = [f"nothing in this {what} names a block of an installed template"]
    if what == "JSON":
        lines += textwrap.wrap(
            "Looked for object keys, or 'title'/'name' fields of a list's objects, that name"
            " blocks and hold a list of strings or of objects with a text field (directly or"
            " under 'content'/'items').",
            WIDTH,
        )
    shown = list(dict.fromkeys(name for name in names if name.strip()))
    for name in shown[:MAX_SHOWN]:
        guesses = [found for template in templates if (found := nearest(name, template))]
        if guesses:
            title = max(guesses, key=lambda guess: guess[1])[0]
            lines.append(f"{name!r}: did you mean {title}?")
        else:
            lines.append(f"{name!r}: no block by that name")
    if len(shown) > MAX_SHOWN:
        lines.append(f"… and {len(shown) - MAX_SHOWN} more")
    for template in templates:
        titles = ", ".join(block.title for block in template.blocks)
        lines += textwrap.wrap(
            f"{template.id} blocks: {titles}",
            WIDTH,
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    lines += textwrap.wrap(
        "A block may also be named by its key, short label or number, or by another name its"
        " template knows (singular or plural, the original canvas's names, other languages).",
        WIDTH,
    )
    return NothingNamed(lines)


def say_template(template: Template, why: str) -> None:
    print(
        f"{PROG}: template {visible(template.id)} ({visible(template.title)}): {why}",
        file=sys.stderr,
    )


def warn_sections(sections: Sequence[Skip], template: Template) -> None:
    """One warning for the sections skipped because their heading names no block."""
    if not sections:
        return
    count = len(sections)
    print(
        f"{PROG}: warning: skipped {count} section{'s' * (count != 1)} whose heading names no"
        f" block of {visible(template.id)}:",
        file=sys.stderr,
    )
    for skip in sections[:MAX_SHOWN]:
        print(f"  line {skip.line}: {visible(skip.text)}", file=sys.stderr)
    if count > MAX_SHOWN:
        print(f"  … and {count - MAX_SHOWN} more", file=sys.stderr)


def dry_run(
    canvas: Canvas, template: Template, name: str, form: str, skipped: Sequence[Skip], *, json: bool
) -> None:
    """What an import would make, on stdout; nothing is written."""
    counts = {spec.key: len(canvas.blocks[spec.index]) for spec in template.blocks}
    if json:
        print_json(
            {
                "dry_run": True,
                "canvas": name,
                "title": canvas.title,
                "template": template.id,
                "format": form,
                "items": canvas.item_count,
                "blocks": counts,
                "skipped": [skip._asdict() for skip in skipped],
            }
        )
        return
    lines = [
        f"template: {template.id} ({template.title})",
        f"title: {canvas.title}",
        f"name: {name}",
        f"items: {canvas.item_count}",
    ]
    lines += [f"  {spec.number} {spec.title}: {counts[spec.key]}" for spec in template.blocks]
    lines.append(f"skipped: {len(skipped) or 'nothing'}")
    for skip in skipped:
        where = f"line {skip.line}: " if skip.line else ""
        lines.append(f"  {where}{skip.text} ({skip.reason})")
    lines.append("nothing written (--dry-run)")
    print("\n".join(visible(line) for line in lines))
