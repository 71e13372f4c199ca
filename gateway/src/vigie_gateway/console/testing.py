"""For tests: a headless Chromium page on the console. Debian's `chromium` is driven by the
npm `playwright-core` (pinned in gateway/tests/console_browser/package*.json), installed once
into a cache folder outside the repository (`VIGIE_CACHE_DIR`, default ~/.cache/vigie) keyed
by the manifests' hash. `driver.mjs` runs the page; each method here is one of its commands."""

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from vigie_gateway.live.testing import installed_client, node_missing

HERE = Path(__file__).resolve().parents[3] / "tests" / "console_browser"
CHROMIUM = Path(os.environ.get("VIGIE_CHROMIUM") or "/usr/bin/chromium")
# A command's own waits are bounded in driver.mjs; this only stops a hung driver.
ANSWER_DEADLINE_SECONDS = 180.0
FAILURE_SCREENSHOT = str(Path(tempfile.gettempdir()) / "vigie-console-failure.png")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return node_missing()


class Page:
    """One browser page; a failed command raises AssertionError with the browser's reason."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._next_id = 0

    async def _line(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        raw = await asyncio.wait_for(self._process.stdout.readline(), ANSWER_DEADLINE_SECONDS)
        if not raw:
            assert self._process.stderr is not None
            raise AssertionError(f"the driver exited: {(await self._process.stderr.read())!r}")
        return json.loads(raw)  # type: ignore[no-any-return]

    async def do(self, op: str, **arguments: Any) -> Any:
        self._next_id += 1
        assert self._process.stdin is not None
        command = {"id": self._next_id, "op": op, **arguments}
        self._process.stdin.write((json.dumps(command) + "\n").encode())
        await self._process.stdin.drain()
        answer = await self._line()
        assert answer.get("ok"), f"{op} {arguments}: {answer.get('error')}"
        return answer["value"]

    async def goto(self, url: str) -> dict[str, Any]:
        return await self.do("goto", url=url)  # type: ignore[no-any-return]

    async def fill(self, selector: str, value: str) -> None:
        await self.do("fill", selector=selector, value=value)

    async def click(self, selector: str) -> None:
        await self.do("click", selector=selector)

    async def wait(self, selector: str, text: str | None = None) -> None:
        """Until an element matching `selector` (containing `text`) is visible."""
        await self.do("wait", selector=selector, text=text)

    async def gone(self, selector: str) -> None:
        await self.do("gone", selector=selector)

    async def text(self, selector: str) -> str:
        return str(await self.do("text", selector=selector))

    async def attribute(self, selector: str, name: str) -> str | None:
        value = await self.do("attribute", selector=selector, name=name)
        return None if value is None else str(value)

    async def count(self, selector: str) -> int:
        return int(await self.do("count", selector=selector))

    async def screenshot(self, path: str) -> None:
        await self.do("screenshot", path=path)

    async def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and CSP violations seen so far."""
        return list(await self.do("problems"))


@asynccontextmanager
async def chromium_page(timezone_id: str) -> AsyncIterator[Page]:
    """A page whose browser believes it is in `timezone_id`."""
    folder = await asyncio.to_thread(installed_client, HERE, "driver.mjs", "console-browser")
    options = {"executablePath": str(CHROMIUM), "timezoneId": timezone_id}
    process = await asyncio.create_subprocess_exec(
        shutil.which("node") or "node", "driver.mjs", json.dumps(options), cwd=folder,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    page = Page(process)
    try:
        ready = await page._line()
        assert ready.get("ready"), ready
        try:
            yield page
        except BaseException:
            # What the page looked like when the test failed, for whoever reads the failure.
            with contextlib.suppress(Exception):
                await page.screenshot(FAILURE_SCREENSHOT)
            raise
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()
