"""Templates that travel with the canvases: which of a user's own templates the canvases of a
folder use, and copying them into the `templates/` folder beside those canvases (where
reading, merging and diffing find them first, for everyone who has the folder)."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from canvas_tui import canvasfile
from canvas_tui.template import BUILT_IN, Template, Templates, canvas_templates_folder, with_folder

SUFFIX = ".toml"


def own_templates_used(canvases: Path, templates: Templates) -> list[tuple[Template, Path]]:
    """The user's own templates (not shipped ones, not already in the folder that travels)
    that the canvases in `canvases` use, each with the folder it should be copied into."""
    target = canvas_templates_folder(canvases / f"canvas{SUFFIX}")
    used: dict[str, Template] = {}
    templates = with_folder(templates, target)  # those already there are not asked for
    try:
        paths = sorted(canvases.glob(f"*{SUFFIX}"))
    except OSError:
        return []
    for path in paths:
        try:
            parsed = canvasfile.parse(canvasfile.decode(path.read_bytes()), templates)
        except (OSError, canvasfile.CanvasFileError):
            continue  # not a canvas, or a broken one: nothing to travel with it
        template = parsed.template
        if not template.installed or template.source == BUILT_IN:
            continue
        source = Path(template.source)
        if source.parent == target:
            continue
        used.setdefault(template.id, template)
    return [(template, target) for template in used.values()]


def copy_templates(wanted: list[tuple[Template, Path]]) -> list[str]:
    """Copy each template file into its folder; a different file of the same name there is
    kept (and reported), never overwritten. One line per template, saying what happened."""
    lines = []
    for template, target in wanted:
        source = Path(template.source)
        copy = target / source.name
        if copy.exists() and not filecmp.cmp(source, copy, shallow=False):
            lines.append(f"kept {copy}: it differs from {source} (compare them by hand)")
            continue
        if not copy.exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
        lines.append(f"copied template {template.id!r} to {copy}")
    return lines
