"""The web page `serve` hands to browsers: textual-serve's own, with its addresses made from
the address the browser used (or `--public-url`), and nothing fetched from the internet.

Pure text functions (no aiohttp, no Textual), so they are tested without a server.
"""

from __future__ import annotations

import re

# textual-serve's page loads its font from Google Fonts; the same font ships in its static
# folder, so the page gets it from this server instead.
_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)
_LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf")
          format("truetype");
        font-weight: 100 700;
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf")
          format("truetype");
        font-weight: 100 700;
        font-style: italic;
      }
    </style>"""

# A Host header as browsers send it: a name or IPv4 address, or a bracketed IPv6 address,
# and maybe a port. Anything else is not put into the page.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")


def local_page(template: str) -> str:
    """textual-serve's page template, its font served locally."""
    return _FONT_LINK.sub(lambda _match: _LOCAL_FONT, template)


def normalise_public_url(url: str) -> str:
    """`--public-url` as a base that paths are appended to: no trailing slash."""
    return url.rstrip("/")


def page_base(public_url: str | None, host_header: str | None, scheme: str, fallback: str) -> str:
    """The base of the page's addresses (static files, the WebSocket): `--public-url` if
    given, else the address the browser used (its Host header), else `fallback`."""
    if public_url:
        return normalise_public_url(public_url)
    if host_header and _HOST.fullmatch(host_header):
        return f"{'https' if scheme == 'https' else 'http'}://{host_header}"
    return fallback
