"""The page `serve` gives browsers: addresses from the one the browser used or from
`--public-url`, and its font from the server, not the internet."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_tui.cli.servepage import local_page, normalise_public_url, page_base


def test_public_url_loses_its_trailing_slashes() -> None:
    assert normalise_public_url("https://canvas.example.com/team/") == (
        "https://canvas.example.com/team"
    )
    assert normalise_public_url("http://10.0.0.5:8000//") == "http://10.0.0.5:8000"


@pytest.mark.parametrize(
    ("host", "scheme", "base"),
    [
        ("192.0.2.7:8000", "http", "http://192.0.2.7:8000"),
        ("[2001:db8::1]:8000", "http", "http://[2001:db8::1]:8000"),
        ("canvas.lan", "https", "https://canvas.lan"),
        ('evil"><script>:80', "http", "http://fallback:8000"),  # not a host: not in the page
        ("", "http", "http://fallback:8000"),
        (None, "http", "http://fallback:8000"),
    ],
)
def test_page_addresses_follow_the_host_the_browser_used(
    host: str | None, scheme: str, base: str
) -> None:
    assert page_base(None, host, scheme, "http://fallback:8000") == base


def test_a_given_public_url_wins() -> None:
    assert page_base("https://x.example/app/", "192.0.2.7:8000", "http", "http://f") == (
        "https://x.example/app"
    )


def test_the_font_is_not_fetched_from_the_internet() -> None:
    textual_serve = pytest.importorskip("textual_serve")
    folder = Path(textual_serve.__file__).parent
    original = (folder / "templates" / "app_index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" in original  # what is replaced (a new textual-serve may not)
    page = local_page(original)
    assert "googleapis" not in page
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in page
    assert (folder / "static" / "fonts" / "RobotoMono-VariableFont_wght.ttf").exists()
