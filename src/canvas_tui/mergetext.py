"""The three-way merge of a canvas file's text: `merge_files` takes the texts of the base,
ours and theirs and gives the merged text, what conflicted and what is worth knowing.

- The items merge item by item (`merge.merge`), under every block key any version has,
  whether or not the canvas's template knows it: a merge never drops items.
- Everything outside the items (comments, unknown keys and tables, key order, the end of
  the last line, line endings) merges three ways as git merges lines (merge3 on the lines
  of each version's skeleton, see `mergelayout`). Where both sides changed the same lines
  differently, ours's lines are kept, theirs's follow as comments (`THEIRS_LINE`), and it is
  a conflict: the file stays a canvas the app can open.
- The comment and blank lines above an item, and the comment after it, travel with the
  item and merge three ways too; comments inside a block are never dropped.
- The result is read back; a version that is not a canvas, or a result that does not read
  back as the merged canvas, gives `ok=False` (git's line merge with markers takes over).

Pure: texts in, text out.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import NamedTuple, TypeVar

from merge3 import Merge3

from canvas_tui.canvasfile import dump, item_value, schema_of, toml_string
from canvas_tui.merge import MergeResult, Trace, merge
from canvas_tui.mergelayout import (
    BLOCK_TOKEN,
    SCHEMA_TOKEN,
    TITLE_TOKEN,
    BlockLines,
    ItemLine,
    NotMergeable,
    SideFile,
    empty_side,
    key_text,
    normalized,
    read_lines,
    read_side,
)
from canvas_tui.mergemessages import (
    conflict_lines,
    lines_conflict,
    reorder_notes,
    unknown_key_notes,
)
from canvas_tui.model import Canvas, Item
from canvas_tui.template import Templates

THEIR_TITLE_COMMENT = "# canvas-tui merge: their title was "
THEIRS_LINE = "# canvas-tui merge, theirs: "

T = TypeVar("T")


class MergeOutcome(NamedTuple):
    """What `merge_files` gives: the merged `text` (when `ok`), one line per conflict (the
    exit status is 1 when there is any), and notes (what was kept that the reader should know
    about; not conflicts). `ok` False: the versions could not be merged item by item, and
    `conflicts` says why; the caller falls back to git's line merge with markers."""

    text: str
    conflicts: list[str]
    notes: list[str]
    ok: bool = True


def merge_files(
    base_text: str, ours_text: str, theirs_text: str, templates: Templates
) -> MergeOutcome:
    """Merge the changes from the base to ours and from the base to theirs (three canvas
    files' texts, decoded; an empty base: both sides added the file). `templates` name the
    blocks in messages and say which block keys are unknown; they never decide what is kept."""
    named = (("the common ancestor", base_text), ("ours", ours_text), ("theirs", theirs_text))
    try:
        ours = read_side(ours_text, templates, "ours", lines=False)
        theirs = read_side(theirs_text, templates, "theirs", lines=False)
        if base_text.strip():
            base = read_side(base_text, templates, "the common ancestor", lines=False)
        else:
            base = empty_side()
            base.template, base.eol, base.keys = ours.template, ours.eol, ours.keys
        sides = (base, ours, theirs)
        keys = list(dict.fromkeys([*ours.blocks, *theirs.blocks, *base.blocks]))
        result = merge(*(_canvas(side, keys) for side in sides))
        if ours.keys is not None and base.keys == ours.keys == theirs.keys:
            # Nothing but items, title and template in all three (the form canvas-tui
            # writes): the canonical text of the merged canvas, which reads back by
            # construction. Most merges, and the 9,000-item ones, end here.
            return _canonical_outcome(sides, result, templates)
        for side, (which, text) in zip(sides, named, strict=True):
            if text.strip():
                read_lines(side, normalized(text)[0], which)
    except NotMergeable as reason:
        return MergeOutcome("", [str(reason)], [], ok=False)
    writer = _Writer(keys, sides, result)
    text = writer.text()
    try:
        check = read_side(text, templates, "the merged text", lines=False)
    except NotMergeable as reason:
        return MergeOutcome(
            text, [f"the merge does not read back as a canvas: {reason}"], [], ok=False
        )
    merged = {key: items for key, items in zip(keys, result.canvas.blocks, strict=True) if items}
    if {key: items for key, items in check.blocks.items() if items} != merged:
        return MergeOutcome(
            text, ["the merge does not read back as the merged items"], [], ok=False
        )
    template = templates.for_canvas(check.template, check.blocks)
    conflicts = conflict_lines(result, keys, template) + writer.conflicts
    notes = [*reorder_notes(result, keys, template), *writer.notes]
    if template.installed:
        notes += unknown_key_notes(merged, template)
    return MergeOutcome(text, conflicts, notes)


def _canonical_outcome(
    sides: tuple[SideFile, SideFile, SideFile], result: MergeResult, templates: Templates
) -> MergeOutcome:
    base, ours, theirs = sides
    assert ours.keys is not None
    keys = list(ours.keys)
    lines = dump(result.canvas, ours.keys).split("\n")
    if result.theirs_title is not None:
        lines.insert(1, THEIR_TITLE_COMMENT + toml_string(result.theirs_title))
    eol, _ = _value3(base.eol, ours.eol, theirs.eol)
    template = templates.for_canvas(result.canvas.template, keys)
    conflicts = conflict_lines(result, keys, template)
    return MergeOutcome(eol.join(lines), conflicts, reorder_notes(result, keys, template))


def _canvas(side: SideFile, keys: Sequence[str]) -> Canvas:
    return Canvas(side.title, tuple(side.blocks.get(key, ()) for key in keys), side.template)


def _value3(base: T, ours: T, theirs: T) -> tuple[T, bool]:
    """A value three ways: the side that changed it; both differently: ours, and True."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


class _Writer:
    """The merged text, from the merged items and the three versions' lines."""

    def __init__(
        self, keys: list[str], sides: tuple[SideFile, SideFile, SideFile], result: MergeResult
    ) -> None:
        assert result.trace is not None
        self.keys, self.sides, self.result = keys, sides, result
        self.trace: Trace = result.trace
        self.conflicts: list[str] = []
        self.notes: list[str] = []
        self.canvases = [_canvas(side, keys) for side in sides]
        # where each identity is in each version: (block, index)
        self.where = [
            {
                ident: (block, index)
                for block, row in enumerate(ids)
                for index, ident in enumerate(row)
            }
            for ids in self.trace.ids
        ]
        self.orphans = self._orphan_comments()

    def text(self) -> str:
        base, ours, theirs = self.sides
        skeleton = self._merge_lines(base.skeleton, ours.skeleton, theirs.skeleton, "outside")
        lines: list[str] = []
        for line in self._with_every_block(skeleton):
            if line == TITLE_TOKEN:
                lines += self._title_lines()
            elif line == SCHEMA_TOKEN:
                lines.append(self._schema_line())
            elif line.startswith(BLOCK_TOKEN):
                lines += self._block_lines(self.keys.index(line[len(BLOCK_TOKEN) :]))
            else:
                lines.append(line)
        eol, _ = _value3(base.eol, ours.eol, theirs.eol)
        final, _ = _value3(base.final_newline, ours.final_newline, theirs.final_newline)
        return eol.join(lines) + (eol if final and lines else "")

    # -- outside the items --------------------------------------------------------------------

    def _with_every_block(self, skeleton: list[str]) -> list[str]:
        """The skeleton with each block's token once, and a token for every block that has
        items but lost its token (added on one side at a place the other changed)."""
        seen: set[str] = set()
        lines: list[str] = []
        last_block = None
        for line in skeleton:
            if line.startswith(BLOCK_TOKEN):
                if line in seen:
                    continue
                seen.add(line)
                last_block = len(lines)
            elif last_block is None and line.strip().replace(" ", "") == "[blocks]":
                last_block = len(lines)
            lines.append(line)
        title_lost = TITLE_TOKEN not in lines and any(
            side.title_line is not None for side in self.sides
        )
        if title_lost:  # both sides changed the lines around it: above the first table
            first_table = next(
                (n for n, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines)
            )
            lines.insert(first_table, TITLE_TOKEN)
            if last_block is not None and last_block >= first_table:
                last_block += 1
        missing = [
            BLOCK_TOKEN + key
            for key, items in zip(self.keys, self.result.canvas.blocks, strict=True)
            if items and BLOCK_TOKEN + key not in seen
        ]
        if not missing:
            return lines
        if last_block is None:
            lines.append("[blocks]")
            last_block = len(lines) - 1
        return [*lines[: last_block + 1], *missing, *lines[last_block + 1 :]]

    def _schema_line(self) -> str:
        """The schema line: as the sides changed it, and at least what the items need."""
        base, ours, theirs = self.sides
        schema, _ = _value3(base.schema, ours.schema, theirs.schema)
        schema = max(schema, schema_of(self.result.canvas))
        return next(
            (
                side.schema_line
                for side in (ours, theirs, base)
                if side.schema_line is not None and side.schema == schema
            ),
            f"schema = {schema}",
        )

    def _title_lines(self) -> list[str]:
        title = self.result.canvas.title
        line = next(
            (
                side.title_line
                for side in (self.sides[1], self.sides[2], self.sides[0])
                if side.title_line is not None and side.title == title
            ),
            f"title = {toml_string(title)}",
        )
        theirs = self.result.theirs_title
        return [line] if theirs is None else [THEIR_TITLE_COMMENT + toml_string(theirs), line]

    def _merge_lines(
        self, base: list[str], ours: list[str], theirs: list[str], where: str
    ) -> list[str]:
        """Lines merged three ways as git does; where both sides changed the same lines
        differently, ours's lines and then theirs's (as comments), and a conflict."""
        if ours == theirs or theirs == base:
            return ours
        if ours == base:
            return theirs
        merged: list[str] = []
        for region in Merge3(base, ours, theirs).merge_regions():
            if len(region) == 7:
                _, base_start, base_end, our_start, our_end, their_start, their_end = region
                mine, yours = ours[our_start:our_end], theirs[their_start:their_end]
                merged += self._conflicting_lines(base[base_start:base_end], mine, yours, where)
            elif region[0] == "unchanged":
                merged += base[region[1] : region[2]]
            elif region[0] in ("a", "same"):
                merged += ours[region[1] : region[2]]
            else:
                merged += theirs[region[1] : region[2]]
        return merged

    def _conflicting_lines(
        self, base: list[str], ours: list[str], theirs: list[str], where: str
    ) -> list[str]:
        """Two versions of a stretch both sides changed, compared line by line: the lines they
        share once (as git's zealous merge does); lines only one side has, kept if that side
        added them and dropped if the other deleted them; and where they differ otherwise,
        ours's lines, then theirs's as comments, and a conflict."""
        merged: list[str] = []
        before = set(base)
        matcher = SequenceMatcher(None, ours, theirs, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            mine, yours = ours[i1:i2], theirs[j1:j2]
            if tag == "equal":
                merged += mine
                continue
            if not yours or not mine:
                only = mine or yours
                significant = [line for line in only if line.strip()]
                if before.isdisjoint(significant):
                    merged += only  # added by the side that has them (or blank lines)
                    continue
                if before.issuperset(significant):
                    continue  # deleted by the side that does not have them
            merged += mine
            merged += [_as_comment(line) for line in yours if not _token(line) and line.strip()]
            if any(line.strip() and not _token(line) for line in (*mine, *yours)):
                self.conflicts.append(lines_conflict(where, mine, yours))
        return merged

    # -- blocks ------------------------------------------------------------------------------

    def _block_lines(self, block: int) -> list[str]:
        key = self.keys[block]
        base_layout = self.sides[0].layout.get(key)
        default = BlockLines(f"{key_text(key)} = [", "]", [], [])
        layouts = [side.layout.get(key) or base_layout or default for side in self.sides]
        where = f"blocks.{key}"
        header, clash = _value3(*(layout.header for layout in layouts))
        close, clash_close = _value3(*(layout.close for layout in layouts))
        if clash or clash_close:
            self.conflicts.append(
                f"{where}: both sides changed the first or last line of its array: kept ours"
            )
        base, ours, theirs = (layout.trail for layout in layouts)
        trail = self._merge_lines(base, ours, theirs, where)
        trail = trail + self.orphans.get(block, [])
        items = self._item_lines(block, where)
        merged = BlockLines(header, close, items, trail)
        written = self.sides[1].layout.get(key)
        if written is not None and merged.same_lines(written):
            return written.raw
        if not items and not trail and header == f"{key_text(key)} = [" and close == "]":
            return [f"{key_text(key)} = []"]
        lines = [header]
        for line in items:
            lines += line.lead
            lines.append(f"{line.indent}{line.value},{line.tail}")
        return [*lines, *trail, close]

    def _line(self, version: int, ident: str) -> tuple[ItemLine, Item] | None:
        found = self.where[version].get(ident)
        if found is None:
            return None
        block, index = found
        layout = self.sides[version].layout[self.keys[block]]
        return layout.items[index], self.canvases[version].blocks[block][index]

    def _item_lines(self, block: int, where: str) -> list[ItemLine]:
        lines: list[ItemLine] = []
        merged_items = self.result.canvas.blocks[block]
        for item, (ident, copy) in zip(merged_items, self.trace.sources[block], strict=True):
            base, ours, theirs = (self._line(version, ident) for version in range(3))
            if copy == 2:
                assert theirs is not None
                lines.append(ItemLine([], theirs[0].indent, item_value(item), theirs[0].tail))
                continue
            mine = ours[0] if ours is not None else None
            yours = theirs[0] if theirs is not None else None
            if mine is not None and yours is not None:
                old = base[0] if base is not None else ItemLine([], "", "", "")
                lead = self._merge_lines(old.lead, mine.lead, yours.lead, where)
                tail, clash = _value3(old.tail, mine.tail, yours.tail)
                if clash and copy == 0:
                    tail = f"{mine.tail}  {yours.tail.lstrip()}"
                    self.conflicts.append(
                        f"{where}: both sides changed the comment after an item: both kept"
                    )
            else:
                kept = mine or yours
                assert kept is not None
                lead, tail = kept.lead, kept.tail
            if copy == 1:
                assert mine is not None
                tail = mine.tail
            value = item_value(item)
            if copy == 0:
                if ours is not None and ours[1] == item:
                    value = ours[0].value
                elif theirs is not None and theirs[1] == item:
                    value = theirs[0].value
            indent = (mine or yours or ItemLine([], "    ", "", "")).indent
            lines.append(ItemLine(lead, indent, value, tail))
        return lines

    def _orphan_comments(self) -> dict[int, list[str]]:
        """Comment lines a side wrote or changed above an item the merge deleted (the other
        side deleted it): kept at the end of the block they were in, by block."""
        kept_ids = {ident for row in self.trace.sources for ident, _ in row}
        orphans: dict[int, list[str]] = {}
        for version in (1, 2):
            for ident in self.where[version]:
                if ident in kept_ids or ident not in self.where[0]:
                    continue
                now, before = self._line(version, ident), self._line(0, ident)
                assert now is not None and before is not None
                new = [line for line in now[0].lead if line.strip() and line not in before[0].lead]
                if new:
                    block = self.where[version][ident][0]
                    orphans.setdefault(block, []).extend(new)
                    self.notes.append(
                        f"blocks.{self.keys[block]}: a comment above an item deleted on the other"
                        " side is kept at the end of the block"
                    )
        return orphans


def _token(line: str) -> bool:
    return line in (TITLE_TOKEN, SCHEMA_TOKEN) or line.startswith(BLOCK_TOKEN)


def _as_comment(line: str) -> str:
    """One of theirs's lines kept beside ours's: comments as they are, others commented."""
    return line if line.lstrip().startswith("#") else THEIRS_LINE + line
