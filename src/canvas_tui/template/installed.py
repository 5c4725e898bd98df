"""The installed templates: the shipped ones (read once from `canvas_tui/template/shipped/`), plus a
user's own from their folder (which win), as a `Templates` set; `BrokenTemplate` for a user's
file that cannot be used, and `stand_in` for a canvas whose template is not installed.

Reading the template files is the only I/O in the `template` package, and it is all here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from canvas_tui.records import Record
from canvas_tui.template.parse import parse_template
from canvas_tui.template.place import Place
from canvas_tui.template.spec import (
    DEFAULT_TEMPLATE,
    MAX_BLOCKS,
    BlockSpec,
    Template,
    TemplateError,
    make_template,
)


class BrokenTemplate(Record):
    """A template file that could not be used, and why."""

    __slots__ = ("problem", "source")
    _fields = ("source", "problem")

    source: str
    problem: str

    def __init__(self, source: str, problem: str) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "problem", problem)

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


class Templates:
    """The templates a session can use: the shipped ones, then the user's (which win)."""

    def __init__(
        self, templates: Iterable[Template], broken: Iterable[BrokenTemplate] = ()
    ) -> None:
        self._by_id = {template.id: template for template in templates}
        self.broken = tuple(broken)

    def __contains__(self, template_id: object) -> bool:
        return template_id in self._by_id

    def __iter__(self) -> Iterator[Template]:
        """The default template first, then by id."""
        return iter(sorted(self._by_id.values(), key=lambda t: (t.id != DEFAULT_TEMPLATE, t.id)))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, template_id: str) -> Template | None:
        return self._by_id.get(template_id)

    @property
    def default(self) -> Template:
        return self._by_id.get(DEFAULT_TEMPLATE) or built_in_templates().default

    def for_canvas(self, template_id: str, keys: Iterable[str] = ()) -> Template:
        """The template a canvas names, or a stand-in with `keys` as its blocks if it is
        not installed (such a canvas is shown read-only)."""
        found = self._by_id.get(template_id)
        return found if found is not None else stand_in(template_id, keys)


def stand_in(template_id: str, keys: Iterable[str]) -> Template:
    """A template for a canvas whose template is missing: its own keys, one under another."""
    unique = list(dict.fromkeys(keys))[:MAX_BLOCKS] or ["items"]
    blocks = [
        BlockSpec(number, key, key, str(number), "", (), Place(number - 1, 0))
        for number, key in enumerate(unique, 1)
    ]
    return make_template(
        template_id,
        f"{template_id} (not installed)",
        blocks,
        rows=len(blocks),
        columns=1,
        source="missing",
        installed=False,
    )


_built_in: list[Templates] = []  # the shipped templates, once read


def built_in_templates() -> Templates:
    """The templates shipped in `canvas_tui/template/shipped/` (read once per process)."""
    if not _built_in:
        _built_in.append(Templates(parse_template(text) for text in shipped_texts()))
    return _built_in[0]


def use_built_in(templates: Templates) -> Templates:
    """Take `templates` as the shipped ones, unless they were read already in this process;
    returns the shipped templates in use. For the compiled cache (`store.templatecache`),
    which gives exactly what `built_in_templates` would, without parsing."""
    if not _built_in:
        _built_in.append(templates)
    return _built_in[0]


def built_in_read() -> bool:
    """Whether the shipped templates were read already in this process."""
    return bool(_built_in)


def shipped_texts() -> tuple[str, ...]:
    """The text of each template file shipped in `canvas_tui/template/shipped/`, by file name."""
    folder = Path(__file__).parent / "shipped"
    if folder.is_dir():  # an installed package or a source tree: plain files
        paths = sorted(path for path in folder.iterdir() if path.name.endswith(".toml"))
        return tuple(path.read_text(encoding="utf-8") for path in paths)
    # Imported from a zip file: only importlib.resources can read it (4 ms to import).
    from importlib import resources

    entries = (resources.files("canvas_tui.template") / "shipped").iterdir()
    return tuple(
        entry.read_text(encoding="utf-8")
        for entry in sorted(entries, key=lambda entry: entry.name)
        if entry.name.endswith(".toml")
    )


def load_templates(user_folder: Path | None) -> Templates:
    """The shipped templates plus the user's `*.toml` in `user_folder` (if it exists).

    A broken user template is reported in `Templates.broken` and left out; it never stops
    the others from loading.
    """
    shipped = built_in_templates()
    if user_folder is None:
        return shipped
    try:
        files = sorted(path for path in user_folder.glob("*.toml") if not path.name.startswith("."))
    except OSError:
        return shipped
    if not files:
        return shipped
    templates = list(shipped)
    broken: list[BrokenTemplate] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            template = parse_template(text, source=str(path))
        except (OSError, UnicodeDecodeError) as error:
            broken.append(BrokenTemplate(str(path), f"cannot be read: {error}"))
            continue
        except TemplateError as error:
            broken.append(BrokenTemplate(str(path), str(error)))
            continue
        templates = [t for t in templates if t.id != template.id] + [template]
    return Templates(templates, broken)


def default_template() -> Template:
    """The Tech Business Model Canvas, as shipped."""
    return built_in_templates().default


# -- templates that travel with the canvases -------------------------------------------------

CANVASES_FOLDER = "canvases"
FOLDER_TEMPLATES = "templates"  # beside `canvases/` (or inside a plain folder of canvases)

_overlays: dict[tuple[Path, tuple[tuple[str, int, int], ...], Templates], Templates] = {}


def canvas_templates_folder(canvas_path: Path) -> Path:
    """Where the templates that travel with the canvas at `canvas_path` live: `templates/`
    beside its `canvases/` folder (a data dir or a repository), else `templates/` in its own
    folder (a plain folder of canvases)."""
    folder = canvas_path.parent
    if folder.name == CANVASES_FOLDER:
        return folder.parent / FOLDER_TEMPLATES
    return folder / FOLDER_TEMPLATES


def with_folder(templates: Templates, folder: Path) -> Templates:
    """`templates` with the `*.toml` templates in `folder` added; they win over all others
    (the folder's own templates decide how its canvases read). `templates` itself when the
    folder has none; a broken one is reported in `broken` and left out."""
    try:
        files = sorted(path for path in folder.glob("*.toml") if not path.name.startswith("."))
        stamp = tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    except OSError:
        return templates
    if not files:
        return templates
    key = (folder, stamp, templates)
    found = _overlays.get(key)
    if found is not None:
        return found
    added: list[Template] = []
    broken = list(templates.broken)
    for path in files:
        try:
            added.append(parse_template(path.read_text(encoding="utf-8"), source=str(path)))
        except (OSError, UnicodeDecodeError) as error:
            broken.append(BrokenTemplate(str(path), f"cannot be read: {error}"))
        except TemplateError as error:
            broken.append(BrokenTemplate(str(path), str(error)))
    ids = {template.id for template in added}
    result = Templates([*(t for t in templates if t.id not in ids), *added], broken)
    if len(_overlays) > 64:  # a long session over many folders: forget the oldest
        _overlays.pop(next(iter(_overlays)))
    _overlays[key] = result
    return result


def templates_for_canvas(templates: Templates, canvas_path: Path) -> Templates:
    """The templates a canvas file is read with: `templates` (the shipped and the user's),
    with those that travel with it (`canvas_templates_folder`) winning."""
    return with_folder(templates, canvas_templates_folder(canvas_path))
