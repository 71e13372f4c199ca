"""The embedded nats-server: it starts on a free port, and when it cannot start the error says why."""

from pathlib import Path

import pytest
from vigie_runtime.embedded_nats import EmbeddedNats


class _MissingConfig(EmbeddedNats):
    def _command(self) -> list[str]:
        return [*super()._command(), "-c", str(self.store_dir / "no-such.conf")]


def test_it_starts_on_a_free_port_and_stops(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path)
    server.start()
    try:
        assert server.port > 0
        assert server.process is not None and server.process.poll() is None
    finally:
        server.stop()


def test_a_server_that_cannot_start_is_retried_then_reported_with_its_log(tmp_path: Path) -> None:
    server = _MissingConfig(tmp_path)
    with pytest.raises(RuntimeError) as refused:
        server.start(attempts=2)
    message = str(refused.value)
    assert "exited with code" in message
    assert "no-such.conf" in message, message
    # Both attempts wrote to the log; the error quotes the last one only.
    assert (tmp_path / "nats-server.log").read_text().count("no-such.conf") >= 2
    assert message.count("no-such.conf") == 1
