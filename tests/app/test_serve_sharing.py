"""`serve` shared by several people: a read-only session changes nothing, a second tab cannot
delete the canvas a first tab edits, and the page works from whatever address the browser
used (an IP when the server's name does not resolve there) and loads nothing from the
internet. Tabs are spoken to with textual-serve's WebSocket protocol (tests/webclient.py)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import aiohttp
import pytest

from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from helpers import write_canvas
from webclient import Tab

TIMEOUT = 60.0


@contextlib.contextmanager
def serving(web: ModuleType, data_dir: Path, *args: str) -> Iterator[tuple[object, int]]:
    port = web.free_port()
    served = web.Served("--data-dir", str(data_dir), "--port", str(port), *args)
    try:
        served.url(timeout=TIMEOUT)
        yield served, port
    finally:
        served.close()


def files(store: CanvasStore) -> dict[str, bytes]:
    return {
        str(path.relative_to(store.data_dir)): path.read_bytes()
        for path in store.data_dir.rglob("*")
        if path.is_file() and "locks" not in path.parts and "snapshots" not in path.parts
    }


@pytest.fixture
def two(store: CanvasStore) -> CanvasStore:
    write_canvas(store, "alpha", Canvas.from_lists("Alpha", [["one"], *[[]] * 8]))
    write_canvas(store, "beta", Canvas.from_lists("Beta", [["two"], *[[]] * 8]))
    return store


def test_serve_read_only_refuses_n_c_r_d(web: ModuleType, data_dir: Path, two: CanvasStore) -> None:
    before = files(two)
    with serving(web, data_dir, "--read-only") as (_served, port):

        async def session() -> None:
            async with Tab.open(f"http://127.0.0.1:{port}") as tab:
                await tab.wait_for_text("Alpha", "Filter", timeout=TIMEOUT)
                assert "Delete" not in tab.received and "Rename" not in tab.received
                mark = tab.mark()
                await tab.type("ncrdu")
                await tab.type("dn")
                await tab.wait_for_text("read-only", "cannot be created", start=mark)
                await tab.type("\r")  # opening still works: read-only
                await tab.wait_for_text("never written", timeout=TIMEOUT, start=mark)

        asyncio.run(session())
    assert files(two) == before


def test_a_second_tab_cannot_delete_the_canvas_a_first_tab_edits(
    web: ModuleType, data_dir: Path, two: CanvasStore
) -> None:
    with serving(web, data_dir) as (_served, port):
        url = f"http://127.0.0.1:{port}"

        async def session() -> None:
            async with Tab.open(url) as first:
                await first.wait_for_text("Alpha", "Filter", timeout=TIMEOUT)
                await first.type("/beta\r")  # the first tab edits beta
                await first.wait_for_text("Key Partners", "Quit", timeout=TIMEOUT)
                async with Tab.open(url) as second:
                    await second.wait_for_text("Alpha", "Filter", timeout=TIMEOUT)
                    mark = second.mark()
                    await second.type("/beta\x1bd")  # beta selected, the filter closed: d
                    await second.wait_for_text("In use", "View it read-only", start=mark)
                    assert two.path_for("beta").exists()
                    mark = second.mark()
                    await second.type("v")  # offered: view it
                    await second.wait_for_text("never written", start=mark)
                mark = first.mark()
                await first.type("aStill mine\r")
                await first.wait_for_text("Still mine", start=mark)

        asyncio.run(session())
        assert two.path_for("beta").exists()


def test_the_page_uses_the_address_the_browser_used_and_nothing_from_the_internet(
    web: ModuleType, data_dir: Path, two: CanvasStore
) -> None:
    with serving(web, data_dir, "--host", "0.0.0.0") as (served, port):
        assert socket.gethostname() in served.stdout  # type: ignore[attr-defined]

        async def session() -> None:
            async with aiohttp.ClientSession() as client:
                for host in (f"127.0.0.1:{port}", f"192.0.2.7:{port}"):  # an IP, no name
                    headers = {"Host": host}
                    async with client.get(f"http://127.0.0.1:{port}/", headers=headers) as page:
                        html = await page.text()
                    assert f'data-session-websocket-url="ws://{host}/ws"' in html
                    assert socket.gethostname() not in html
                    addresses = set(re.findall(r"https?://[^\s\"')]+", html))
                    addresses.discard("http://www.w3.org/2000/svg")  # an SVG's namespace
                    assert addresses and all(
                        address.startswith(f"http://{host}/static/") for address in addresses
                    ), addresses
                    assert "googleapis" not in html
                font = f"http://127.0.0.1:{port}/static/fonts/RobotoMono-VariableFont_wght.ttf"
                async with client.get(font) as response:
                    assert response.status == 200
            async with Tab.open(f"http://127.0.0.1:{port}") as tab:
                await tab.wait_for_text("Alpha", "Filter", timeout=TIMEOUT)

        asyncio.run(session())


def test_a_public_url_ending_in_a_slash_gives_a_working_page(
    web: ModuleType, data_dir: Path
) -> None:
    public = "https://canvas.example.com/team/"
    with serving(web, data_dir, "--public-url", public) as (served, port):
        assert "https://canvas.example.com/team " in served.stdout  # type: ignore[attr-defined]

        async def page() -> str:
            async with (
                aiohttp.ClientSession() as client,
                client.get(f"http://127.0.0.1:{port}/") as response,
            ):
                return await response.text()

        html = asyncio.run(page())
    assert 'data-session-websocket-url="wss://canvas.example.com/team/ws"' in html
    assert "https://canvas.example.com/team/static/js/textual.js" in html
    assert "team//" not in html
