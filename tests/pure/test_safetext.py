"""visible(): untrusted text made safe for the terminal, with visible placeholders."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvas_tui.safetext import REPLACEMENT, escape_unsafe, has_unsafe, visible

C0 = [chr(code) for code in range(0x20)]
C1 = [chr(code) for code in range(0x80, 0xA0)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
BIDI_MARKS = ["\u200e", "\u200f", "\u061c"]
ZERO_WIDTH = ["\u200b", "\u2060", "\ufeff"]


def is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def assert_terminal_safe(text: str) -> None:
    bad = [f"U+{ord(char):04X}" for char in text if is_control(char)]
    assert not bad, f"control characters left: {bad}"
    assert not any(char in BIDI or char in BIDI_MARKS for char in text)
    assert not has_unsafe(text)


def test_escape_sequence_is_defused() -> None:
    attack = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07"
    shown = visible(attack)
    assert "\x1b" not in shown
    assert "\x07" not in shown
    assert shown == "␛]0;pwned␇␛[2J␛]52;c;ZXZpbA==␇"
    assert_terminal_safe(shown)


def test_esc_and_bel_placeholders() -> None:
    assert visible("\x1b") == "\u241b"  # ␛
    assert visible("\x07") == "\u2407"  # ␇


def test_newline_and_tab_become_visible() -> None:
    assert visible("a\nb") == "a\u240ab"  # ␊
    assert visible("a\tb") == "a\u2409b"  # ␉
    assert visible("a\r\nb") == "a\u240d\u240ab"


@pytest.mark.parametrize("char", C0)
def test_every_c0_control_gets_its_control_picture(char: str) -> None:
    shown = visible(f"x{char}y")
    assert shown == f"x{chr(0x2400 + ord(char))}y"
    assert unicodedata.name(shown[1]).startswith("SYMBOL FOR")


def test_nul() -> None:
    assert visible("\0") == "\u2400"


def test_del() -> None:
    assert visible("a\x7fb") == "a\u2421b"  # ␡


@pytest.mark.parametrize("char", C1)
def test_every_c1_control_is_replaced(char: str) -> None:
    assert visible(f"x{char}y") == f"x{REPLACEMENT}y"


def test_csi_as_c1_is_defused() -> None:
    shown = visible("\x9b2J\x9d0;title\x9c")
    assert shown == f"{REPLACEMENT}2J{REPLACEMENT}0;title{REPLACEMENT}"
    assert_terminal_safe(shown)


@pytest.mark.parametrize("char", BIDI + BIDI_MARKS)
def test_bidi_controls_are_replaced(char: str) -> None:
    assert visible(f"abc{char}def") == f"abc{REPLACEMENT}def"


def test_trojan_source_override() -> None:
    text = "access = 'user\u202e \u2066// admin\u2069 \u2066'"
    shown = visible(text)
    assert "\u202e" not in shown
    assert "\u2066" not in shown
    assert "\u2069" not in shown
    assert shown.count(REPLACEMENT) == 4


@pytest.mark.parametrize("char", ZERO_WIDTH)
def test_zero_width_characters_are_replaced(char: str) -> None:
    assert visible(f"pay{char}pal") == f"pay{REPLACEMENT}pal"


def test_line_and_paragraph_separators_are_replaced() -> None:
    assert visible("a\u2028b\u2029c") == f"a{REPLACEMENT}b{REPLACEMENT}c"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain ASCII: $12/month, 100% (ok) [x] {y} <z> \"q\" 'q' \\ ~",
        "Crème brûlée, naïve café, Ærøskøbing, Straße",
        "e\u0301 combining accent",
        "日本語のテキスト 中文 한국어",
        "Emoji 🚀 💡 ✅ 🇫🇷 👍🏽 1️⃣",
        "Ελληνικά Русский עברית العربية हिन्दी",
        "Box ─│┌┐ and math ∑ ≤ → ∞",
        "[bold red]not markup[/] $var ${x} %s {0}",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert visible(text) == text
    assert not has_unsafe(text)


def test_stored_text_is_not_changed() -> None:
    text = "evil\x1b[31m"
    copy = str(text)
    visible(text)
    assert text == copy


def test_has_unsafe() -> None:
    assert has_unsafe("\x1b")
    assert has_unsafe("a\u202eb")
    assert not has_unsafe("fine ünïcödé 🚀")


@given(st.text())
def test_visible_never_leaves_a_control_character(text: str) -> None:
    assert_terminal_safe(visible(text))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
def test_visible_replaces_one_for_one_and_is_idempotent(text: str) -> None:
    shown = visible(text)
    assert len(shown) == len(text)
    assert visible(shown) == shown
    for before, after in zip(text, shown, strict=True):
        if before != after:
            assert has_unsafe(before)


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cf", "Zl", "Zp", "Cs"])))
def test_visible_leaves_printable_text_alone(text: str) -> None:
    assert visible(text) == text


def test_joiners_stay_for_emoji_and_scripts() -> None:
    family = "👩\u200d👩\u200d👧"
    persian = "می\u200cخواهم"
    assert visible(family) == family
    assert visible(persian) == persian


# -- escape_unsafe (JSON on a terminal) ----------------------------------------------------


def test_escape_unsafe_writes_unsafe_characters_as_json_escapes() -> None:
    assert escape_unsafe("a\x1b]0;x\x07b") == "a\\u001b]0;x\\u0007b"
    assert escape_unsafe("\u202e\x9b") == "\\u202e\\u009b"
    assert escape_unsafe("line\nnext") == "line\nnext"  # line breaks lay out the document
    assert escape_unsafe("fine ünïcödé 🚀") == "fine ünïcödé 🚀"


@given(st.text())
def test_escape_unsafe_json_reads_back_the_same_text(text: str) -> None:
    encoded = escape_unsafe(json.dumps({"text": text}, ensure_ascii=False))
    assert json.loads(encoded) == {"text": text}
    assert not has_unsafe(encoded.replace("\n", ""))
