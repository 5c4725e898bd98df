"""Serve a canvas with `canvas-tui serve`, open it in headless Chromium, and photograph it.

    python scripts/serve_screenshot.py [OUT.png]      # default: screenshots/serve.png

Needs the web extra (`pip install 'canvas-tui[web]'`) and Debian's `chromium` package. The
canvas is the example one, in a fresh data dir. Chromium is driven through its DevTools
protocol: the script waits until the page has received the canvas from the server (the bytes
on the page's WebSocket) and the picture has settled, then saves it.

`tests/test_serve.py` uses the same helpers (`Served`, `Page`).
"""

from __future__ import annotations

import asyncio
import base64
import codecs
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
WINDOW = (1600, 900)
# Terminal output as the page receives it: escape sequences dropped, the text kept.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    """A TCP port that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds, saying `what`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


class Served:
    """`canvas-tui serve ARGS` running in the background, its output collected."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "canvas_tui", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # a process group of its own, as in a terminal
        )
        self._output = {"stdout": bytearray(), "stderr": bytearray()}
        self._lock = threading.Lock()
        self._readers = [
            threading.Thread(target=self._read, args=(name,), daemon=True) for name in self._output
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str) -> None:
        stream = getattr(self.process, name)
        while chunk := stream.read1(65536):
            with self._lock:
                self._output[name].extend(chunk)

    def text(self, name: str) -> str:
        with self._lock:
            return self._output[name].decode("utf-8", "replace")

    @property
    def stdout(self) -> str:
        return self.text("stdout")

    @property
    def stderr(self) -> str:
        return self.text("stderr")

    def url(self, timeout: float = 30.0) -> str:
        """The address it serves at, once it says it is ready."""
        found: list[str] = []

        def said_url() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"canvas-tui serve exited: {self.stderr.strip()}")
            found[:] = re.findall(r"https?://\S+?(?=[\s\"]|$)", self.stdout)
            return bool(found)

        wait_until(said_url, timeout, "canvas-tui serve to start")
        return found[0]

    def children(self) -> list[int]:
        """The processes it started (one editor per browser)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return pids

    def interrupt(self, timeout: float = 30.0) -> int:
        """ctrl+c as typed in its terminal (SIGINT to its whole process group, the editors it
        started included); waits for it to exit and returns its exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        status = self.process.wait(timeout)
        self.read_to_the_end(timeout)
        return status

    def read_to_the_end(self, timeout: float = 30.0) -> None:
        """Once it has exited: everything it wrote read (its exit comes before the readers
        have read its last lines)."""
        for reader in self._readers:
            reader.join(timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@contextlib.contextmanager
def chromium(profile: Path, window: tuple[int, int] = WINDOW) -> Iterator[int]:
    """Headless Chromium with its DevTools protocol on a free port; yields the port."""
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    profile.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={window[0]},{window[1]}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its helper processes go with it
    )
    active = profile / "DevToolsActivePort"
    try:
        wait_until(lambda: _port_written(active), 60, "chromium to start")
        yield int(active.read_text().split()[0])
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _port_written(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return len(path.read_text().split()) >= 2
    return False


class Page:
    """One browser tab, driven through the DevTools protocol; it keeps the text the page
    receives on its WebSockets (the terminal output textual-serve sends)."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.received = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._next_id = 0
        self._answers: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._listener = asyncio.create_task(self._listen())

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, devtools_port: int) -> Any:
        async with aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{devtools_port}"
            async with session.get(f"{base}/json/list") as response:
                targets = await response.json()
            page = next(target for target in targets if target["type"] == "page")
            url = page["webSocketDebuggerUrl"]
            async with session.ws_connect(url, max_msg_size=0) as socket:
                tab = cls(socket)
                try:
                    await tab.call("Network.enable")
                    await tab.call("Page.enable")
                    yield tab
                finally:
                    tab._listener.cancel()

    async def _listen(self) -> None:
        async for message in self.socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data:
                future = self._answers.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                frame = data["params"]["response"]
                payload = frame["payloadData"]
                raw = base64.b64decode(payload) if frame["opcode"] == 2 else payload.encode()
                self.received += _ESCAPES.sub("", self._decoder.decode(raw))

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._answers[self._next_id] = future
        await self.socket.send_json({"id": self._next_id, "method": method, "params": params})
        answer = await asyncio.wait_for(future, 60)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                tail = self.received[-400:]
                raise TimeoutError(f"timed out waiting for {what}; the page received: {tail!r}")
            await asyncio.sleep(0.05)

    async def wait_for_text(self, *texts: str, timeout: float = 60.0) -> None:
        """Until the page has received every one of `texts` from the server."""
        await self.wait_for(
            lambda: all(text in self.received for text in texts), timeout, f"{texts!r}"
        )

    async def shown(self, timeout: float = 30.0) -> None:
        """Until the page shows the terminal (textual-serve's page fades it in)."""
        deadline = time.monotonic() + timeout
        script = "document.body.classList.contains('-first-byte')"
        while not await self.evaluate(script):
            if time.monotonic() > deadline:
                raise TimeoutError("the page never showed the terminal")
            await asyncio.sleep(0.1)

    async def screenshot(self) -> bytes:
        result = await self.call("Page.captureScreenshot", format="png")
        return base64.b64decode(result["data"])

    async def settled_screenshot(self, timeout: float = 30.0) -> bytes:
        """A screenshot once two taken half a second apart are the same."""
        deadline = time.monotonic() + timeout
        last = await self.screenshot()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            current = await self.screenshot()
            if current == last:
                return current
            last = current
        return last

    async def type(self, text: str) -> None:
        """Type `text` into the terminal on the page (\r is the enter key)."""
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        for char in text:
            if char == "\r":
                key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
                await self.call("Input.dispatchKeyEvent", type="keyDown", text="\r", **key)
                await self.call("Input.dispatchKeyEvent", type="keyUp", **key)
            else:
                await self.call("Input.dispatchKeyEvent", type="keyDown", text=char, key=char)
                await self.call("Input.dispatchKeyEvent", type="keyUp", key=char)


async def photograph(url: str, out: Path, expect: tuple[str, ...], profile: Path) -> None:
    with chromium(profile) as port:
        async with Page.open(port) as page:
            width, height = WINDOW
            await page.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            await page.call("Page.navigate", url=url)
            await page.wait_for_text(*expect)
            await page.shown()
            out.write_bytes(await page.settled_screenshot())


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots/serve.png").resolve()
    if find_chromium() is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as temp:
        data_dir = Path(temp) / "data"  # a new data dir is seeded with the example canvas
        env = {**os.environ, "CANVAS_TUI_CONFIG": str(Path(temp) / "config.toml")}
        port = free_port()
        served = Served("--data-dir", str(data_dir), "--port", str(port), "example", env=env)
        try:
            url = served.url()
            asyncio.run(photograph(url, out, ("Key Partners", "Nimbus"), Path(temp) / "profile"))
        finally:
            if served.process.poll() is None:
                served.interrupt()
            served.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
