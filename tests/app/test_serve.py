"""`canvas-tui serve`: the app in a web browser, through textual-serve, loaded in headless
Chromium (Debian's `chromium` package) and driven through its DevTools protocol."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from canvas_tui.cli import main
from canvas_tui.cli.serve import public_url
from canvas_tui.store import CanvasStore, load
from helpers import poll_until

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "serve_screenshot.py"
TIMEOUT = 60.0  # generous: a busy two-core machine starts Chromium and the editor slowly
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def browser(web: ModuleType) -> None:
    if web.find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")


@contextlib.contextmanager
def serving(web: ModuleType, *args: str) -> Iterator[object]:
    served = web.Served(*args)
    try:
        yield served
    finally:
        served.close()


def add(data_dir: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "canvas_tui", "--data-dir", str(data_dir), "add", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def refused(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(5)
        return probe.connect_ex((host, port)) != 0


def test_without_textual_serve_one_line_says_how_to_get_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if it were not installed
    assert main(["--data-dir", str(data_dir), "serve"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("canvas-tui: error:")
    assert "pip install 'canvas-tui[web]'" in err


def test_public_url() -> None:
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("::1", 8001) == "http://[::1]:8001"
    assert public_url("0.0.0.0", 80) == f"http://{socket.gethostname()}:80"


def test_each_browser_runs_this_program_on_the_same_data_dir_and_config(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from canvas_tui.cli import build_parser
    from canvas_tui.cli.common import Context
    from canvas_tui.cli.serve import serve_command
    from canvas_tui.store.config import config_path, read_config

    config = tmp_path / "my config.toml"
    parser, _ = build_parser()

    def command(*args: str) -> str:
        parsed = parser.parse_args(["--data-dir", str(data_dir), *args])
        context = Context(parsed, read_config(config_path(None)))
        return serve_command(context, bool(getattr(parsed, "read_only", False)))

    prefix = f"trap '' INT; exec {sys.executable} -m canvas_tui --data-dir {data_dir}"
    assert command("serve") == prefix
    assert command("serve", "acme", "--config", str(config)) == (
        f"{prefix} --config '{config}' open -- acme"
    )
    assert command("serve", "--read-only") == f"{prefix} --read-only"
    assert command("--read-only", "serve", "acme") == f"{prefix} open --read-only -- acme"


@pytest.mark.usefixtures("browser")
def test_serve_shows_the_canvas_in_a_browser_and_stops_cleanly_on_ctrl_c(
    web: ModuleType, data_dir: Path, store: CanvasStore, tmp_path: Path
) -> None:
    add(data_dir, "acme", "KP", "Payments partner")
    add(data_dir, "acme", "VP", "Minutes in 2 minutes", "--status", "validated")
    port = web.free_port()
    with serving(web, "--data-dir", str(data_dir), "--port", str(port), "acme") as served:
        url = served.url(timeout=TIMEOUT)
        assert url == f"http://127.0.0.1:{port}"
        # stderr is read by a thread of its own: its lines may come after stdout's
        poll_until(lambda: "anyone who can reach port" in served.stderr, "the warning", TIMEOUT)
        assert "edit" in served.stderr
        assert refused("127.0.0.2", port)  # bound to 127.0.0.1 only, not to every address

        async def in_the_browser() -> bytes:
            with web.chromium(tmp_path / "profile") as devtools:
                async with web.Page.open(devtools) as page:
                    await page.call("Page.navigate", url=url)
                    await page.wait_for_text(
                        "Key Partners", "Payments partner", "Minutes in 2 minutes", timeout=TIMEOUT
                    )
                    await page.shown(timeout=TIMEOUT)
                    picture: bytes = await page.screenshot()
                    await page.type("a")
                    await page.type("Typed in the browser")
                    await page.wait_for_text("Typed in the browser", timeout=TIMEOUT)
                    await page.type("\r")
                    editors = served.children()
                    assert editors, "no editor process for the browser"
                    started = time.monotonic()
                    assert served.interrupt(timeout=TIMEOUT) == 0, served.stderr  # ctrl+c
                    assert time.monotonic() - started < TIMEOUT
                    left = [pid for pid in editors if Path(f"/proc/{pid}").exists()]
                    assert not left, (left, served.stderr, served.stdout)
                    return picture

        picture = asyncio.run(in_the_browser())
    assert picture.startswith(PNG) and len(picture) > 10_000
    assert "stopped" in served.stderr
    assert "Traceback" not in served.stderr
    texts = load(store.path_for("acme")).canvas.texts(0)
    assert texts == ("Payments partner", "Typed in the browser")  # the editor saved on the way out


def test_serve_json_and_read_only(web: ModuleType, data_dir: Path) -> None:
    port = web.free_port()
    args = ("--data-dir", str(data_dir), "--port", str(port), "--read-only", "--json")
    with serving(web, *args) as served:
        served.url(timeout=TIMEOUT)
        started = json.loads(served.stdout)
        assert started == {
            "url": f"http://127.0.0.1:{port}",
            "host": "127.0.0.1",
            "port": port,
            "canvas": None,
            "data_dir": str(data_dir),
            "read_only": True,
        }
        poll_until(lambda: "can see the canvases" in served.stderr, "the read-only notice", TIMEOUT)
        assert served.interrupt(timeout=TIMEOUT) == 0


def test_a_port_in_use_is_a_one_line_error(web: ModuleType, data_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "canvas_tui", "--data-dir", str(data_dir), "serve",
             "--port", str(port)],
            capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr


def test_a_bad_name_is_refused_before_serving(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("textual_serve")
    assert main(["--data-dir", str(data_dir), "serve", "Not A Name"]) == 1
    assert "not a valid canvas name" in capsys.readouterr().err


def test_the_screenshot_script_writes_a_picture(
    web: ModuleType, browser: None, tmp_path: Path
) -> None:
    out = tmp_path / "serve.png"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 3,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    picture = out.read_bytes()
    assert picture.startswith(PNG) and len(picture) > 10_000
