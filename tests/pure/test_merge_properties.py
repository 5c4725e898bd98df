"""Two clones of one canvas edited concurrently, merged, and merged again (a hypothesis state
machine over `mergetext.merge_files`, the merge git's driver runs): after every merge, what
either side added or changed is there, a reorder on one side survives the other's unrelated
changes, no comment or other line of either side is lost, and the result parses.

Examples: the `merge-machine` settings below (CANVAS_TUI_MERGE_EXAMPLES raises them for a
long run by hand).
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import tomllib

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from canvas_tui import canvasfile
from canvas_tui.canvasfile.read import block_items
from canvas_tui.merge import CONFLICT_TAG
from canvas_tui.mergetext import MergeOutcome, merge_files
from canvas_tui.model import STATUSES, Item
from canvas_tui.template import built_in_templates

TEMPLATES = built_in_templates()
KEYS = TEMPLATES.default.keys
UNKNOWN = "risks"  # a block key the template does not know
USED = (KEYS[0], KEYS[1], KEYS[3], UNKNOWN)
WORDS = (
    "harbour", "pyramid", "quokka", "zeppelin", "bicycle", "tundra", "walnuts", "jukebox",
    "oxygen", "vortex", "lemonade", "glyph", "cobweb", "fjords",
)  # fmt: skip

settings.register_profile(
    "merge-machine",
    max_examples=int(os.environ.get("CANVAS_TUI_MERGE_EXAMPLES", "100")),
    stateful_step_count=25,
    deadline=None,
)


@dataclasses.dataclass
class Entry:
    ident: int
    item: Item
    comments: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Doc:
    """A canvas file as the machine edits it: comments at the top, blocks of items (each
    with the comment lines above it), comment lines at the end of blocks, a [meta] table."""

    top: list[str]
    blocks: dict[str, list[Entry]]
    trails: dict[str, list[str]]
    meta: list[str]

    def copy(self) -> Doc:
        return Doc(
            list(self.top),
            {
                k: [dataclasses.replace(e, comments=list(e.comments)) for e in v]
                for k, v in self.blocks.items()
            },
            {k: list(v) for k, v in self.trails.items()},
            list(self.meta),
        )

    def entries(self) -> list[tuple[str, Entry]]:
        return [(key, entry) for key, entries in self.blocks.items() for entry in entries]

    def find(self, ident: int) -> tuple[str, Entry] | None:
        return next(((k, e) for k, e in self.entries() if e.ident == ident), None)

    def text(self) -> str:
        plain = all(e.item.plain for _, e in self.entries())
        lines = [*self.top, f"schema = {1 if plain else 2}", 'title = "Plan"', "", "[blocks]"]
        for key in [*KEYS, *(k for k in self.blocks if k not in KEYS)]:
            entries, trail = self.blocks.get(key, []), self.trails.get(key, [])
            if not entries and not trail:
                lines.append(f"{key} = []")
                continue
            lines.append(f"{key} = [")
            for entry in entries:
                lines += entry.comments
                lines.append(f"    {canvasfile.item_value(entry.item)},")
            lines += [*trail, "]"]
        return "\n".join([*lines, "", "[meta]", *self.meta]) + "\n"


def read_doc(text: str, counter: itertools.count[int]) -> Doc:
    """A merged text read back into a Doc (fresh identities)."""
    doc = Doc([], {}, {}, [])
    section, key, pending = "top", "", []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if section == "top":
            if stripped == "[blocks]":
                section = "blocks"
            elif stripped.startswith("#"):
                doc.top.append(line)
        elif section == "meta":
            if stripped:
                doc.meta.append(line)
        elif stripped == "[meta]":
            section = "meta"
        elif key:
            if stripped == "]":
                doc.trails[key], key, pending = pending, "", []
            elif stripped.startswith("#") or not stripped:
                pending.append(line)
            else:
                value = tomllib.loads(f"v = {stripped.removesuffix(',')}")["v"]
                item = block_items(key, [value])[0]
                doc.blocks[key].append(Entry(next(counter), item, pending))
                pending = []
        elif stripped.endswith("= []"):
            doc.blocks[stripped.split(" ")[0]] = []
        elif stripped.endswith("= ["):
            key = stripped.split(" ")[0]
            doc.blocks[key] = []
    return doc


def _tagged(item: Item) -> bool:
    return CONFLICT_TAG in item.tags


class TwoClones(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.counter = itertools.count(1)
        self.base = Doc([], {}, {}, [])
        self.sides: dict[str, Doc] = {}
        self.added_lines: dict[str, set[str]] = {"o": set(), "t": set()}
        self.outcome: MergeOutcome | None = None

    @initialize(
        words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8, unique=True),
        data=st.data(),
    )
    def start(self, words: list[str], data: st.DataObject) -> None:
        blocks: dict[str, list[Entry]] = {key: [] for key in USED[:3]}
        for word in words:
            blocks[data.draw(st.sampled_from(USED[:3]))].append(
                Entry(next(self.counter), Item(word))
            )
        self.base = Doc(["# Our plan"], blocks, {}, ["reviewed = false"])
        self.sides = {"o": self.base.copy(), "t": self.base.copy()}

    def _pick(self, side: str, data: st.DataObject) -> tuple[str, Entry] | None:
        entries = self.sides[side].entries()
        return data.draw(st.sampled_from(entries)) if entries else None

    def _n(self) -> int:
        return next(self.counter)

    sides_ = st.sampled_from(("o", "t"))

    @rule(side=sides_, data=st.data())
    def add(self, side: str, data: st.DataObject) -> None:
        doc = self.sides[side]
        key = data.draw(st.sampled_from(USED))
        entries = doc.blocks.setdefault(key, [])
        entry = Entry(self._n(), Item(f"NEW{self._n()}{side.upper()}"))
        entries.insert(data.draw(st.integers(0, len(entries))), entry)

    @rule(side=sides_, data=st.data())
    def remove(self, side: str, data: st.DataObject) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            key, entry = picked
            self.sides[side].blocks[key].remove(entry)
            self.added_lines[side].difference_update(entry.comments)

    @rule(side=sides_, data=st.data())
    def edit(self, side: str, data: st.DataObject) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            picked[1].item = picked[1].item.with_text(f"{picked[1].item.text} ed{self._n()}{side}")

    @rule(side=sides_, data=st.data())
    def move_within(self, side: str, data: st.DataObject) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            entries = self.sides[side].blocks[picked[0]]
            entries.remove(picked[1])
            entries.insert(data.draw(st.integers(0, len(entries))), picked[1])

    @rule(side=sides_, data=st.data())
    def move_to_block(self, side: str, data: st.DataObject) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            doc = self.sides[side]
            doc.blocks[picked[0]].remove(picked[1])
            doc.blocks.setdefault(data.draw(st.sampled_from(USED)), []).append(picked[1])

    @rule(side=sides_, data=st.data())
    def reorder(self, side: str, data: st.DataObject) -> None:
        doc = self.sides[side]
        key = data.draw(st.sampled_from(sorted(doc.blocks)))
        doc.blocks[key].reverse()

    @rule(side=sides_, data=st.data(), status=st.sampled_from((None, *STATUSES)))
    def set_status(self, side: str, data: st.DataObject, status: str | None) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            picked[1].item = dataclasses.replace(picked[1].item, status=status)

    @rule(side=sides_, data=st.data(), tag=st.sampled_from(("red", "blue")))
    def add_tag(self, side: str, data: st.DataObject, tag: str) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            item = picked[1].item
            picked[1].item = dataclasses.replace(item, tags=tuple(dict.fromkeys((*item.tags, tag))))

    @rule(side=sides_, data=st.data())
    def set_note(self, side: str, data: st.DataObject) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            picked[1].item = dataclasses.replace(picked[1].item, note=f"note {self._n()}\nmore")

    @rule(side=sides_, data=st.data())
    def comment_above(self, side: str, data: st.DataObject) -> None:
        picked = self._pick(side, data)
        if picked is not None:
            line = f"    # about c{self._n()}{side}"
            picked[1].comments.append(line)
            self.added_lines[side].add(line)

    @rule(side=sides_)
    def top_comment(self, side: str) -> None:
        line = f"# top c{self._n()}{side}"
        self.sides[side].top.append(line)
        self.added_lines[side].add(line)

    @rule(side=sides_)
    def meta_key(self, side: str) -> None:
        line = f"k{self._n()}{side} = 1"
        self.sides[side].meta.append(line)
        self.added_lines[side].add(line)

    @rule()
    def merge(self) -> None:
        base, ours, theirs = self.base, self.sides["o"], self.sides["t"]
        outcome = merge_files(base.text(), ours.text(), theirs.text(), TEMPLATES)
        self.outcome = outcome
        assert outcome.ok, outcome.conflicts  # these versions are canvases: always merged
        merged = canvasfile.parse(outcome.text, TEMPLATES).canvas  # it parses
        assert merged.title == "Plan"
        got = read_doc(outcome.text, self.counter)
        items = [entry.item for _, entry in got.entries()]
        self._check_items(items, outcome)
        self._check_reorders(got)
        for side in ("o", "t"):
            for line in self.added_lines[side]:
                assert line.strip() in outcome.text, (line, outcome.text)
        self.base = got
        self.sides = {"o": got.copy(), "t": got.copy()}
        self.added_lines = {"o": set(), "t": set()}

    def _expected_text(self, ident: int, side: str) -> str | None:
        """The text the merge must hold for an item `side` added or changed (None: deleted
        on the other side, or changed on both: nothing to check)."""
        other = "t" if side == "o" else "o"
        mine, yours, old = (
            self.sides[side].find(ident),
            self.sides[other].find(ident),
            self.base.find(ident),
        )
        assert mine is not None
        if old is None:
            return mine[1].item.text
        if yours is None or (old[1].item == mine[1].item and old[0] == mine[0]):
            return None
        texts = old[1].item.text, mine[1].item.text, yours[1].item.text
        if texts[1] != texts[0] and texts[2] != texts[0] and texts[1] != texts[2]:
            return None
        return texts[1] if texts[1] != texts[0] else texts[2]

    def _check_items(self, items: list[Item], outcome: MergeOutcome) -> None:
        for side in ("o", "t"):
            for _, entry in self.sides[side].entries():
                text = self._expected_text(entry.ident, side)
                if text is None:
                    continue
                found = [item for item in items if item.text == text]
                assert found, (text, outcome.text)
                assert len(found) == 1 or all(map(_tagged, found)), (text, outcome.text)
        before = {
            item.text
            for doc in (self.base, *self.sides.values())
            for _, entry in doc.entries()
            for item in (entry.item,)
            if _tagged(item)
        }
        if any(_tagged(item) and item.text not in before for item in items):
            assert outcome.conflicts  # a new conflict in the file is reported

    def _check_reorders(self, got: Doc) -> None:
        """A block one side reordered, whose base items the other side left in base order,
        keeps the first side's order of the items both have."""
        for side, other in (("o", "t"), ("t", "o")):
            for key, entries in self.sides[side].blocks.items():
                base_ids = [e.ident for e in self.base.blocks.get(key, [])]
                mine = [e.ident for e in entries if e.ident in base_ids]
                theirs = [
                    e.ident for e in self.sides[other].blocks.get(key, []) if e.ident in base_ids
                ]
                if mine == [i for i in base_ids if i in mine]:
                    continue  # not reordered
                if theirs != [i for i in base_ids if i in theirs]:
                    continue  # reordered on both sides
                expected = []
                for ident in (e.ident for e in entries):
                    text = self._expected_text(ident, side)
                    found = self.sides[side].find(ident)
                    assert found is not None
                    expected.append(text if text is not None else found[1].item.text)
                merged = [e.item.text for e in got.blocks.get(key, []) if not _tagged(e.item)]
                kept = [text for text in expected if text in merged]
                assert kept == [text for text in merged if text in kept], (key, kept, merged)

    @invariant()
    def conflicts_are_reported(self) -> None:
        if self.outcome is not None and not self.outcome.ok:
            assert self.outcome.conflicts


TwoClones.TestCase.settings = settings.get_profile("merge-machine")
test_two_clones_merge = TwoClones.TestCase
