"""Schemathesis against the gateway's GraphQL schema, as tenant A's admin: every query and
mutation field with generated arguments and selections. No 5xx, and every error carries a code
that is not INTERNAL (the gateway masks an unexpected failure as INTERNAL, see
vigie_gateway.errors)."""

import asyncio
import sys
from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis.graphql
from hypothesis import given

from tests.fuzz.budget import fuzz_settings
from tests.fuzz.conftest import Attacked
from tests.fuzz.record import record

# Operation label -> why its failure is known and not yet fixed. Empty: every failure is new.
KNOWN_FAILURES: dict[str, str] = {}

# The platform lives on the package's loop (tests/security/conftest.py): the test runs there too.
pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


def _wrong(response: Any, outcomes: Counter[str]) -> str | None:
    """What is wrong with the gateway's answer, or None."""
    outcomes[str(response.status_code)] += 1
    if response.status_code >= 500:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}, not JSON: {response.text[:300]}"
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        outcomes[str(code)] += 1
        if not code or code.startswith("INTERNAL"):
            return f"error code {code!r}: {str(error)[:300]}"
    return None


def _fuzz_operation(
    operation: Any, session: requests.Session, headers: dict[str, str], outcomes: Counter[str]
) -> tuple[int, list[str]]:
    """(cases, problems) of one query or mutation field."""
    failed: list[str] = []
    cases = 0

    @fuzz_settings()
    @given(operation.as_strategy())
    def one(case: Any) -> None:
        nonlocal cases
        cases += 1
        wrong = _wrong(case.call(session=session, headers=headers, timeout=30), outcomes)
        if wrong and len(failed) < 3:
            failed.append(f"{wrong} <- {str(case.body)[:300]!r}")

    one()
    return cases, [f"{operation.label}: {f}" for f in failed]


def _fuzz(url: str, token: str, outcomes: Counter[str]) -> tuple[int, int, list[str]]:
    """(operations, cases, problems); `outcomes` counts HTTP statuses and error codes. Blocking: runs in a thread while the gateway serves on the
    test's loop."""
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.graphql.from_url(url, headers=headers)
    problems: list[str] = []
    cases, operations = 0, 0
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()  # type: ignore[union-attr]  # raises on an invalid schema
            operations += 1
            done, failed = _fuzz_operation(operation, session, headers, outcomes)
            cases += done
            if operation.label not in KNOWN_FAILURES:
                problems += failed
            print(f"{operation.label}: {cases} cases so far", file=sys.stderr, flush=True)
    return operations, cases, problems


async def test_every_graphql_field_answers_fuzzed_arguments_with_a_code(attacked: Attacked) -> None:
    url, token = attacked.platform.front.url, attacked.world.tokens["group_admin"]
    outcomes: Counter[str] = Counter()
    operations, cases, problems = await asyncio.to_thread(_fuzz, url, token, outcomes)
    print(f"GraphQL fuzz: {cases} cases over {operations} operations; {dict(outcomes)}")
    record("graphql", cases, operations, outcomes)
    assert operations > 50
    assert not problems, "\n".join(problems)
