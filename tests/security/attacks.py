"""Who attacks what, and how an answer is judged, for both surfaces (gRPC and GraphQL).

A case is an operation called by one of A's principals with the names of a target scope in
every place that takes a name. The answer must not show the target: no marker of its texts, no
name of its resources other than those the request itself carried. When the request named the
target's resources, a read by name and any change must be refused; a filtered list may answer,
but only with what the caller may see."""

from dataclasses import dataclass

from tests.security.world import World

# (principal, target scope): A's group admin against tenant B; A1's people and partner against
# tenant B and against their sister subsidiary A2.
ATTACKS = (
    ("group_admin", "B"),
    *((who, target) for who in ("smm", "cm", "analyst", "partner") for target in ("B", "A2")),
)
# Each principal reading its own scope (A1's names): lists must hold nothing of the others.
OWN_READS = (
    ("group_admin", ("B",)),
    *((w, ("A2", "B")) for w in ("smm", "cm", "analyst", "partner")),
)
# Within tenant A, these kinds are the group's, shared by its subsidiaries: the org chart, and
# partnerships' creators, campaigns and brand safety lists ("the tenant's, not a subsidiary's",
# partnerships' app/common.py). A1's people may see A2's; their texts carry the group's marker, not A2's.
# A campaign names its brands, so A2's brand name may show too; A2's brand's own texts may not.
TENANT_WIDE = frozenset(
    {
        "subsidiaries",
        "creators",
        "vetting",
        "campaigns",
        "results",
        "contracts",
        "deliverables",
        "trackingCodes",
        "safetyKeywords",
    }
)
# Verbs whose arguments only filter what the caller sees (an empty answer is a correct
# refusal), or that answer a batch with a refusal per item.
FILTERING = ("List", "Search", "Count", "Validate", "Test", "Propose", "Ingest", "Import", "Report")


@dataclass(frozen=True)
class Exposure:
    """What one case must not show."""

    texts: tuple[str, ...]
    names: frozenset[str]


def exposure(world: World, scopes: tuple[str, ...]) -> Exposure:
    names = set(world.names_of(*scopes))
    if "A2" in scopes:
        a2 = world.scopes["A2"]
        names -= {n for kind in TENANT_WIDE for n in a2.names.get(kind, [])}
        names -= set(a2.names["brands"])
    return Exposure(tuple(world.texts_of(*scopes)), frozenset(names))


def leaks(text: str, exposed: Exposure, used: set[str]) -> list[str]:
    """The target's texts and names found in an answer; a refusal may name what the request
    named, and so its parents."""
    carried = used | {a for name in used for a in prefixes(name)}
    found = [t for t in exposed.texts if t in text]
    found += sorted(n for n in exposed.names - carried if n in text)
    return found


def prefixes(name: str) -> list[str]:
    """`tenants/t/brands/b/queue` -> [`tenants/t/brands/b`, `tenants/t/brands`, `tenants/t`]."""
    parts = name.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts) - 1, 1, -1)]


def ancestors(name: str) -> list[str]:
    """`tenants/t/brands/b/posts/p` -> [`tenants/t/brands/b`, `tenants/t`]."""
    parts = name.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts) - 2, 1, -2)]


def filtering(method: str) -> bool:
    return method.startswith(FILTERING)
