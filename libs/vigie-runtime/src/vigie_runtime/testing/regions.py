"""Data regions on one machine: a hub and one NATS server per region, real `nats-server`s from
the wheel, each with its own JetStream domain, the regions joined to the hub as leaf nodes with
the settings production uses (vigie_runtime.regions)."""

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.regions import hub_leafnodes_block, leafnodes_block, server_config

_LEAF_PORT = re.compile(rb"Listening for leafnode connections on [\d.]+:(\d+)")


class ConfiguredNats(EmbeddedNats):
    """An embedded server started from a configuration file rather than flags."""

    def __init__(self, store_dir: Path, config: str) -> None:
        super().__init__(store_dir)
        self._config = config

    def _command(self) -> list[str]:
        path = self.store_dir / "server.conf"
        path.write_text(self._config)
        return ["-c", str(path)]

    def leafnode_port(self, timeout_seconds: float = 10.0) -> int:
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            found = _LEAF_PORT.search((self.store_dir / "nats-server.log").read_bytes())
            if found:
                return int(found.group(1))
            time.sleep(0.02)
        raise TimeoutError("the hub did not open its leaf node port")


@dataclass
class Regions:
    hub: ConfiguredNats
    servers: dict[str, ConfiguredNats]

    def url(self, region: str) -> str:
        return self.servers[region].url


@contextmanager
def running_regions(folder: Path, regions: list[str], hub_domain: str = "hub") -> Iterator[Regions]:
    started: list[ConfiguredNats] = []
    try:
        hub_dir = folder / "hub"
        hub = ConfiguredNats(
            hub_dir, server_config(str(hub_dir / "jetstream"), hub_domain, hub_leafnodes_block())
        )
        hub.start()
        started.append(hub)
        hub_url = f"nats-leaf://127.0.0.1:{hub.leafnode_port()}"
        servers = {}
        for region in regions:
            store = folder / region
            config = server_config(str(store / "jetstream"), region, leafnodes_block(hub_url))
            servers[region] = ConfiguredNats(store, config)
            servers[region].start()
            started.append(servers[region])
        yield Regions(hub, servers)
    finally:
        for server in reversed(started):
            server.stop()
