"""One block's items wrapped to a width, for the editor's canvas: laid out lazily, and reusing
the wrapped lines of items an edit did not touch.

Values in, values out (no terminal): `ui/canvasview.py` draws the lines this gives it.
"""

from __future__ import annotations

from collections.abc import Sequence

from canvas_tui.model import Item
from canvas_tui.render.wrap import Line, item_lines, wrap
from canvas_tui.safetext import visible
from canvas_tui.template import BlockSpec

EMPTY_HINT = "a adds an item · ? shows every key"
READ_ONLY_HINT = "read-only · ? shows every key"  # the empty block's hint when nothing can be added
NO_MATCH_HINT = "no match here · F shows every item"


class BlockLayout:
    """A block's items wrapped to a width, laid out lazily: only as far as the screen (or
    the cursor) needs, so opening a block of thousands of items wraps a screenful.

    Parallel lists, cheap for thousands of items: the pieces of each line, the item each
    line belongs to (-1: the guidance of an empty block), and each shown item's first line.
    `shown` is the items to lay out (all of them, unless a filter hides some).
    """

    CHUNK = 64  # items laid out at a time

    def __init__(
        self,
        spec: BlockSpec,
        items: tuple[Item, ...],
        width: int,
        shown: list[int] | None,
        previous: BlockLayout | None = None,
        *,
        hint: str = EMPTY_HINT,
    ) -> None:
        self.items, self.width = items, width
        # Each item's lines by the item's identity, taken over from the block's previous
        # layout at this width: an edit wraps again only the items it made. An entry holds
        # its item, so that the id cannot be another item's while the entry is there.
        self.by_item: dict[int, tuple[Item, tuple[Line, ...]]] = {}
        self.filtered = shown is not None
        self.shown: Sequence[int] = range(len(items)) if shown is None else shown
        self.lines: list[Line] = []
        self.owners: list[int] = []
        self.starts: dict[int, int] = {}  # item index -> its first line
        self._done = 0  # how many of `shown` are laid out
        if previous is not None and previous.width == width:
            # A copy at C speed; the entries of items gone are dropped now and then.
            self.by_item = previous.by_item.copy()
            if len(self.by_item) > 2 * len(items) + self.CHUNK:
                self._drop_items_gone()
            if not self.filtered and not previous.filtered:
                self._take_over_prefix(previous)
        if not self.shown:
            guide: list[Line] = []
            if not items:
                guide.extend(((line, ""),) for line in wrap(visible(spec.question), width) if line)
                for prompt in spec.prompts:
                    guide.extend(item_lines(Item(prompt), width))
                guide.append((("", ""),))
                guide.extend(((line, ""),) for line in wrap(hint, width))
            else:
                guide.extend(((line, ""),) for line in wrap(NO_MATCH_HINT, width))
            self.lines = guide
            self.owners = [-1] * len(guide)

    def _drop_items_gone(self) -> None:
        by_item = self.by_item
        kept = ((id(item), by_item.get(id(item))) for item in self.items)
        self.by_item = {key: entry for key, entry in kept if entry is not None}

    def _take_over_prefix(self, previous: BlockLayout) -> None:
        """Start with the previous layout's lines of the items before the first one that
        changed: an edit near the end of a long block lays out only what follows it, and
        costs (but for comparing the items, at C speed) only what follows it."""
        old, new = previous.items, self.items
        limit = min(previous._done, len(new))
        # Equal items have equal lines: compared at C speed, all at once (an edit at the end)
        # or a chunk at a time.
        same = limit if old[:limit] == new[:limit] else 0
        while same < limit:
            end = min(same + self.CHUNK, limit)
            if old[same:end] != new[same:end]:
                while old[same] == new[same]:
                    same += 1
                break
            same = end
        if not same:
            return
        end = previous.starts[same] if same < previous._done else len(previous.lines)
        self.lines = previous.lines[:end]
        self.owners = previous.owners[:end]
        if 2 * same >= previous._done:  # most is kept: copy, then drop what follows
            self.starts = previous.starts.copy()
            for index in range(same, previous._done):
                del self.starts[index]
        else:  # (map and zip over built-ins: a loop at C speed)
            starts = map(previous.starts.__getitem__, range(same))
            self.starts = dict(zip(range(same), starts))  # noqa: B905
        self._done = same

    @property
    def complete(self) -> bool:
        return self._done == len(self.shown)

    def _lay_out(self, count: int) -> None:
        """Lay out the shown items before position `count`."""
        lines, owners, starts, width = self.lines, self.owners, self.starts, self.width
        for position in range(self._done, min(count, len(self.shown))):
            index = self.shown[position]
            item = self.items[index]
            known = self.by_item.get(id(item))
            if known is not None and known[0] is item:
                item_line = known[1]
            else:
                item_line = item_lines(item, width)
                self.by_item[id(item)] = (item, item_line)
            starts[index] = len(lines)
            lines.extend(item_line)
            owners.extend([index] * len(item_line))
            self._done = position + 1

    def has_line(self, number: int) -> bool:
        while number >= len(self.lines) and not self.complete:
            self._lay_out(self._done + self.CHUNK)
        return 0 <= number < len(self.lines)

    def span(self, item: int) -> tuple[int, int] | None:
        """First line and line count of `item` (None if it is not shown)."""
        while item not in self.starts and not self.complete:
            self._lay_out(self._done + self.CHUNK)
        start = self.starts.get(item)
        if start is None:
            return None
        self.has_line(start + 1)
        end = start
        while end < len(self.owners) and self.owners[end] == item:
            end += 1
        return start, end - start

    @property
    def total(self) -> int:
        """How many lines the block has (estimated from what is laid out, until it all is)."""
        if self.complete or not self._done:
            return len(self.lines)
        return len(self.lines) * len(self.shown) // self._done
