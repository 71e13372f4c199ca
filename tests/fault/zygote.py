"""Restarts without re-importing: one process per service imports the service's code once (with
the service's environment), then forks a fresh process for each start it is asked for.

Why: on a shared 2-core machine, importing a service (gRPC, SQLAlchemy, OpenTelemetry, the
Bluesky client...) costs 3 to 5 CPU-seconds, 10 to 18 s of wall time under load; the soak's
1,000 restarts would spend over an hour importing the same modules, which is not what it tests.
A forked child is still a new process: SIGKILL ends it with all its state (connections, open
transactions, un-acked messages, its event loop), and it starts from `main()` with none of them;
only the module imports it inherits were done before the fault. The short mode (CI) keeps cold
starts (`subprocess` spawns), so its recovery times include the import.

Protocol on the zygote's stdin/stdout: the harness writes a mode (`api` or `worker`) per line,
the zygote answers the child's pid. Children are reaped by the kernel (SIGCHLD ignored); each
child dies with the zygote, and the zygote with the harness.

    python -m tests.fault.zygote <service> <logs dir>
"""

import contextlib
import ctypes
import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _child(service: str, mode: str, logs: Path, entry: object) -> None:
    """In the forked child: its own log (as `spawn` writes it), then the service's main."""
    _die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    log = os.open(logs / f"{service}-{mode}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    code = 1
    try:
        code = int(entry([mode]) or 0)  # type: ignore[operator]
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(service: str, logs: Path) -> None:
    _die_with_parent()
    entry = importlib.import_module(f"vigie_{service}.__main__").main
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    print("ready", flush=True)
    for line in sys.stdin:
        mode = line.strip()
        pid = os.fork()
        if pid == 0:
            _child(service, mode, logs, entry)
        print(pid, flush=True)


class ForkedProcess:
    """The harness's handle on a forked child: what `ServiceProcess` uses of a `Popen`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return -1  # gone: its exit status went to the kernel, not to us
        return None

    def send_signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0.0)
            time.sleep(0.02)
        return -1


class Zygote:
    """The harness's side: a zygote per service, started with the service's environment."""

    def __init__(self, service: str, env: dict[str, str], logs: Path) -> None:
        logs.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fault.zygote", service, str(logs)],
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(logs / f"{service}-zygote.log").open("ab"),
            text=True,
            preexec_fn=_die_with_parent,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the {service} zygote did not start: see {logs}")

    def fork(self, mode: str) -> ForkedProcess:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{mode}\n")
        self.process.stdin.flush()
        return ForkedProcess(int(self.process.stdout.readline()))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


if __name__ == "__main__":
    serve(sys.argv[1], Path(sys.argv[2]))
