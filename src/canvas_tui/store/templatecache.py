"""The compiled cache of the shipped templates: `<data dir>/cache/templates.marshal`.

Parsing the shipped templates (`tomllib`, and the checks of `template.parse`) took a good part
of a plain command's few tens of milliseconds at every start. The cache holds them as plain
tuples (`template.spec.template_data`) in `marshal`'s format, with what they were made from:
canvas-tui's version, the full text of every shipped template file, and the size and time of
the modules that make a template of a file (for a source checkout, whose version stays while
its code changes). It is used only when all are exactly those of this start, so an edited,
added or removed template file, or other code, is never read from it. It is never needed: a
cache that is missing, unreadable, of another version, stale or damaged is ignored and the
templates are parsed, and writing it (atomically, only into a data dir that exists) may fail
without anyone noticing.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from canvas_tui import __version__
from canvas_tui.store.atomic import atomic_write
from canvas_tui.template import spec
from canvas_tui.template.installed import (
    Templates,
    built_in_read,
    shipped_texts,
    use_built_in,
)
from canvas_tui.template.installed import built_in_templates as parsed_built_in
from canvas_tui.template.parse import parse_template
from canvas_tui.template.spec import template_data, template_from_data

CACHE_FOLDER = "cache"
CACHE_FILE = "templates.marshal"
FORMAT = 1  # of the cached data: raised when `template_data` changes


def cache_path(data_dir: Path) -> Path:
    return data_dir / CACHE_FOLDER / CACHE_FILE


# The modules whose code decides what a template file gives (in `canvas_tui/template/`).
_CODE = ("installed.py", "neighbours.py", "parse.py", "place.py", "spec.py")


def cache_key(texts: tuple[str, ...]) -> tuple[Any, ...]:
    """What a cache must have been made from to be used: this format and version of
    canvas-tui, these template texts, and this code."""
    return (FORMAT, __version__, texts, _code_stamp())


def _code_stamp() -> tuple[tuple[int, int], ...]:
    folder = Path(spec.__file__).parent
    try:
        stats = [(folder / name).stat() for name in _CODE]
    except OSError:  # no source files (a zip, only compiled files): the version decides
        return ()
    return tuple((stat.st_mtime_ns, stat.st_size) for stat in stats)


def read_cache(path: Path, texts: tuple[str, ...]) -> Templates | None:
    """The templates cached at `path` if they were made from exactly `texts` by this
    version; else None (no cache, or one that cannot be used)."""
    try:
        key, data = marshal.loads(path.read_bytes())
        if key != cache_key(texts):
            return None
        return Templates(template_from_data(entry) for entry in data)
    except Exception:  # any damage at all (marshal's ValueError, EOFError, TypeError…)
        return None


def write_cache(path: Path, texts: tuple[str, ...], templates: Templates) -> bool:
    """Cache `templates`, parsed from `texts`, at `path`; False if it could not be written.
    Its folder is made if needed, but not the data dir (a new data dir gets its example)."""
    data = marshal.dumps((cache_key(texts), tuple(template_data(t) for t in templates)))
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        atomic_write(path, data, backup=False)
    except OSError:
        return False
    return True


def built_in_templates(data_dir: Path, *, write: bool = True) -> Templates:
    """The shipped templates, from the cache in `data_dir` when it can be used, else parsed
    (and cached for the next start, unless `write` is False: a read-only session writes
    nothing in the data dir); from then on the ones `template.built_in_templates` gives in
    this process."""
    if built_in_read():
        return parsed_built_in()
    texts = shipped_texts()
    path = cache_path(data_dir)
    templates = read_cache(path, texts)
    if templates is None:
        templates = Templates(parse_template(text) for text in texts)
        if write:
            write_cache(path, texts, templates)
    return use_built_in(templates)
