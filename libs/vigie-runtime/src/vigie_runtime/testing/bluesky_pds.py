"""The official Bluesky PDS and a local PLC directory, run on loopback for tests.

The npm packages are installed once into a cache folder outside the repository (keyed by the hash
of the pinned `package.json` and `package-lock.json`), under a file lock so that parallel test
processes do not install at once. Each server runs in its own process group and is killed with it;
on Linux the kernel also kills it if the test process dies first.
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from vigie_runtime.free_ports import free_port

PACKAGE_DIR = Path(__file__).parent / "bluesky"
_MANIFESTS = ("package.json", "package-lock.json")
_LAUNCHERS = ("run-plc.js", "run-pds.js")
_INSTALLED_MARKER = ".vigie-installed"
_PR_SET_PDEATHSIG = 1


class NodeMissingError(RuntimeError):
    """Node.js or npm is not on PATH, so the PDS cannot run here."""


class PdsStartError(RuntimeError):
    """A server did not become healthy before its deadline."""


def node_tools_missing() -> str | None:
    """Why the PDS cannot run on this machine, or None when it can."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return f"{' and '.join(missing)} not found on PATH" if missing else None


def install_dir() -> Path:
    """Where the pinned packages are installed: one folder per version of the manifests."""
    digest = hashlib.sha256()
    for name in _MANIFESTS:
        digest.update((PACKAGE_DIR / name).read_bytes())
    root = os.environ.get("VIGIE_CACHE_DIR") or str(Path.home() / ".cache" / "vigie")
    return Path(root) / f"bluesky-pds-{digest.hexdigest()[:16]}"


def ensure_installed(timeout_s: float = 900.0) -> Path:
    """Install the packages unless already there; return the folder holding the launchers."""
    if reason := node_tools_missing():
        raise NodeMissingError(reason)
    target = install_dir()
    target.mkdir(parents=True, exist_ok=True)
    with (target.parent / f"{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (target / _INSTALLED_MARKER).exists():
            for name in _MANIFESTS:
                shutil.copyfile(PACKAGE_DIR / name, target / name)
            _npm_ci(target, timeout_s)
            (target / _INSTALLED_MARKER).write_text("ok\n")
        for name in _LAUNCHERS:  # cheap, so a launcher edit never needs a reinstall
            staged = target / f".{name}.tmp"
            shutil.copyfile(PACKAGE_DIR / name, staged)
            staged.replace(target / name)
    return target


def _npm_ci(target: Path, timeout_s: float) -> None:
    """`npm ci` in its own process group, so an interrupted install leaves no compiler behind."""
    log_path = target / "npm-ci.log"
    with log_path.open("wb") as log:
        npm = subprocess.Popen(  # noqa: S603 - fixed arguments
            [shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=target,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    node = _NodeProcess(npm, log_path)
    try:
        code = npm.wait(timeout=timeout_s)
    finally:
        node.stop()  # the group: node-gyp and the compiler too
    if code != 0:
        raise PdsStartError(f"npm ci failed ({code}):\n{node.log_tail()}")


def _die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to kill it when the test process dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class _NodeProcess:
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, size: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-size:]

    def stop(self, grace_s: float = 5.0) -> None:
        """Stop the whole process group: politely, then for good."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=grace_s)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:  # children that ignored SIGTERM, or the leader itself if it hung
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=grace_s)


def _inherited_env() -> dict[str, str]:
    """The caller's environment minus any PDS setting (PDS_CRAWLERS must stay unset)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PDS_")}


def _start_node(script: str, cwd: Path, env: Mapping[str, str], log_path: Path) -> _NodeProcess:
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own launcher
            [shutil.which("node") or "node", script],
            cwd=cwd,
            env={**_inherited_env(), **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    return _NodeProcess(process, log_path)


def _wait_healthy(node: _NodeProcess, url: str, deadline_s: float) -> None:
    deadline = time.monotonic() + deadline_s
    with httpx.Client(timeout=2.0) as http:
        while time.monotonic() < deadline:
            if node.process.poll() is not None:
                raise PdsStartError(f"{url} exited early:\n{node.log_tail()}")
            try:
                if http.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise PdsStartError(f"{url} not healthy after {deadline_s} s:\n{node.log_tail()}")


@dataclass
class BlueskyPds:
    """A running PDS: its base URL and a way to make accounts on it."""

    url: str
    plc_url: str
    admin_password: str
    pids: tuple[int, ...] = field(default=())

    @property
    def firehose_url(self) -> str:
        """The base URI the atproto firehose clients expect."""
        return self.url.replace("http://", "ws://", 1) + "/xrpc"

    def create_account(self, handle: str) -> tuple[str, str, str]:
        """Create an account; return (did, handle, password). A bare name gets `.test`."""
        full_handle = handle if "." in handle else f"{handle}.test"
        password = secrets.token_urlsafe(16)
        response = httpx.post(
            f"{self.url}/xrpc/com.atproto.server.createAccount",
            json={
                "handle": full_handle,
                "email": f"{full_handle}@example.test",
                "password": password,
            },
            timeout=15.0,
        )
        response.raise_for_status()
        body = response.json()
        return str(body["did"]), str(body["handle"]), password


def _pds_env(data: Path, port: int, plc_url: str, admin_password: str) -> dict[str, str]:
    return {
        "PDS_HOSTNAME": "localhost",
        "PDS_PORT": str(port),
        "PDS_DATA_DIRECTORY": str(data / "data"),
        "PDS_BLOBSTORE_DISK_LOCATION": str(data / "blobs"),
        "PDS_REPO_SIGNING_KEY_K256_PRIVATE_KEY_HEX": secrets.token_hex(32),
        "PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX": secrets.token_hex(32),
        "PDS_DPOP_SECRET": secrets.token_hex(32),
        "PDS_JWT_SECRET": secrets.token_hex(16),
        "PDS_ADMIN_PASSWORD": admin_password,
        "PDS_DID_PLC_URL": plc_url,
        "PDS_INVITE_REQUIRED": "false",
        "PDS_DEV_MODE": "true",
        "PDS_DISABLE_SSRF_PROTECTION": "true",
        "PDS_RATE_LIMITS_ENABLED": "false",
        "LOG_ENABLED": "false",
    }


@contextmanager
def running_bluesky_pds(start_deadline_s: float = 60.0) -> Iterator[BlueskyPds]:
    """Install if needed, start PLC then PDS on free loopback ports, stop both on exit."""
    home = ensure_installed()
    with ExitStack() as stack:
        data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vigie-pds-")))
        (data / "data").mkdir()
        plc_port, pds_port = free_port(), free_port()
        plc_url = f"http://127.0.0.1:{plc_port}"
        plc = _start_node("run-plc.js", home, {"PLC_PORT": str(plc_port)}, data / "plc.log")
        stack.callback(plc.stop)
        _wait_healthy(plc, f"{plc_url}/_health", start_deadline_s)
        admin_password = secrets.token_hex(12)
        env = _pds_env(data, pds_port, plc_url, admin_password)
        pds = _start_node("run-pds.js", home, env, data / "pds.log")
        stack.callback(pds.stop)
        url = f"http://127.0.0.1:{pds_port}"
        _wait_healthy(pds, f"{url}/xrpc/_health", start_deadline_s)
        yield BlueskyPds(url, plc_url, admin_password, (plc.process.pid, pds.process.pid))
