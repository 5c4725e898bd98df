"""Block names as people write them: which block a heading or a JSON key names.

A block is named by its number, key, short label, title or one of its `aliases` (template
data: plurals, the original canvas's names, other languages). Before comparing, a name loses
what people add around it: case, numbering (`1.`, `1)`, `Step 1:`), emoji and other symbols
at either end, a trailing colon, and hyphens, underscores and spaces (so `key-partners`,
`keyPartners` and `KEY PARTNERS` are one name). A bracketed part counts either way:
`Key Partners (KP)` and `課題（Problem）` name a block by the part outside or inside it.

Pure: names in, blocks out.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from canvas_tui.template.spec import DEFAULT_TEMPLATE, BlockSpec, Template

_BRACKETED = re.compile(r"\A(.*?)[ \t]*[(（\[{［【]([^)）\]}］】]*)[)）\]}］】](.*)\Z")
_NUMBERING = re.compile(
    r"\A(?:(?:step|schritt|[ée]tape|paso|passo|etapa|ステップ)[ \t]*)?"
    r"[#№]?\d{1,2}(?:[.):：-]+[ \t]*|[ \t]+[-–—:]?[ \t]*)(?=\S)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[-_\s\u00b7\u30fb/]+")
_TRAILING_COLON = re.compile(r"[ \t]*[:：]+\Z")


def _is_decoration(char: str) -> bool:
    """Emoji, pictographs and other symbols, joiners and marks that dress up a heading."""
    category = unicodedata.category(char)
    return category[0] in "SZC" or category in ("Mn", "Me", "Pd", "Po") or char in "*_#>"


def _strip_decoration(name: str) -> str:
    start, end = 0, len(name)
    while start < end and _is_decoration(name[start]) and name[start] not in "$€£¥":
        start += 1
    while end > start and _is_decoration(name[end - 1]) and name[end - 1] not in "$€£¥":
        end -= 1
    return name[start:end]


def normalise(name: str) -> str:
    """A name as compared: `## 1. 👥 **Customer-Segments**:` -> `customersegments`."""
    name = _strip_decoration(name.strip())
    name = _NUMBERING.sub("", name, count=1)
    name = _TRAILING_COLON.sub("", _strip_decoration(name))
    return _SEPARATORS.sub("", name).casefold()


def variants(name: str) -> list[str]:
    """The normalised forms a written name may be matched by: the whole, and when it has a
    bracketed part, the part outside and the part inside."""
    found = [normalise(name)]
    bracketed = _BRACKETED.match(name.strip())
    if bracketed is not None:
        outside = f"{bracketed.group(1)} {bracketed.group(3)}"
        found += [normalise(outside), normalise(bracketed.group(2))]
    return [form for form in found if form]


def block_names(block: BlockSpec) -> list[str]:
    """Every name a block answers to, as written in its template."""
    return [block.title, block.key, block.short, *block.aliases]


def _name_table(template: Template) -> dict[str, BlockSpec]:
    table: dict[str, BlockSpec] = {}
    for block in template.blocks:
        for name in block_names(block):
            table.setdefault(normalise(name), block)
    return table


_TABLES: dict[int, tuple[Template, dict[str, BlockSpec]]] = {}


def _names_of(template: Template) -> dict[str, BlockSpec]:
    cached = _TABLES.get(id(template))
    if cached is None or cached[0] is not template:
        cached = (template, _name_table(template))
        _TABLES[id(template)] = cached
    return cached[1]


def match_block(name: str, template: Template) -> BlockSpec | None:
    """The block of `template` that `name` (a heading's plain text, a JSON key) names, if any.
    A bare number is the block's number; a number before a name is numbering."""
    stripped = name.strip()
    if stripped.isascii() and stripped.isdigit():
        return template.find_block(stripped)
    table = _names_of(template)
    for form in variants(stripped):
        block = table.get(form)
        if block is not None:
            return block
    return None


def named_blocks(names: Iterable[str], template: Template) -> int:
    """How many distinct blocks of `template` the names name (not counting bare numbers,
    which any template answers to)."""
    found = set()
    for name in names:
        if name.strip().isdigit():
            continue
        block = match_block(name, template)
        if block is not None:
            found.add(block.index)
    return len(found)


def recognise(names: Sequence[str], templates: Iterable[Template]) -> tuple[Template, int]:
    """The template whose blocks `names` name best, and how many blocks they name; a tie goes
    to the default template, else to the first in `templates`' order."""
    best: tuple[Template, int] | None = None
    for template in templates:
        count = named_blocks(names, template)
        if (
            best is None
            or count > best[1]
            or (count == best[1] and count and template.id == DEFAULT_TEMPLATE)
        ):
            best = (template, count)
    if best is None:
        raise ValueError("no templates to recognise names by")
    return best


def nearest(name: str, template: Template) -> tuple[str, float] | None:
    """The title of the block whose name is closest to `name` (for "did you mean"), and how
    close (0 to 1), if any is close enough."""
    forms = variants(name)
    choices: dict[str, str] = {}
    for block in template.blocks:
        for written in block_names(block):
            choices.setdefault(normalise(written), block.title)
    best: tuple[float, str] | None = None
    for form in forms:
        for close in difflib.get_close_matches(form, list(choices), n=1, cutoff=0.75):
            score = difflib.SequenceMatcher(None, form, close).ratio()
            if best is None or score > best[0]:
                best = (score, choices[close])
    return None if best is None else (best[1], best[0])
