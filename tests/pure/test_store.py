"""The store, through its public surface and the TOML files it leaves on disk."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest

from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas, Item, Pos, add_item, edit_item, retitle, set_status
from canvas_tui.store import (
    CanvasFileError,
    CanvasStore,
    ConflictError,
    InvalidNameError,
    Loaded,
    NameTakenError,
    SaveError,
    StoreError,
    load,
    new_canvas,
    remove_stale_temps,
    resolve_data_dir,
    save,
    save_copy,
)
from canvas_tui.store.lock import CanvasLock
from canvas_tui.store.names import slugify
from canvas_tui.template import TemplateError, built_in_templates

TECH = built_in_templates().default
LEAN = built_in_templates().get("lean")
assert LEAN is not None

BLOCK_KEYS = TECH.keys

EMPTY_BLOCKS = "".join(f"{key} = []\n" for key in BLOCK_KEYS)


# -- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir that does not exist yet (the store creates it)."""
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> CanvasStore:
    return CanvasStore(data_dir)


@pytest.fixture
def empty_store(tmp_path: Path) -> CanvasStore:
    """A store on a data dir that exists already, so it is never seeded."""
    folder = tmp_path / "existing"
    folder.mkdir()
    return CanvasStore(folder)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def listing(folder: Path) -> list[str]:
    return sorted(child.name for child in folder.iterdir())


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


def blank(title: str) -> Canvas:
    """An empty canvas of the default template."""
    return Canvas.new(title, TECH)


def canvas_with(*items: tuple[int, str], title: str = "Acme") -> Canvas:
    canvas = blank(title)
    for block, text in items:
        canvas = add_item(canvas, block, text).canvas
    return canvas


def new_base(path: Path) -> Loaded:
    """What `CanvasStore.open` returns for a canvas whose file does not exist yet."""
    return new_canvas(path, "", TECH)


# -- data dir ------------------------------------------------------------------------------


def test_data_dir_option_beats_env(tmp_path: Path) -> None:
    env = {"CANVAS_TUI_DATA_DIR": str(tmp_path / "env")}
    assert resolve_data_dir(str(tmp_path / "opt"), env) == tmp_path / "opt"


def test_data_dir_from_env(tmp_path: Path) -> None:
    env = {"CANVAS_TUI_DATA_DIR": str(tmp_path / "env")}
    assert resolve_data_dir(None, env) == tmp_path / "env"


def test_data_dir_from_process_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANVAS_TUI_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_data_dir() == tmp_path / "from-env"
    assert resolve_data_dir(str(tmp_path / "opt")) == tmp_path / "opt"


def test_data_dir_falls_back_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANVAS_TUI_DATA_DIR", raising=False)
    expected = platformdirs.user_data_path("canvas-tui")
    assert resolve_data_dir(None, {}) == expected
    assert resolve_data_dir() == expected
    assert resolve_data_dir(None, {"CANVAS_TUI_DATA_DIR": ""}) == expected  # empty: unset
    assert resolve_data_dir("", {}) == expected


def test_data_dir_expands_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_data_dir("~/canvases-here", {}) == tmp_path / "canvases-here"
    assert resolve_data_dir(None, {"CANVAS_TUI_DATA_DIR": "~/d"}) == tmp_path / "d"


# -- first run -----------------------------------------------------------------------------


def test_first_run_creates_private_folders_and_seeds_example(
    store: CanvasStore, data_dir: Path
) -> None:
    assert not data_dir.exists()
    infos = store.list()
    assert [info.name for info in infos] == ["example"]
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "canvases") == 0o700
    example = data_dir / "canvases" / "example.toml"
    assert mode(example) == 0o600
    loaded = load(example)
    assert loaded.canvas == EXAMPLE
    assert all(loaded.canvas.blocks), "every block of the example is filled in"
    assert infos[0].title == EXAMPLE.title
    assert infos[0].items == EXAMPLE.item_count
    assert infos[0].error is None


def test_first_run_with_missing_parents(tmp_path: Path) -> None:
    store = CanvasStore(tmp_path / "a" / "b" / "data")
    store.ensure()
    assert store.names() == ["example"]
    assert mode(tmp_path / "a" / "b" / "data") == 0o700


def test_existing_empty_data_dir_is_never_seeded(empty_store: CanvasStore) -> None:
    assert empty_store.list() == []
    empty_store.ensure()
    assert empty_store.names() == []
    assert listing(empty_store.data_dir) == ["canvases"]
    assert mode(empty_store.canvases_dir) == 0o700


def test_deleted_example_stays_deleted(store: CanvasStore, data_dir: Path) -> None:
    store.ensure()
    store.delete("example")
    assert store.names() == []
    again = CanvasStore(data_dir)
    assert again.list() == []
    again.ensure()
    assert again.names() == []
    assert (data_dir / "trash" / "example.toml").exists()


def test_other_commands_seed_on_first_run_too(store: CanvasStore) -> None:
    name = store.create("First")
    assert store.names() == sorted(["example", name])


# -- create and names ----------------------------------------------------------------------


def test_create_slugs_the_title_and_writes_an_empty_canvas(store: CanvasStore) -> None:
    name = store.create("Acme Robotics!")
    assert name == "acme-robotics"
    path = store.canvases_dir / "acme-robotics.toml"
    assert path.read_text(encoding="utf-8") == (
        f'schema = 1\ntitle = "Acme Robotics!"\n\n[blocks]\n{EMPTY_BLOCKS}'
    )
    assert mode(path) == 0o600
    assert load(path).canvas == blank("Acme Robotics!")


def test_slug_collisions_get_a_counter(empty_store: CanvasStore) -> None:
    assert empty_store.create("Acme") == "acme"
    assert empty_store.create("acme") == "acme-2"
    assert empty_store.create("ACME!") == "acme-3"
    assert empty_store.names() == ["acme", "acme-2", "acme-3"]
    assert load(empty_store.path_for("acme-2")).canvas.title == "acme"


def test_a_name_an_editor_has_open_is_not_free_though_it_has_no_file(
    empty_store: CanvasStore,
) -> None:
    """An editor started on a new name holds its lock before its first save makes the file:
    `create` and `duplicate` choose another name, and never write that one."""
    lock = CanvasLock(empty_store.locks_dir, empty_store.path_for("acme"))
    assert lock.acquire()
    try:
        assert empty_store.in_use("acme") == lock.holder() != ""
        assert empty_store.taken("acme") and not empty_store.exists("acme")
        assert empty_store.create("Acme") == "acme-2"
        assert empty_store.free_name("acme") == "acme-3"
        assert not empty_store.path_for("acme").exists()
    finally:
        lock.release()
    assert empty_store.in_use("acme") is None
    assert empty_store.create("Acme") == "acme"
    copy = CanvasLock(empty_store.locks_dir, empty_store.path_for("acme-copy"))
    assert copy.acquire()
    try:
        assert empty_store.duplicate("acme") == "acme-copy-2"
        assert not empty_store.path_for("acme-copy").exists()
        with pytest.raises(NameTakenError):
            empty_store.duplicate("acme", "acme-2")  # a file: never written over
    finally:
        copy.release()


def test_create_with_name(empty_store: CanvasStore) -> None:
    assert empty_store.create("Whatever Title", name="mine") == "mine"
    assert load(empty_store.path_for("mine")).canvas.title == "Whatever Title"


def test_create_with_taken_name_is_refused_and_keeps_the_file(empty_store: CanvasStore) -> None:
    empty_store.create("Original", name="mine")
    before = empty_store.path_for("mine").read_bytes()
    with pytest.raises(NameTakenError, match="mine"):
        empty_store.create("Another", name="mine")
    assert empty_store.path_for("mine").read_bytes() == before
    assert isinstance(NameTakenError("x"), StoreError)


BAD_NAMES = [
    "",
    "..",
    ".",
    "../x",
    "../../etc/passwd",
    "/abs",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "x/../../y",
    "a..b",
    ".hidden",
    "-dash-first",
    "_under",
    "Upper",
    "with space",
    "tab\tname",
    "nul\0byte",
    "new\nline",
    "café",
    "x" * 65,
    "x" * 300,
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com9",
    "lpt1",
    "lpt9",
    "con.txt",
    "nul.tar.gz",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_invalid_names_are_refused_everywhere(
    empty_store: CanvasStore, tmp_path: Path, name: str
) -> None:
    empty_store.ensure()
    before = sorted(str(path) for path in tmp_path.rglob("*"))
    with pytest.raises(InvalidNameError):
        empty_store.path_for(name)
    with pytest.raises(InvalidNameError):
        empty_store.create("Title", name=name)
    with pytest.raises(InvalidNameError):
        empty_store.exists(name)
    with pytest.raises(InvalidNameError):
        empty_store.delete(name)
    with pytest.raises(InvalidNameError):
        empty_store.duplicate(name)
    with pytest.raises(InvalidNameError):
        empty_store.rename(name, "New")
    assert sorted(str(path) for path in tmp_path.rglob("*")) == before


def test_invalid_name_message_is_helpful(empty_store: CanvasStore) -> None:
    with pytest.raises(InvalidNameError, match=r"not a valid canvas name.*try 'my-plan'"):
        empty_store.create("t", name="My Plan")


@pytest.mark.parametrize(
    "name", ["a", "0", "a.b", "a_b-c.d", "x" * 64, "con-1", "console", "com10", "lpt", "v1.2"]
)
def test_valid_names(empty_store: CanvasStore, name: str) -> None:
    assert empty_store.create("T", name=name) == name
    assert (empty_store.canvases_dir / f"{name}.toml").is_file()
    assert empty_store.exists(name)


def test_path_traversal_via_title_stays_inside(empty_store: CanvasStore, tmp_path: Path) -> None:
    name = empty_store.create("../../outside")
    assert name == "outside"
    assert empty_store.path_for(name).parent == empty_store.canvases_dir
    assert not (tmp_path / "outside.toml").exists()
    name = empty_store.create("/etc/passwd")
    assert name == "etc-passwd"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Con", "con-canvas"),
        ("AUX", "aux-canvas"),
        ("nul", "nul-canvas"),
        ("LPT1", "lpt1-canvas"),
        ("com3", "com3-canvas"),
        ("Console", "console"),
    ],
)
def test_windows_device_titles_get_a_safe_name(
    empty_store: CanvasStore, title: str, expected: str
) -> None:
    assert empty_store.create(title) == expected


def test_very_long_title(empty_store: CanvasStore) -> None:
    title = "Very long title " * 20  # 320 characters
    first = empty_store.create(title)
    second = empty_store.create(title)
    assert len(first) <= 64
    assert len(second) <= 64
    assert first != second
    assert second.endswith("-2")
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", first)
    assert load(empty_store.path_for(first)).canvas.title == title


@pytest.mark.parametrize("title", ["!!!", "   ", "", "\u0301", "--"])
def test_title_without_letters_or_digits_still_gets_a_name(
    empty_store: CanvasStore, title: str
) -> None:
    name = empty_store.create(title)
    assert name == "canvas"
    assert load(empty_store.path_for(name)).canvas.title == title


def test_titles_in_any_script_get_distinct_readable_names(empty_store: CanvasStore) -> None:
    titles = [
        "日本語の計画",
        "日本語の予定",
        "Überraschung GmbH",
        "Москва план",
        "Ελληνικά",
        "🚀🚀",
    ]
    names = [empty_store.create(title) for title in titles]
    assert names[2] == "uberraschung-gmbh"
    assert names[3] == "moskva-plan"
    assert len(set(names)) == len(names)
    for name, title in zip(names, titles, strict=True):
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", name), name
        assert not name.startswith("canvas"), (title, name)  # no `canvas`, `canvas-2`, ...
        assert load(empty_store.path_for(name)).canvas.title == title


def test_slugify_transliterates() -> None:
    assert slugify("Überraschung GmbH") == "uberraschung-gmbh"
    japanese = slugify("日本語の計画")
    assert japanese.isascii()
    assert re.fullmatch(r"[a-z0-9-]+", japanese)
    assert japanese not in ("", "canvas")
    assert japanese != slugify("Überraschung GmbH")
    assert slugify("Acme Robotics!") == "acme-robotics"


def test_nfc_nfd_and_case_variants_slug_the_same(empty_store: CanvasStore) -> None:
    nfc = unicodedata.normalize("NFC", "Café Crème Brûlée")
    nfd = unicodedata.normalize("NFD", "Café Crème Brûlée")
    assert nfc != nfd
    names = [
        empty_store.create(nfc),
        empty_store.create(nfd),
        empty_store.create(nfc.upper()),
        empty_store.create(nfd.lower()),
    ]
    assert names == [
        "cafe-creme-brulee",
        "cafe-creme-brulee-2",
        "cafe-creme-brulee-3",
        "cafe-creme-brulee-4",
    ]
    assert all(name.isascii() for name in names)
    # the titles themselves are kept as typed
    assert load(empty_store.path_for(names[1])).canvas.title == nfd


# -- list ----------------------------------------------------------------------------------


def test_list_newest_first_with_title_and_items(empty_store: CanvasStore) -> None:
    for name, title, items, mtime in [
        ("old", "Old plan", 1, 1_000_000_000),
        ("new", "New plan", 3, 1_700_000_000),
        ("mid", "Mid plan", 0, 1_500_000_000),
    ]:
        canvas = blank(title)
        for number in range(items):
            canvas = add_item(canvas, number % 9, f"item {number}").canvas
        path = empty_store.path_for(name)
        save(new_base(path), canvas)
        os.utime(path, (mtime, mtime))
    infos = empty_store.list()
    assert [(i.name, i.title, i.items) for i in infos] == [
        ("new", "New plan", 3),
        ("mid", "Mid plan", 0),
        ("old", "Old plan", 1),
    ]
    assert infos[0].modified == 1_700_000_000
    assert infos[0].path == empty_store.path_for("new")
    assert all(info.error is None for info in infos)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", infos[0].modified_text)


def test_list_shows_unreadable_files_with_their_error(empty_store: CanvasStore) -> None:
    empty_store.create("Good")
    bad = write(empty_store.canvases_dir / "broken.toml", 'title = "oops\n')
    before = bad.read_bytes()
    infos = {info.name: info for info in empty_store.list()}
    assert set(infos) == {"good", "broken"}
    assert infos["good"].error is None
    assert infos["broken"].error is not None
    assert "line 1" in infos["broken"].error
    assert infos["broken"].items == 0
    assert bad.read_bytes() == before


def test_list_shows_a_folder_named_like_a_canvas_as_an_error(empty_store: CanvasStore) -> None:
    (empty_store.canvases_dir / "weird.toml").mkdir(parents=True)
    (info,) = empty_store.list()
    assert info.name == "weird"
    assert info.error


def test_list_ignores_backups_temps_and_hidden_files(empty_store: CanvasStore) -> None:
    name = empty_store.create("Real")
    base = load(empty_store.path_for(name))
    save(base, add_item(base.canvas, 0, "x").canvas)  # leaves real.toml.bak
    write(empty_store.canvases_dir / ".real.toml.abc.tmp", "junk")
    write(empty_store.canvases_dir / ".hidden.toml", 'title = "h"\n')
    write(empty_store.canvases_dir / "notes.txt", "not a canvas")
    assert (empty_store.canvases_dir / "real.toml.bak").exists()
    assert [info.name for info in empty_store.list()] == ["real"]


def test_list_uses_the_name_for_an_untitled_canvas(empty_store: CanvasStore) -> None:
    write(empty_store.canvases_dir / "untitled.toml", "[blocks]\nchannels = ['web']\n")
    (info,) = empty_store.list()
    assert info.title == "untitled"
    assert info.items == 1


# -- open ----------------------------------------------------------------------------------


def test_open_missing_name_is_new_and_not_on_disk(empty_store: CanvasStore) -> None:
    loaded = empty_store.open("acme-plan")
    assert not loaded.exists
    assert loaded.text is None
    assert loaded.writable
    assert loaded.canvas.item_count == 0
    assert loaded.canvas.title == "Acme Plan"
    assert loaded.path == empty_store.canvases_dir / "acme-plan.toml"
    assert not loaded.path.exists()
    assert empty_store.names() == []
    assert empty_store.list() == []


def test_open_missing_name_is_created_by_the_first_save(empty_store: CanvasStore) -> None:
    loaded = empty_store.open("acme")
    canvas = add_item(loaded.canvas, 0, "AWS").canvas
    saved = save(loaded, canvas)
    assert saved.exists
    assert mode(loaded.path) == 0o600
    assert load(loaded.path).canvas == canvas
    assert not (empty_store.canvases_dir / "acme.toml.bak").exists()


def test_open_existing_name_and_path(empty_store: CanvasStore, tmp_path: Path) -> None:
    name = empty_store.create("Acme")
    assert empty_store.open(name).canvas == blank("Acme")
    elsewhere = write(tmp_path / "elsewhere" / "plan.toml", 'title = "Elsewhere"\n')
    loaded = empty_store.open(str(elsewhere))
    assert loaded.canvas.title == "Elsewhere"
    assert loaded.path == elsewhere


def test_open_missing_path(empty_store: CanvasStore, tmp_path: Path) -> None:
    loaded = empty_store.open(str(tmp_path / "new-plan.toml"))
    assert not loaded.exists
    assert not (tmp_path / "new-plan.toml").exists()
    with pytest.raises(FileNotFoundError):
        empty_store.open(str(tmp_path / "no-such-folder" / "x.toml"))


def test_open_invalid_name(empty_store: CanvasStore) -> None:
    with pytest.raises(InvalidNameError):
        empty_store.open("Bad Name")


# -- the canonical format ------------------------------------------------------------------

CANONICAL = """\
schema = 1
title = "Acme Robotics"

[blocks]
key_partners = [
    "Cloud hosting provider",
    "Stripe",
]
key_activities = []
key_resources = []
value_proposition = [
    "Say \\"hi\\" to C:\\\\robots",
    "line one\\nline two\\ttabbed",
    "Crème brûlée 🚀 日本",
]
customer_relationships = []
channels = []
customer_segments = []
cost_structure = []
revenue_streams = [
    "Esc \\u001b and DEL \\u007f",
]
"""


def canonical_canvas() -> Canvas:
    return canvas_with(
        (0, "Cloud hosting provider"),
        (0, "Stripe"),
        (3, 'Say "hi" to C:\\robots'),
        (3, "line one\nline two\ttabbed"),
        (3, "Crème brûlée 🚀 日本"),
        (8, "Esc \x1b and DEL \x7f"),
        title="Acme Robotics",
    )


def test_save_writes_the_exact_canonical_format(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    save(new_base(path), canonical_canvas())
    data = path.read_bytes()
    assert data.decode("utf-8") == CANONICAL
    assert b"\r" not in data
    assert not data.startswith(b"\xef\xbb\xbf")


def test_canonical_file_reads_back(tmp_path: Path) -> None:
    path = write(tmp_path / "acme.toml", CANONICAL)
    loaded = load(path)
    assert loaded.canvas == canonical_canvas()
    assert loaded.schema == 1
    assert loaded.text == CANONICAL


def test_empty_canvas_format(tmp_path: Path) -> None:
    path = tmp_path / "e.toml"
    save(new_base(path), blank(""))
    assert path.read_text() == f'schema = 1\ntitle = ""\n\n[blocks]\n{EMPTY_BLOCKS}'


def test_round_trip_and_resave(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    canvas = canonical_canvas()
    saved = save(new_base(path), canvas)
    assert load(path).canvas == canvas
    changed = edit_item(canvas, Pos(0, 1), "Stripe and Adyen").canvas
    saved = save(saved, changed)  # the returned base is good for the next save
    saved = save(saved, retitle(changed, "Acme 2"))
    assert load(path).canvas == retitle(changed, "Acme 2")
    assert path.read_text() == CANONICAL.replace('"Stripe"', '"Stripe and Adyen"').replace(
        '"Acme Robotics"', '"Acme 2"'
    )


def test_missing_blocks_are_empty_and_a_save_writes_all_nine(tmp_path: Path) -> None:
    path = write(tmp_path / "few.toml", 'title = "Few"\n[blocks]\nchannels = ["web"]\n')
    loaded = load(path)
    assert loaded.canvas == canvas_with((5, "web"), title="Few")
    save(loaded, add_item(loaded.canvas, 0, "AWS").canvas)
    text = path.read_text()
    for key in BLOCK_KEYS:
        assert re.search(rf"^{key} = ", text, re.MULTILINE), key
    assert load(path).canvas == canvas_with((0, "AWS"), (5, "web"), title="Few")


# -- hand-edited files ---------------------------------------------------------------------

HAND = """\
# Acme plan, edited by hand
schema = 1
title   =   'Acme'   # the company
owner = "ops team"

[meta]
tags = ["b2b", "saas"]

[blocks]
# who helps us
key_partners = ["AWS", "Stripe"]   # inline on purpose
key_activities = [
  "Build",   # the main thing
  "Sell",
]
key_resources = []
value_proposition = [ "Fast" ]
customer_relationships = []
channels = []
customer_segments = [
    "SMEs",
]
cost_structure = []
revenue_streams = [] # later
"""

HAND_ACTIVITIES = """\
key_activities = [
  "Build",   # the main thing
  "Sell",
]
"""


def test_hand_edited_file_keeps_everything_but_the_changed_block(tmp_path: Path) -> None:
    path = write(tmp_path / "hand.toml", HAND)
    loaded = load(path)
    assert loaded.canvas.texts(1) == ("Build", "Sell")
    assert loaded.canvas.title == "Acme"
    save(loaded, edit_item(loaded.canvas, Pos(1, 1), "Sell more").canvas)
    expected = HAND.replace(
        HAND_ACTIVITIES, 'key_activities = [\n    "Build",\n    "Sell more",\n]\n'
    )
    assert path.read_text() == expected
    assert load(path).canvas.texts(1) == ("Build", "Sell more")


def test_hand_edited_file_retitle_changes_only_the_title_value(tmp_path: Path) -> None:
    path = write(tmp_path / "hand.toml", HAND)
    save(load(path), retitle(load(path).canvas, "Acme Inc"))
    assert path.read_text() == HAND.replace("'Acme'", '"Acme Inc"')


def test_hand_edited_file_survives_many_saves(tmp_path: Path) -> None:
    path = write(tmp_path / "hand.toml", HAND)
    base = load(path)
    canvas = base.canvas
    for number in range(5):
        canvas = add_item(canvas, 6, f"segment {number}").canvas
        base = save(base, canvas)
    text = path.read_text()
    for kept in [
        "# Acme plan, edited by hand",
        "title   =   'Acme'   # the company",
        'owner = "ops team"',
        '[meta]\ntags = ["b2b", "saas"]',
        "# who helps us",
        'key_partners = ["AWS", "Stripe"]   # inline on purpose',
        '  "Build",   # the main thing',
        'value_proposition = [ "Fast" ]',
        "revenue_streams = [] # later",
    ]:
        assert kept in text
    assert load(path).canvas == canvas


def test_hand_edited_file_missing_title_and_blocks(tmp_path: Path) -> None:
    path = write(tmp_path / "bare.toml", "# just a comment\nowner = 'me'\n")
    loaded = load(path)
    assert loaded.canvas == blank("")
    canvas = add_item(retitle(loaded.canvas, "Bare"), 2, "Team").canvas
    save(loaded, canvas)
    text = path.read_text()
    assert text.startswith("# just a comment\nowner = 'me'\n")
    assert load(path).canvas == canvas
    for key in BLOCK_KEYS:
        assert f"{key} = " in text


def test_dotted_and_inline_block_tables_are_updated_in_place(tmp_path: Path) -> None:
    for text in [
        'title = "a"\nblocks.key_partners = ["x"]\n',
        'title = "a"\nblocks = {key_partners = ["x"]}\n',
    ]:
        path = write(tmp_path / "odd.toml", text)
        loaded = load(path)
        canvas = add_item(loaded.canvas, 0, "y").canvas
        save(loaded, canvas)
        assert load(path).canvas == canvas


# -- BOM, line endings, empty files --------------------------------------------------------


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.toml", b"\xef\xbb\xbf" + CANONICAL.encode())
    loaded = load(path)
    assert loaded.canvas == canonical_canvas()
    changed = add_item(loaded.canvas, 1, "Ship").canvas
    save(loaded, changed)
    assert load(path).canvas == changed
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_bom_on_hand_edited_file(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.toml", b"\xef\xbb\xbf" + HAND.encode())
    loaded = load(path)
    assert loaded.canvas.title == "Acme"
    changed = add_item(loaded.canvas, 1, "Ship").canvas
    save(loaded, changed)
    assert load(path).canvas == changed
    assert "# the company" in path.read_text()


def test_crlf_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "crlf.toml", CANONICAL.replace("\n", "\r\n"))
    loaded = load(path)
    assert loaded.canvas == canonical_canvas()
    changed = add_item(loaded.canvas, 1, "Ship").canvas
    save(loaded, changed)
    assert load(path).canvas == changed


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n", "\ufeff"])
def test_empty_file_is_an_empty_canvas(tmp_path: Path, text: str) -> None:
    """An empty TOML document is valid; every key is optional, so it is an empty canvas."""
    path = write(tmp_path / "empty.toml", text)
    loaded = load(path)
    assert loaded.canvas == blank("")
    assert loaded.exists
    assert loaded.writable
    canvas = add_item(retitle(loaded.canvas, "Filled"), 0, "AWS").canvas
    save(loaded, canvas)
    assert load(path).canvas == canvas
    assert path.read_text().count(" = ") >= 10  # title and all nine blocks


def test_empty_file_is_listed_under_its_name(empty_store: CanvasStore) -> None:
    write(empty_store.canvases_dir / "blank.toml", "")
    (info,) = empty_store.list()
    assert (info.name, info.title, info.items, info.error) == ("blank", "blank", 0, None)


# -- bad files -----------------------------------------------------------------------------

LINE_COLUMN = r"line \d+, column \d+"

BAD_FILES: list[tuple[str, bytes, str]] = [
    (
        "invalid-utf8",
        b'schema = 1\ntitle = "caf\xe9"\n',
        r"not valid UTF-8 \(byte 0xe9 at line 2, column 13\)",
    ),
    (
        "overlong-utf8",
        b'title = "\xc0\xaf"\n',
        r"not valid UTF-8 \(byte 0xc0 at line 1, column 10\)",
    ),
    (
        "nul",
        b'schema = 1\n[blocks]\nchannels = ["we\x00b"]\n',
        r"NUL character at line 3, column 16",
    ),
    (
        "truncated-array",
        b'schema = 1\ntitle = "Acme"\n\n[blocks]\nkey_partners = [\n    "AWS",\n',
        r"invalid TOML: .*end of document.*line 7, column 1",
    ),
    (
        "truncated-string",
        b'schema = 1\ntitle = "Acm',
        r"invalid TOML: .*end of document.*line 2, column 13",
    ),
    (
        "truncated-table",
        b'title = "a"\n[blo',
        r"invalid TOML: .*end of document.*line 2, column 5",
    ),
    (
        "syntax",
        b'schema = 1\ntitle = "a"\n[blocks]\nchannels = [web]\n',
        r"invalid TOML: .*\(at line 4, column 13\)",
    ),
    (
        "duplicate-key",
        b'title = "a"\ntitle = "b"\n',
        r"invalid TOML: .*\(at line 2, column \d+\)",
    ),
    (
        "duplicate-block",
        b'[blocks]\nchannels = ["a"]\nchannels = ["b"]\n',
        r"invalid TOML: .*\(at line 3, column \d+\)",
    ),
    (
        "duplicate-table",
        b'[blocks]\nchannels = ["a"]\n[blocks]\nkey_partners = []\n',
        r"invalid TOML: .*\(at line 3, column \d+\)",
    ),
    (
        "non-string-item",
        b'[blocks]\nkey_activities = ["ok", 3]\n',
        r"blocks\.key_activities\[1\] \(item 2 of key_activities\) must be a string or a table, "
        r"found an integer",
    ),
    (
        "nested-array-item",
        b'[blocks]\nchannels = [["a"]]\n',
        r"blocks\.channels\[0\] \(item 1 of channels\) must be a string or a table, found an array",
    ),
    (
        "table-item-without-text",
        b'[blocks]\nchannels = ["a", "b", {x = 1}]\n',
        r"blocks\.channels\[2\] \(item 3 of channels\) needs a 'text' string, found nothing",
    ),
    (
        "table-item-unknown-status",
        b'[blocks]\nchannels = [{text = "a", status = "done"}]\n',
        r"blocks\.channels\[0\] \(item 1 of channels\) has an unknown status 'done'",
    ),
    (
        "table-item-bad-tag",
        b'[blocks]\nchannels = [{text = "a", tags = ["B2B"]}]\n',
        r"blocks\.channels\[0\] \(item 1 of channels\) has a bad tag 'B2B'",
    ),
    (
        "datetime-item",
        b"[blocks]\nrevenue_streams = [1979-05-27T07:32:00Z]\n",
        r"blocks\.revenue_streams\[0\] .* must be a string or a table, found a datetime",
    ),
    (
        "bool-item",
        b"[blocks]\ncost_structure = [true]\n",
        r"blocks\.cost_structure\[0\] .* must be a string or a table, found a boolean",
    ),
    ("block-not-array", b'[blocks]\nchannels = "web"\n', r"blocks\.channels must be an array"),
    ("block-is-table", b"[blocks.channels]\nx = 1\n", r"blocks\.channels must be an array"),
    ("blocks-not-table", b'blocks = ["a"]\n', r"'blocks' must be a table, found an array"),
    ("title-int", b"title = 5\n", r"'title' must be a string, found an integer"),
    ("title-array", b'title = ["a"]\n', r"'title' must be a string, found an array"),
    ("schema-string", b'schema = "1"\n', r"'schema' must be a positive integer, found a string"),
    ("schema-zero", b"schema = 0\n", r"'schema' must be a positive integer"),
    ("schema-negative", b"schema = -3\n", r"'schema' must be a positive integer"),
    ("schema-bool", b"schema = true\n", r"'schema' must be a positive integer, found a boolean"),
    ("schema-float", b"schema = 1.0\n", r"'schema' must be a positive integer, found a float"),
    (
        "deep-arrays",
        b"x = " + b"[" * 2000 + b"]" * 2000 + b"\n",
        r"invalid TOML: .*(nested too deeply|" + LINE_COLUMN + ")",
    ),
    (
        "deep-tables",
        b"x = " + b"{a = " * 2000 + b"1" + b"}" * 2000 + b"\n",
        r"invalid TOML: .*(nested too deeply|" + LINE_COLUMN + ")",
    ),
]


@pytest.mark.parametrize(
    ("content", "message"),
    [pytest.param(content, message, id=case) for case, content, message in BAD_FILES],
)
def test_bad_file_gives_a_precise_error_and_is_left_alone(
    empty_store: CanvasStore, content: bytes, message: str
) -> None:
    path = write(empty_store.canvases_dir / "bad.toml", content)
    with pytest.raises(CanvasFileError, match=message):
        load(path)
    with pytest.raises(CanvasFileError, match=message):
        empty_store.open("bad")
    with pytest.raises(CanvasFileError):
        empty_store.rename("bad", "Renamed")
    with pytest.raises(CanvasFileError):
        empty_store.duplicate("bad")
    (info,) = empty_store.list()
    assert info.name == "bad"
    assert info.error is not None
    assert re.search(message, info.error)
    assert path.read_bytes() == content
    assert listing(empty_store.canvases_dir) == ["bad.toml"]


def test_toml_error_message_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "x.toml", "schema = 1\ntitle = \n")
    with pytest.raises(CanvasFileError) as caught:
        load(path)
    assert re.search(r"line 2, column 9", str(caught.value))
    assert "Traceback" not in str(caught.value)


def test_unreadable_path_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.toml")
    with pytest.raises(IsADirectoryError):
        load(tmp_path)


# -- newer schema --------------------------------------------------------------------------


def test_newer_schema_loads_but_save_refuses(empty_store: CanvasStore) -> None:
    content = (
        b'schema = 3\ntitle = "Future"\nfuture_key = {a = 1}\n\n[blocks]\nchannels = ["web"]\n'
    )
    path = write(empty_store.canvases_dir / "future.toml", content)
    loaded = load(path)
    assert loaded.schema == 3
    assert not loaded.writable
    assert loaded.canvas == canvas_with((5, "web"), title="Future")
    with pytest.raises(StoreError, match="newer") as caught:
        save(loaded, add_item(loaded.canvas, 0, "x").canvas)
    assert not isinstance(caught.value, ConflictError)
    assert path.read_bytes() == content
    assert listing(empty_store.canvases_dir) == ["future.toml"]
    assert empty_store.open("future").schema == 3
    with pytest.raises(StoreError):
        empty_store.rename("future", "Renamed")
    with pytest.raises(StoreError, match="newer"):
        empty_store.duplicate("future")
    assert path.read_bytes() == content
    assert listing(empty_store.canvases_dir) == ["future.toml"]


# -- symlinks, modes, backups --------------------------------------------------------------


def test_symlink_is_written_through(empty_store: CanvasStore, tmp_path: Path) -> None:
    target = write(tmp_path / "repo" / "plan.toml", CANONICAL)
    target.chmod(0o644)
    link = empty_store.canvases_dir / "plan.toml"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    loaded = empty_store.open("plan")
    changed = add_item(loaded.canvas, 1, "Ship it").canvas
    save(loaded, changed)
    assert link.is_symlink()
    assert link.readlink() == target
    assert load(target).canvas == changed
    assert mode(target) == 0o644
    assert (tmp_path / "repo" / "plan.toml.bak").read_text() == CANONICAL
    assert listing(empty_store.canvases_dir) == ["plan.toml"]
    assert listing(tmp_path / "repo") == ["plan.toml", "plan.toml.bak"]


def test_relative_symlink_is_written_through(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "plan.toml", CANONICAL)
    link = tmp_path / "links" / "plan.toml"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "real" / "plan.toml")
    loaded = load(link)
    save(loaded, retitle(loaded.canvas, "Via link"))
    assert link.is_symlink()
    assert load(target).canvas.title == "Via link"


def test_rename_and_trash_keep_a_symlink_a_symlink(
    empty_store: CanvasStore, tmp_path: Path
) -> None:
    target = write(tmp_path / "repo" / "plan.toml", CANONICAL)
    link = empty_store.canvases_dir / "plan.toml"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    new_name = empty_store.rename("plan", "Moved Plan")
    moved = empty_store.path_for(new_name)
    assert moved.is_symlink()
    trashed = empty_store.delete(new_name)
    assert trashed.is_symlink()
    restored = empty_store.path_for(empty_store.restore(trashed, new_name))
    assert restored.is_symlink()
    loaded = load(restored)
    save(loaded, add_item(loaded.canvas, 2, "Still linked").canvas)
    assert load(target).canvas.texts(2) == ("Still linked",)
    assert load(target).canvas.title == "Moved Plan"


@pytest.mark.parametrize("file_mode", [0o640, 0o644, 0o600, 0o660])
def test_mode_is_kept(tmp_path: Path, file_mode: int) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    path.chmod(file_mode)
    loaded = load(path)
    save(loaded, add_item(loaded.canvas, 1, "x").canvas)
    assert mode(path) == file_mode


def test_new_files_are_private(empty_store: CanvasStore, tmp_path: Path) -> None:
    loaded = empty_store.open("secret")
    save(loaded, add_item(loaded.canvas, 0, "x").canvas)
    assert mode(empty_store.path_for("secret")) == 0o600
    other = tmp_path / "deep" / "er" / "plan.toml"
    save(new_base(other), blank("x"))
    assert mode(other) == 0o600
    assert mode(other.parent) == 0o700


def test_backup_holds_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    first = save(new_base(path), blank("v1"))
    assert not (tmp_path / "plan.toml.bak").exists()
    v1 = path.read_bytes()
    second = save(first, blank("v2"))
    assert (tmp_path / "plan.toml.bak").read_bytes() == v1
    v2 = path.read_bytes()
    save(second, blank("v3"))
    assert (tmp_path / "plan.toml.bak").read_bytes() == v2
    assert load(path).canvas.title == "v3"
    assert listing(tmp_path) == ["plan.toml", "plan.toml.bak"]


# -- conflicts -----------------------------------------------------------------------------


def test_conflict_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    theirs = CANONICAL.replace("Stripe", "Adyen").encode()
    path.write_bytes(theirs)
    with pytest.raises(ConflictError, match="changed on disk"):
        save(loaded, add_item(loaded.canvas, 1, "mine").canvas)
    assert path.read_bytes() == theirs
    assert not (tmp_path / "plan.toml.bak").exists()
    assert isinstance(ConflictError("x"), StoreError)


def test_conflict_with_same_size_and_mtime_but_other_content(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    before = path.stat()
    theirs = CANONICAL.replace("Stripe", "Strip3").encode()
    path.write_bytes(theirs)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ConflictError):
        save(loaded, blank("mine"))
    assert path.read_bytes() == theirs


def test_no_conflict_when_only_touched(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    later = path.stat().st_mtime + 100
    os.utime(path, (later, later))
    changed = add_item(loaded.canvas, 1, "mine").canvas
    save(loaded, changed)
    assert load(path).canvas == changed


def test_no_conflict_when_rewritten_with_the_same_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    path.write_bytes(CANONICAL.encode())
    os.utime(path, (1, 1))
    save(loaded, blank("mine"))
    assert load(path).canvas == blank("mine")


def test_conflict_when_the_file_was_deleted(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    path.unlink()
    with pytest.raises(ConflictError):
        save(loaded, blank("mine"))
    assert not path.exists()


def test_conflict_when_a_new_file_appeared(empty_store: CanvasStore) -> None:
    loaded = empty_store.open("fresh")
    assert not loaded.exists
    someone = write(loaded.path, 'title = "Someone else"\n')
    with pytest.raises(ConflictError):
        save(loaded, blank("mine"))
    assert someone.read_text() == 'title = "Someone else"\n'


def test_stale_base_conflicts_after_own_save(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    fresh = save(loaded, blank("one"))
    with pytest.raises(ConflictError):
        save(loaded, blank("two"))  # the old base no longer matches the file
    save(fresh, blank("two"))
    assert load(path).canvas.title == "two"


# -- failed writes -------------------------------------------------------------------------


def failing(exception: OSError) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise exception

    return fail


def assert_untouched(folder: Path, path: Path, content: bytes, allowed: set[str]) -> None:
    assert path.read_bytes() == content
    assert set(listing(folder)) <= allowed
    assert not [name for name in listing(folder) if name.endswith(".tmp")]


@pytest.mark.parametrize("function", ["replace", "fsync"])
def test_failed_write_leaves_the_original_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str
) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    content = path.read_bytes()
    loaded = load(path)
    monkeypatch.setattr(os, function, failing(OSError(errno.ENOSPC, "No space left")))
    with pytest.raises(SaveError, match="disk is full") as caught:
        save(loaded, add_item(loaded.canvas, 0, "x" * 10_000).canvas)
    assert caught.value.errno == errno.ENOSPC
    assert isinstance(caught.value, OSError)
    monkeypatch.undo()
    assert_untouched(tmp_path, path, content, {"plan.toml"})
    # nothing changed, so the same base saves once the disk has room again
    changed = add_item(loaded.canvas, 0, "after").canvas
    save(loaded, changed)
    assert load(path).canvas == changed


def test_failed_final_replace_keeps_original_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    content = path.read_bytes()
    loaded = load(path)
    real_replace = os.replace

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target) == path:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SaveError):
        save(loaded, blank("mine"))
    monkeypatch.undo()
    assert_untouched(tmp_path, path, content, {"plan.toml", "plan.toml.bak"})


def test_failed_write_of_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.toml"
    monkeypatch.setattr(os, "fsync", failing(OSError(errno.EIO, "I/O error")))
    with pytest.raises(SaveError):
        save(new_base(path), blank("x"))
    monkeypatch.undo()
    assert listing(tmp_path) == []


def test_read_only_folder_refuses_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    monkeypatch.setattr("tempfile.mkstemp", failing(OSError(errno.EROFS, "Read-only file system")))
    with pytest.raises(SaveError, match="read-only"):
        save(loaded, blank("x"))
    monkeypatch.undo()
    assert_untouched(tmp_path, path, CANONICAL.encode(), {"plan.toml"})


def test_remove_stale_temps(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    strays = [
        write(tmp_path / ".plan.toml.k3j4h5.tmp", "half written"),
        write(tmp_path / ".plan.toml.bak.tmp", "half a backup"),
    ]
    keep = [
        write(tmp_path / ".other.toml.abc.tmp", "someone else's"),
        write(tmp_path / "plan.toml.bak", "backup"),
        write(tmp_path / "plan.toml.tmp", "not ours"),
    ]
    removed = remove_stale_temps(path)
    assert sorted(removed) == sorted(strays)
    assert not any(stray.exists() for stray in strays)
    assert all(kept.exists() for kept in keep)
    assert path.read_text() == CANONICAL
    assert remove_stale_temps(path) == []


def test_remove_stale_temps_next_to_symlink_target(tmp_path: Path) -> None:
    target = write(tmp_path / "repo" / "plan.toml", CANONICAL)
    link = tmp_path / "links" / "plan.toml"
    link.parent.mkdir()
    link.symlink_to(target)
    stray = write(tmp_path / "repo" / ".plan.toml.xyz.tmp", "junk")
    assert remove_stale_temps(link) == [stray]
    assert not stray.exists()


# -- rename, duplicate, delete -------------------------------------------------------------


def test_rename_changes_title_and_file_name(empty_store: CanvasStore) -> None:
    name = empty_store.create("Acme")
    base = load(empty_store.path_for(name))
    save(base, add_item(base.canvas, 0, "AWS").canvas)
    new_name = empty_store.rename(name, "Acme Robotics")
    assert new_name == "acme-robotics"
    assert empty_store.names() == ["acme-robotics"]
    loaded = load(empty_store.path_for(new_name))
    assert loaded.canvas.title == "Acme Robotics"
    assert loaded.canvas.texts(0) == ("AWS",)
    assert listing(empty_store.canvases_dir) == ["acme-robotics.toml", "acme-robotics.toml.bak"]


def test_rename_to_the_same_slug_only_retitles(empty_store: CanvasStore) -> None:
    name = empty_store.create("acme")
    assert empty_store.rename(name, "ACME!") == "acme"
    assert load(empty_store.path_for("acme")).canvas.title == "ACME!"
    assert empty_store.names() == ["acme"]


def test_rename_collision_is_refused(empty_store: CanvasStore) -> None:
    empty_store.create("Acme")
    empty_store.create("Beta")
    acme = empty_store.path_for("acme").read_bytes()
    beta = empty_store.path_for("beta").read_bytes()
    with pytest.raises(NameTakenError, match="beta"):
        empty_store.rename("acme", "Beta")
    assert empty_store.path_for("acme").read_bytes() == acme
    assert empty_store.path_for("beta").read_bytes() == beta
    assert listing(empty_store.canvases_dir) == ["acme.toml", "beta.toml"]


def test_rename_missing_canvas(empty_store: CanvasStore) -> None:
    empty_store.ensure()
    with pytest.raises(FileNotFoundError):
        empty_store.rename("ghost", "Boo")


def test_rename_keeps_comments(empty_store: CanvasStore) -> None:
    write(empty_store.canvases_dir / "hand.toml", HAND)
    new_name = empty_store.rename("hand", "Acme Inc")
    assert new_name == "acme-inc"
    assert empty_store.path_for(new_name).read_text() == HAND.replace("'Acme'", '"Acme Inc"')


def test_duplicate_keeps_comments_and_adds_copy_to_the_title(empty_store: CanvasStore) -> None:
    path = write(empty_store.canvases_dir / "hand.toml", HAND)
    path.chmod(0o644)
    copy = empty_store.duplicate("hand")
    assert copy == "hand-copy"
    copied = empty_store.path_for(copy)
    assert copied.read_text() == HAND.replace("'Acme'", '"Acme (copy)"')
    assert path.read_text() == HAND
    assert load(copied).canvas == retitle(load(path).canvas, "Acme (copy)")
    assert mode(copied) == 0o600
    assert empty_store.duplicate("hand") == "hand-copy-2"


def test_duplicate_untitled_canvas_uses_the_name(empty_store: CanvasStore) -> None:
    write(empty_store.canvases_dir / "plain.toml", "")
    copy = empty_store.duplicate("plain")
    assert load(empty_store.path_for(copy)).canvas.title == "plain (copy)"


def test_duplicate_of_a_64_character_name(empty_store: CanvasStore) -> None:
    name = empty_store.create("T", name="x" * 64)
    first = empty_store.duplicate(name)
    second = empty_store.duplicate(name)
    for copy in (first, second):
        assert len(copy) <= 64
        assert empty_store.path_for(copy).is_file()
    assert first != second
    assert first.endswith("-copy")


def test_delete_moves_to_trash_and_restore_brings_it_back(empty_store: CanvasStore) -> None:
    name = empty_store.create("Acme")
    base = load(empty_store.path_for(name))
    save(base, add_item(base.canvas, 0, "AWS").canvas)
    content = empty_store.path_for(name).read_bytes()
    trashed = empty_store.delete(name)
    assert trashed == empty_store.data_dir / "trash" / "acme.toml"
    assert trashed.read_bytes() == content
    assert mode(empty_store.trash_dir) == 0o700
    assert not empty_store.exists(name)
    assert empty_store.list() == []
    assert listing(empty_store.canvases_dir) == []  # the backup went along
    assert empty_store.restore(trashed, name) == name
    assert empty_store.path_for(name).read_bytes() == content
    assert not trashed.exists()
    assert [info.name for info in empty_store.list()] == ["acme"]


def test_delete_twice_keeps_both_in_trash(empty_store: CanvasStore) -> None:
    empty_store.create("Acme")
    first = empty_store.delete("acme")
    empty_store.create("Acme Again", name="acme")
    second = empty_store.delete("acme")
    assert first != second
    assert load(first).canvas.title == "Acme"
    assert load(second).canvas.title == "Acme Again"
    assert second.parent == empty_store.trash_dir


def test_restore_to_a_taken_name_picks_a_free_one(empty_store: CanvasStore) -> None:
    empty_store.create("Acme")
    trashed = empty_store.delete("acme")
    empty_store.create("Acme New")
    empty_store.create("Newcomer", name="acme")
    restored = empty_store.restore(trashed, "acme")
    assert restored == "acme-2"
    assert load(empty_store.path_for("acme-2")).canvas.title == "Acme"
    assert load(empty_store.path_for("acme")).canvas.title == "Newcomer"


def test_delete_missing_canvas(empty_store: CanvasStore) -> None:
    empty_store.ensure()
    with pytest.raises(StoreError, match="ghost"):
        empty_store.delete("ghost")


# -- templates, statuses and copies -------------------------------------------------------


def test_create_with_a_template(empty_store: CanvasStore) -> None:
    name = empty_store.create("Lean idea", template="lean")
    path = empty_store.path_for(name)
    assert path.read_text(encoding="utf-8") == (
        'schema = 1\ntitle = "Lean idea"\ntemplate = "lean"\n\n[blocks]\n'
        + "".join(f"{key} = []\n" for key in LEAN.keys)
    )
    loaded = load(path)
    assert loaded.template is empty_store.templates.get("lean")
    assert loaded.canvas == Canvas.new("Lean idea", LEAN)


def test_create_with_an_unknown_template_is_refused(empty_store: CanvasStore) -> None:
    with pytest.raises(TemplateError, match=r"no template 'nope' \(installed: tech-bmc, lean\)"):
        empty_store.create("x", template="nope")
    assert empty_store.names() == []


def test_open_a_new_canvas_of_a_template(empty_store: CanvasStore) -> None:
    loaded = empty_store.open("lean-plan", template="lean")
    assert not loaded.exists
    assert loaded.template.id == "lean"
    assert loaded.canvas == Canvas.new("Lean Plan", LEAN)
    save(loaded, add_item(loaded.canvas, 0, "Too many meetings").canvas)
    assert load(loaded.path).canvas.template == "lean"
    # an existing canvas keeps its own template, whatever is asked for
    assert empty_store.open("lean-plan", template="tech-bmc").template.id == "lean"


def test_list_has_the_template_and_per_status_counts(empty_store: CanvasStore) -> None:
    name = empty_store.create("Lean idea", template="lean")
    base = load(empty_store.path_for(name))
    canvas = add_item(base.canvas, 0, Item("a", "validated")).canvas
    canvas = add_item(canvas, 0, Item("b", "validated")).canvas
    canvas = add_item(canvas, 1, Item("c", "testing", ("x",))).canvas
    canvas = add_item(canvas, 2, "d").canvas
    save(base, canvas)
    empty_store.create("Plain")
    infos = {info.name: info for info in empty_store.list()}
    assert infos[name].template == "lean"
    assert infos[name].items == 4
    assert dict(infos[name].statuses) == {
        "assumption": 0,
        "testing": 1,
        "validated": 2,
        "invalidated": 0,
    }
    assert infos["plain"].template == "tech-bmc"
    assert set(infos["plain"].statuses.values()) == {0}


def test_status_tags_and_notes_survive_rename_and_duplicate(empty_store: CanvasStore) -> None:
    name = empty_store.create("Acme")
    base = load(empty_store.path_for(name))
    canvas = add_item(base.canvas, 3, Item("Fast", "testing", ("b2b",), "why\nnot")).canvas
    save(base, canvas)
    renamed = empty_store.rename(name, "Acme Two")
    copy = empty_store.duplicate(renamed)
    for each in (renamed, copy):
        loaded = load(empty_store.path_for(each))
        assert loaded.schema == 2
        assert loaded.canvas.items(3) == (Item("Fast", "testing", ("b2b",), "why\nnot"),)


MISSING_TEMPLATE = 'title = "Hex"\ntemplate = "hexagon"\n[blocks]\nalpha = ["one"]\n'


def test_a_canvas_of_a_missing_template_is_listed_and_never_rewritten(
    empty_store: CanvasStore,
) -> None:
    path = write(empty_store.canvases_dir / "hex.toml", MISSING_TEMPLATE)
    (info,) = empty_store.list()
    assert (info.name, info.title, info.template, info.items, info.error) == (
        "hex",
        "Hex",
        "hexagon",
        1,
        None,
    )
    loaded = empty_store.open("hex")
    assert not loaded.writable
    assert loaded.canvas.texts(0) == ("one",)
    with pytest.raises(StoreError, match="not installed"):
        empty_store.rename("hex", "Renamed")
    with pytest.raises(StoreError, match="not installed"):
        empty_store.duplicate("hex")
    assert path.read_text(encoding="utf-8") == MISSING_TEMPLATE
    assert listing(empty_store.canvases_dir) == ["hex.toml"]


def test_save_copy_writes_a_new_file_beside_or_in_a_folder(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.toml", CANONICAL)
    loaded = load(path)
    mine = set_status(add_item(loaded.canvas, 1, "mine").canvas, Pos(1, 0), "testing").canvas
    first = save_copy(loaded, mine)
    second = save_copy(loaded, mine)
    assert first == tmp_path / "plan-mine.toml"
    assert second != first
    assert second.parent == tmp_path
    assert load(first).canvas == mine
    assert load(second).canvas == mine
    assert mode(first) == 0o600
    (tmp_path / "other").mkdir()
    elsewhere = save_copy(loaded, mine, tmp_path / "other", suffix="theirs")
    assert elsewhere == tmp_path / "other" / "plan-theirs.toml"
    assert path.read_text() == CANONICAL  # the original is left alone


@pytest.mark.parametrize("stores", ["one store, many threads", "a store per thread"])
def test_a_fresh_data_dir_listed_by_many_threads_at_once_is_made_and_seeded_once(
    tmp_path: Path, stores: str
) -> None:
    """The browser lists on worker threads, and two of them can start together on a first
    run (it crashed with FileExistsError); two programs can start together too."""
    import threading

    data_dir = tmp_path / "fresh" / "canvas-tui"
    shared = CanvasStore(data_dir)
    start = threading.Barrier(8)
    listed: list[list[str]] = []
    errors: list[BaseException] = []

    def list_names() -> None:
        store = shared if stores == "one store, many threads" else CanvasStore(data_dir)
        start.wait()
        try:
            listed.append([info.name for info in store.list()])
        except BaseException as error:  # reported below, with its type
            errors.append(error)

    threads = [threading.Thread(target=list_names) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(path.name for path in (data_dir / "canvases").iterdir()) == ["example.toml"]
    if stores == "one store, many threads":  # each thread waited for the example
        assert listed == [["example"]] * 8
