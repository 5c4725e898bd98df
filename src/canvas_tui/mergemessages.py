"""What a merge of canvas files says: one line per conflict and per note, block names from
the template, item texts shortened and made safe to print (`safetext.visible`)."""

from __future__ import annotations

from canvas_tui.merge import MergeResult
from canvas_tui.model import Item
from canvas_tui.safetext import visible
from canvas_tui.template import Template

LABEL_LENGTH = 60


def lines_conflict(where: str, ours: list[str], theirs: list[str]) -> str:
    """Both sides changed the same lines (`where`: "outside" the items, or a block)."""

    def show(lines: list[str]) -> str:
        shown = " / ".join(line.strip() for line in lines if line.strip() and "\0" not in line)
        return repr(_short(shown or "(nothing)"))

    place = "outside the items" if where == "outside" else f"in {where}"
    return (
        f"both sides changed the same lines {place}: kept ours ({show(ours)}); theirs"
        f" ({show(theirs)}) follows in comments"
    )


def _short(text: str) -> str:
    text = visible(text)
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _label(key: str, template: Template) -> str:
    for spec in template.blocks:
        if spec.key == key:
            return visible(spec.label)
    return f"blocks.{visible(key)}"


def conflict_lines(result: MergeResult, keys: list[str], template: Template) -> list[str]:
    lines = []
    if result.theirs_title is not None:
        lines.append(
            f"conflict in the title: kept ours ({_short(result.canvas.title)!r}); theirs"
            f" ({_short(result.theirs_title)!r}) is in a comment above it"
        )
    for conflict in result.conflicts:
        where = _label(keys[conflict.block], template)
        if conflict.ours is not None and conflict.theirs is not None:
            lines.append(
                f"conflict in {where}: both sides changed an item: kept"
                f" '{_short(conflict.ours.text)}' and '{_short(conflict.theirs.text)}',"
                " tagged #conflict"
            )
        else:
            kept = conflict.ours or conflict.theirs
            assert kept is not None
            side = "theirs" if conflict.ours is not None else "ours"
            lines.append(
                f"conflict in {where}: '{_short(kept.text)}' was deleted in {side} but changed"
                " in the other: kept, tagged #conflict"
            )
    return lines


def reorder_notes(result: MergeResult, keys: list[str], template: Template) -> list[str]:
    return [
        f"{_label(keys[block], template)}: both sides reordered the same items differently:"
        " kept our order"
        for block in result.reordered
    ]


def unknown_key_notes(merged: dict[str, tuple[Item, ...]], template: Template) -> list[str]:
    known = set(template.keys)
    return [
        f"blocks.{visible(key)}: {len(items)} item{'s' if len(items) != 1 else ''} under a"
        f" block the template {visible(template.id)!r} does not have: kept"
        for key, items in merged.items()
        if key not in known
    ]
