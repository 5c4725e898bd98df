"""Canvas templates as data: which blocks a canvas has, what each asks, and where it sits.

A template is a TOML file (see `shipped/tech-bmc.toml`, the default, and `shipped/lean.toml`):
the shipped ones are data in this package's `shipped/` folder; a user's live in a `templates/`
folder beside their config file. Everything else (the editor, `show`, exports, the browser)
reads a canvas's blocks from its `Template`, never from a hand-written table. Neighbours for the
arrow keys are derived from the places on the grid, so a new template needs no code.

Pure: reading template files is the only I/O here; nothing above this layer is imported.

This module is the package's face; the work is in its modules: `spec` (`Template`,
`BlockSpec`, `make_template`, `TemplateError`, the constants), `place` (`Place` and the arrow
directions), `neighbours` (the arrow-key neighbours from the places), `parse` (reading and
checking a template file) and `installed` (the shipped and the user's templates).
"""

from __future__ import annotations

from canvas_tui.template.installed import (
    FOLDER_TEMPLATES,
    BrokenTemplate,
    Templates,
    built_in_templates,
    canvas_templates_folder,
    default_template,
    load_templates,
    stand_in,
    templates_for_canvas,
    with_folder,
)
from canvas_tui.template.neighbours import Neighbours, derive_neighbours
from canvas_tui.template.parse import BLOCK_KEY, TEMPLATE_ID, parse_template
from canvas_tui.template.place import DIRECTIONS, Direction, Place
from canvas_tui.template.spec import (
    BUILT_IN,
    DEFAULT_TEMPLATE,
    MAX_BLOCKS,
    BlockSpec,
    Template,
    TemplateError,
    make_template,
)

__all__ = [
    "BLOCK_KEY",
    "BUILT_IN",
    "DEFAULT_TEMPLATE",
    "DIRECTIONS",
    "FOLDER_TEMPLATES",
    "MAX_BLOCKS",
    "TEMPLATE_ID",
    "BlockSpec",
    "BrokenTemplate",
    "Direction",
    "Neighbours",
    "Place",
    "Template",
    "TemplateError",
    "Templates",
    "built_in_templates",
    "canvas_templates_folder",
    "default_template",
    "derive_neighbours",
    "load_templates",
    "make_template",
    "parse_template",
    "stand_in",
    "templates_for_canvas",
    "with_folder",
]
