"""The arrow-key neighbours of a template's blocks, derived from their places on the grid.

`derive_neighbours` picks, for each block and direction, the nearest block on that side, then
repairs the table so that the arrows can reach every block from every other. A new template
therefore needs no hand-written neighbour table.
"""

from __future__ import annotations

from canvas_tui.template.place import DIRECTIONS, Direction, Place

Neighbours = tuple[int | None, int | None, int | None, int | None]  # left, right, up, down


def derive_neighbours(places: list[Place]) -> list[Neighbours]:
    """For each place, the nearest other place to its left, right, top and bottom.

    A candidate lies wholly on that side. Places that share part of the edge's span come
    first (the one sharing most, then the one whose middle is nearest, then the top or left
    one); failing those, the nearest place on that side by the distance of the middles.

    Nearest-first alone can leave a block that is nobody's nearest (a block in the middle of
    four corner blocks), so the arrows could never reach it: `_connect` then repairs the
    table so that every block can be reached from every other.
    """
    table = [
        [_nearest(places, index, direction) for direction in DIRECTIONS]
        for index in range(len(places))
    ]
    _connect(places, table)
    return [(left, right, up, down) for left, right, up, down in table]


def _connect(places: list[Place], table: list[list[int | None]]) -> None:
    """Make the arrows reach every block from every other, changing as little as possible.

    Blocks are walked in number order; while the table is not strongly connected, block i
    gets an arrow to block i + 1 (and the last to the first) unless it has one: in a
    direction where that block lies (any two places that do not overlap lie on some side of
    each other), the one it lies furthest along. Each step only changes block i's own arrows,
    so once every block has been walked the blocks form a cycle. A table that is connected
    already (every shipped template) is left as it is.
    """
    count = len(places)
    for index in range(count):
        if _strongly_connected(table):
            return
        target = (index + 1) % count
        if target == index or target in table[index]:
            continue
        me, other = places[index], places[target]
        sides = [d for d in DIRECTIONS if _beyond(me, other, d)]
        side = max(sides, key=lambda d: _gap(me, other, d))
        table[index][DIRECTIONS.index(side)] = target


def _strongly_connected(table: list[list[int | None]]) -> bool:
    def reached(edges: list[list[int]]) -> int:
        seen, todo = {0}, [0]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return len(seen)

    forward: list[list[int]] = [[n for n in row if n is not None] for row in table]
    backward: list[list[int]] = [[] for _ in table]
    for index, row in enumerate(forward):
        for nxt in row:
            backward[nxt].append(index)
    return reached(forward) == len(table) == reached(backward)


def _gap(me: Place, other: Place, direction: Direction) -> int:
    """How far `other` lies beyond `me` in `direction`, in grid cells."""
    if direction == "right":
        return other.column - me.right
    if direction == "left":
        return me.column - other.right
    if direction == "down":
        return other.row - me.bottom
    return me.row - other.bottom


def _nearest(places: list[Place], index: int, direction: Direction) -> int | None:
    me = places[index]
    across = direction in ("left", "right")
    best: tuple[tuple[float, ...], int] | None = None
    for other_index, other in enumerate(places):
        if other_index == index or not _beyond(me, other, direction):
            continue
        if across:
            gap = other.column - me.right if direction == "right" else me.column - other.right
            shared = min(me.bottom, other.bottom) - max(me.row, other.row)
            offset = abs((other.row + other.bottom) - (me.row + me.bottom)) / 2
            order = (other.row, other.column)
        else:
            gap = other.row - me.bottom if direction == "down" else me.row - other.bottom
            shared = min(me.right, other.right) - max(me.column, other.column)
            offset = abs((other.column + other.right) - (me.column + me.right)) / 2
            order = (other.column, other.row)
        if shared > 0:
            key: tuple[float, ...] = (0, gap, -shared, offset, *order)
        else:
            distance = _middle_distance(me, other)
            key = (1, distance, *order)
        if best is None or key < best[0]:
            best = (key, other_index)
    return None if best is None else best[1]


def _beyond(me: Place, other: Place, direction: Direction) -> bool:
    if direction == "right":
        return other.column >= me.right
    if direction == "left":
        return other.right <= me.column
    if direction == "down":
        return other.row >= me.bottom
    return other.bottom <= me.row


def _middle_distance(a: Place, b: Place) -> float:
    dx = (a.column + a.right - b.column - b.right) / 2
    dy = (a.row + a.bottom - b.row - b.bottom) / 2
    return float(dx * dx + dy * dy)
