"""Templates as data: the shipped templates, every rule of the template loader, user
templates beside the config file, stand-ins for missing templates, finding blocks, and the
arrow-key neighbours derived from the places."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from canvas_tui.template import (
    DEFAULT_TEMPLATE,
    DIRECTIONS,
    Direction,
    Neighbours,
    Place,
    Template,
    TemplateError,
    Templates,
    built_in_templates,
    default_template,
    derive_neighbours,
    load_templates,
    parse_template,
    stand_in,
)

TECH = built_in_templates().get("tech-bmc")
LEAN = built_in_templates().get("lean")
assert TECH is not None
assert LEAN is not None

# Block indexes (0-based) of the Tech Business Model Canvas.
KP, KA, KR, VP, CR, CH, CS, COST, REV = range(9)

# The Tech Business Model Canvas: key, title, short label, question and prompts of each block,
# written out here so that a change to the shipped file is a deliberate one.
TECH_BLOCKS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "key_partners",
        "Key Partners",
        "KP",
        "List the external organizations critical to your operational success:",
        [
            "Cloud service providers (e.g., AWS, GCP, Azure)",
            "API or AI model providers",
            "Payment gateways",
            "Security, monitoring, and compliance services",
            "Technology integrators or solution partners",
        ],
    ),
    (
        "key_activities",
        "Key Activities",
        "KA",
        "Describe the core actions required to deliver your tech product:",
        [
            "Product development (software, AI models, automation)",
            "Platform maintenance & infrastructure management",
            "Data processing, analytics, and quality assurance",
            "User onboarding & customer support",
            "Marketing and growth activities",
        ],
    ),
    (
        "key_resources",
        "Key Resources",
        "KR",
        "Identify essential assets that power your business:",
        [
            "Core technology (codebase, AI models, IP)",
            "Cloud infrastructure & APIs",
            "Databases and data pipelines",
            "Engineering, product, and design teams",
            "Budget and financial runway",
        ],
    ),
    (
        "value_proposition",
        "Value Proposition",
        "VP",
        "Explain what unique value your tech product offers:",
        [
            "Personalized or automated digital experiences",
            "Cost-saving or efficiency improvements",
            "High reliability, accuracy, or performance",
            "Scalability and fast deployment",
            "Seamless user experience and integrations",
        ],
    ),
    (
        "customer_relationships",
        "Customer Relationships",
        "CR",
        "How you interact with and retain customers:",
        [
            "Self-service platform with guided onboarding",
            "Personalized support (chat, email, automated assistants)",
            "Community or forum-based support",
            "Regular updates, feature drops, and loyalty programs",
        ],
    ),
    (
        "channels",
        "Channels",
        "CH",
        "Where customers discover and interact with your product:",
        [
            "Company website and web app",
            "Mobile app (optional)",
            "Social media & digital marketing",
            "Email campaigns & newsletters",
            "Tech events, webinars, and partnerships",
        ],
    ),
    (
        "customer_segments",
        "Customer Segments",
        "CS",
        "Who you are building for:",
        [
            "B2C users (students, parents, hobbyists)",
            "B2B clients (teachers, schools, SMEs, enterprises)",
            "Niche or industry-specific user segments",
            "Geographic focus segments",
        ],
    ),
    (
        "cost_structure",
        "Cost Structure",
        "C$",
        "Your major technology and operational expenses:",
        [
            "Cloud hosting and compute",
            "API usage (AI models, authentication, etc.)",
            "Database and storage",
            "Engineering salaries or contractors",
            "Security, monitoring, and third-party SaaS tools",
            "Sales, marketing, and customer support costs",
        ],
    ),
    (
        "revenue_streams",
        "Revenue Streams",
        "R$",
        "How your tech business makes money:",
        [
            "Subscription tiers (monthly/annual)",
            "Usage-based or credit-based billing",
            "Freemium → paid conversion model",
            "Enterprise licensing",
            "Add-ons or premium features",
        ],
    ),
]

# The classic canvas on a 3 x 10 grid: (row, column, rows, columns) of each block.
#   +------+------+------+------+------+
#   |  1   |  2   |      |  5   |      |
#   |  KP  |  KA  |  4   |  CR  |  7   |
#   |      +------+  VP  +------+  CS  |
#   |      |  3   |      |  6   |      |
#   |      |  KR  |      |  CH  |      |
#   +------+------+------+------+------+
#   |      8 Cost     |   9 Revenue    |
#   +-----------------+----------------+
CLASSIC_PLACES = [
    Place(0, 0, 2, 2),
    Place(0, 2, 1, 2),
    Place(1, 2, 1, 2),
    Place(0, 4, 2, 2),
    Place(0, 6, 1, 2),
    Place(1, 6, 1, 2),
    Place(0, 8, 2, 2),
    Place(2, 0, 1, 5),
    Place(2, 5, 1, 5),
]

# The neighbours of the classic canvas, by block number (None: the edge of the canvas).
CLASSIC_NEIGHBOURS: dict[int, dict[Direction, int | None]] = {
    1: {"left": None, "right": 2, "up": None, "down": 8},
    2: {"left": 1, "right": 4, "up": None, "down": 3},
    3: {"left": 1, "right": 4, "up": 2, "down": 8},
    4: {"left": 2, "right": 5, "up": None, "down": 8},
    5: {"left": 4, "right": 7, "up": None, "down": 6},
    6: {"left": 4, "right": 7, "up": 5, "down": 9},
    7: {"left": 5, "right": None, "up": None, "down": 9},
    8: {"left": None, "right": 9, "up": 3, "down": None},
    9: {"left": 8, "right": None, "up": 6, "down": None},
}


# -- writing template files in tests -------------------------------------------------------


def block(
    key: str,
    row: int = 0,
    column: int = 0,
    rows: int = 1,
    columns: int = 1,
    *,
    title: str | None = None,
    short: str | None = None,
    extra: str = "",
    place_extra: str = "",
) -> str:
    """One `[[blocks]]` table."""
    lines = ["[[blocks]]", f'key = "{key}"', f'title = "{title or key.title()}"']
    if short is not None:
        lines.append(f'short = "{short}"')
    lines.append(
        f"place = {{ row = {row}, column = {column}, rows = {rows}, columns = {columns}"
        f"{place_extra} }}"
    )
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def template_text(
    *blocks: str,
    rows: int = 1,
    columns: int = 3,
    template_id: str = "mine",
    head: str = "",
    grid_extra: str = "",
) -> str:
    """A template file with the given blocks (by default on a 1 x 3 grid)."""
    top = f'id = "{template_id}"\ntitle = "My canvas"\n{head}'
    grid = f"grid = {{ rows = {rows}, columns = {columns}{grid_extra} }}\n"
    return top + grid + "".join("\n" + text for text in blocks)


def three() -> list[str]:
    return [block("first", 0, 0), block("second", 0, 1), block("third", 0, 2)]


def refused(text: str, *fragments: str) -> str:
    with pytest.raises(TemplateError) as caught:
        parse_template(text)
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def reachable(neighbours: Sequence[Neighbours], start: int) -> set[int]:
    """The blocks the arrow keys lead to from block `start` (indexes)."""
    seen, todo = {start}, [start]
    while todo:
        for there in neighbours[todo.pop()]:
            if there is not None and there not in seen:
                seen.add(there)
                todo.append(there)
    return seen


def assert_strongly_connected(neighbours: Sequence[Neighbours], places: object = None) -> None:
    everything = set(range(len(neighbours)))
    for start in everything:
        assert reachable(neighbours, start) == everything, (start, places, neighbours)


# -- the shipped templates -----------------------------------------------------------------


def test_the_shipped_templates_default_first() -> None:
    shipped = built_in_templates()
    assert [template.id for template in shipped] == ["tech-bmc", "lean"]
    assert DEFAULT_TEMPLATE == "tech-bmc"
    assert shipped.default is TECH
    assert default_template() is TECH
    assert shipped.broken == ()
    for template in shipped:
        assert template.source == "built-in"
        assert template.installed


def test_tech_bmc_carries_the_canvas_questions_and_prompts_exactly() -> None:
    assert TECH.title == "Tech Business Model Canvas"
    actual = [
        (spec.key, spec.title, spec.short, spec.question, list(spec.prompts))
        for spec in TECH.blocks
    ]
    assert actual == TECH_BLOCKS
    assert [spec.number for spec in TECH.blocks] == list(range(1, 10))
    assert [spec.index for spec in TECH.blocks] == list(range(9))
    assert TECH.blocks[3].label == "4 Value Proposition"
    assert TECH.keys == tuple(key for key, *_ in TECH_BLOCKS)
    assert len(TECH) == 9


def test_tech_bmc_is_the_classic_canvas() -> None:
    assert (TECH.rows, TECH.columns) == (3, 10)
    assert [spec.place for spec in TECH.blocks] == CLASSIC_PLACES
    assert TECH.row_heights == (2, 2, 1)
    assert "Business Model Canvas" in TECH.attribution


def test_lean_canvas_blocks_layout_and_attribution() -> None:
    assert LEAN.title == "Lean Canvas"
    assert [spec.title for spec in LEAN.blocks] == [
        "Problem",
        "Solution",
        "Key Metrics",
        "Unique Value Proposition",
        "Unfair Advantage",
        "Channels",
        "Customer Segments",
        "Cost Structure",
        "Revenue Streams",
    ]
    assert LEAN.keys[:4] == ("problem", "solution", "key_metrics", "unique_value_proposition")
    # Its usual layout: the classic canvas's geometry, with its own blocks.
    assert [spec.place for spec in LEAN.blocks] == CLASSIC_PLACES
    assert "Lean Canvas" in LEAN.attribution
    assert "CC BY-SA" in LEAN.attribution
    assert all(spec.question for spec in LEAN.blocks)
    assert len({spec.short.casefold() for spec in LEAN.blocks}) == 9


@pytest.mark.parametrize("template", [TECH, LEAN], ids=lambda template: template.id)
def test_shipped_places_lie_inside_the_grid_and_never_overlap(template: Template) -> None:
    places = [spec.place for spec in template.blocks]
    for index, place in enumerate(places):
        assert place.row >= 0
        assert place.column >= 0
        assert place.bottom <= template.rows
        assert place.right <= template.columns
        assert not any(place.overlaps(other) for other in places[:index])
    covered = sum(place.rows * place.columns for place in places)
    assert covered == template.rows * template.columns  # the canvas has no holes


# -- neighbours ----------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 10))
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_tech_bmc_neighbours_are_the_classic_table(number: int, direction: Direction) -> None:
    found = TECH.neighbour(number - 1, direction)
    expected = CLASSIC_NEIGHBOURS[number][direction]
    assert (None if found is None else found + 1) == expected


def test_derived_neighbours_of_the_classic_places() -> None:
    """The table comes from the places alone."""
    derived = derive_neighbours(CLASSIC_PLACES)
    expected = [
        tuple(None if (n := CLASSIC_NEIGHBOURS[number][d]) is None else n - 1 for d in DIRECTIONS)
        for number in range(1, 10)
    ]
    assert derived == expected


@pytest.mark.parametrize("index", range(9))
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_tech_bmc_neighbour_touches_the_block_on_that_side(
    index: int, direction: Direction
) -> None:
    """Each neighbour touches the block on that side; None only at the canvas edge."""
    place = TECH.blocks[index].place

    def rows(i: int) -> set[int]:
        other = TECH.blocks[i].place
        return set(range(other.row, other.bottom))

    def columns(i: int) -> set[int]:
        other = TECH.blocks[i].place
        return set(range(other.column, other.right))

    if direction in ("left", "right"):
        edge = place.column - 1 if direction == "left" else place.right
        touching = [o for o in range(9) if edge in columns(o) and rows(o) & rows(index)]
    else:
        edge = place.row - 1 if direction == "up" else place.bottom
        touching = [o for o in range(9) if edge in rows(o) and columns(o) & columns(index)]
    target = TECH.neighbour(index, direction)
    if target is None:
        assert touching == []
    else:
        assert target in touching


def test_lean_neighbours_follow_its_places() -> None:
    def number(ref: str) -> int:
        spec = LEAN.find_block(ref)
        assert spec is not None
        return spec.index

    assert LEAN.neighbour(number("problem"), "right") == number("solution")
    assert LEAN.neighbour(number("solution"), "down") == number("key_metrics")
    assert LEAN.neighbour(number("key_metrics"), "down") == number("cost_structure")
    assert LEAN.neighbour(number("channels"), "down") == number("revenue_streams")
    assert LEAN.neighbour(number("customer_segments"), "right") is None


def test_neighbours_need_no_hand_written_table() -> None:
    """A template file has places only; its arrows come out of them."""
    template = parse_template(
        template_text(
            block("top", 0, 0, 1, 2),
            block("bottom_left", 1, 0, short="BL"),
            block("bottom_right", 1, 1, short="BR"),
            rows=2,
            columns=2,
        )
    )
    assert template.neighbour(0, "down") == 1  # shares most, then the left one
    assert template.neighbour(1, "up") == 0
    assert template.neighbour(2, "up") == 0
    assert template.neighbour(1, "right") == 2
    assert template.neighbour(2, "left") == 1
    assert template.neighbour(0, "left") is None


def test_a_block_in_the_middle_of_four_corners_is_reachable() -> None:
    """Nobody's nearest block: the arrows still lead to it."""
    template = parse_template(
        template_text(
            block("a", 0, 0),
            block("middle", 1, 1),
            block("c", 2, 0),
            block("d", 2, 2),
            block("e", 0, 2),
            rows=3,
            columns=3,
        )
    )
    assert_strongly_connected(template.neighbours)


@pytest.mark.parametrize(("rows", "columns"), [(3, 3), (3, 4), (4, 3)])
def test_every_layout_of_single_cells_is_reachable(rows: int, columns: int) -> None:
    """All 1 to 9 blocks of one cell on small grids, every way (8,543 layouts): the ones
    where a block is nobody's nearest are rare, so they are all tried."""
    cells = [Place(row, column) for row in range(rows) for column in range(columns)]
    for count in range(1, 10):
        for places in itertools.combinations(cells, count):
            assert_strongly_connected(derive_neighbours(list(places)), places)


# Random valid grids: up to 9 non-overlapping places, with holes between them.
@st.composite
def grids(draw: st.DrawFn) -> tuple[int, int, list[Place]]:
    rows = draw(st.integers(1, 5))
    columns = draw(st.integers(1, 6))
    wanted = draw(st.integers(1, 9))
    places: list[Place] = []
    for _ in range(wanted * 3):
        if len(places) == wanted:
            break
        row = draw(st.integers(0, rows - 1))
        column = draw(st.integers(0, columns - 1))
        place = Place(
            row, column, draw(st.integers(1, rows - row)), draw(st.integers(1, columns - column))
        )
        if not any(place.overlaps(other) for other in places):
            places.append(place)
    return rows, columns, places


def grid_text(rows: int, columns: int, places: Iterable[Place]) -> str:
    blocks = [
        block(f"b{n}", p.row, p.column, p.rows, p.columns, short=f"B{n}")
        for n, p in enumerate(places, 1)
    ]
    return template_text(*blocks, rows=rows, columns=columns)


X_PATTERN = [Place(0, 0), Place(1, 1), Place(2, 0), Place(2, 2), Place(0, 2)]
TALL_BLOCKS = [
    Place(0, 0),
    Place(0, 3),
    Place(1, 3, 2, 1),
    Place(2, 0),
    Place(0, 2),
    Place(1, 1),
    Place(2, 2),
]


@settings(max_examples=300, deadline=None)
@given(grid=grids())
@example(grid=(3, 3, X_PATTERN))
@example(grid=(3, 4, TALL_BLOCKS))
def test_every_block_is_reachable_from_every_other_by_the_arrow_keys(
    grid: tuple[int, int, list[Place]],
) -> None:
    rows, columns, places = grid
    template = parse_template(grid_text(rows, columns, places))
    assert len(template.blocks) == len(places)
    assert_strongly_connected(template.neighbours, places)
    # and an arrow always leads to a block that lies on that side
    for index, place in enumerate(places):
        for direction in DIRECTIONS:
            target = template.neighbour(index, direction)
            if target is None:
                continue
            other = places[target]
            assert {
                "left": other.right <= place.column,
                "right": other.column >= place.right,
                "up": other.bottom <= place.row,
                "down": other.row >= place.bottom,
            }[direction], (places, index, direction, target)


# -- the loader's rules --------------------------------------------------------------------


def test_a_small_template_loads() -> None:
    template = parse_template(template_text(*three(), head='attribution = "Mine, CC0"\n'))
    assert template.id == "mine"
    assert template.title == "My canvas"
    assert template.attribution == "Mine, CC0"
    assert template.keys == ("first", "second", "third")
    assert [spec.number for spec in template.blocks] == [1, 2, 3]  # in file order
    assert template.row_heights == (1,)
    assert template.source == "built-in"
    assert template.installed


def test_optional_fields_have_defaults() -> None:
    template = parse_template(
        'id = "x"\ntitle = "X"\ngrid = { rows = 1, columns = 1 }\n\n'
        '[[blocks]]\nkey = "only"\ntitle = "Only Block"\nplace = { row = 0, column = 0 }\n'
    )
    (spec,) = template.blocks
    assert spec.place == Place(0, 0, 1, 1)
    assert spec.short == "OB"  # from the title's words
    assert spec.question == ""
    assert spec.prompts == ()
    assert template.attribution == ""


def test_one_block_and_nine_blocks_are_allowed() -> None:
    assert len(parse_template(template_text(block("only")))) == 1
    nine = [block(f"b{n}", 0, n, short=f"B{n}") for n in range(9)]
    assert len(parse_template(template_text(*nine, columns=9))) == 9


def test_no_blocks_is_refused() -> None:
    refused(template_text(), "at least one")
    refused(template_text() + "blocks = []\n", "at least one")


def test_ten_blocks_are_refused() -> None:
    ten = [block(f"b{n}", 0, n, short=f"B{n}") for n in range(10)]
    refused(template_text(*ten, columns=10), "10 blocks", "1 to 9")


@pytest.mark.parametrize(
    ("place", "columns_", "rows_"),
    [
        ((0, 3, 1, 1), 3, 1),  # starts past the last column
        ((0, 2, 1, 2), 3, 1),  # reaches past it
        ((1, 0, 1, 1), 3, 1),  # starts below the last row
        ((0, 0, 2, 1), 3, 1),  # reaches below it
    ],
)
def test_a_place_outside_the_grid_is_refused(
    place: tuple[int, int, int, int], columns_: int, rows_: int
) -> None:
    text = template_text(block("out", *place), rows=rows_, columns=columns_)
    refused(text, "block 1", "outside the 1x3 grid")


@pytest.mark.parametrize(
    "place_text",
    [
        "{ row = -1, column = 0 }",
        "{ row = 0, column = -1 }",
        "{ row = 0, column = 0, rows = 0 }",
        "{ row = 0, column = 0, columns = 0 }",
        "{ row = 0.5, column = 0 }",
        "{ row = true, column = 0 }",
        "{ column = 0 }",
        '"top left"',
    ],
)
def test_a_bad_place_is_refused(place_text: str) -> None:
    text = template_text(f'[[blocks]]\nkey = "x"\ntitle = "X"\nplace = {place_text}\n')
    refused(text, "block 1")


def test_overlapping_places_are_refused_naming_both_blocks() -> None:
    text = template_text(block("wide", 0, 0, 1, 2), block("over", 0, 1), rows=1, columns=3)
    refused(text, "block 2 (Over) overlaps block 1 (Wide)")


def test_invalid_toml_is_refused_with_its_position() -> None:
    message = refused('id = "x"\ntitle = \n', "invalid TOML")
    assert "line 2" in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (template_text(*three(), head='colour = "blue"\n'), "the template: unknown field 'colour'"),
        (template_text(*three(), grid_extra=", gap = 1"), "grid: unknown field 'gap'"),
        (
            template_text(block("first", extra='icon = "x"'), block("second", 0, 1)),
            "block 1: unknown field 'icon'",
        ),
        (
            template_text(block("first"), block("second", 0, 1, place_extra=", z = 1")),
            "block 2.place: unknown field 'z'",
        ),
    ],
    ids=["top-level", "grid", "block", "place"],
)
def test_an_unknown_field_is_refused(text: str, where: str) -> None:
    refused(text, where)


def test_duplicate_block_keys_are_refused() -> None:
    text = template_text(block("same", 0, 0, short="A"), block("same", 0, 1, short="B"))
    refused(text, "blocks 1 and 2 have the same key 'same'")


def test_a_key_written_twice_in_a_file_is_invalid_toml() -> None:
    refused('id = "x"\nid = "y"\n', "invalid TOML")
    refused(template_text(block("a", extra='title = "Again"')), "invalid TOML")


@pytest.mark.parametrize(
    ("first", "second"),
    [("KP", "KP"), ("KP", "kp"), (None, None)],
    ids=["same", "case", "derived"],
)
def test_duplicate_short_labels_are_refused(first: str | None, second: str | None) -> None:
    text = template_text(
        block("key_partners", 0, 0, title="Key Partners", short=first),
        block("key_people", 0, 1, title="Key People", short=second),
    )
    refused(text, "blocks 1 and 2 have the same short label 'kp'")


def test_a_short_label_longer_than_three_is_refused() -> None:
    refused(template_text(block("a", short="ABCD")), "short label 'ABCD'", "3 characters")


@pytest.mark.parametrize(
    "template_id", ["Mine", "-mine", ".mine", "my canvas", "a/b", "x" * 65, "ü", ""]
)
def test_a_bad_id_is_refused(template_id: str) -> None:
    refused(template_text(*three(), template_id=template_id), "id")


@pytest.mark.parametrize("template_id", ["a", "lean-2", "my_canvas.v2", "9", "x" * 64])
def test_good_ids(template_id: str) -> None:
    assert parse_template(template_text(*three(), template_id=template_id)).id == template_id


@pytest.mark.parametrize("key", ["Key", "1key", "key-x", "key x", "_key", "ключ", ""])
def test_a_bad_block_key_is_refused(key: str) -> None:
    refused(template_text(block(key, title="Title")), "block 1")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('title = "x"\ngrid = { rows = 1, columns = 1 }\n', "'id'"),
        ('id = "x"\ngrid = { rows = 1, columns = 1 }\n', "'title'"),
        ('id = "x"\ntitle = "  "\ngrid = { rows = 1, columns = 1 }\n', "'title'"),
        ('id = "x"\ntitle = "X"\n', "'grid' must be a table"),
        ('id = "x"\ntitle = "X"\ngrid = [3, 10]\n', "'grid' must be a table"),
        ('id = "x"\ntitle = "X"\ngrid = { rows = 0, columns = 1 }\n', "'rows'"),
        ('id = "x"\ntitle = "X"\ngrid = { rows = 1 }\n', "'columns'"),
        ('id = 5\ntitle = "X"\ngrid = { rows = 1, columns = 1 }\n', "'id'"),
        (template_text('blocks = "x"\n'), "[[blocks]]"),
    ],
)
def test_missing_or_mistyped_fields_are_refused(text: str, fragment: str) -> None:
    if "[[blocks]]" not in text and "blocks =" not in text:
        text += "\n" + block("a")
    refused(text, fragment)


def test_bad_block_fields_are_refused() -> None:
    refused(template_text('blocks = ["a"]\n'), "block 1 must be a table")
    refused(template_text(block("a", extra="prompts = [1, 2]")), "'prompts'")
    refused(template_text(block("a", extra='prompts = "one"')), "'prompts'")
    refused(template_text(block("a", extra="question = 3")), "'question'")
    refused(
        template_text('[[blocks]]\nkey = "a"\ntitle = "A"\n'), "block 1: 'place' must be a table"
    )


def test_row_heights() -> None:
    def grid(extra: str = "") -> str:
        return template_text(block("a"), block("b", 1, 0), rows=2, columns=1, grid_extra=extra)

    assert parse_template(grid()).row_heights == (1, 1)
    assert parse_template(grid(", row_heights = [3, 1]")).row_heights == (3, 1)
    for bad in ("[1]", "[1, 2, 3]", "[1, 0]", "[1, -2]", "[1, 1.5]", "[1, true]", '"1,1"'):
        refused(grid(f", row_heights = {bad}"), "row_heights must be 2 positive integers")


# -- user templates ------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_user_folder_means_the_shipped_templates(tmp_path: Path) -> None:
    assert [t.id for t in load_templates(None)] == ["tech-bmc", "lean"]
    assert [t.id for t in load_templates(tmp_path / "missing")] == ["tech-bmc", "lean"]
    (tmp_path / "empty").mkdir()
    assert [t.id for t in load_templates(tmp_path / "empty")] == ["tech-bmc", "lean"]


def test_a_user_template_in_the_folder_is_added(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.toml", template_text(*three()))
    write(tmp_path, "notes.txt", "not a template")
    write(tmp_path, ".hidden.toml", "not = [valid")
    templates = load_templates(tmp_path)
    assert [t.id for t in templates] == ["tech-bmc", "lean", "mine"]
    mine = templates.get("mine")
    assert mine is not None
    assert mine.source == str(path)
    assert mine.keys == ("first", "second", "third")
    assert "mine" in templates
    assert len(templates) == 3
    assert templates.broken == ()
    assert templates.default is TECH


def test_a_user_template_overrides_a_shipped_id(tmp_path: Path) -> None:
    path = write(tmp_path, "my-lean.toml", template_text(*three(), template_id="lean"))
    templates = load_templates(tmp_path)
    assert [t.id for t in templates] == ["tech-bmc", "lean"]
    lean = templates.get("lean")
    assert lean is not None
    assert lean.source == str(path)
    assert lean.keys == ("first", "second", "third")
    assert built_in_templates().get("lean") is LEAN  # the shipped one is unchanged


def test_a_broken_user_template_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    write(tmp_path, "good.toml", template_text(*three(), template_id="good"))
    bad = write(tmp_path, "bad.toml", template_text(block("a", 0, 0), block("b", 0, 0)))
    worse = write(tmp_path, "worse.toml", 'id = "worse"\ntitle = [\n')
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"id = \xff\xfe\n")
    templates = load_templates(tmp_path)
    assert [t.id for t in templates] == ["tech-bmc", "good", "lean"]  # the default, then by id
    lines = {b.source: str(b) for b in templates.broken}
    assert set(lines) == {str(bad), str(worse), str(binary)}
    for source, line in lines.items():
        assert "\n" not in line
        assert line.startswith(f"{source}: ")
    assert "overlaps" in lines[str(bad)]
    assert "invalid TOML" in lines[str(worse)]
    assert "cannot be read" in lines[str(binary)]


@pytest.mark.parametrize(
    "text",
    [
        "not = [valid",
        template_text(block("a", 0, 0, 1, 2), block("b", 0, 1)),
        template_text(*three(), head='colour = "red"\n'),
        template_text(block("same", 0, 0, short="A"), block("same", 0, 1, short="B")),
        template_text(*[block(f"b{n}", 0, n, short=f"B{n}") for n in range(10)], columns=10),
    ],
    ids=["bad-toml", "overlap", "unknown-field", "duplicate-keys", "ten-blocks"],
)
def test_each_kind_of_broken_template_is_one_line_naming_file_and_problem(
    tmp_path: Path, text: str
) -> None:
    path = write(tmp_path, "broken.toml", text)
    templates = load_templates(tmp_path)
    (broken,) = templates.broken
    assert broken.source == str(path)
    assert broken.problem
    assert str(broken) == f"{path}: {broken.problem}"
    assert "\n" not in str(broken)
    assert [t.id for t in templates] == ["tech-bmc", "lean"]


# -- a missing template --------------------------------------------------------------------


def test_stand_in_for_a_missing_template() -> None:
    template = stand_in("ghost", ["alpha", "beta", "alpha", "gamma"])
    assert template.id == "ghost"
    assert not template.installed
    assert template.source == "missing"
    assert "not installed" in template.title
    assert template.keys == ("alpha", "beta", "gamma")
    assert [spec.title for spec in template.blocks] == ["alpha", "beta", "gamma"]
    # one under another
    assert [spec.place for spec in template.blocks] == [Place(0, 0), Place(1, 0), Place(2, 0)]
    assert template.neighbour(0, "down") == 1
    assert template.neighbour(2, "up") == 1


def test_stand_in_with_no_keys_and_with_too_many() -> None:
    assert stand_in("ghost", []).keys == ("items",)
    assert len(stand_in("ghost", [f"k{n}" for n in range(20)]).blocks) == 9


def test_for_canvas_gives_the_installed_template_or_a_stand_in() -> None:
    templates = Templates([TECH, LEAN])
    assert templates.for_canvas("lean", ["whatever"]) is LEAN
    ghost = templates.for_canvas("ghost", ["a", "b"])
    assert not ghost.installed
    assert ghost.keys == ("a", "b")
    assert templates.get("ghost") is None
    assert "ghost" not in templates


# -- finding a block -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "key"),
    [
        ("1", "key_partners"),
        ("9", "revenue_streams"),
        (" 4 ", "value_proposition"),
        ("key_partners", "key_partners"),
        ("KEY_PARTNERS", "key_partners"),
        ("Value_Proposition", "value_proposition"),
        ("KP", "key_partners"),
        ("kp", "key_partners"),
        ("c$", "cost_structure"),
        ("R$", "revenue_streams"),
    ],
)
def test_find_block_by_number_key_or_short_label(ref: str, key: str) -> None:
    spec = TECH.find_block(ref)
    assert spec is not None
    assert spec.key == key


@pytest.mark.parametrize("ref", ["0", "10", "-1", "", "nope", "Key Partners", "k"])
def test_find_block_refuses_anything_else(ref: str) -> None:
    assert TECH.find_block(ref) is None


def test_find_block_follows_the_template() -> None:
    spec = LEAN.find_block("pr")
    assert spec is not None
    assert spec.key == "problem"
    assert TECH.find_block("problem") is None
    small = parse_template(template_text(*three()))
    third = small.find_block("3")
    assert third is not None
    assert third.key == "third"
    assert small.find_block("4") is None
