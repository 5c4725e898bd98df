"""`canvas-tui import`: a new canvas from Markdown (canvas-tui's own export, or the canvases
people write: headings that name blocks, lists, paragraphs, tables), JSON (canvas-tui's own,
or another tool's) or TOML. The template is `--template`, else the one the file names, else
the installed one whose blocks the file names best. It never replaces a canvas, and never
imports Textual."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from canvas_tui.cli.common import (
    AddCommand,
    CliError,
    Context,
    Handler,
    json_option,
    print_json,
)
from canvas_tui.cli.importreport import (
    NothingNamed,
    Skip,
    dry_run,
    nothing_named,
    say_template,
    warn_sections,
)
from canvas_tui.cli.items import installed_template
from canvas_tui.model import Canvas

if TYPE_CHECKING:
    from canvas_tui.store import CanvasStore
    from canvas_tui.template import Template

IMPORT_FORMATS = ("markdown", "json", "toml")
FORMAT_OF_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".toml": "toml"}


def register(add: AddCommand) -> dict[str, Handler]:
    import_ = add("import", "make a new canvas from Markdown, JSON or TOML; prints its name")
    import_.add_argument("file", metavar="FILE|-", help="the file to read ('-': standard input)")
    import_.add_argument(
        "--format", "-f", choices=IMPORT_FORMATS, help="default: from the file name or content"
    )
    import_.add_argument("--name", help="the new canvas's name (default: from its title)")
    import_.add_argument("--title", help="its title (default: the file's)")
    import_.add_argument(
        "--template", metavar="ID", help="its template (default: the file's, or the one its"
        " headings name best)"
    )  # fmt: skip
    import_.add_argument(
        "--dry-run", action="store_true", help="say what would be imported; write nothing"
    )
    json_option(import_)

    return {"import": run_import}


# -- import --------------------------------------------------------------------------------


class Imported(NamedTuple):
    canvas: Canvas
    titled: bool  # the document gave the canvas a title
    template: Template
    skipped: tuple[Skip, ...] = ()  # what was not imported, for --dry-run
    recognised: str = ""  # why this template, when the file's names chose it
    sections: tuple[Skip, ...] = ()  # sections skipped: their headings name no block

    def tell(self) -> None:
        """What the user should know of an import that worked, on stderr."""
        if self.recognised:
            say_template(self.template, self.recognised)
        warn_sections(self.sections, self.template)


def run_import(context: Context) -> int:
    try:
        return _run_import(context)
    except NothingNamed as error:
        return error.report()


def _run_import(context: Context) -> int:
    from canvas_tui import canvasfile
    from canvas_tui.store import ConflictError, NameTakenError, save
    from canvas_tui.store.names import check_name, slugify, unique_name

    args = context.args
    store = context.store
    source = args.file
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    text = canvasfile.decode(data)
    form = args.format or guess_format(source, text)
    if form == "markdown":
        imported = import_markdown(store, text, args.template)
    elif form == "json":
        imported = import_json(store, text, args.template)
    else:
        imported = import_data(store, text, form, args.template)
    canvas = imported.canvas
    stem = "" if source == "-" else Path(source).stem
    known_as: str = args.name or stem  # what to call a canvas whose text gives no title
    if args.title is not None:
        canvas = Canvas(" ".join(args.title.split()), canvas.blocks, canvas.template)
    elif not imported.titled and known_as:
        canvas = Canvas(title_from_name(known_as), canvas.blocks, canvas.template)
    if args.name is not None:
        name = check_name(args.name)
        if store.exists(name):
            raise NameTakenError(f"a canvas named {name!r} already exists (choose another --name)")
    elif args.dry_run:
        name = unique_name(slugify(canvas.title or stem), store.exists)
    else:
        store.ensure()
        name = unique_name(slugify(canvas.title or stem), store.exists)
    if args.dry_run:
        imported.tell()
        dry_run(canvas, imported.template, name, form, imported.skipped, json=args.json)
        return 0
    loaded = store.open(name, template=canvas.template)
    if loaded.exists:
        raise NameTakenError(f"a canvas named {name!r} already exists (choose another --name)")
    try:
        saved = save(loaded, canvas)
    except ConflictError:  # the name was taken a moment ago
        raise NameTakenError(f"a canvas named {name!r} was just created elsewhere") from None
    imported.tell()
    if args.json:
        template = saved.template
        print_json(
            {
                "canvas": name,
                "path": str(saved.path),
                "title": canvas.title,
                "template": canvas.template,
                "format": form,
                "items": canvas.item_count,
                "blocks": {spec.key: len(canvas.blocks[spec.index]) for spec in template.blocks},
            }
        )
    else:
        print(name)
    return 0


def guess_format(source: str, text: str) -> str:
    """The format of a file to import: its suffix says, else its first characters do."""
    suffix = Path(source).suffix.lower() if source != "-" else ""
    if suffix in FORMAT_OF_SUFFIX:
        return FORMAT_OF_SUFFIX[suffix]
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return "json"
    if re.search(r"^[ \t]*(\[blocks\]|schema[ \t]*=|title[ \t]*=)", text, re.MULTILINE):
        return "toml"
    return "json" if start.startswith("[") else "markdown"


def title_from_name(name: str) -> str:
    """A title for a canvas known only by a name ("acme-robotics" -> "Acme Robotics"), as a
    new canvas opened by name gets."""
    return name.replace("-", " ").replace("_", " ").title()


def import_markdown(store: CanvasStore, text: str, template_id: str | None) -> Imported:
    from canvas_tui.canvasfile.markdown import (
        export_template,
        named_template,
        parse_document,
        read_export,
        read_markdown,
    )
    from canvas_tui.template.names import recognise

    exported = template_id or export_template(text)
    if exported is None or exported in store.templates:
        template = installed_template(store, exported)
        read = read_export(text.removeprefix("\ufeff"), template)
        if read is not None:  # canvas-tui's own export, taken apart quickly
            count = len(template)
            recognised = "" if exported else f"the file names {count} of its {count} blocks"
            return Imported(read.canvas, read.titled, template, recognised=recognised)
    document = parse_document(text)
    named = template_id or named_template(document)
    headings = [heading.text for heading in document.headings]
    recognised = ""
    if named is not None:
        template = installed_template(store, named)
    else:
        template, count = recognise(headings + document.label_names, store.templates)
        recognised = f"the file names {count} of its {len(template)} blocks"
    read = read_markdown(document, template)
    if not read.named_a_block:
        raise nothing_named("Markdown", headings, [template] if named else store.templates)
    sections = tuple(Skip(*skip) for skip in read.skipped_sections)
    skipped = tuple(Skip(*skip) for skip in read.skipped)
    return Imported(read.canvas, read.titled, template, skipped, recognised, sections)


def import_json(store: CanvasStore, text: str, template_id: str | None) -> Imported:
    """canvas-tui's own JSON (its `blocks` keyed by the template's keys) is read strictly, as
    a canvas file; any other JSON by the names in it (`canvasfile.foreign`)."""
    import json

    from canvas_tui.canvasfile.foreign import names_in, read_foreign
    from canvas_tui.template import DEFAULT_TEMPLATE
    from canvas_tui.template.names import named_blocks

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(f"not valid JSON: {error}") from None
    named = data.get("template") if isinstance(data, dict) else None
    named = template_id or (named if isinstance(named, str) else None)
    blocks = data.get("blocks") if isinstance(data, dict) else None
    if isinstance(blocks, dict):
        own = installed_template(store, named)
        if all(key in own.keys for key in blocks) and not written_elsewhere(blocks):
            return import_data(store, text, "json", template_id)
    if named is not None and named not in store.templates and template_id is None:
        named = None  # another tool's word for its kind of canvas, not a template here
    if named is not None:
        template = installed_template(store, named)
        candidates = [template]
    else:
        groups = names_in(data)
        scored = [
            (max((named_blocks(group, each) for group in groups), default=0), each)
            for each in store.templates
        ]
        top = max(count for count, _ in scored)
        best = [each for count, each in scored if count == top]
        template = next((each for each in best if each.id == DEFAULT_TEMPLATE), best[0])
        candidates = list(store.templates)
    found = read_foreign(data, template)
    if found is None:
        keys = [name for group in names_in(data) for name in group][:40]
        raise nothing_named("JSON", keys, candidates)
    recognised = "" if named else f"the JSON names {found.named} of its {len(template)} blocks"
    skipped = tuple(Skip(0, name, "names no block") for name in found.skipped)
    return Imported(found.canvas, found.titled, template, skipped, recognised)


def written_elsewhere(blocks: dict[str, object]) -> bool:
    """Blocks keyed as canvas-tui's are, whose items are objects with another tool's text
    field (`content`, `title`…) and no `text`: another tool's JSON, read by its names."""
    from canvas_tui.canvasfile.foreign import TEXT_FIELDS

    return any(
        isinstance(item, dict) and "text" not in item and any(f in item for f in TEXT_FIELDS)
        for items in blocks.values()
        if isinstance(items, list)
        for item in items
    )


def import_data(store: CanvasStore, text: str, form: str, template_id: str | None) -> Imported:
    """A canvas from JSON as `export --format json` writes it, or from a canvas TOML file.

    Both become the same table as a canvas file holds; that is written out as TOML and read
    with the canvas file reader, so they are checked exactly as a canvas file is."""
    from canvas_tui import canvasfile

    if form == "json":
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CliError(f"not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise CliError("a canvas in JSON is an object with 'title' and 'blocks'")
    else:
        import tomllib

        canvasfile.parse(text, store.templates)  # bad TOML: its error, with line and column
        data = tomllib.loads(text.removeprefix("\ufeff"))
    blocks = data.get("blocks", {})
    if not isinstance(blocks, dict):
        raise CliError("'blocks' must be a table of block keys and their items")
    named = data.get("template")
    template = installed_template(store, template_id or (named if isinstance(named, str) else None))
    unknown = [key for key in blocks if key not in template.keys]
    if unknown:
        raise CliError(
            f"blocks that a {template.id} canvas does not have: {', '.join(map(repr, unknown))}"
            f" (its blocks: {', '.join(template.keys)})"
        )
    _refuse_null(data, "")
    document = {key: data[key] for key in ("schema", "title") if key in data}
    lines = [f"{key} = {canvasfile.toml_value(value)}" for key, value in document.items()]
    lines.append(f"template = {canvasfile.toml_string(template.id)}")
    lines.append("[blocks]")
    lines += [f"{key} = {canvasfile.toml_value(blocks[key])}" for key in blocks]
    parsed = canvasfile.parse("\n".join(lines) + "\n", store.templates)
    if parsed.schema > canvasfile.SCHEMA:
        raise CliError(f"written by a newer canvas-tui (schema {parsed.schema}): not imported")
    return Imported(parsed.canvas, isinstance(data.get("title"), str), template)


def _refuse_null(value: object, where: str) -> None:
    """JSON's null has no TOML equivalent: say where it is."""
    if value is None:
        raise CliError(f"{where or 'the document'} is null")
    if isinstance(value, dict):
        for key, inner in value.items():
            name = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else repr(key)  # safe to print
            _refuse_null(inner, f"{where}.{name}" if where else name)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _refuse_null(inner, f"{where}[{index}]")
