"""`python -m tests.security.matrix --count`: how many cases the security suites run, built by
the same generators from the committed contracts (gateway/schema.graphql and the generated
protos) instead of the live platform, for the reliability report. The suites print the figures
of the live run too ("isolation cases run ..."); the two differ only where the live platform
differs from the committed contracts (e.g. the operations service, served by each of the five
services, counts once here)."""

import argparse
import importlib
import pkgutil
from pathlib import Path

import vigie
from graphql import build_schema

from tests.security.graphql_matrix import cases as graphql_cases
from tests.security.grpc_matrix import cases as grpc_cases
from tests.security.grpc_surface import PLUMBING, Method
from tests.security.world import MARKERS, SHARED, Scope, World

SCHEMA = Path(__file__).parents[2] / "gateway" / "schema.graphql"
# The kinds tests/security/seeding.py makes in each subsidiary, and their names' shapes.
KINDS = {
    "subsidiaries": "{t}/subsidiaries/s", "brands": "{t}/brands/b", "members": "{t}/members/m",
    "partnerClients": "{t}/partnerClients/p", "listeningQueries": "{t}/brands/b/listeningQueries/q",
    "sources": "{t}/sources/s", "mentions": "{t}/brands/b/mentions/m",
    "socialAccounts": "{t}/brands/b/socialAccounts/a",
    "bestTimes": "{t}/brands/b/socialAccounts/a/bestTimes", "posts": "{t}/brands/b/posts/p",
    "engagement": "{t}/brands/b/posts/p/engagement", "queue": "{t}/brands/b/queue",
    "approvalPolicies": "{t}/approvalPolicies/a", "trackedAccounts": "{t}/brands/b/trackedAccounts/a",
    "webhooks": "{t}/webhooks/w", "alertRules": "{t}/alertRules/r",
    "reputationIndex": "{t}/brands/b/reputationIndex", "reportSchedules": "{t}/reportSchedules/r",
    "reports": "{t}/reports/r", "creators": "{t}/creators/c", "campaigns": "{t}/campaigns/c",
    "contracts": "{t}/campaigns/c/contracts/k",
    "deliverables": "{t}/campaigns/c/contracts/k/deliverables/d",
    "trackingCodes": "{t}/campaigns/c/trackingCodes/c",
    "sentiment": "{t}/brands/b/mentions/m/sentiment", "vetting": "{t}/creators/c/vetting",
    "safetyKeywords": "{t}/brands/b/safetyKeywords", "results": "{t}/campaigns/c/results",
}  # fmt: skip
TOKEN_ATTACKS = 14  # tests/security/forged_tokens.py, the revoked partner's included
PUBLIC_METHODS = 3  # Login, IssuePartnerToken, GetJwks: no token is not an attack there


def synthetic_world() -> World:
    scopes = {}
    for key, marker in MARKERS.items():
        tenant = "tenants/b" if key == "B" else "tenants/a"
        scope = Scope(marker, SHARED[key], tenant)
        for kind, shape in KINDS.items():
            parts = shape.format(t=tenant).split("/")
            ids = [p if i % 2 == 0 or i == 1 else f"{p}{key.lower()}" for i, p in enumerate(parts)]
            scope.add(kind, "/".join(ids))
        if key == "B":
            scope.add("tenants", tenant)
        scopes[key] = scope
    return World(scopes, {})


def committed_methods() -> list[Method]:
    methods = []
    for module in pkgutil.walk_packages(vigie.__path__, "vigie."):
        if not module.name.endswith("_pb2"):
            continue
        for service in importlib.import_module(module.name).DESCRIPTOR.services_by_name.values():
            if not service.full_name.startswith(PLUMBING):
                methods += [Method("", service.full_name, m) for m in service.methods]
    return methods


def counts() -> dict[str, int]:
    from tests.security.test_role_matrix import CASES as ROLE_CASES

    world = synthetic_world()
    methods = committed_methods()
    schema = build_schema(SCHEMA.read_text())
    graphql = list(graphql_cases(schema, world))
    http_fields = sum(1 for c in graphql if c.operation.root != "Subscription")
    root_fields = sum(
        len(t.fields) for t in (schema.query_type, schema.mutation_type) if t is not None
    )
    return {
        "isolation_grpc": sum(1 for _ in grpc_cases(methods, world)),
        "isolation_graphql_http": http_fields,
        "isolation_graphql_subscriptions": len(graphql) - http_fields,
        "token_attacks_grpc": len(methods) * TOKEN_ATTACKS - PUBLIC_METHODS,
        "token_attacks_graphql_http": root_fields * TOKEN_ATTACKS,
        "token_attacks_websocket": TOKEN_ATTACKS,
        "role_matrix": len(ROLE_CASES),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", action="store_true", help="print the number of cases")
    arguments = parser.parse_args()
    if arguments.count:
        figures = counts()
        for name, value in figures.items():
            print(f"{name}: {value}")
        isolation = sum(v for k, v in figures.items() if k.startswith("isolation"))
        print(f"isolation cases run: {isolation}")
        print(f"all security cases: {sum(figures.values())}")


if __name__ == "__main__":
    main()
