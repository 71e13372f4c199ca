"""Where the embedded platform keeps its state: `.vigie/` (or `$VIGIE_HOME`)."""

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

SERVICES = ("directory", "publisher", "listener", "reputation", "partnerships")


def home() -> Path:
    return Path(os.environ.get("VIGIE_HOME", ".vigie")).resolve()


@dataclass
class Layout:
    root: Path

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def signing_key(self) -> Path:
        return self.keys / "signing-key.pem"

    @property
    def jwks(self) -> Path:
        return self.keys / "jwks.json"

    @property
    def credentials_key(self) -> Path:
        return self.keys / "credentials.key"

    @property
    def webhook_secrets_key(self) -> Path:
        return self.keys / "webhook-secrets.key"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def nats(self) -> Path:
        return self.root / "nats"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"


@dataclass
class State:
    """What `vigie up` started, for `vigie status` and for tests."""

    nats_url: str
    graphql_url: str
    grpc_ports: dict[str, int] = field(default_factory=dict)
    pids: dict[str, int] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, path: Path) -> "State":
        return cls(**json.loads(path.read_text()))
