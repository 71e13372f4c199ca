"""Where the shared, read-only data of the workplace lives (never copied into the repository)."""

import os
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[5]


def repo_root() -> Path:
    return _REPO_ROOT


def shared_dir() -> Path:
    """`VIGIE_SHARED_DIR`, else the `shared/` folder beside the repository."""
    configured = os.environ.get("VIGIE_SHARED_DIR")
    return Path(configured) if configured else _REPO_ROOT.parent / "shared"
