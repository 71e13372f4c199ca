"""Refuses GraphQL changes that break clients, unless each break is allowed with a reason.

    uv run --frozen python tools/check_graphql_breaking.py

The code's schema is compared with gateway/schema.graphql as committed on the merge base with
origin/main or, without that ref, as committed on HEAD, using graphql-core's
find_breaking_changes. Every break must be listed in gateway/schema-breaking-allowed.txt as
`<KIND> <description> -- <reason>` (the first two exactly as this script prints them);
anything else fails the check with the list.
"""

import subprocess
import sys
from pathlib import Path

from graphql import build_schema, find_breaking_changes

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = "gateway/schema.graphql"
ALLOWED = ROOT / "gateway" / "schema-breaking-allowed.txt"
SEPARATOR = " -- "


def _git(*args: str) -> str | None:
    # git from PATH, with fixed arguments: what any developer's shell would run.
    command = ["git", "-C", str(ROOT), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout if done.returncode == 0 else None


def committed_schema() -> tuple[str, str] | None:
    """(where it came from, the SDL) of the schema clients know; None when none is committed."""
    base = _git("merge-base", "HEAD", "origin/main")
    revision = base.strip() if base else "HEAD"
    sdl = _git("show", f"{revision}:{SCHEMA}")
    return (revision, sdl) if sdl is not None else None


def code_schema() -> str:
    from vigie_gateway.config import Settings
    from vigie_gateway.schema import build_schema as build_gateway_schema

    return build_gateway_schema(Settings()).as_str()


def breaks(old_sdl: str, new_sdl: str) -> list[str]:
    """Each break as `<KIND> <description>`, sorted."""
    found = find_breaking_changes(build_schema(old_sdl), build_schema(new_sdl))
    return sorted(f"{change.type.name} {change.description}" for change in found)


def allowances(text: str) -> tuple[dict[str, str], list[str]]:
    """The allowed breaks with their reasons, and the lines that give no reason."""
    allowed: dict[str, str] = {}
    unexplained: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        change, _, reason = line.partition(SEPARATOR)
        if reason.strip():
            allowed[change.strip()] = reason.strip()
        else:
            unexplained.append(line.strip())
    return allowed, unexplained


def check(old_sdl: str, new_sdl: str, allowed_text: str) -> list[str]:
    """The problems: breaks not allowed, and allowances without a reason."""
    allowed, unexplained = allowances(allowed_text)
    refused = [b for b in breaks(old_sdl, new_sdl) if b not in allowed]
    return [f"not allowed: {b}" for b in refused] + [f"no reason: {u}" for u in unexplained]


def main() -> int:
    committed = committed_schema()
    if committed is None:
        print(f"check_graphql_breaking: no committed {SCHEMA} to compare with; skipped")
        return 0
    revision, old_sdl = committed
    allowed_text = ALLOWED.read_text() if ALLOWED.exists() else ""
    problems = check(old_sdl, code_schema(), allowed_text)
    if problems:
        print(f"check_graphql_breaking: breaking changes against {SCHEMA} at {revision[:12]}:")
        print("\n".join(f"  {p}" for p in problems))
        print(f"list each in {ALLOWED.relative_to(ROOT)} as `<KIND> <description> -- <reason>`")
        return 1
    print(f"check_graphql_breaking: no unallowed breaking change against {revision[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
