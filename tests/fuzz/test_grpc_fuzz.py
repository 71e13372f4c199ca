"""Every gRPC method, reflected from the running services, called with hypothesis-made requests by
tenant A's admin: the server answers each one (no hang) and either succeeds or refuses with a
stable reason; it never fails with INTERNAL or UNKNOWN."""

import asyncio
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest
from hypothesis import given
from vigie_runtime.grpc_client import bearer

from tests.fuzz.budget import fuzz_settings
from tests.fuzz.conftest import Attacked
from tests.fuzz.messages import requests
from tests.fuzz.record import record
from tests.security.grpc_surface import Method, call, reflect

BROKEN = (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.DEADLINE_EXCEEDED)
# Last: the calls that can take the admin's own access or resources away from the next methods.
_LATE = ("Delete", "Revoke", "Remove", "Purge", "Rotate")
# Method path -> why its failure is known and not yet fixed. Empty: every failure is new.
KNOWN_FAILURES: dict[str, str] = {}

# The platform lives on the package's loop (tests/security/conftest.py): the test runs there too.
pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


@dataclass
class Tally:
    cases: int = 0
    problems: list[str] = field(default_factory=list)
    codes: Counter[str] = field(default_factory=Counter)  # status -> cases, to see the spread


async def _call(
    channel: grpc.aio.Channel, method: Method, request: Any, token: str, tally: Tally
) -> str | None:
    """What is wrong with the server's answer, or None."""
    answer = await call(channel, method, request, bearer(token))  # its deadline: 15 s
    tally.codes[answer.reason or answer.code.name] += 1
    if answer.code in BROKEN:
        return f"{answer.code.name}: {answer.text[:300]}"
    if answer.code is not grpc.StatusCode.OK and not answer.reason:
        return f"{answer.code.name} without a reason: {answer.text[:300]}"
    return None


def _fuzz(
    loop: asyncio.AbstractEventLoop, channel: grpc.aio.Channel, method: Method, names: list[str],
    token: str, tally: Tally,
) -> None:  # fmt: skip
    """Hypothesis over one method. It runs in a thread and hands each call to the test's loop,
    where the servers and the channel live."""
    failed: list[str] = []

    @fuzz_settings()
    @given(requests(method.input, names))
    def one(request: Any) -> None:
        tally.cases += 1
        running = asyncio.run_coroutine_threadsafe(
            _call(channel, method, request, token, tally), loop
        )
        wrong = running.result()
        if wrong and len(failed) < 3:
            failed.append(f"{wrong} <- {str(request)[:300]!r}")

    one()
    tally.problems += [f"{method.path}: {f}" for f in failed]


async def test_every_grpc_method_answers_fuzzed_requests_with_a_reason(attacked: Attacked) -> None:
    world = attacked.world
    names = sorted({n for s in world.scopes.values() for ns in s.names.values() for n in ns[:1]})
    methods = sorted(await reflect(attacked.platform.targets),
                     key=lambda m: (m.name.startswith(_LATE), m.path))  # fmt: skip
    tally, loop, token = Tally(), asyncio.get_running_loop(), world.tokens["group_admin"]
    channels = {t: grpc.aio.insecure_channel(t) for t in attacked.platform.targets.values()}
    try:
        for method in methods:
            channel = channels[method.target]
            await asyncio.to_thread(_fuzz, loop, channel, method, names, token, tally)
            print(f"{method.path}: {tally.cases} cases so far", file=sys.stderr, flush=True)
    finally:
        for channel in channels.values():
            await channel.close()
    print(f"gRPC fuzz: {tally.cases} cases over {len(methods)} methods; {dict(tally.codes)}")
    record("grpc", tally.cases, len(methods), tally.codes)
    new = [p for p in tally.problems if p.split(":", 1)[0] not in KNOWN_FAILURES]
    assert len(methods) > 50, [m.path for m in methods]
    assert not new, "\n".join(new)
