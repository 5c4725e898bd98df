"""A canvas diff as lines for the terminal, and a canvas as plain text for `git diff`.

`diff_lines` lists the changes block by block under each block's title:

    title: Acme → Acme Robotics
    1 Key Partners
      + New partner
      - Old partner
      ~ Stripe → Stripe Connect
      ↕ Lawyers (3 → 1)
      → Cloud hosting (to 2 Key Activities)
      ~ Stripe Connect: status testing → validated

`canvas_text` is what git's textconv shows for a canvas file: the items one per line under
their block titles, so that `git diff` speaks in blocks and items rather than TOML.

All text from a canvas is untrusted: it goes through `safetext.visible`, never raw.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from canvas_tui.diff import CanvasDiff, ItemChange
from canvas_tui.model import STATUS_GLYPHS, Canvas, Item
from canvas_tui.render.wrap import NOTE_MARK
from canvas_tui.safetext import visible
from canvas_tui.template import DEFAULT_TEMPLATE, Template

LineKind = Literal["title", "heading", "added", "removed", "edited", "moved", "summary"]
INDENT = "  "
EMPTY = "(empty)"

# Styles for a colour terminal (SGR codes); NO_COLOR and pipes get none.
_ANSI = {
    "title": "1",
    "heading": "1",
    "added": "32",
    "removed": "31",
    "edited": "33",
    "moved": "36",
    "summary": "2",
}


class DiffLine(NamedTuple):
    """One line of a rendered diff: what kind it is (for styling) and its safe text."""

    kind: LineKind
    text: str


def item_label(item: Item) -> str:
    """An item on one line, safe for a terminal: `✓ text #tag ¶`."""
    parts = []
    if item.status is not None:
        parts.append(STATUS_GLYPHS.get(item.status, "?"))
    parts.append(visible(item.text) if item.text else EMPTY)
    parts.extend(f"#{visible(tag)}" for tag in item.tags)
    if item.note:
        parts.append(NOTE_MARK)
    return " ".join(parts)


def _text(item: Item) -> str:
    return visible(item.text) if item.text else EMPTY


def _block_label(block: int, template: Template) -> str:
    if block < len(template.blocks):
        return visible(template.blocks[block].label)
    return f"{block + 1} (block {block + 1})"


def change_lines(change: ItemChange, template: Template) -> list[DiffLine]:
    """The lines for one item's change (without indentation)."""
    old, new = change.old, change.new
    if old is None:
        assert new is not None
        return [DiffLine("added", f"+ {item_label(new)}")]
    if new is None:
        return [DiffLine("removed", f"- {item_label(old)}")]
    lines = []
    assert change.old_pos is not None and change.new_pos is not None
    if change.moved_to_block:
        target = _block_label(change.new_pos.block, template)
        lines.append(DiffLine("moved", f"→ {_text(old)} (to {target})"))
    elif change.moved_in_block:
        where = f"{change.old_pos.item + 1} → {change.new_pos.item + 1}"
        lines.append(DiffLine("moved", f"↕ {_text(old)} ({where})"))
    fields = change.fields
    if "text" in fields:
        lines.append(DiffLine("edited", f"~ {_text(old)} → {_text(new)}"))
    name = _text(new)
    if "status" in fields:
        lines.append(DiffLine("edited", f"~ {name}: status {_status(old)} → {_status(new)}"))
    if "tags" in fields:
        changes = [f"+#{visible(tag)}" for tag in change.tags_added]
        changes += [f"-#{visible(tag)}" for tag in change.tags_removed]
        lines.append(DiffLine("edited", f"~ {name}: tags {' '.join(changes) or 'reordered'}"))
    if "note" in fields:
        verb = "added" if not old.note else "removed" if not new.note else "changed"
        lines.append(DiffLine("edited", f"~ {name}: note {verb}"))
    if "other" in fields:
        lines.append(DiffLine("edited", f"~ {name}: other fields changed"))
    return lines


def _status(item: Item) -> str:
    # By name only: the glyph of "testing" is "~", the sign of an edit.
    return item.status or "none"


def diff_lines(diff: CanvasDiff, template: Template, *, summary: bool = True) -> list[DiffLine]:
    """The diff block by block, under each block's title in `template` (the new canvas's).
    An empty list when the canvases are the same."""
    lines: list[DiffLine] = []
    if diff.title_changed:
        old, new = visible(diff.old_title), visible(diff.new_title)
        lines.append(DiffLine("title", f"title: {old or EMPTY} → {new or EMPTY}"))
    if diff.old_template != diff.new_template:
        old, new = visible(diff.old_template), visible(diff.new_template)
        lines.append(DiffLine("title", f"template: {old} → {new}"))
    for block, changes in diff.by_block():
        lines.append(DiffLine("heading", _block_label(block, template)))
        for change in changes:
            for line in change_lines(change, template):
                lines.append(DiffLine(line.kind, INDENT + line.text))
    if summary and lines:
        counts = diff.counts()
        parts = [f"{counts[key]} {key}" for key in ("added", "removed", "edited", "moved")]
        lines.append(DiffLine("summary", ", ".join(parts)))
    return lines


def to_text(lines: list[DiffLine], *, color: bool = False) -> str:
    """The lines as text, with ANSI styles when `color`."""
    if not color:
        return "".join(f"{line.text}\n" for line in lines)
    return "".join(f"\x1b[{_ANSI[line.kind]}m{line.text}\x1b[0m\n" for line in lines)


# -- one canvas as text, for git's textconv ------------------------------------------------

NOTE_INDENT = "    "


def canvas_text(canvas: Canvas, template: Template) -> str:
    """The canvas as plain text: its title, then each block as a `## N Title` heading, its
    question (or its title again) between blank lines, and its items one per line
    (`- ✓ text #tag`), notes indented below them.

    Three lines stand between a heading and the first item on purpose: git labels a hunk
    with the last heading *above* its three lines of context, so a change to a block's first
    item is labelled with that block, not the one before it."""
    lines = [f"# {visible(canvas.title)}".rstrip()]
    if canvas.template != DEFAULT_TEMPLATE:
        lines.append(f"template: {visible(canvas.template)}")
    for block, items in enumerate(canvas.blocks):
        lines += ["", f"## {_block_label(block, template)}", "", _guidance(block, template), ""]
        for item in items:
            lines.append(f"- {item_label(item)}")
            if item.note:
                lines.extend(
                    (NOTE_INDENT + visible(line)).rstrip() for line in item.note.split("\n")
                )
    return "\n".join(lines) + "\n"


def _guidance(block: int, template: Template) -> str:
    """A block's question on one line, in parentheses (never taken for an item)."""
    spec = template.blocks[block] if block < len(template.blocks) else None
    question = " ".join(spec.question.split()) if spec is not None else ""
    return f"({visible(question or _block_label(block, template))})"
