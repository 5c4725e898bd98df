"""The action table: one table of actions and their keys for the editor and the browser, key
names as Textual spells them, and the user's `[keys]` applied on top."""

from __future__ import annotations

import string

import pytest
import textual.keys

from canvas_tui.actions import (
    CHARACTER_NAMES,
    key_label,
    normalize_key,
)

PRINTABLE = [char for char in string.printable if char not in "\t\n\r\x0b\x0c"]


@pytest.mark.parametrize("char", PRINTABLE, ids=[f"U+{ord(c):04X}" for c in PRINTABLE])
def test_character_names_are_textuals(char: str) -> None:
    """Our table of key names is Textual's, for every printable ASCII character: a key bound
    by its name fires when the character is typed (Textual names the key of a typed character
    with `textual.keys._character_to_key`)."""
    textual_name = textual.keys._character_to_key(char)
    if char.isalnum():
        assert char not in CHARACTER_NAMES
        assert normalize_key(char) == char == textual_name
    else:
        assert CHARACTER_NAMES[char] == textual_name
        assert normalize_key(textual_name) == textual_name
        if char == " ":  # spaces around keys are trimmed, and a blank label reads as nothing
            assert key_label(textual_name) == "space"
        else:
            assert normalize_key(char) == textual_name
            assert key_label(textual_name) == char
