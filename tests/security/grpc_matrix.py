"""The gRPC half of the isolation matrix: every reflected method x every attack."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import grpc

from tests.security.attacks import ATTACKS, OWN_READS, Exposure, exposure, filtering, leaks
from tests.security.grpc_surface import Answer, Method
from tests.security.requests import assignments, fill, find_slots
from tests.security.world import World

READS = ("Get", "List", "BatchGet", "Search", "Count", "Validate", "Test", "Download", "Propose")
# Not a refusal: the server failed or never answered.
BROKEN = (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.DEADLINE_EXCEEDED,
          grpc.StatusCode.UNAVAILABLE)  # fmt: skip


@dataclass(frozen=True)
class GrpcCase:
    method: Method
    principal: str
    target: str  # "B", "A2" or "own"
    request: Any
    used: frozenset[str]  # the names the request carries
    targeted: bool  # it carries a name of the target scope
    exposed: Exposure

    def label(self) -> str:
        return f"{self.principal}->{self.target} {self.method.path} {sorted(self.used)}"


def cases(methods: list[Method], world: World) -> Iterator[GrpcCase]:
    own = world.scopes["A1"].names
    for method in methods:
        for principal, target in ATTACKS:
            names = world.scopes[target].names
            exposed = exposure(world, (target,))
            yield from _cases_of(method, principal, target, names, exposed, mutating_ok=False)
        if method.name.startswith(READS):
            for principal, hidden in OWN_READS:
                exposed = exposure(world, hidden)
                yield from _cases_of(method, principal, "own", own, exposed, mutating_ok=True)


def _cases_of(
    method: Method,
    principal: str,
    target: str,
    names: dict[str, list[str]],
    exposed: Exposure,
    mutating_ok: bool,
) -> Iterator[GrpcCase]:
    slots = find_slots(method.input, method.name, names)
    for chosen in assignments(slots):
        used = frozenset(chosen.values())
        targeted = bool(used & exposed.names)
        if slots and not targeted and not mutating_ok and not method.name.startswith(READS):
            continue  # a change aimed at nothing of the target: not an isolation case
        request = fill(method.new_request(), chosen)
        yield GrpcCase(method, principal, target, request, used, targeted, exposed)


def judge(case: GrpcCase, answer: Answer) -> str | None:
    """What is wrong with the answer, or None."""
    found = leaks(answer.text, case.exposed, set(case.used))
    if found:
        return f"shows {found} ({answer.code.name}): {answer.text[:300]}"
    if answer.code in BROKEN:
        return f"failed with {answer.code.name} rather than refusing: {answer.text[:200]}"
    if answer.code is not grpc.StatusCode.OK and not answer.reason:
        return f"refused with {answer.code.name} but no reason"
    if case.targeted and answer.code is grpc.StatusCode.OK and not filtering(case.method.name):
        return f"accepted: {answer.text[:300]}"
    return None
