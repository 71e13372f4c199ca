import socket

from vigie_runtime import free_ports
from vigie_runtime.free_ports import free_port


def test_a_drawn_port_is_free_and_below_the_ephemeral_range() -> None:
    start = free_ports._ephemeral_start()
    for _ in range(20):
        port = free_port()
        assert free_ports.LOWEST <= port < start
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", port))  # nothing holds it


def test_the_preferred_port_is_kept_only_while_nothing_listens_on_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))  # an ephemeral port: free_port never handed it out
        taken.listen()
        busy = taken.getsockname()[1]
        assert free_port(busy) != busy
    assert free_port(busy) == busy


def test_a_port_is_handed_out_once_per_process() -> None:
    # Nothing listens on the ports handed out (their children have not started): a port drawn
    # twice would be bound by two children.
    drawn = [free_port() for _ in range(300)]
    assert len(set(drawn)) == len(drawn)
    first = drawn[0]
    assert free_port(first) != first  # not even when preferred
