"""The test PDS: installed once, reachable on loopback only, and gone with its children on exit."""

import os
from pathlib import Path

import httpx
import pytest
from vigie_runtime.testing.bluesky_fixture import bluesky_pds_fixture  # noqa: F401 - registers `bluesky_pds`
from vigie_runtime.testing.bluesky_pds import (
    BlueskyPds,
    ensure_installed,
    install_dir,
    node_tools_missing,
    running_bluesky_pds,
)

# The first run installs the PDS (minutes), inside the first test's time budget.
pytestmark = [pytest.mark.node, pytest.mark.timeout(1200)]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port`, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_pds_and_the_plc_directory_answer_their_health_checks(bluesky_pds: BlueskyPds) -> None:
    assert httpx.get(f"{bluesky_pds.url}/xrpc/_health", timeout=5).status_code == 200
    assert httpx.get(f"{bluesky_pds.plc_url}/_health", timeout=5).status_code == 200


def test_both_servers_listen_on_loopback_only(bluesky_pds: BlueskyPds) -> None:
    for url in (bluesky_pds.url, bluesky_pds.plc_url):
        port = int(url.rsplit(":", 1)[1])
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, little-endian hex


def test_an_account_gets_a_plc_did_and_can_log_in(bluesky_pds: BlueskyPds) -> None:
    did, handle, password = bluesky_pds.create_account("fixture-alice")
    assert did.startswith("did:plc:")
    assert handle == "fixture-alice.test"
    session = httpx.post(
        f"{bluesky_pds.url}/xrpc/com.atproto.server.createSession",
        json={"identifier": handle, "password": password},
        timeout=10,
    )
    assert session.status_code == 200
    assert session.json()["did"] == did


def test_the_packages_are_cached_outside_the_repository(bluesky_pds: BlueskyPds) -> None:
    repo_root = Path(__file__).resolve().parents[3]
    assert not install_dir().resolve().is_relative_to(repo_root)
    assert ensure_installed() == install_dir()  # a second call finds the install and returns


def test_stopping_leaves_no_process_and_no_open_port() -> None:
    if reason := node_tools_missing():
        pytest.skip(reason)
    with running_bluesky_pds() as pds:
        pids = pds.pids
        assert all(_alive(pid) for pid in pids)
    assert not any(_alive(pid) for pid in pids)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{pds.url}/xrpc/_health", timeout=2)


def _alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)  # any member of the group still there
    except ProcessLookupError:
        return False
    return True


def test_without_node_the_fixture_says_why_it_cannot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert node_tools_missing() == "node and npm not found on PATH"


def test_the_install_folder_follows_vigie_cache_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VIGIE_CACHE_DIR", str(tmp_path))
    assert install_dir().parent == tmp_path
    assert install_dir().name.startswith("bluesky-pds-")
