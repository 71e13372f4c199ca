"""`vigie status`: each component's health as JSON; exit 1 when one is down."""

import json
from urllib.parse import urlparse

from vigie_cli.layout import Layout, State, home
from vigie_cli.processes import grpc_serving, http_ok, tcp_open


def status() -> int:
    layout = Layout(home())
    if not layout.state_file.exists():
        print(
            json.dumps(
                {"running": False, "reason": f"no {layout.state_file}: is `vigie up` running?"}
            )
        )
        return 1
    state = State.load(layout.state_file)
    nats = urlparse(state.nats_url)
    report = {
        "nats": "up" if tcp_open(nats.hostname or "127.0.0.1", nats.port or 4222) else "down",
        **{name: "up" if grpc_serving(port) else "down" for name, port in state.grpc_ports.items()},
        "gateway": "up" if http_ok(state.graphql_url.rsplit("/", 1)[0] + "/readyz") else "down",
    }
    healthy = all(value == "up" for value in report.values())
    print(
        json.dumps(
            {
                "running": True,
                "healthy": healthy,
                "components": report,
                "graphql": state.graphql_url,
            },
            indent=2,
        )
    )
    return 0 if healthy else 1
