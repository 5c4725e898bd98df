"""The fast reader: text in the form `dump` writes (every saved file, so nearly every file
read), read with regexes, and `json` for strings with escapes, without tomllib.

`read_canonical` declines (None) anything outside the subset described below; `read.parse`
then gives it to `tomllib`.
"""

from __future__ import annotations

import re
from functools import cache

from canvas_tui.canvasfile.parsed import Parsed
from canvas_tui.model import STATUSES, TAG_PATTERN, Canvas, Item
from canvas_tui.template import DEFAULT_TEMPLATE, Templates

# Only text in a strict subset of TOML is read here; anything else returns None and goes to
# tomllib, so errors and strictness are tomllib's. The subset is the shape `dump` writes:
#
#     schema = N                 (a decimal integer, no sign, no leading zero)
#     title = STRING
#     template = STRING          (optional)
#     <empty line>
#     [blocks]
#     key = []                   or   key = [  / one ITEM, per line, indented 4 / ]
#     ... the keys of the canvas's (installed) template, each once, in order, and nothing after
#
# where ITEM is a STRING or `{ text = STRING[, status = "<a status>"][, tags = ["<tag>", ...]]
# [, note = STRING] }`. A STRING is a basic string whose escapes are only \" \\ \b \f \n \r \t
# and \uXXXX outside the surrogates, and which holds no raw control character (C0 or DEL):
# TOML and JSON read such a string as the same text, so `json.loads` decodes it. Statuses and
# tags are matched literally (the valid ones only), so what is read here needs no checking.
# Every line is a line of a valid TOML document with one meaning: this path returns exactly
# what `tomllib` plus the checks of `read.parse` would (an item table without status, tags or
# note is a plain item either way). Canonical files (all of `dump`'s output) are in the subset.

_CHARS = r'[^"\\\x00-\x1f\x7f]*'  # a run of characters that need no escape
_ESCAPE = r"\\(?:[\"\\bfnrt]|u(?![dD][89abAB])[0-9a-fA-F]{4})"
_STRING = f'"{_CHARS}(?:{_ESCAPE}{_CHARS})*"'
_HEAD = re.compile(
    rf"schema = ([1-9][0-9]{{0,8}})\ntitle = ({_STRING})\n(?:template = ({_STRING})\n)?\n"
    r"\[blocks\]\n"
)
_TAG_STRING = '"' + TAG_PATTERN + '"'
_TABLE = (
    rf"\{{ text = ({_STRING})"
    rf"(?:, status = \"({'|'.join(STATUSES)})\")?"
    rf"(?:, tags = \[({_TAG_STRING}(?:, {_TAG_STRING})*)\])?"
    rf"(?:, note = ({_STRING}))? \}}"
)
_PLAIN_BODY = re.compile(rf"(?:    {_STRING},\n)*")


@cache
def _item_line() -> re.Pattern[str]:
    """A whole line of an array of items (compiled when first needed: half a millisecond).

    A match starts at the start of a line and ends at its end: a STRING holds no line break.
    """
    return re.compile(rf"^    (?:({_STRING})|{_TABLE}),\n", re.MULTILINE)


def read_canonical(text: str, templates: Templates) -> Parsed | None:
    """`text` read without tomllib if it is in the subset above, else None."""
    head = _HEAD.match(text)
    if head is None:
        return None
    schema, title_string, template_string = head.groups()
    template_id = DEFAULT_TEMPLATE if template_string is None else _decode(template_string)
    template = templates.get(template_id) if template_id else None
    if template is None:  # a stand-in's keys come from the file: tomllib reads them
        return None
    position = head.end()
    blocks: list[tuple[Item, ...]] = []
    for key in template.keys:
        if text.startswith(f"{key} = []\n", position):
            blocks.append(())
            position += len(key) + 6
            continue
        opening = f"{key} = [\n"
        if not text.startswith(opening, position):
            return None
        start = position + len(opening)
        end = text.find("\n]\n", start - 1) + 1  # the array's closing line
        if end == 0:
            return None
        items = _read_items(text[start:end])
        if items is None:
            return None
        blocks.append(items)
        position = end + 2
    if position != len(text):
        return None
    return Parsed(Canvas(_decode(title_string), tuple(blocks), template_id), int(schema), template)


def _read_items(body: str) -> tuple[Item, ...] | None:
    """The items of an array's lines (each `    ITEM,\\n`), if they are in the subset."""
    if not body:
        return ()
    if "\n    {" not in body and not body.startswith("    {"):  # no tables: the common case
        if not _PLAIN_BODY.fullmatch(body):
            return None
        if "\\" not in body:  # no escapes: each line holds its text between the quotes
            return tuple(map(Item, body[5:-3].split('",\n    "')))
        # Each line is `    STRING,`; a STRING of the subset is a JSON string.
        return tuple(map(Item, _decode_all([line[4:-1] for line in body[:-1].split("\n")])))
    lines = _item_line().findall(body)
    if len(lines) != body.count("\n"):  # each match is one whole line: then all are items
        return None
    strings = _decode_all([s for line in lines for s in (line[0], line[1], line[4]) if s])
    items: list[Item] = []
    next_string = iter(strings).__next__
    for plain, _text, status, tags, note in lines:
        if plain:
            items.append(Item(next_string()))
            continue
        text = next_string()
        items.append(
            Item(
                text,
                status or None,
                tuple(tags[1:-1].split('", "')) if tags else (),
                next_string() if note else "",
            )
        )
    return tuple(items)


def _decode(string: str) -> str:
    """The text of a STRING of the subset above."""
    return _decode_all([string])[0]


def _decode_all(strings: list[str]) -> list[str]:
    """The texts of STRINGs of the subset above."""
    joined = ",".join(strings)
    if "\\" not in joined:  # no escapes: each text is between the quotes
        return [string[1:-1] for string in strings]
    try:  # the JSON module's own string reader, without the 4 ms of importing `json`
        from _json import scanstring
    except ImportError:  # another Python than CPython
        import json

        decoded: list[str] = json.loads(f"[{joined}]")
        return decoded
    texts = []
    for string in strings:
        text, end = scanstring(string, 1, True)
        if end != len(string):
            raise ValueError(f"not one string: {string!r}")
        texts.append(text)
    return texts
