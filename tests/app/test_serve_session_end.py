"""Under `serve`, every end of an editor keeps what was typed: a closed tab, a reload, a
dropped connection, `serve` stopped with SIGTERM; and the terminal's equivalents (SIGINT,
SIGTERM, SIGHUP in a pty; a file that cannot be written: the rescue copy, named)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from canvas_tui.store import CanvasStore, load
from helpers import poll_until
from ptyapp import READY, pty_editor
from webclient import Tab

TIMEOUT = 60.0  # generous: a busy two-core machine starts the editors slowly
TYPED = "unconfirmed"  # typed in the item field, enter not pressed


@contextlib.contextmanager
def serving(web: ModuleType, data_dir: Path, *args: str) -> Iterator[tuple[object, str]]:
    served = web.Served("--data-dir", str(data_dir), "--port", str(web.free_port()), *args)
    try:
        yield served, served.url(timeout=TIMEOUT)
    finally:
        served.close()


def items(store: CanvasStore, name: str = "acme") -> tuple[str, ...]:
    path = store.path_for(name)
    return load(path).canvas.texts(0) if path.exists() else ()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    poll_until(condition, what, TIMEOUT)


async def open_and_type(url: str, tab: Tab) -> None:
    await tab.wait_for_text("Key Partners", "Quit", timeout=TIMEOUT)
    await tab.type("a" + TYPED)
    await tab.wait_for_text(TYPED, timeout=TIMEOUT)


@pytest.mark.parametrize("how", ["closed", "dropped"])
def test_an_open_field_is_saved_when_the_tab_closes_or_the_connection_drops(
    web: ModuleType, data_dir: Path, store: CanvasStore, how: str
) -> None:
    with serving(web, data_dir, "acme") as (served, url):

        async def session() -> None:
            async with Tab.open(url) as tab:
                await open_and_type(url, tab)
                if how == "closed":
                    await tab.close()
                else:
                    tab.drop()

        asyncio.run(session())
        wait_until(lambda: items(store) == (TYPED,), "the typed item on disk")
        wait_until(lambda: not served.children(), "the editor to exit")  # type: ignore[attr-defined]


def test_an_open_field_is_saved_when_serve_gets_sigterm(
    web: ModuleType, data_dir: Path, store: CanvasStore
) -> None:
    with serving(web, data_dir, "acme") as (served, url):

        async def session() -> int:
            async with Tab.open(url) as tab:
                await open_and_type(url, tab)
                process = served.process  # type: ignore[attr-defined]
                os.kill(process.pid, signal.SIGTERM)  # the server only, not its editors
                return int(await asyncio.to_thread(process.wait, TIMEOUT))

        assert asyncio.run(session()) == 0
    assert items(store) == (TYPED,)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_an_editor_of_serve_that_gets_a_signal_saves_its_open_field(
    web: ModuleType, data_dir: Path, store: CanvasStore, signum: int
) -> None:
    with serving(web, data_dir, "acme") as (served, url):

        async def session() -> None:
            async with Tab.open(url) as tab:
                await open_and_type(url, tab)
                for pid in served.children():  # type: ignore[attr-defined]
                    os.kill(pid, signum)
                await asyncio.to_thread(
                    wait_until, lambda: items(store) == (TYPED,), "the typed item on disk"
                )

        asyncio.run(session())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_in_a_terminal_a_signal_saves_the_open_field(store: CanvasStore, signum: int) -> None:
    app = pty_editor(store.data_dir, "acme")
    try:
        mark = app.mark()
        app.type("a" + TYPED)
        app.wait_for(TYPED.encode(), start=mark)
        app.signal(signum)
        assert os.waitstatus_to_exitcode(app.wait()) == 128 + signum
    finally:
        app.close()
    assert items(store) == (TYPED,)


def test_a_canvas_whose_file_vanished_is_rescued_and_named(store: CanvasStore) -> None:
    """The file was deleted under the editor (someone else, a `git checkout`): it is not
    silently recreated; the end of the session writes the edits to a rescue copy and says
    where."""
    from ptyapp import PtyApp

    path = store.path_for("acme")
    path.write_text('schema = 1\ntitle = "Acme"\n', encoding="utf-8")
    app = PtyApp("--data-dir", str(store.data_dir), "acme")
    try:
        app.wait_for(READY)
        path.unlink()
        mark = app.mark()
        app.type("a" + TYPED)
        app.wait_for(TYPED.encode(), start=mark)
        app.signal(signal.SIGTERM)
        app.wait()
        app.wait_for(b"unsaved edits written to", start=mark)
    finally:
        app.close()
    said = bytes(app.output).decode("utf-8", "replace")
    where = Path(said.split("unsaved edits written to ", 1)[1].split()[0])
    assert where.parent == store.canvases_dir
    assert load(where).canvas.texts(0) == (TYPED,)
    assert not path.exists()


def test_in_chromium_a_reload_and_a_closed_tab_keep_the_open_field(
    web: ModuleType, data_dir: Path, store: CanvasStore, tmp_path: Path
) -> None:
    if web.find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with serving(web, data_dir, "acme") as (served, url):

        async def in_the_browser() -> None:
            with web.chromium(tmp_path / "profile") as devtools:
                async with web.Page.open(devtools) as page:
                    await page.call("Page.navigate", url=url)
                    await page.wait_for_text("Key Partners", "Quit", timeout=TIMEOUT)
                    await page.shown(timeout=TIMEOUT)
                    await page.type("a" + TYPED)
                    await page.wait_for_text(TYPED, timeout=TIMEOUT)
                    page.received = ""
                    await page.call("Page.reload")
                    # The reloaded page edits the canvas again: the old editor saved and
                    # freed it in time, so this one is not told it is open elsewhere.
                    await page.wait_for_text("Key Partners", TYPED, "Quit", timeout=TIMEOUT)
                    assert "Already open" not in page.received
                    assert "read-only" not in page.received
                    assert items(store) == (TYPED,)
                    await page.shown(timeout=TIMEOUT)
                    await page.type("a" + "second")
                    await page.wait_for_text("second", timeout=TIMEOUT)
                    await page.call("Page.close")
                await asyncio.to_thread(
                    wait_until, lambda: items(store) == (TYPED, "second"), "both items"
                )

        asyncio.run(in_the_browser())
        wait_until(lambda: not served.children(), "the editors to exit")  # type: ignore[attr-defined]
