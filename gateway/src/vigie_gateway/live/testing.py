"""For tests: a real `graphql-ws` client (npm, pinned in gateway/tests/live_client) subscribed
to a gateway, driven from Python. The packages are installed once into a cache folder outside
the repository (`VIGIE_CACHE_DIR`, default ~/.cache/vigie), keyed by the manifests' hash."""

import asyncio
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from vigie_gateway.errors import SAFE_EXTENSION

CLIENT_DIR = Path(__file__).resolve().parents[3] / "tests" / "live_client"
MANIFESTS = ("package.json", "package-lock.json")
# Long enough for a cold Node start; the tests never assert on durations.
LINE_DEADLINE_SECONDS = 60.0


def node_missing() -> str | None:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return f"{' and '.join(missing)} not on PATH" if missing else None


def installed_client(
    source: Path = CLIENT_DIR, script: str = "client.mjs", name: str = "live-client"
) -> Path:
    """The folder holding `script` and the node_modules of `source`'s manifests (installed on
    first use); the console's browser driver is installed the same way."""
    manifests = b"".join((source / manifest).read_bytes() for manifest in MANIFESTS)
    root = Path(os.environ.get("VIGIE_CACHE_DIR") or Path.home() / ".cache" / "vigie")
    target = root / f"{name}-{hashlib.sha256(manifests).hexdigest()[:16]}"
    target.mkdir(parents=True, exist_ok=True)
    with (root / f"{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test processes install once
        if not (target / ".vigie-installed").exists():
            for manifest in MANIFESTS:
                shutil.copyfile(source / manifest, target / manifest)
            npm = [shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund"]
            subprocess.run(npm, cwd=target, check=True, capture_output=True, timeout=600)  # noqa: S603
            (target / ".vigie-installed").write_text("ok\n")
    shutil.copyfile(source / script, target / script)
    return target


class NodeSubscriber:
    """One `client.mjs` process: a connection and one subscription; its printed lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self.lines: list[dict[str, Any]] = []

    @classmethod
    async def start(
        cls, url: str, connection_params: dict[str, Any], query: str, **options: Any
    ) -> "NodeSubscriber":
        folder = await asyncio.to_thread(installed_client)
        argument = {"url": url, "connectionParams": connection_params, "query": query, **options}
        process = await asyncio.create_subprocess_exec(
            shutil.which("node") or "node", "client.mjs", json.dumps(argument), cwd=folder,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        return cls(process)

    async def line(self) -> dict[str, Any]:
        """The next line it prints (fails if it exits or stays silent past the deadline)."""
        assert self._process.stdout is not None
        raw = await asyncio.wait_for(self._process.stdout.readline(), LINE_DEADLINE_SECONDS)
        if not raw:
            assert self._process.stderr is not None
            raise AssertionError(f"the client exited: {(await self._process.stderr.read())!r}")
        self.lines.append(json.loads(raw))
        return self.lines[-1]

    async def next_result(self) -> dict[str, Any]:
        """The next `next` payload, skipping the connection's own lines."""
        while "next" not in (line := await self.line()):
            assert "connected" in line, line
        return line["next"]  # type: ignore[no-any-return]

    async def close(self) -> None:
        if self._process.returncode is None:
            self._process.kill()
        await self._process.wait()


def error_codes(line: dict[str, Any]) -> list[str]:
    """The `extensions.code` of a result's errors, or of an `error` line's GraphQL errors."""
    errors = line.get("next", {}).get("errors") or line.get("error") or []
    if isinstance(errors, dict):
        return [str(errors.get("code"))]  # a closed connection: the WebSocket close code
    extensions = [e.get("extensions") or {} for e in errors]
    # Every caller checks the codes, so every caller also checks the internal marker is gone.
    assert not [x for x in extensions if SAFE_EXTENSION in x], f"internal marker leaked: {errors}"
    return [str(x.get("code")) for x in extensions]
