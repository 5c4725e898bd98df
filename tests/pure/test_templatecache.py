"""The compiled cache of the shipped templates (`store.templatecache`): it gives exactly the
parsed templates, is used only when made from the same template files by the same version, is
written atomically, and is never needed: missing, damaged, stale or unwritable, the templates
are parsed."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from canvas_tui.store import templatecache
from canvas_tui.store.templatecache import cache_path, read_cache, write_cache
from canvas_tui.template import Templates, built_in_templates, installed, parse_template
from canvas_tui.template.installed import shipped_texts
from canvas_tui.template.spec import template_data, template_from_data

SHIPPED = built_in_templates()
TEXTS = shipped_texts()


def same(one: Templates, other: Templates) -> bool:
    return [(t, t.source, t.installed) for t in one] == [(t, t.source, t.installed) for t in other]


def test_the_data_of_a_template_makes_it_back() -> None:
    assert len(SHIPPED) == len(TEXTS) >= 2
    for template in SHIPPED:
        data = template_data(template)
        assert marshal.loads(marshal.dumps(data)) == data  # plain values only
        assert template_from_data(data) == template


def test_written_then_read_gives_the_parsed_templates(tmp_path: Path) -> None:
    path = cache_path(tmp_path)
    assert read_cache(path, TEXTS) is None  # none yet
    assert write_cache(path, TEXTS, SHIPPED)
    cached = read_cache(path, TEXTS)
    assert cached is not None
    assert same(cached, SHIPPED)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left


def test_a_cache_of_other_template_files_or_another_version_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = cache_path(tmp_path)
    write_cache(path, TEXTS, SHIPPED)
    edited = (TEXTS[0] + "# edited\n", *TEXTS[1:])
    assert read_cache(path, edited) is None
    assert read_cache(path, TEXTS[:1]) is None  # a file removed
    assert read_cache(path, (*TEXTS, TEXTS[0])) is None  # a file added
    monkeypatch.setattr(templatecache, "__version__", "0.0.0-other")
    assert read_cache(path, TEXTS) is None


def test_a_cache_made_by_other_template_code_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = cache_path(tmp_path)
    write_cache(path, TEXTS, SHIPPED)
    assert read_cache(path, TEXTS) is not None
    stamp = templatecache._code_stamp()
    assert len(stamp) == len(templatecache._CODE)  # a source tree: each module's time and size
    monkeypatch.setattr(templatecache, "_code_stamp", lambda: ((1, 2), *stamp[1:]))
    assert read_cache(path, TEXTS) is None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not marshal at all",
        marshal.dumps(None),
        marshal.dumps((1, 2, 3)),
        marshal.dumps((templatecache.cache_key(TEXTS), ((1, 2),))),
        marshal.dumps((templatecache.cache_key(TEXTS), None)),
    ],
)
def test_a_damaged_cache_is_ignored(tmp_path: Path, damage: bytes) -> None:
    path = cache_path(tmp_path)
    write_cache(path, TEXTS, SHIPPED)
    good = path.read_bytes()
    path.write_bytes(damage)
    assert read_cache(path, TEXTS) is None
    path.write_bytes(good[: len(good) // 2])  # truncated
    assert read_cache(path, TEXTS) is None


def test_an_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    path = cache_path(tmp_path)
    path.mkdir(parents=True)  # a folder where the file should be
    assert read_cache(path, TEXTS) is None
    assert not write_cache(path, TEXTS, SHIPPED)


def test_no_data_dir_is_made_for_the_cache(tmp_path: Path) -> None:
    data_dir = tmp_path / "new"
    assert not write_cache(cache_path(data_dir), TEXTS, SHIPPED)
    assert not data_dir.exists()  # a new data dir is made (and seeded) by the store only


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> list[Templates]:
    """The shipped templates not read yet, as at a process's start."""
    built: list[Templates] = []
    monkeypatch.setattr(installed, "_built_in", built)
    return built


def test_a_start_parses_and_caches_and_the_next_reads_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_process: list[Templates]
) -> None:
    first = templatecache.built_in_templates(tmp_path)
    assert same(first, SHIPPED)
    assert built_in_templates() is first
    assert cache_path(tmp_path).is_file()

    fresh_process.clear()  # the next start: no parsing at all

    def no_parsing(text: str, source: str = "") -> None:
        raise AssertionError("parsed although the cache holds the templates")

    monkeypatch.setattr(templatecache, "parse_template", no_parsing)
    monkeypatch.setattr(installed, "parse_template", no_parsing)
    second = templatecache.built_in_templates(tmp_path)
    assert same(second, SHIPPED)
    assert built_in_templates() is second


def test_a_read_only_session_parses_and_writes_no_cache(
    tmp_path: Path, fresh_process: list[Templates]
) -> None:
    templates = templatecache.built_in_templates(tmp_path, write=False)
    assert same(templates, SHIPPED)
    assert list(tmp_path.iterdir()) == []  # nothing written in the data dir


@pytest.mark.parametrize(
    ("command", "read_only", "cached"),
    [("show", False, True), ("view", False, False), ("open", True, False), ("serve", True, False)],
)
def test_only_a_session_that_may_write_caches_the_templates(
    tmp_path: Path, fresh_process: list[Templates], command: str, read_only: bool, cached: bool
) -> None:
    from argparse import Namespace

    from canvas_tui.cli.common import Context
    from canvas_tui.store.config import read_config

    args = Namespace(command=command, read_only=read_only, data_dir=str(tmp_path))
    assert same(Context(args, read_config(tmp_path / "none.toml")).store.templates, SHIPPED)
    assert cache_path(tmp_path).is_file() == cached


def test_a_stale_cache_is_parsed_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_process: list[Templates]
) -> None:
    lean = next(t for t in SHIPPED if t.id == "lean")
    write_cache(cache_path(tmp_path), TEXTS, Templates([lean]))  # wrong content...
    monkeypatch.setattr(templatecache, "__version__", "0.0.0-other")  # ...of another version
    assert same(templatecache.built_in_templates(tmp_path), SHIPPED)
    cached = read_cache(cache_path(tmp_path), TEXTS)
    assert cached is not None
    assert same(cached, SHIPPED)


def test_the_cache_never_overrides_templates_read_already(
    tmp_path: Path, fresh_process: list[Templates]
) -> None:
    read = Templates(parse_template(text) for text in TEXTS)
    fresh_process.append(read)
    assert templatecache.built_in_templates(tmp_path) is read
